using System.Globalization;
using EmoFarm.Contracts.Rendering;
using FFMpegCore;
using FFMpegCore.Exceptions;

namespace EmoFarm.Farm.Media;

/// <summary>Reads PNG, JPEG and WebP portraits through ffmpeg.</summary>
public static class ImageDecoder
{
    /// <summary>The format named by the file's magic bytes, or null for anything else.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
            return "png";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "jpeg";
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head.Slice(8, 4).SequenceEqual("WEBP"u8))
            return "webp";
        return null;
    }

    /// <summary>Decodes, crops to the target's aspect around the centre, and scales to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Task<RgbImage> DecodeAsync(string path, int width, int height, CancellationToken ct)
    {
        var (w, h) = (I(width), I(height));
        return DecodeAsync(path, $"crop='min(iw,ih*{w}/{h})':'min(ih,iw*{h}/{w})',scale={w}:{h}:flags=lanczos", width, height, ct);
    }

    /// <summary>Decodes the crop (x, y, w, h in source pixels) and scales it to <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Task<RgbImage> DecodeCropAsync(string path, (int X, int Y, int Width, int Height) crop, int width, int height, CancellationToken ct) =>
        DecodeAsync(path, $"crop={I(crop.Width)}:{I(crop.Height)}:{I(crop.X)}:{I(crop.Y)},scale={I(width)}:{I(height)}:flags=lanczos", width, height, ct);

    /// <summary>Decodes the whole image scaled to <paramref name="width"/>×<paramref name="height"/> (for face detection).</summary>
    public static Task<RgbImage> DecodeScaledAsync(string path, int width, int height, CancellationToken ct) =>
        DecodeAsync(path, $"scale={I(width)}:{I(height)}:flags=area", width, height, ct);

    private static async Task<RgbImage> DecodeAsync(string path, string filter, int width, int height, CancellationToken ct)
    {
        using var raw = new MemoryStream();
        try
        {
            // -xerror turns a decode error (a truncated file) into a failure instead of a partly grey image.
            await FFMpegArguments.FromFileInput(path, verifyExists: true, o => o.WithCustomArgument("-xerror"))
                .OutputToPipe(FfmpegOutput.To(raw), o => o
                    .WithCustomArgument($"-frames:v 1 -vf \"{filter}\" -pix_fmt rgb24")
                    .ForceFormat("rawvideo"))
                .ProcessAsynchronously(cancellationToken: ct);
        }
        catch (FFMpegException e)
        {
            throw new MediaException("could not be decoded (truncated or corrupt)", e);
        }
        if (raw.Length != (long)width * height * 3)
            throw new MediaException("could not be decoded (truncated or corrupt)");
        return new RgbImage(width, height, raw.ToArray());
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
