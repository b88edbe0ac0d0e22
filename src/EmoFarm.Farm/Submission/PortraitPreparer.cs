using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Faces;
using EmoFarm.Faces.Portrait;
using EmoFarm.Farm.Faces;
using EmoFarm.Farm.Media;

namespace EmoFarm.Farm.Submission;

/// <summary>
/// Frames the portrait the way the model was trained: find the one face (or take the client's box), expand it,
/// centre it, crop, scale. Refuses an image with no face, or with several and no choice, naming the field that
/// resolves it.
/// </summary>
public sealed class PortraitPreparer(FaceModels faces)
{
    /// <summary>Detection runs on the image scaled so its longer side is at most this: the detector sees 512² anyway.</summary>
    public const int DetectionSide = 1024;

    public async Task<(RgbImage Portrait, FaceRegion? Face)?> PrepareAsync(
        string path, int imageWidth, int imageHeight, ModelSettings model, FramingRequest framing, List<FieldViolation> violations, CancellationToken ct)
    {
        var expand = framing.Expand ?? faces.Options.Expand;
        var face = framing.FaceBox;
        if (face is { } given && (given.X < 0 || given.Y < 0 || given.Right > imageWidth || given.Bottom > imageHeight))
        {
            violations.Add(new("parameters.framing.face_box", $"{given} lies outside the {imageWidth}x{imageHeight} image"));
            return null;
        }

        if (face is null)
        {
            if (faces.Analyzer is not { } analyzer)
                return (await ImageDecoder.DecodeAsync(path, model.Width, model.Height, ct), null);
            face = await DetectAsync(analyzer, path, imageWidth, imageHeight, framing.LargestFace, violations, ct);
            if (face is null) return null;
        }

        var crop = PortraitFraming.Frame(face.Value, imageWidth, imageHeight, model.Width, model.Height, expand);
        var source = crop.Source;
        var pixels = ((int)Math.Round(source.X), (int)Math.Round(source.Y),
            Math.Max(1, (int)Math.Round(source.Width)), Math.Max(1, (int)Math.Round(source.Height)));
        var portrait = await ImageDecoder.DecodeCropAsync(path, pixels, model.Width, model.Height, ct);
        var f = crop.FaceInOutput;
        return (portrait, new FaceRegion(f.X / model.Width, f.Y / model.Height, f.Right / model.Width, f.Bottom / model.Height));
    }

    private async Task<FaceBox?> DetectAsync(
        FaceAnalyzer analyzer, string path, int imageWidth, int imageHeight, bool largest, List<FieldViolation> violations, CancellationToken ct)
    {
        var scale = Math.Min(1.0, (double)DetectionSide / Math.Max(imageWidth, imageHeight));
        var (w, h) = (Math.Max(1, (int)Math.Round(imageWidth * scale)), Math.Max(1, (int)Math.Round(imageHeight * scale)));
        var image = await ImageDecoder.DecodeScaledAsync(path, w, h, ct);
        var found = analyzer.Detect(image, faces.Options.MinScore);
        var minScore = faces.Options.MinScore.ToString("0.##", CultureInfo.InvariantCulture);
        if (found.Count == 0)
        {
            violations.Add(new("image", $"has no face the detector finds (score ≥ {minScore}); give parameters.framing.face_box to mark it"));
            return null;
        }

        if (found.Count > 1 && !largest)
        {
            violations.Add(new("image", $"has {found.Count} faces; choose one with parameters.framing.face_box, or set parameters.framing.largest_face"));
            return null;
        }

        var best = found.MaxBy(d => largest ? d.Box.Area : d.Score).Box;
        return new FaceBox(best.X / w * imageWidth, best.Y / h * imageHeight, best.Width / w * imageWidth, best.Height / h * imageHeight);
    }
}
