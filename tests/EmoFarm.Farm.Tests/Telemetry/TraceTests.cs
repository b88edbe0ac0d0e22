using System.Diagnostics;
using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Submission;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using EmoFarm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmoFarm.Farm.Tests.Telemetry;

/// <summary>
/// One render, one trace: an orchestrator host and a worker host on real RabbitMQ, Redis and Swift, the tiny model
/// on random weights, each host exporting its spans to memory.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class TraceTests(RabbitMqFixture rabbit, RedisFixture redis, S3Fixture s3)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_AcrossOrchestratorAndWorker_FormsOneTraceThroughTheMessageHeaders()
    {
        var settings = new TracedHost.FarmSettings(rabbit, redis, s3, Guid.NewGuid().ToString("N")[..10]);
        await rabbit.Broker.CtlAsync(["add_vhost", settings.VirtualHost], Ct);
        await rabbit.Broker.CtlAsync(["set_permissions", "-p", settings.VirtualHost, rabbit.Broker.Username, ".*", ".*", ".*"], Ct);
        using var folder = new TempFolder("trace");
        var audioPath = folder.File("speech.wav");
        await File.WriteAllBytesAsync(audioPath, await TestMedia.SpeechAsync(2), Ct);

        await using var orchestrator = await TracedHost.StartAsync(settings, worker: false, Ct);
        await using var worker = await TracedHost.StartAsync(settings, worker: true, Ct);
        var store = orchestrator.Host.Services.GetRequiredService<IRenderStore>();

        string renderId;
        ActivityTraceId traceId;
        // Stands in for the gRPC service, which starts this span before it calls the submitter.
        using (var root = FarmTelemetry.Source.StartActivity("create render"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            var (render, _) = await orchestrator.Host.Services.GetRequiredService<RenderSubmitter>()
                .SubmitAsync(new RenderInput(TenantName.Local, Spec(), null, RepoPaths.Sample("portrait.png"), audioPath, null, FramingRequest.Default), [], Ct);
            renderId = render.Id;
            Assert.Equal(2, render.SegmentCount);
        }
        await WaitForTerminalAsync(store, renderId);
        Assert.Equal(RenderState.Succeeded, (await store.GetAsync(renderId, Ct))!.State);
        await worker.StopAsync(Ct);
        await orchestrator.StopAsync(Ct);

        // The exporters listen process-wide, so spans of renders in other tests running alongside arrive too. This
        // render's spans are the ones tagged with its id; every one of them, and every child, must be in one trace.
        var exported = orchestrator.Spans.Concat(worker.Spans).DistinctBy(s => s.SpanId).ToList();
        var tagged = exported.Where(s => Equals(s.GetTagItem("emofarm.render_id"), renderId)).ToList();
        Assert.NotEmpty(tagged);
        Assert.All(tagged, s => Assert.Equal(traceId, s.TraceId));
        var spans = exported.Where(s => s.TraceId == traceId).ToDictionary(s => s.SpanId);
        var all = spans.Values.ToList();
        var rootSpan = Assert.Single(all, s => s.DisplayName == "create render");
        Assert.Equal(default, rootSpan.ParentSpanId);

        var segments = all.Where(s => s.DisplayName == "render segment").ToList();
        Assert.Equal(2, segments.Count);
        foreach (var segment in segments)
        {
            var chain = Ancestors(segment, spans);
            Assert.Same(rootSpan, chain[^1]);
            Assert.Contains(chain, s => s.DisplayName == "plan segments");
            // Publish on the orchestrator's bus, consume on the worker's: the link exists only through the headers.
            var consume = chain.FindIndex(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer);
            var publish = chain.FindIndex(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
            Assert.True(consume >= 0 && publish > consume, Describe(chain));
            Assert.Single(all, s => s.DisplayName == "audio encoder" && s.ParentSpanId == segment.SpanId);
        }

        // 2 segments of 16 and 12 frames, 8-frame clips: 2 clips each.
        var clips = all.Where(s => s.DisplayName == "clip").ToList();
        Assert.Equal(4, clips.Count);
        Assert.All(clips, c => Assert.Contains(segments, s => s.SpanId == c.ParentSpanId));
        foreach (var child in new[] { "sampling", "vae decode", "upload frames" })
        {
            var children = all.Where(s => s.DisplayName == child).ToList();
            Assert.Equal(clips.Count, children.Count);
            Assert.Equal(clips.Select(c => c.SpanId.ToHexString()).Order(), children.Select(s => s.ParentSpanId.ToHexString()).Order());
        }
        Assert.Equal(FarmTelemetry.ModelName, all.First(s => s.DisplayName == "sampling").Source.Name);

        Assert.Single(all, s => s.DisplayName == "reconcile seam");
        var encode = Assert.Single(all, s => s.DisplayName == "encode render");
        Assert.Equal(renderId, encode.GetTagItem("emofarm.render_id"));
        Assert.Single(all, s => s.DisplayName == "upload output" && s.ParentSpanId == encode.SpanId);
        TestContext.Current.SendDiagnosticMessage(Tree(rootSpan, all, 0));
    }

    private static RenderSpec Spec() => new()
    {
        Model = new ModelSettings { Fps = 12, Width = 64, Height = 64, Steps = 2, GuidanceScale = 3.5f, ReferenceGuidanceScale = 3.5f, HeadMotionSpeed = 0 },
        Seed = 5,
        SegmentFrames = 16,
        OverlapFrames = 4,
        SeamStrategy = SeamStrategyKind.Crossfade,
        Priority = 0,
    };

    private static async Task WaitForTerminalAsync(IRenderStore store, string renderId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var changed = new SemaphoreSlim(0);
        await using var subscription = await store.SubscribeAsync(renderId, () => changed.Release(), timeout.Token);
        // Checked once after subscribing too, in case the render finished before the subscription began.
        while ((await store.GetAsync(renderId, timeout.Token))?.State is not (RenderState.Succeeded or RenderState.Failed or RenderState.Cancelled))
            await changed.WaitAsync(timeout.Token);
    }

    /// <summary>The span's parents, nearest first, ending at the root.</summary>
    private static List<Activity> Ancestors(Activity span, Dictionary<ActivitySpanId, Activity> spans)
    {
        var chain = new List<Activity>();
        for (var s = span; s.ParentSpanId != default;)
        {
            Assert.True(spans.TryGetValue(s.ParentSpanId, out var parent), $"parent of '{s.DisplayName}' was not exported: {Describe(chain)}");
            chain.Add(parent);
            s = parent;
        }
        return chain;
    }

    private static string Describe(List<Activity> chain) => string.Join(" <- ", chain.Select(s => $"{s.DisplayName} [{s.Source.Name} {s.Kind}]"));

    private static string Tree(Activity span, List<Activity> all, int depth) =>
        string.Create(CultureInfo.InvariantCulture, $"{new string(' ', depth * 2)}{span.DisplayName} [{span.Source.Name} {span.Kind}] {span.Duration.TotalMilliseconds:F0} ms\n")
        + string.Concat(all.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc).Select(s => Tree(s, all, depth + 1)));
}
