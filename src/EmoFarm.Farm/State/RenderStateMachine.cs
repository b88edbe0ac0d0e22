namespace EmoFarm.Farm.State;

/// <summary>The allowed transitions of a render. Stores apply them atomically.</summary>
public static class RenderStateMachine
{
    public static bool IsTerminal(RenderState state) =>
        state is RenderState.Succeeded or RenderState.Failed or RenderState.Cancelled;

    /// <summary>The states a render may move to <paramref name="to"/> from.</summary>
    public static IReadOnlyList<RenderState> AllowedFrom(RenderState to) => to switch
    {
        RenderState.Queued => [],
        RenderState.Rendering => [RenderState.Queued],
        // A render with a single segment goes straight from queued to reconciling when the segment finishes
        // before anyone saw it start (e.g. a redelivered message).
        RenderState.Reconciling => [RenderState.Queued, RenderState.Rendering],
        RenderState.Encoding => [RenderState.Reconciling],
        RenderState.Succeeded => [RenderState.Encoding],
        RenderState.Failed or RenderState.Cancelled =>
            [RenderState.Queued, RenderState.Rendering, RenderState.Reconciling, RenderState.Encoding],
        _ => throw new ArgumentOutOfRangeException(nameof(to), to, null),
    };
}
