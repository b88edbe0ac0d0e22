using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Tests.Faults;

/// <summary>
/// A test double for the one thing the real model cannot be made to do on demand: throw, every time, for chosen
/// work. Otherwise it returns small deterministic noise at once. <paramref name="fails"/> picks the work by its
/// setup (segments and seams have distinct seeds).
/// </summary>
internal sealed class ScriptedRenderer(Func<SegmentSetup, bool> fails) : IClipRenderer
{
    public RendererInfo Info { get; } = new("scripted test double", ClipFrames: 8, MotionFrames: 2, RandomWeights: true);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken) =>
        fails(setup)
            ? throw new InvalidOperationException($"scripted failure for the work seeded {setup.Seed}")
            : Task.FromResult<ISegmentSession>(new Session(setup));

    private sealed class Session(SegmentSetup setup) : ISegmentSession
    {
        public Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            var frames = Enumerable.Range(request.FirstFrame, request.FrameCount).Select(f =>
            {
                var image = RgbImage.Blank(setup.Settings.Width, setup.Settings.Height);
                new Random(HashCode.Combine(setup.Seed, f)).NextBytes(image.Pixels);
                return image;
            }).ToList();
            return Task.FromResult(new ClipOutput(frames, ReadOnlyMemory<byte>.Empty));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
