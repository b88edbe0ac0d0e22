namespace EmoFarm.Contracts.Rendering;

/// <summary>One segment's prepared conditioning; renders its clips in order.</summary>
public interface ISegmentSession : IAsyncDisposable
{
    /// <summary>
    /// Renders frames [FirstFrame, FirstFrame + FrameCount) of the segment (segment-relative), conditioned on
    /// <paramref name="motionFrames"/> (the frames that precede the clip, oldest first; empty for the first clip).
    /// </summary>
    Task<ClipOutput> RenderClipAsync(ClipRequest request, IReadOnlyList<RgbImage> motionFrames, CancellationToken cancellationToken);
}
