namespace EmoFarm.Contracts;

/// <summary>Encode the render's original audio track once, as the AAC the final MP4 carries.</summary>
public sealed record EncodeAudio(string RenderId, string Tenant, string AudioKey);
