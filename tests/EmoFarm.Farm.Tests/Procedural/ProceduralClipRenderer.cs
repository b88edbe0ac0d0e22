using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces;

namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>
/// A renderer for tests: the portrait itself, its mouth opened by the loudness of each frame's own audio samples and
/// its head moved by the loudness smoothed over half a second. Both are functions of the audio at the frame only, so
/// two segments rendering the same frame (an overlap, a seam continuation) draw the same picture, and the result is
/// the same for the same inputs and seed. <see cref="ProceduralBehaviour"/> breaks one property at a time.
/// </summary>
internal sealed class ProceduralClipRenderer(FaceAnalyzer analyzer, ProceduralBehaviour behaviour) : IClipRenderer
{
    public const int SampleRate = 16_000;

    /// <summary>The RMS at which the mouth is fully open and the head at the end of its travel. The sample speech's
    /// frames (at 12 to 20 fps) peak near 0.25 with a median near 0.06, so the mouth moves over most of its range.</summary>
    public const double LoudRms = 0.12;

    /// <summary>The head's travel from silence to <see cref="LoudRms"/>, as a share of the frame's width.</summary>
    public const double HeadTravel = 0.025;

    /// <summary>Half the window the head's loudness is smoothed over, in seconds: within the farm's 0.5 s of audio
    /// context on each side of a slice, so every segment sees the whole window of every frame it renders.</summary>
    public const double HeadHalfWindow = 0.25;

    public RendererInfo Info { get; } = new("procedural test double", ClipFrames: 8, MotionFrames: 2, RandomWeights: false);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken)
    {
        var face = analyzer.LandmarksOfBest(setup.Portrait, 0.5)
            ?? throw new InvalidOperationException($"procedural renderer: render {setup.RenderId} has no face in its {setup.Portrait.Width}x{setup.Portrait.Height} portrait");
        var inner = face.Points.Skip(60).Take(8).ToList();
        var mouthWidth = face.Points[54].X - face.Points[48].X;
        var mouth = new Mouth(inner.Average(p => p.X), inner.Average(p => p.Y), mouthWidth * 0.6, mouthWidth * 0.4);
        return Task.FromResult<ISegmentSession>(new Session(setup, mouth, behaviour));
    }

    /// <param name="HalfWidth">How far either side of the centre the jaw drops, in pixels.</param>
    /// <param name="MaxOpening">The gap at <see cref="LoudRms"/>, in pixels.</param>
    private sealed record Mouth(double CentreX, double CentreY, double HalfWidth, double MaxOpening);

    private sealed class Session(SegmentSetup setup, Mouth mouth, ProceduralBehaviour behaviour) : ISegmentSession
    {
        private readonly bool frozen = behaviour.FrozenSeeds.Contains(setup.Seed);

        public Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            var frames = Enumerable.Range(request.FirstFrame, request.FrameCount).Select(Draw).ToList();
            return Task.FromResult(new ClipOutput(frames, ReadOnlyMemory<byte>.Empty));
        }

        private RgbImage Draw(int frame)
        {
            if (frozen)
                return setup.Portrait;
            var travel = HeadTravel * setup.Portrait.Width;
            var centre = setup.AudioLeadSamples + ((frame + 0.5) * SampleRate / setup.Settings.Fps);
            // Two windows a fifth of a second apart, so the head moves on a curve rather than a line.
            var dx = (travel * Loudness(Rms(centre - (HeadHalfWindow * SampleRate), centre + (HeadHalfWindow * SampleRate)))) + (behaviour.SegmentDriftPixels * frame);
            var later = centre + (0.2 * SampleRate);
            var dy = travel * 0.5 * Loudness(Rms(later - (HeadHalfWindow * SampleRate), later + (HeadHalfWindow * SampleRate)));
            var opening = mouth.MaxOpening * Loudness(FrameRms(frame + behaviour.LipShiftFrames));
            var moved = PortraitPuppet.Shift(setup.Portrait, dx, dy);
            return PortraitPuppet.OpenMouth(moved, mouth.CentreX + dx, mouth.CentreY + dy, mouth.HalfWidth, opening);
        }

        private static double Loudness(double rms) => Math.Min(1, rms / LoudRms);

        /// <summary>The RMS of the samples frame <paramref name="frame"/> spans: lead + f·16000/fps up to the next
        /// frame's start. 0 outside the slice.</summary>
        private double FrameRms(int frame)
        {
            var fps = (double)setup.Settings.Fps;
            return Rms(setup.AudioLeadSamples + Math.Round(frame * SampleRate / fps), setup.AudioLeadSamples + Math.Round((frame + 1) * SampleRate / fps));
        }

        private double Rms(double from, double to)
        {
            var (start, end) = ((int)Math.Clamp(from, 0, setup.Audio.Length), (int)Math.Clamp(to, 0, setup.Audio.Length));
            double sum = 0;
            for (var i = start; i < end; i++)
                sum += setup.Audio[i] * (double)setup.Audio[i];
            return end > start ? Math.Sqrt(sum / (end - start)) : 0;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
