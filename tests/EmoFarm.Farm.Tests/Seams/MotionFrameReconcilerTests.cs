using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Tests.State;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmoFarm.Farm.Tests.Seams;

public sealed class MotionFrameReconcilerTests
{
    [Fact]
    public async Task Reconcile_RenderWithAnalysis_TheContinuationCarriesIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var analysis = new PortraitAnalysis([0.5f, -1.25f], [10.5, 20.25, 30, 40], "a landmark model");
        var render = RenderStoreContract.NewRender(segments: 2) with { Analysis = analysis };
        var segments = SegmentPlanner.Plan(render.FrameTotal, render.Spec.SegmentFrames, render.Spec.OverlapFrames)
            .Select(p => new SegmentRecord(p.Index, p.FirstFrame, p.FrameCount, SegmentState.Done, p.FrameCount, 1, 1, "w", null)).ToList();
        var seam = SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))])[0];

        // The continuation goes through the scheduler's window, as in the farm: its payload must carry the analysis too.
        var store = new InMemoryRenderStore();
        await store.CreateAsync(render, SegmentPlanner.Plan(render.FrameTotal, render.Spec.SegmentFrames, render.Spec.OverlapFrames), ActiveRenderLimits.None, ct);
        var scheduler = new FairScheduler(new InMemoryWorkWindow(), store, new CommandPublisher(harness.Bus, Options.Create(new OrchestratorOptions())),
            Options.Create(new SchedulingOptions()), TimeProvider.System, NullLogger<FairScheduler>.Instance);
        // Reconciling only asks for the continuation; no object is read or written.
        var reconciler = new MotionFrameReconciler(scheduler, new FileBlobStore(Path.GetTempPath()), Options.Create(new OrchestratorOptions()));
        Assert.False(await reconciler.ReconcileAsync(render, seam, segments, ct));

        var published = await harness.Published.SelectAsync<RenderSeam>(ct).FirstOrDefault();
        Assert.NotNull(published);
        var sent = published.Context.Message;
        // The continuation is rendered with the segments' identity and landmarks, not with zeros and whole-frame masks.
        Assert.Equal(analysis.Embedding, sent.Analysis?.Embedding);
        Assert.Equal(analysis.Landmarks, sent.Analysis?.Landmarks);
        Assert.Equal(analysis.LandmarkModel, sent.Analysis?.LandmarkModel);
    }
}
