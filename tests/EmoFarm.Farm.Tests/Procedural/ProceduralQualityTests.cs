using System.Globalization;
using EmoFarm.Api.V1;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Tests.EndToEnd;
using EmoFarm.Farm.Tests.Services;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>
/// The quality checks on a face that moves: an orchestrator process and a worker hosted here with
/// <see cref="ProceduralClipRenderer"/> in place of the model, on real RabbitMQ, Redis and Swift, the real face nets
/// on both. Each render is read back through the gRPC API, as a user would: a good renderer passes every check, and
/// each way of breaking it is flagged by the check made for it.
/// </summary>
[Collection(ServicesCollectionDefinition.Name)]
public sealed class ProceduralQualityTests(ProceduralFarm farms) : IClassFixture<ProceduralFarm>
{
    // 16 fps puts every frame on a whole number of 16 kHz samples (1000), so two segments' slices split a shared
    // frame's audio identically. 60 frames are two segments of 32 sharing 4: one seam, and segments long enough
    // for a correlation over their frames to mean something. 192 pixels (the next multiple of 64 the farm
    // takes), not 128: at 128 the detector's score for this face falls from 0.94 to 0.5 when the head moves by a
    // fraction of a pixel, so frames lose their face; at 160 it stayed above 0.8.
    private const int Fps = 16, Size = 192, SegmentFrames = 32, OverlapFrames = 4;

    /// <summary>Just under 60 frames' worth: the farm rounds the audio's length up to whole frames.</summary>
    private const double AudioSeconds = 59.5 / Fps;

    private static readonly QualityOptions Limits = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_FaceFollowingItsAudio_PassesEveryCheck()
    {
        var quality = (await AlignedAsync()).Quality;
        Report("aligned", quality);
        Assert.True(quality.Analysed);
        Assert.Equal([0u, 1u], quality.Segments.Select(s => s.Index));
        Assert.All(quality.Segments, s =>
        {
            Assert.Equal(1, s.FaceShare);
            Assert.True(s.IdentityMean >= Limits.MinIdentity, $"segment {s.Index}: identity {s.IdentityMean}");
            Assert.True(s.LipSync >= Limits.MinLipSync, $"segment {s.Index}: lip-sync {s.LipSync}");
        });
        var seam = Assert.Single(quality.Seams);
        Assert.True(seam.Ratio <= Limits.MaxSeamRatio, $"seam ratio {seam.Ratio}");
        Assert.False(quality.Flagged, string.Join("; ", quality.Flags));
        Assert.Empty(quality.Flags);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public async Task Render_MouthFiveFramesOff_IsFlaggedForLipSync(int shift)
    {
        // The mouth opens with the loudness of five frames later (5) or earlier (-5). Crossfade seams: this check is
        // about segments alone, and a crossfade asks no worker for continuations.
        var shifted = (await RenderAsync(new ProceduralBehaviour { LipShiftFrames = shift }, SeamStrategy.Crossfade)).Quality;
        // Segments are measured before their seams are reconciled, so the aligned render's seam strategy is moot.
        var aligned = (await AlignedAsync()).Quality;

        Report($"shifted by {shift} frames", shifted);
        Assert.True(shifted.Flagged);
        foreach (var s in shifted.Segments)
        {
            Assert.Contains(shifted.Flags, f => f.StartsWith($"segment {s.Index}: lip-sync ", StringComparison.Ordinal) && f.EndsWith("(Quality:MinLipSync)", StringComparison.Ordinal));
            // The face is still found and still the same person: only the timing of the mouth is wrong.
            Assert.Equal(1, s.FaceShare);
            Assert.True(s.IdentityMean >= Limits.MinIdentity, $"segment {s.Index}: identity {s.IdentityMean}");
            var same = aligned.Segments.Single(a => a.Index == s.Index);
            Assert.True(s.LipSync < same.LipSync, $"segment {s.Index}: lip-sync {s.LipSync} shifted, {same.LipSync} aligned");
        }
    }

    [Fact]
    public async Task Render_HeadRestartingInEverySegment_FlagsTheSeam()
    {
        // Motion-frame seams: the continuation starts from the rest pose too, so the overlap cuts from the left
        // segment's last pose to the rest pose between two frames. A crossfade would smear the same jump over the
        // overlap as a double exposure.
        var render = await RenderAsync(new ProceduralBehaviour { SegmentDriftPixels = 0.4 }, SeamStrategy.MotionFrames);

        var quality = render.Quality;
        Report("drifting", quality);
        var seam = Assert.Single(quality.Seams);
        Assert.True(seam.Ratio > Limits.MaxSeamRatio, $"seam ratio {seam.Ratio}");
        Assert.Contains("seam 0: landmarks jump", quality.Flags.Single(f => f.StartsWith("seam", StringComparison.Ordinal)), StringComparison.Ordinal);
        // Inside each segment the motion is smooth, and the segments pass their own checks.
        Assert.All(quality.Segments, s => Assert.Equal(1, s.FaceShare));
        Assert.DoesNotContain(quality.Flags, f => f.StartsWith("segment", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Render_FrozenFirstTake_IsRetakenAndTheLaterTakeKept()
    {
        const ulong seed = 7;
        // Segment 0's first take is the portrait frozen; its retake, with another seed, and segment 1 move.
        var frozen = new HashSet<ulong> { Seeds.ForSegment(seed, 0, take: 0) };
        var render = await RenderAsync(new ProceduralBehaviour { FrozenSeeds = frozen }, SeamStrategy.Crossfade, seed, retakes: 1);

        var quality = render.Quality;
        Report("retake", quality);
        Assert.Equal([(0u, 0u), (0u, 1u), (1u, 0u)], quality.Takes.Select(t => (t.Index, t.Take)));
        var first = quality.Takes.Single(t => t is { Index: 0, Take: 0 });
        var second = quality.Takes.Single(t => t is { Index: 0, Take: 1 });
        Assert.True(first.LipSync < Limits.MinLipSync, $"frozen take: lip-sync {first.LipSync}");
        Assert.True(second.LipSync >= Limits.MinLipSync, $"retake: lip-sync {second.LipSync}");
        Assert.Equal(1u, quality.Segments.Single(s => s.Index == 0).Take);
        Assert.Equal(1u, render.Segments[0].Take);
        Assert.Equal(0u, render.Segments[1].Take);
        Assert.False(quality.Flagged, string.Join("; ", quality.Flags));
    }

    /// <summary>
    /// The good renderer's render, made once for the class: two tests judge it, and each render costs its frames'
    /// face analysis. Motion-frame seams, the farm's default: the worker renders the overlap again as a
    /// continuation, which must join both neighbours as smoothly as they move themselves.
    /// </summary>
    private Task<Render> AlignedAsync() => farms.Aligned(() => RenderAsync(new ProceduralBehaviour(), SeamStrategy.MotionFrames));

    /// <summary>Renders the sample speech over a real photograph's face and returns the render as GetRender shows it.</summary>
    private async Task<Render> RenderAsync(ProceduralBehaviour behaviour, SeamStrategy seams, ulong seed = 3, int retakes = 0)
    {
        var farm = await farms.FarmAsync(retakes);
        var configuration = farm.WorkerConfiguration("procedural-worker", new Dictionary<string, string?> { ["Faces:ModelFolder"] = FaceApi.Models });
        await using var worker = await InProcessWorker.StartAsync(configuration, sp => new ProceduralClipRenderer(
            sp.GetRequiredService<FaceModels>().Analyzer ?? throw new InvalidOperationException("the worker has no face models (Faces:ModelFolder)"),
            behaviour), Ct);

        var parameters = new RenderParameters
        {
            Width = Size,
            Height = Size,
            Fps = Fps,
            Seed = seed,
            SegmentFrames = SegmentFrames,
            OverlapFrames = OverlapFrames,
            SeamStrategy = seams,
            // The largest face of face-api's demo photograph, framed by the EMO rule as the orchestrator does it.
            Framing = new Framing { LargestFace = true, Expand = 2 },
        };
        var created = await farm.SubmitAsync(await File.ReadAllBytesAsync(FaceApi.Demo("sample4.jpg"), Ct), await TestMedia.SpeechAsync(AudioSeconds), parameters);
        var finished = await farm.WaitFinishedAsync(created.Id, TimeSpan.FromMinutes(3));
        Assert.True(finished.State == RenderState.Succeeded, $"{finished.State}: {finished.Error}\n{farm.Diagnostics()}");
        return await farm.Client.GetRenderAsync(new GetRenderRequest { Id = created.Id }, cancellationToken: Ct);
    }

    private static void Report(string name, Quality quality)
    {
        static string F(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
        var lines = quality.Takes.Select(t => $"  segment {t.Index} take {t.Take}: face {F(t.FaceShare)}, identity {F(t.IdentityMean)} (min {F(t.IdentityMin)}), lip-sync {F(t.LipSync)} at lag {t.LipSyncLag}, motion {F(t.Motion)}")
            .Concat(quality.Seams.Select(s => $"  seam {s.Index}: ratio {F(s.Ratio)} (across {F(s.AcrossSeam)}, within {F(s.WithinSegments)})"))
            .Concat(quality.Flags.Select(f => $"  flag: {f}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{name}:\n{string.Join("\n", lines)}");
    }
}
