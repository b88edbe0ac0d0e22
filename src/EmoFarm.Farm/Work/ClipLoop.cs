using System.Diagnostics;
using EmoFarm.Contracts.Rendering;
using EmoFarm.Farm.Frames;
using EmoFarm.Farm.Telemetry;

namespace EmoFarm.Farm.Work;

/// <summary>
/// Renders a run of frames clip by clip, each clip conditioned on the last motion frames of the one before, and
/// stores every clip before the next begins, so an interrupted run resumes from its last stored clip.
/// </summary>
public sealed class ClipLoop(FrameStore frames, int uploadParallelism)
{
    /// <param name="frameKey">The object key of segment-relative frame i.</param>
    /// <param name="startClip">The first clip to render; earlier ones are already stored.</param>
    /// <param name="beforeClip">Returns false to stop before the clip starts (cancellation or shutdown).</param>
    /// <param name="afterClip">Called with (clipsDone, framesDone) once a clip is durably stored.</param>
    /// <param name="initialMotion">Motion frames for clip 0 (a seam's continuation); empty for a fresh segment.</param>
    /// <param name="previousLatents">When resuming, reads the latents the clip before <paramref name="startClip"/> stored
    /// (empty when it stored none); see <see cref="ClipRequest.PreviousLatents"/>.</param>
    /// <returns>True when every clip is stored.</returns>
    public async Task<bool> RunAsync(ISegmentSession session, RendererInfo info, int frameCount, int startClip,
        Func<int, string> frameKey, Func<Task<bool>> beforeClip, Func<int, int, ClipOutput, Task> afterClip,
        IReadOnlyList<RgbImage> initialMotion, CancellationToken ct, Func<Task<ReadOnlyMemory<byte>>>? previousLatents = null)
    {
        var clipFrames = info.ClipFrames;
        var clips = (frameCount + clipFrames - 1) / clipFrames;
        // Every clip stored by an earlier attempt (which died after its last upload): nothing to render, and no
        // motion frames to read past the segment's end.
        if (startClip >= clips)
            return true;
        IReadOnlyList<RgbImage> motion = startClip == 0
            ? initialMotion
            : await frames.GetManyAsync(MotionKeys(startClip * clipFrames, info.MotionFrames).Select(frameKey), ct);
        var latents = startClip > 0 && previousLatents is not null ? await previousLatents() : ReadOnlyMemory<byte>.Empty;
        for (var clip = startClip; clip < clips; clip++)
        {
            if (!await beforeClip())
                return false;
            var first = clip * clipFrames;
            var count = Math.Min(clipFrames, frameCount - first);
            using var activity = FarmTelemetry.Source.StartActivity("clip");
            activity?.SetTag("emofarm.clip", clip).SetTag("emofarm.frames", count);
            var output = await session.RenderClipAsync(new ClipRequest(clip, first, count) { PreviousLatents = latents }, motion, ct);
            latents = ReadOnlyMemory<byte>.Empty;
            if (output.Frames.Count != count)
                throw new InvalidOperationException($"renderer returned {output.Frames.Count} frames for a clip of {count}");
            using (FarmTelemetry.Source.StartActivity("upload frames"))
                await frames.PutAsync([.. output.Frames.Select((f, i) => (frameKey(first + i), f))], uploadParallelism, ct);
            await afterClip(clip + 1, first + count, output);
            motion = output.Frames.Skip(Math.Max(0, count - info.MotionFrames)).ToList();
        }
        return true;
    }

    private static IEnumerable<int> MotionKeys(int firstFrame, int motionFrames) =>
        Enumerable.Range(Math.Max(0, firstFrame - motionFrames), Math.Min(firstFrame, motionFrames));
}
