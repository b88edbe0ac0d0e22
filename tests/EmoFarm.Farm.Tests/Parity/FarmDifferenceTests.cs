using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Model.Audio;
using Xunit;
using static EmoFarm.Farm.Tests.Parity.HalloFixture;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Tests.Parity;

/// <summary>
/// Where the farm differs from Hallo on purpose, measured on the Hallo fixture against Hallo's own output: audio
/// sliced per segment (and normalised per slice), long audio encoded in chunks, and motion frames read back as
/// 8-bit after a resume. Each figure is printed; each test checks the direction the design relies on.
/// </summary>
public sealed class FarmDifferenceTests : IDisposable
{
    private readonly HalloFixture _fixture = new();

    [Fact]
    public async Task SegmentAudioSlice_WithContext_IsCloserToHalloThanWithout()
    {
        const int first = 16;   // a segment from frame 16 to the end: audio context on its left only
        var count = _fixture.AudioFrames - first;
        using var hallo = _fixture.Read("wav2vec_features");
        var errors = new Dictionary<double, double>();
        foreach (var context in new[] { 0.0, 0.5, 1.0 })
        {
            var (bytes, lead) = AudioSlicer.Slice(_fixture.Samples, first, count, _fixture.Fps, context);
            Assert.Equal(AudioSlicer.LeadSamples(first, _fixture.Fps, context), lead);
            var leadFrames = (int)Math.Round(lead * (double)_fixture.Fps / AudioFeatureOptions.SampleRate);
            // As the segment session asks for them: the lead, then the segment rounded up to whole clips.
            var clip = _fixture.Model.Config.ClipFrames;
            var frames = leadFrames + ((count + clip - 1) / clip * clip);
            using var features = await Features(AudioDecoder.FromBytes(bytes), frames, null);
            errors[context] = MaxAbs(features.narrow(0, leadFrames, count), hallo.narrow(0, first, count));
            TestContext.Current.SendDiagnosticMessage($"segment from frame {first} with {context} s of context: wav2vec2 features max abs error {errors[context]:E2}");
        }

        Assert.True(errors[0.0] > 1e-3, "a slice without context should differ from the whole track");
        Assert.True(errors[0.5] < errors[0.0], $"0.5 s of context ({errors[0.5]:E2}) should come closer than none ({errors[0.0]:E2})");
        Assert.True(errors[1.0] <= errors[0.5], $"1 s of context ({errors[1.0]:E2}) should come at least as close as 0.5 s ({errors[0.5]:E2})");
    }

    [Fact]
    public async Task ChunkedAudio_WithOverlap_IsCloserToHalloThanWithout()
    {
        using var hallo = _fixture.Read("wav2vec_features");
        var frames = (int)hallo.shape[0];
        var errors = new Dictionary<double, double>();
        foreach (var overlap in new[] { 0.0, 0.32 })
        {
            var options = new AudioFeatureOptions { ChunkSeconds = 0.64, OverlapSeconds = overlap };
            using var features = await Features(_fixture.Samples, frames, options);
            errors[overlap] = MaxAbs(features, hallo);
            TestContext.Current.SendDiagnosticMessage($"0.64 s chunks with {overlap} s overlap: wav2vec2 features max abs error {errors[overlap]:E2}");
        }

        Assert.True(errors[0.32] < errors[0.0], $"overlap ({errors[0.32]:E2}) should come closer than none ({errors[0.0]:E2})");
    }

    [Fact]
    public async Task ResumedSegment_EightBitMotionFrames_StayNearHallo()
    {
        var probe = new RecordingProbe(_fixture.Read("noise"));
        var objects = Directory.CreateTempSubdirectory("emofarm-farm-differences").FullName;
        try
        {
            await _fixture.RenderAsync(probe, objects, session => new FromStorage(session));
        }
        finally
        {
            Directory.Delete(objects, recursive: true);
        }

        using var hallo = _fixture.Frames();
        var clip = _fixture.Model.Config.ClipFrames;
        // Clip 0's motion frames are the portrait itself: no bytes in between, so it is Hallo's clip.
        Report("clip 0 frames, motion frames from storage", MaxAbs(probe.Frames[0], hallo.narrow(0, 0, clip)), 1e-3);
        for (var c = 1; c < probe.Frames.Count; c++)
        {
            var n = probe.Frames[c].shape[0];
            Report($"clip {c} frames, 8-bit motion frames", MaxAbs(probe.Frames[c], hallo.narrow(0, c * clip, n)), 0.25);
        }
    }

    private Task<Tensor> Features(float[] samples, int frames, AudioFeatureOptions? options) => _fixture.Thread.RunAsync(
        () => new AudioFeatureExtractor(_fixture.Model.Parts.AudioEncoder, options).Extract(samples, _fixture.Fps, frames).select(1, 2).contiguous(),
        TestContext.Current.CancellationToken);

    public void Dispose() => _fixture.Dispose();

    /// <summary>What a resumed segment sees: motion frames decoded from stored PNGs, new images with the same bytes.</summary>
    private sealed class FromStorage(ISegmentSession inner) : ISegmentSession
    {
        public Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken) =>
            inner.RenderClipAsync(request, [.. motionFrames.Select(f => new RgbImage(f.Width, f.Height, [.. f.Pixels]))], cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
