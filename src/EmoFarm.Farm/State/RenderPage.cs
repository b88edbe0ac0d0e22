namespace EmoFarm.Farm.State;

public sealed record RenderPage(IReadOnlyList<RenderRecord> Renders, string? NextCursor);
