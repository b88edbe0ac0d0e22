using EmoFarm.Farm.Planning;
using EmoFarm.Farm.State;

namespace EmoFarm.Farm.Seams;

/// <summary>Makes the frames two neighbouring segments both rendered into one seamless run.</summary>
public interface ISeamReconciler
{
    /// <summary>Starts or performs the reconciliation. Returns true when the seam is done now, false when the
    /// work was handed to a worker and completes later (<see cref="EmoFarm.Contracts.SeamRendered"/>).</summary>
    Task<bool> ReconcileAsync(RenderRecord render, SeamPlan seam, IReadOnlyList<SegmentRecord> segments, CancellationToken ct);
}
