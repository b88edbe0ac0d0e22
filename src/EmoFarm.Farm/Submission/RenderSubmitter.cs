using System.Diagnostics;
using System.Globalization;
using EmoFarm.Contracts;
using EmoFarm.Farm.Conditioning;
using EmoFarm.Farm.Media;
using EmoFarm.Farm.Planning;
using EmoFarm.Farm.Scheduling;
using EmoFarm.Farm.State;
using EmoFarm.Farm.Storage;
using EmoFarm.Farm.Telemetry;
using EmoFarm.Farm.Tenancy;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmoFarm.Farm.Submission;

/// <summary>
/// Validates a render, stores its inputs, plans its segments and dispatches them. Nothing is stored until every
/// check has passed, and the render record is written only after its inputs are, so a crash never leaves a render
/// pointing at missing objects.
/// </summary>
public sealed partial class RenderSubmitter(
    IRenderStore store,
    IBlobStore blobs,
    SegmentDispatcher dispatcher,
    PortraitPreparer portraits,
    PortraitAnalyzer analyzer,
    VocalTrack vocals,
    TenantQuotas quotas,
    IOptions<OrchestratorOptions> options,
    TimeProvider clock,
    ILogger<RenderSubmitter> logger)
{
    public async Task<(RenderRecord Render, bool Created)> SubmitAsync(RenderInput input, List<FieldViolation> violations, CancellationToken ct)
    {
        // The portrait is decoded at the requested size, so invalid parameters must not reach the decoder: a width of
        // 999936 (a multiple of 64) would have ffmpeg scale the portrait to 999936x512, 1.5 GB of RGB, to refuse it.
        if (violations.Count > 0)
            throw new InputValidationException(violations);
        var inspector = new InputInspector(options.Value, portraits);
        var framed = await inspector.InspectImageAsync(input.ImagePath, input.Spec.Model, input.Framing, violations, ct);
        using var audio = await inspector.InspectAudioAsync(input.AudioPath, violations, ct);
        if (violations.Count > 0 || framed is not var (portrait, face) || audio is null)
            throw new InputValidationException(violations);
        var quota = await quotas.ForAsync(input.Tenant, ct);
        var seconds = audio.Seconds;
        if (seconds > quota.MaxAudioSecondsPerRender)
        {
            throw new QuotaExceededException($"tenant:{input.Tenant}", nameof(TenantQuota.MaxAudioSecondsPerRender),
                string.Create(CultureInfo.InvariantCulture, $"the track is {seconds:F1} s, over tenant {input.Tenant}'s limit of Quotas:{nameof(TenantQuota.MaxAudioSecondsPerRender)} ({quota.MaxAudioSecondsPerRender:F0} s)"));
        }
        // Before the separation and the uploads, which a refusal would waste; the create script checks again.
        if (quota.Active.Refusal(input.Tenant, await store.GetActiveUsageAsync(input.Tenant, ct), seconds) is { } refusal)
            throw refusal;

        var id = Guid.CreateVersion7().ToString("N");
        Activity.Current?.SetTag("emofarm.render_id", id);
        var (analysis, identityReport, landmarkReport) = analyzer.Analyse(portrait, face);
        // The frame count comes from the mix: the vocals are the same length, give or take the resampler's rounding.
        var (separated, audioReport) = await vocals.DriveAsync(id, input.AudioPath, input.Spec.SeparateVocals, ct);
        using var vocalTrack = separated;
        var drive = vocalTrack ?? audio;
        // Everything from planning to the last publish: the segment commands carry this span to the workers.
        using var activity = FarmTelemetry.Source.StartActivity("plan segments");
        activity?.SetTag("emofarm.render_id", id);
        // The face's place in the framed portrait travels with every command, for the face locator's mask.
        var spec = input.Spec with { Model = input.Spec.Model with { FaceRegion = face } };
        var frames = SegmentPlanner.FrameCount(seconds, spec.Model.Fps);
        var segments = SegmentPlanner.Plan(frames, spec.SegmentFrames, spec.OverlapFrames);
        activity?.SetTag("emofarm.segments", segments.Count);

        await blobs.PutBytesAsync(BlobKeys.Portrait(input.Tenant, id), PngCodec.Encode(portrait), "image/png", ct);
        var audioKey = input.AudioSourceKey ?? BlobKeys.OriginalAudio(input.Tenant, id);
        if (input.AudioSourceKey is null)
            await blobs.UploadFileAsync(audioKey, input.AudioPath, "application/octet-stream", ct);
        foreach (var segment in segments)
        {
            var (slice, _) = await AudioSlicer.SliceAsync(drive, segment.FirstFrame, segment.FrameCount, spec.Model.Fps, options.Value.AudioContextSeconds, ct);
            await blobs.PutBytesAsync(BlobKeys.AudioSlice(input.Tenant, id, segment.Index), slice, "application/octet-stream", ct);
        }

        var now = clock.GetUtcNow();
        var render = new RenderRecord
        {
            Id = id,
            Tenant = input.Tenant,
            State = RenderState.Queued,
            Spec = spec,
            PortraitKey = BlobKeys.Portrait(input.Tenant, id),
            AudioKey = audioKey,
            AudioSeconds = seconds,
            FrameTotal = frames,
            SegmentCount = segments.Count,
            IdempotencyKey = input.IdempotencyKey,
            Analysis = analysis,
            Conditioning = new ConditioningReport(identityReport, landmarkReport, audioReport),
            CreatedAt = now,
            UpdatedAt = now,
        };
        RenderRecord stored;
        bool created;
        try
        {
            (stored, created) = await store.CreateAsync(render, segments, quota.Active, ct);
        }
        catch (QuotaExceededException)
        {
            // Checked atomically with the write, so only now: what this request uploaded goes, as if it never came.
            await DeleteInputsAsync(input.Tenant, id, segments.Count, input.AudioSourceKey is null, CancellationToken.None);
            throw;
        }
        if (!created)
        {
            // Another request with the same idempotency key won the race: drop what this one uploaded.
            await DeleteInputsAsync(input.Tenant, id, segments.Count, input.AudioSourceKey is null, ct);
            return (stored, false);
        }
        LogCreated(logger, id, seconds, frames, segments.Count);
        await dispatcher.DispatchAsync(stored, segments, ct);
        return (stored, true);
    }

    private async Task DeleteInputsAsync(string tenant, string id, int segments, bool ownAudio, CancellationToken ct)
    {
        await blobs.DeleteAsync(BlobKeys.Portrait(tenant, id), ct);
        if (ownAudio)
            await blobs.DeleteAsync(BlobKeys.OriginalAudio(tenant, id), ct);
        for (var i = 0; i < segments; i++)
            await blobs.DeleteAsync(BlobKeys.AudioSlice(tenant, id, i), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "render {RenderId} created: {Seconds:F2} s of audio, {Frames} frames in {Segments} segments")]
    private static partial void LogCreated(ILogger logger, string renderId, double seconds, int frames, int segments);
}
