namespace EmoFarm.Farm.Tests.Procedural;

/// <summary>How <see cref="ProceduralClipRenderer"/> goes wrong, if at all; the default renders a good take.</summary>
internal sealed record ProceduralBehaviour
{
    /// <summary>The mouth of frame f follows the loudness of frame f + this: out of sync by that many frames.</summary>
    public int LipShiftFrames { get; init; }

    /// <summary>
    /// Pixels per frame the head drifts right, counted from each session's first frame: smooth inside a segment, but
    /// every segment (and every seam continuation) starts again from the rest pose, so seams jump.
    /// </summary>
    public double SegmentDriftPixels { get; init; }

    /// <summary>
    /// Segment seeds whose takes show the portrait unchanged in every frame, as a model ignoring its audio would:
    /// a constant mouth correlates with nothing, so those takes fail lip-sync, and other seeds pass. Only the mouth
    /// shut is not enough: the head, following the loudness, still moves the measured opening with the voice.
    /// </summary>
    public IReadOnlySet<ulong> FrozenSeeds { get; init; } = new HashSet<ulong>();
}
