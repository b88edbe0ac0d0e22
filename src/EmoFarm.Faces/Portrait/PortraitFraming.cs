namespace EmoFarm.Faces.Portrait;

/// <summary>
/// The EMO framing rule: the face box, expanded by a factor, centred in a crop of the model's aspect ratio. EMO (and
/// Hallo) train on portraits cropped this way, so a face that fills a different share of the frame, or sits
/// off-centre, is out of distribution.
/// </summary>
public static class PortraitFraming
{
    /// <summary>
    /// The crop, in source pixels, that centres <paramref name="face"/> with its longer side expanded by
    /// <paramref name="expand"/>, at the aspect of <paramref name="outWidth"/>×<paramref name="outHeight"/>. The crop
    /// is moved (never padded) to stay inside the image; when the image is too small for it, it shrinks to the
    /// largest crop that fits, still centred on the face as far as the borders allow.
    /// </summary>
    public static PortraitCrop Frame(FaceBox face, int imageWidth, int imageHeight, int outWidth, int outHeight, double expand)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expand, 1.0);
        var aspect = (double)outWidth / outHeight;
        // The face's longer side, expanded, sets the crop's shorter side.
        var side = Math.Max(face.Width, face.Height) * expand;
        var (width, height) = aspect >= 1 ? (side * aspect, side) : (side, side / aspect);
        var fit = Math.Min(1.0, Math.Min(imageWidth / width, imageHeight / height));
        (width, height) = (width * fit, height * fit);
        var x = Math.Clamp(face.CentreX - (width / 2), 0, imageWidth - width);
        var y = Math.Clamp(face.CentreY - (height / 2), 0, imageHeight - height);
        var crop = new FaceBox(x, y, width, height);

        var scale = outWidth / width;
        var faceInOutput = new FaceBox((face.X - x) * scale, (face.Y - y) * scale, face.Width * scale, face.Height * scale)
            .ClipToImage(outWidth, outHeight);
        return new PortraitCrop(crop, faceInOutput, fit < 1.0);
    }
}
