using EmoFarm.Contracts;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Seams;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Submission;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
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
        var render = Render(analysis);
        var segments = SegmentPlanner.Plan(render.FrameTotal, 20, 4)
            .Select(p => new SegmentRecord(p.Index, p.FirstFrame, p.FrameCount, SegmentState.Done, p.FrameCount, 1, 1, "w", null)).ToList();
        var seam = SegmentPlanner.Seams([.. segments.Select(s => new SegmentPlan(s.Index, s.FirstFrame, s.FrameCount))])[0];

        var reconciler = new MotionFrameReconciler(harness.Bus, Options.Create(new OrchestratorOptions()));
        Assert.False(await reconciler.ReconcileAsync(render, seam, segments, ct));

        var published = await harness.Published.SelectAsync<RenderSeam>(ct).FirstOrDefault();
        Assert.NotNull(published);
        var sent = published.Context.Message;
        // The continuation is rendered with the segments' identity and landmarks, not with zeros and whole-frame masks.
        Assert.Equal(analysis.Embedding, sent.Analysis?.Embedding);
        Assert.Equal(analysis.Landmarks, sent.Analysis?.Landmarks);
        Assert.Equal(analysis.LandmarkModel, sent.Analysis?.LandmarkModel);
    }

    private static RenderRecord Render(PortraitAnalysis analysis) => new()
    {
        Id = "r1",
        State = RenderState.Rendering,
        Spec = new RenderSpec
        {
            Model = new ModelSettings { Fps = 25, Width = 64, Height = 64, Steps = 1, GuidanceScale = 1, ReferenceGuidanceScale = 1, HeadMotionSpeed = 0 },
            Seed = 7,
            SegmentFrames = 20,
            OverlapFrames = 4,
            SeamStrategy = SeamStrategyKind.MotionFrames,
            Priority = 0,
        },
        PortraitKey = "p",
        AudioKey = "a",
        AudioSeconds = 1.6,
        FrameTotal = 40,
        SegmentCount = 2,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Analysis = analysis,
    };
}
