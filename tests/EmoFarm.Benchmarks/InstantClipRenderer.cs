using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Benchmarks;

/// <summary>A renderer that does no model work: every clip is tiny frames, returned at once, so what the benchmark
/// measures is the farm around the model (RabbitMQ, Redis, S3 and the consumers).</summary>
internal sealed class InstantClipRenderer(int clipFrames, int frameSize) : IClipRenderer
{
    public RendererInfo Info { get; } = new("instant test double", clipFrames, MotionFrames: 2, RandomWeights: true);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken) =>
        Task.FromResult<ISegmentSession>(new Session(setup.Seed, frameSize));

    private sealed class Session(ulong seed, int size) : ISegmentSession
    {
        public Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            // Distinct content per frame, so no layer below can get away with caching or deduplicating objects.
            var frames = Enumerable.Range(request.FirstFrame, request.FrameCount).Select(f =>
            {
                var image = RgbImage.Blank(size, size);
                new Random(HashCode.Combine(seed, f)).NextBytes(image.Pixels);
                return image;
            }).ToList();
            return Task.FromResult(new ClipOutput(frames, ReadOnlyMemory<byte>.Empty));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
