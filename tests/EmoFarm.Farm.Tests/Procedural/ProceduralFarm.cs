using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Xunit;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>
/// The orchestrator processes <see cref="ProceduralQualityTests"/> render on, started once for the class: each loads
/// the face nets, which costs more than a render. Renders do not interfere: each test hosts its own worker for its
/// render and stops it before the next test starts. Retakes are a server setting, so the one test that retakes has
/// an orchestrator of its own.
/// </summary>
public sealed class ProceduralFarm(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3) : IAsyncDisposable
{
    private readonly Dictionary<int, Task<FarmHarness>> _farms = [];
    private readonly Lock _gate = new();
    private Task<Render>? _aligned;

    /// <summary>A farm whose orchestrator retakes a flagged segment up to <paramref name="retakes"/> times.</summary>
    internal Task<FarmHarness> FarmAsync(int retakes)
    {
        lock (_gate)
        {
            if (!_farms.TryGetValue(retakes, out var farm))
                _farms[retakes] = farm = StartAsync(retakes);
            return farm;
        }
    }

    /// <summary>The good renderer's render, made by the first test that asks and judged by every test that does.</summary>
    internal Task<Render> Aligned(Func<Task<Render>> render)
    {
        lock (_gate)
            return _aligned ??= render();
    }

    private async Task<FarmHarness> StartAsync(int retakes)
    {
        var models = FaceApi.Models;
        Assert.True(Directory.Exists(models), $"{models} is missing: run scripts/install-face-api.sh");
        var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        farm.OrchestratorSettings["Faces__ModelFolder"] = models;
        farm.OrchestratorSettings["Quality__Retakes"] = retakes.ToString(CultureInfo.InvariantCulture);
        await farm.StartOrchestratorAsync();
        return farm;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var farm in _farms.Values)
        {
            if (farm.IsCompletedSuccessfully)
                await farm.Result.DisposeAsync();
        }
    }
}
