using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// A checkpoint file whose tensors are described up front and copied one at a time on demand: a safetensors file
/// (<see cref="SafeTensorsFile"/>) or a <c>torch.save</c> zip archive (<see cref="TorchArchiveFile"/>).
/// </summary>
public interface ICheckpointFile : IDisposable
{
    string Path { get; }

    /// <summary>What kind of file this is, for reports ("safetensors", "torch.save zip").</summary>
    string Format { get; }

    /// <summary>Every tensor, described without reading its data.</summary>
    IReadOnlyList<TensorEntry> Entries { get; }

    /// <summary>Copies one of <see cref="Entries"/> into <paramref name="target"/> (same shape; any device and dtype).</summary>
    void CopyTo(TensorEntry entry, Tensor target);
}
