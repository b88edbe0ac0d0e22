using EmoFarm.Contracts.Rendering;

namespace EmoFarm.Benchmarks;

/// <summary>A renderer that does no model work: every clip is tiny frames, returned at once, so what the benchmark
/// measures is the farm around the model (RabbitMQ, Redis, S3 and the consumers).</summary>
/// <param name="clipTime">How long each clip takes, standing in for the GPU; zero for the control plane alone.</param>
internal sealed class InstantClipRenderer(int clipFrames, int frameSize, TimeSpan clipTime = default) : IClipRenderer
{
    public RendererInfo Info { get; } = new("instant test double", clipFrames, MotionFrames: 2, RandomWeights: true, Devices: int.MaxValue);

    public Task<ISegmentSession> BeginAsync(SegmentSetup setup, CancellationToken cancellationToken) =>
        Task.FromResult<ISegmentSession>(new Session(setup.Seed, frameSize, clipTime));

    private sealed class Session(ulong seed, int size, TimeSpan clipTime) : ISegmentSession
    {
        public async Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken)
        {
            if (clipTime > TimeSpan.Zero)
                await Task.Delay(clipTime, cancellationToken);
            // Distinct content per frame, so no layer below can get away with caching or deduplicating objects; the
            // same in every process (HashCode is seeded per process), so a resumed segment can be compared.
            var frames = Enumerable.Range(request.FirstFrame, request.FrameCount).Select(f =>
            {
                var image = RgbImage.Blank(size, size);
                new Random(unchecked((int)(seed * 0x9E3779B1UL) ^ f)).NextBytes(image.Pixels);
                return image;
            }).ToList();
            return new ClipOutput(frames, ReadOnlyMemory<byte>.Empty);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
