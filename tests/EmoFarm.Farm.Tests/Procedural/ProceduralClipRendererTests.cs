using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Submission;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>
/// The properties of the test double that the end-to-end quality tests stand on, checked without services: the same
/// inputs draw the same frames, and two segments that share frames draw them alike from their own audio slices.
/// </summary>
public sealed class ProceduralClipRendererTests : IAsyncLifetime
{
    private const int Fps = 16, Size = 192, Frames = 40;
    private FaceModels faces = null!;
    private RgbImage portrait = null!;

    public async ValueTask InitializeAsync()
    {
        faces = new FaceModels(Options.Create(new FaceOptions { ModelFolder = FaceApi.Models }), NullLogger<FaceModels>.Instance);
        var photo = FaceApi.Demo("sample4.jpg");
        var size = ImageHeader.ReadSize(await File.ReadAllBytesAsync(photo, TestContext.Current.CancellationToken))!.Value;
        var prepared = await new PortraitPreparer(faces).PrepareAsync(photo, size.Width, size.Height, Settings, new FramingRequest(null, true, 2), [], TestContext.Current.CancellationToken);
        Assert.NotNull(prepared);
        portrait = prepared.Value.Portrait;
    }

    public ValueTask DisposeAsync()
    {
        faces.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ModelSettings Settings { get; } = new() { Fps = Fps, Width = Size, Height = Size, Steps = 1, GuidanceScale = 1, ReferenceGuidanceScale = 1, HeadMotionSpeed = 0 };

    /// <summary>Syllable-like bursts: a 180 Hz tone whose loudness rises and falls about four times a second.</summary>
    private static float[] Speech { get; } = [.. Enumerable.Range(0, Frames * 1000).Select(i =>
        (float)(0.15 * Math.Max(0, Math.Sin(i * 2 * Math.PI * 4.3 / 16000)) * Math.Sin(i * 2 * Math.PI * 180 / 16000)))];

    [Fact]
    public async Task RenderClip_SameInputs_DrawsTheSameFrames_WhichChangeWithTheAudio()
    {
        var first = await RenderAsync(new ProceduralBehaviour(), Speech, 0, 0, Frames);
        var second = await RenderAsync(new ProceduralBehaviour(), Speech, 0, 0, Frames);

        Assert.Equal(first.Select(f => f.Pixels), second.Select(f => f.Pixels));
        Assert.True(first.Select(f => Convert.ToHexString(f.Pixels)).Distinct().Count() > Frames / 2, "the frames barely change");
    }

    [Fact]
    public async Task RenderClip_OverlappingSegments_DrawTheirSharedFramesAlike()
    {
        // Segments [0, 24) and [20, 40), sliced as the orchestrator slices them, with its default context.
        var (leftBytes, leftLead) = AudioSlicer.Slice(Speech, 0, 24, Fps, 0.5);
        var (rightBytes, rightLead) = AudioSlicer.Slice(Speech, 20, 20, Fps, 0.5);

        var left = await RenderAsync(new ProceduralBehaviour(), AudioDecoder.FromBytes(leftBytes), leftLead, 20, 4);
        var right = await RenderAsync(new ProceduralBehaviour(), AudioDecoder.FromBytes(rightBytes), rightLead, 0, 4);
        var drifting = await RenderAsync(new ProceduralBehaviour { SegmentDriftPixels = 0.4 }, AudioDecoder.FromBytes(leftBytes), leftLead, 20, 4);

        Assert.Equal(left.Select(f => f.Pixels), right.Select(f => f.Pixels));
        Assert.NotEqual(left[0].Pixels, drifting[0].Pixels);
    }

    private async Task<IReadOnlyList<RgbImage>> RenderAsync(ProceduralBehaviour behaviour, float[] audio, int lead, int firstFrame, int count)
    {
        var renderer = new ProceduralClipRenderer(faces.Analyzer!, behaviour);
        await using var session = await renderer.BeginAsync(new SegmentSetup("r", portrait, audio, lead, firstFrame + count, 1, Settings), TestContext.Current.CancellationToken);
        return (await session.RenderClipAsync(new ClipRequest(0, firstFrame, count), [], TestContext.Current.CancellationToken)).Frames;
    }
}
