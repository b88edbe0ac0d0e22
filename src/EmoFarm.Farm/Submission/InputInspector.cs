using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;

namespace EmoFarm.Farm.Submission;

/// <summary>
/// Checks the portrait and the audio completely before anything is stored, and reports every problem by field name
/// and limit. The order matters: cheap header checks first, so an enormous file is refused without decoding it.
/// </summary>
public sealed class InputInspector(OrchestratorOptions options, PortraitPreparer portraits)
{
    /// <returns>The framed portrait and where its face is (null without face analysis), or null with violations.</returns>
    public async Task<(RgbImage Portrait, FaceRegion? Face)?> InspectImageAsync(
        string path, ModelSettings model, FramingRequest framing, List<FieldViolation> violations, CancellationToken ct)
    {
        using var limit = new InspectionLimit(options.InspectTimeoutSeconds, ct);
        try
        {
            return await InspectImageWithinAsync(path, model, framing, violations, limit.Token);
        }
        catch (Exception) when (limit.TimedOut)
        {
            // Whatever ffmpeg's cancellation surfaced as (cancelled, killed, a decode error), the cause is the limit.
            violations.Add(limit.Violation("image"));
            return null;
        }
    }

    /// <returns>The track decoded to a temporary file the caller disposes, or null with violations.</returns>
    public async Task<PcmFile?> InspectAudioAsync(string path, List<FieldViolation> violations, CancellationToken ct)
    {
        using var limit = new InspectionLimit(options.InspectTimeoutSeconds, ct);
        try
        {
            return await InspectAudioWithinAsync(path, violations, limit.Token);
        }
        catch (Exception) when (limit.TimedOut)
        {
            violations.Add(limit.Violation("audio"));
            return null;
        }
    }

    private async Task<(RgbImage Portrait, FaceRegion? Face)?> InspectImageWithinAsync(
        string path, ModelSettings model, FramingRequest framing, List<FieldViolation> violations, CancellationToken ct)
    {
        const string field = "image";
        var length = new FileInfo(path).Length;
        if (length == 0)
            return Reject(violations, field, "is empty (0 bytes)");
        if (length > options.MaxUploadBytes)
            return Reject(violations, field, $"is {length} bytes, over the limit of {options.MaxUploadBytes}");
        var head = new byte[64 * 1024];
        await using (var file = File.OpenRead(path))
            head = head[..await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct)];
        if (ImageDecoder.Sniff(head) is null)
            return Reject(violations, field, "is not a PNG, JPEG or WebP image");
        try
        {
            if (ImageHeader.ReadSize(head) is not var (w, h) || w <= 0 || h <= 0)
                return Reject(violations, field, "has no readable dimensions (truncated or corrupt header)");
            if (w > options.MaxImageSide || h > options.MaxImageSide)
                return Reject(violations, field, $"is {w}x{h}, over the limit of {options.MaxImageSide} pixels per side");
            return await portraits.PrepareAsync(path, w, h, model, framing, violations, ct);
        }
        // Not once the token is cancelled: a killed ffmpeg fails like a corrupt file, and the cause is the limit (or
        // the caller), which the public method reports.
        catch (MediaException e) when (!ct.IsCancellationRequested)
        {
            return Reject(violations, field, e.Message);
        }
    }

    private async Task<PcmFile?> InspectAudioWithinAsync(string path, List<FieldViolation> violations, CancellationToken ct)
    {
        const string field = "audio";
        var length = new FileInfo(path).Length;
        if (length == 0)
            return Fail<PcmFile>(violations, field, "is empty (0 bytes)");
        if (length > options.MaxUploadBytes)
            return Fail<PcmFile>(violations, field, $"is {length} bytes, over the limit of {options.MaxUploadBytes}");
        try
        {
            var probed = await AudioDecoder.ProbeSecondsAsync(path, ct);
            if (probed > options.MaxAudioSeconds)
                return Fail<PcmFile>(violations, field, TooLong(probed));
            // The container's duration can lie (or be missing), so the decode itself stops a second past the maximum:
            // a tiny file that expands to days of audio costs a second's worth more than the limit, never the days.
            // It goes to disk, not memory: an hour is 230 MB of samples, and the slicer reads one segment's at a time.
            var track = await PcmFile.DecodeAsync(path, options.MaxAudioSeconds + 1, ct);
            var seconds = track.Seconds;
            string? refusal = null;
            if (seconds < options.MinAudioSeconds)
                refusal = $"lasts {F(seconds)} s, under the minimum of {F(options.MinAudioSeconds)} s";
            else if (seconds > options.MaxAudioSeconds)
                refusal = TooLong(seconds);
            if (refusal is null)
                return track;
            track.Dispose();
            return Fail<PcmFile>(violations, field, refusal);
        }
        catch (MediaException e) when (!ct.IsCancellationRequested)
        {
            return Fail<PcmFile>(violations, field, e.Message);
        }
    }

    private string TooLong(double seconds) =>
        $"lasts {F(seconds)} s, over the maximum of {F(options.MaxAudioSeconds)} s (Orchestrator:MaxAudioSeconds)";

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static (RgbImage, FaceRegion?)? Reject(List<FieldViolation> violations, string field, string description)
    {
        violations.Add(new FieldViolation(field, description));
        return null;
    }

    private static T? Fail<T>(List<FieldViolation> violations, string field, string description) where T : class
    {
        violations.Add(new FieldViolation(field, description));
        return null;
    }
}
