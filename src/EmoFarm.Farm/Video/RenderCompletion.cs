using EmoFarm.Contracts;
using EmoFarm.Farm.State;
using MassTransit;

namespace EmoFarm.Farm.Video;

/// <summary>
/// The render's way from "frames final" to "ready to assemble": asks for the encode of each chunk that became
/// final, moves the render to reconciling once every segment is done, and asks for the assembly once every seam is
/// done and every chunk stored. Idempotent, so every event that might have completed something simply checks again.
/// </summary>
public sealed class RenderCompletion(IRenderStore store, VideoChunks videoChunks, IPublishEndpoint publisher)
{
    /// <param name="chunks">The chunks the caller may have made final; empty when it only checks for the end.</param>
    public async Task AdvanceAsync(string renderId, IReadOnlyCollection<int> chunks, CancellationToken ct)
    {
        var render = await store.GetAsync(renderId, ct);
        if (render is null || RenderStateMachine.IsTerminal(render.State))
            return;
        var doneChunks = await store.GetDoneChunksAsync(renderId, ct);
        if (chunks.Count > 0)
        {
            await videoChunks.PublishFinalAsync(render, await store.GetSegmentsAsync(renderId, ct), await store.GetDoneSeamsAsync(renderId, ct),
                doneChunks, chunks, ct);
        }

        if (render.SegmentsDone < render.SegmentCount)
            return;
        await store.TransitionAsync(renderId, RenderState.Reconciling, null, ct);
        if (render.SeamsDone >= render.SeamCount && doneChunks.Count >= render.SegmentCount)
            await publisher.Publish(new FinalizeRender(renderId), ct);
    }
}
