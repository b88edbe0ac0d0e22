namespace EmoFarm.Contracts.Rendering;

/// <param name="Name">A human-readable name, e.g. "emo sd15 bf16 cuda".</param>
/// <param name="ClipFrames">Frames per clip (EMO's f).</param>
/// <param name="MotionFrames">Frames of the previous clip that condition the next (EMO's n).</param>
/// <param name="RandomWeights">True when no checkpoint was loaded: output is noise and says so.</param>
/// <param name="Devices">Segments it can render at once, each on a device of its own. The EMO renderer drives one
/// model on one device, so a machine with several GPUs runs one worker per GPU.</param>
public sealed record RendererInfo(string Name, int ClipFrames, int MotionFrames, bool RandomWeights, int Devices = 1);
