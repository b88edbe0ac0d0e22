using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Submission;

/// <summary>A render request whose files have been received into local temporary files.</summary>
/// <param name="AudioSourceKey">The bucket object the audio came from, when the client gave a key; kept as the original.</param>
/// <param name="Tenant">Who the render is for: it owns the render and its objects.</param>
public sealed record RenderInput(
    string Tenant,
    RenderSpec Spec,
    string? IdempotencyKey,
    string ImagePath,
    string AudioPath,
    string? AudioSourceKey,
    FramingRequest Framing);
