namespace EmoFarm.Contracts;

/// <summary>
/// The face in the framed portrait, as fractions of its width and height (0..1), so it holds at any resolution:
/// the region of the face locator's mask.
/// </summary>
public sealed record FaceRegion(double Left, double Top, double Right, double Bottom);
