namespace EmoFarm.Model.Checkpoints;

/// <summary>A module tensor whose checkpoint counterpart has a different shape.</summary>
/// <param name="Name">The module's state-dict name.</param>
/// <param name="CheckpointKey">The key in the checkpoint file.</param>
/// <param name="Expected">Shape in the module.</param>
/// <param name="Actual">Shape in the checkpoint.</param>
public sealed record ShapeMismatch(string Name, string CheckpointKey, IReadOnlyList<long> Expected, IReadOnlyList<long> Actual)
{
    public override string ToString() =>
        $"{Name}: module {ShapeFormat.Format(Expected)} vs checkpoint {ShapeFormat.Format(Actual)} ('{CheckpointKey}')";
}
