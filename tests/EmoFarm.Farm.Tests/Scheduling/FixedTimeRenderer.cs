using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Farm.Tests.Scheduling;

/// <summary>
/// A test double standing in for the GPU, which these tests need at a known, fixed speed: every clip takes
/// <paramref name="clipTime"/> and is small noise.
/// </summary>
internal sealed class FixedTimeRenderer(TimeSpan clipTime) : IClipRenderer
{
    public RendererInfo Info { get; } = new("fixed-time test double", ClipFrames: 8, MotionFrames: 2, RandomWeights: true);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken) =>
        Task.FromResult<ISegmentSession>(new Session(setup, clipTime));

    private sealed class Session(SegmentSetup setup, TimeSpan clipTime) : ISegmentSession
    {
        public async Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            await Task.Delay(clipTime, cancellationToken);
            var frames = Enumerable.Range(request.FirstFrame, request.FrameCount).Select(f =>
            {
                var image = RgbImage.Blank(setup.Settings.Width, setup.Settings.Height);
                new Random(HashCode.Combine(setup.Seed, f)).NextBytes(image.Pixels);
                return image;
            }).ToList();
            return new ClipOutput(frames, ReadOnlyMemory<byte>.Empty);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
