namespace EmoFarm.Faces.Portrait;

/// <param name="Source">The crop in the source image's pixels.</param>
/// <param name="FaceInOutput">The face box in the framed portrait's pixels: the face locator's mask region.</param>
/// <param name="Shrunk">The image was too small for the requested expansion; the face fills more of the frame.</param>
public readonly record struct PortraitCrop(FaceBox Source, FaceBox FaceInOutput, bool Shrunk);
