using static TorchSharp.torch;

namespace EmoFarm.Model.Checkpoints;

/// <summary>
/// One tensor of a <c>torch.save</c> archive as its pickle describes it: a view (offset, shape, strides, in elements)
/// into a storage record <c>data/&lt;key&gt;</c> of the archive. Nothing is read until the tensor is copied.
/// </summary>
/// <param name="Name">The state-dict key.</param>
/// <param name="ScalarType">The storage's element type.</param>
/// <param name="Shape">The tensor's shape; empty for a 0-d tensor.</param>
/// <param name="Strides">Elements between neighbours along each dimension.</param>
/// <param name="StorageKey">The storage record's name under <c>data/</c>; tensors sharing a storage share it.</param>
/// <param name="StorageOffset">Elements of the storage before the tensor's first element.</param>
/// <param name="StorageElements">Elements the storage holds.</param>
public sealed record TorchTensorEntry(
    string Name,
    ScalarType ScalarType,
    IReadOnlyList<long> Shape,
    IReadOnlyList<long> Strides,
    string StorageKey,
    long StorageOffset,
    long StorageElements)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));

    /// <summary>Elements of the storage the view spans, from its first element to its last.</summary>
    public long Extent => ElementCount == 0 ? 0 : 1 + Shape.Zip(Strides, (size, stride) => checked((size - 1) * stride)).Sum();

    /// <summary>Whether the elements lie in row-major order without gaps, so the view is one run of the storage.</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (var d = Shape.Count - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Strides[d] != expected)
                {
                    return false;
                }

                expected *= Shape[d];
            }

            return true;
        }
    }
}
