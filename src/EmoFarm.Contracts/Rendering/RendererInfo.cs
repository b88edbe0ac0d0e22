namespace EmoFarm.Contracts.Rendering;

/// <param name="Name">A human-readable name, e.g. "emo sd15 bf16 cuda".</param>
/// <param name="ClipFrames">Frames per clip (EMO's f).</param>
/// <param name="MotionFrames">Frames of the previous clip that condition the next (EMO's n).</param>
/// <param name="RandomWeights">True when no checkpoint was loaded: output is noise and says so.</param>
public sealed record RendererInfo(string Name, int ClipFrames, int MotionFrames, bool RandomWeights);
