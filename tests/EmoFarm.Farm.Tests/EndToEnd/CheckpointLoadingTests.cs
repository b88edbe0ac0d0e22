using System.Text.Json.Nodes;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Minio.DataModel.Args;
using Xunit;

namespace EmoFarm.Farm.Tests.EndToEnd;

/// <summary>A worker loads a checkpoint in the real layout from a bucket prefix, and refuses one that does not fit.</summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class CheckpointLoadingTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Worker_WeightsFromBucket_LoadsThemOrRefusesToStart()
    {
        using var folder = new TempFolder("weights");
        var written = await ChildProcess.RunAsync(new ChildProcessOptions
        {
            FileName = "dotnet",
            Arguments = [RepoPaths.Assembly("EmoFarm.Cli", "emofarm.dll"), "model", "init-random", "--config", "tiny", "--out", folder.Path],
        }, TimeSpan.FromMinutes(2), Ct);
        Assert.True(written.Succeeded, written.Output);

        await using var farm = await FarmHarness.CreateAsync(rabbit, redis, s3);
        var client = s3.CreateClient();
        var bucket = $"models-{Guid.NewGuid():N}"[..20];
        await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket), Ct);
        foreach (var file in Directory.GetFiles(folder.Path))
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject($"tiny/{Path.GetFileName(file)}").WithFileName(file), Ct);
        // The same files described as the full-size model: every shape is wrong.
        var wrong = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder.Path, "model.json"), Ct))!;
        wrong["config"] = "sd15";
        foreach (var file in Directory.GetFiles(folder.Path).Where(f => !f.EndsWith("model.json", StringComparison.Ordinal)))
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject($"mislabelled/{Path.GetFileName(file)}").WithFileName(file), Ct);
        var manifest = System.Text.Encoding.UTF8.GetBytes(wrong.ToJsonString());
        using (var stream = new MemoryStream(manifest))
            await client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject("mislabelled/model.json").WithStreamData(stream).WithObjectSize(manifest.Length), Ct);

        var good = await farm.StartWorkerAsync("loaded", new Dictionary<string, string?> { ["Model__Weights"] = $"s3://{bucket}/tiny" });
        await good.WaitForOutputAsync(l => l.Contains("model tiny loaded from", StringComparison.Ordinal), TimeSpan.FromSeconds(30), Ct);

        var bad = await farm.StartWorkerAsync("refused", new Dictionary<string, string?> { ["Model__Weights"] = $"s3://{bucket}/mislabelled" }, waitForStart: false);
        Assert.NotEqual(0, await bad.WaitForExitAsync(TimeSpan.FromMinutes(2), Ct));
        Assert.Contains(bad.OutputLines, l => l.Contains("does not load completely", StringComparison.Ordinal));
        Assert.Contains(bad.OutputLines, l => l.Contains("shape", StringComparison.OrdinalIgnoreCase));
    }
}
