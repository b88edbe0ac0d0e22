using EmoFarm.Farm.Tests.Faults;
using EmoFarm.Farm.Tests.Services;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>
/// A worker takes no more segments at once than its renderer has devices: with more, they would silently share one
/// GPU. The choice: one worker per GPU, so a worker asking for two places with a one-device renderer does not start.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class RendererCapacityTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    [Fact]
    public async Task AWorker_WithMoreGpusThanItsRendererHasDevices_RefusesToStart()
    {
        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        var settings = farm.WorkerConfiguration("two-places", new Dictionary<string, string?> { ["Worker:Gpus"] = "2" });
        var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            InProcessWorker.StartAsync(settings, _ => new ScriptedRenderer(_ => false), TestContext.Current.CancellationToken));
        Assert.Contains("Worker:Gpus is 2", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("drives 1 device", refusal.Message, StringComparison.Ordinal);

        // One place per device starts.
        var one = farm.WorkerConfiguration("one-place", new Dictionary<string, string?> { ["Worker:Gpus"] = "1" });
        await using var worker = await InProcessWorker.StartAsync(one, _ => new ScriptedRenderer(_ => false), TestContext.Current.CancellationToken);
    }
}
