using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Benchmarks;

/// <summary>
/// A renderer that needs no checkpoint and whose frames look like a render's: the portrait, moved a few pixels
/// frame by frame. <see cref="InstantClipRenderer"/>'s noise would store 0.8 MB a PNG at 512x512 and make x264 crawl,
/// so a tail measured on it would say nothing about real frames. Every frame differs from the previous one, and the
/// same frame is the same picture in every process, so seams and resumed segments behave as with a real model.
/// </summary>
/// <param name="clipTime">How long each clip takes, standing in for the GPU.</param>
internal sealed class MovingPortraitRenderer(int clipFrames, TimeSpan clipTime) : IClipRenderer
{
    public RendererInfo Info { get; } = new("moving portrait test double", clipFrames, MotionFrames: 2, RandomWeights: true, Devices: int.MaxValue);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken) =>
        Task.FromResult<ISegmentSession>(new Session(setup.Portrait, clipTime));

    private sealed class Session(RgbImage portrait, TimeSpan clipTime) : ISegmentSession
    {
        public async Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            if (clipTime > TimeSpan.Zero)
                await Task.Delay(clipTime, cancellationToken);
            return new ClipOutput([.. Enumerable.Range(request.FirstFrame, request.FrameCount).Select(Draw)], ReadOnlyMemory<byte>.Empty);
        }

        private RgbImage Draw(int frame) => Frame(portrait, frame);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The portrait shifted on a slow curve (up to 6 pixels each way), its edges wrapped.</summary>
    public static RgbImage Frame(RgbImage portrait, int frame)
    {
        {
            var (w, h) = (portrait.Width, portrait.Height);
            var dx = (int)Math.Round(6 * Math.Sin(frame * 0.21));
            var dy = (int)Math.Round(4 * Math.Sin(frame * 0.13));
            var image = RgbImage.Blank(w, h);
            for (var y = 0; y < h; y++)
            {
                var source = portrait.Pixels.AsSpan((((y - dy) % h + h) % h) * w * 3, w * 3);
                var target = image.Pixels.AsSpan(y * w * 3, w * 3);
                var shift = (dx % w + w) % w * 3;
                source[..^shift].CopyTo(target[shift..]);
                source[^shift..].CopyTo(target[..shift]);
            }
            return image;
        }
    }
}
