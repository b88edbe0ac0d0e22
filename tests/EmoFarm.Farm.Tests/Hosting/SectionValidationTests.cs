using EmoFarm.Farm.Hosting;
using EmoFarm.Model.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmoFarm.Farm.Tests.Hosting;

/// <summary>One bad value in each configuration section stops the host at start, naming the key and the limit.</summary>
public sealed class SectionValidationTests
{
    [Theory]
    [InlineData("Render:PoseWeight", "-1", "'Render'", "PoseWeight")]
    [InlineData("Orchestrator:MaxAudioSeconds", "0", "'Orchestrator'", "MaxAudioSeconds", "86400")]
    [InlineData("Worker:Gpus", "17", "'Worker'", "Gpus", "16")]
    [InlineData("Rabbit:Port", "70000", "'Rabbit'", "Port", "65535")]
    [InlineData("Retry:Limit", "51", "'Retry'", "Limit", "50")]
    [InlineData("Redis:Prefix", "two words", "Redis:Prefix", "1 to 64")]
    [InlineData("Storage:Root", "", "'Storage'", "Root")]
    [InlineData("Faces:MinScore", "2", "'Faces'", "MinScore", "0.99")]
    [InlineData("Quality:MinFaceShare", "1.5", "'Quality'", "MinFaceShare", "1")]
    [InlineData("Conditioning:Provider", "tpu", "Conditioning:Provider", "cpu or cuda")]
    [InlineData("Quotas:Default:MaxActiveRenders", "-1", "'Quotas'", "MaxActiveRenders", "1000000")]
    [InlineData("Quotas:Tenants:Bad_Name:CreatesPerMinute", "5", "Quotas:Tenants:Bad_Name", "not a tenant name")]
    [InlineData("Quotas:Tenants:acme:CreatesPerMinute", "0", "Quotas:Tenants:acme", "CreatesPerMinute")]
    [InlineData("Scheduling:QueueDepth", "0", "'Scheduling'", "QueueDepth", "100000")]
    [InlineData("Auth:AdminTenant", "", "'Auth'", "AdminTenant")]
    [InlineData("Model:Dtype", "int8", "Model:Dtype", "float32, bfloat16 or float16")]
    [InlineData("Model:DecodeChunkFrames", "0", "DecodeChunkFrames", "1024")]
    public async Task ABadValue_StopsTheHostAtStart_NamingTheKeyAndTheLimit(string key, string value, params string[] named)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(new() { [key] = value }));
        var message = failure is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : failure.Message;
        Assert.True(failure is OptionsValidationException || failure is AggregateException { InnerExceptions: [OptionsValidationException, ..] }, failure.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(message);
        foreach (var part in named)
            Assert.Contains(part, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_WithAnEndpoint_NeedsItsCredentials()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new() { ["S3:Endpoint"] = "http://127.0.0.1:9", ["S3:AccessKey"] = "" }));
        Assert.Contains("'S3'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AccessKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFarmProcess_WithoutARole_OrWithOneTwice_IsRefused()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var none = Assert.Throws<InvalidOperationException>(() => builder.Services.AddFarm(builder.Configuration, _ => { }));
        Assert.Contains("at least one role", none.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<InvalidOperationException>(() => builder.Services.AddFarm(builder.Configuration, farm => farm.AddWorker().AddWorker()));
        Assert.Contains("worker role is composed twice", twice.Message, StringComparison.Ordinal);
    }

    /// <summary>Every section a process can read: both roles, the API's authentication and the model.</summary>
    private static async Task StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddEmoRenderer(builder.Configuration);
        builder.Services.AddFarm(builder.Configuration, farm => farm.AddOrchestrator().AddWorker());
        builder.Services.AddApiAuthentication(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
