namespace EmoFarm.Contracts.Rendering;

/// <param name="Frames">One image per requested frame.</param>
/// <param name="Latents">The clip's final latents (float32, frame-major), kept for better seam strategies.</param>
public sealed record ClipOutput(IReadOnlyList<RgbImage> Frames, ReadOnlyMemory<byte> Latents);
