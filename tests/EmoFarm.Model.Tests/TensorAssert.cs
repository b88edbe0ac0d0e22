using Xunit;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and bit-for-bit the same values (NaN never matches).</summary>
    public static void Identical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var differs = expected.ne(actual).any();
        Assert.False(differs.item<bool>(), "tensors differ");
    }

    public static void Close(Tensor expected, Tensor actual, double atol)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected.to(ScalarType.Float64) - actual.to(ScalarType.Float64)).abs().max();
        var max = diff.item<double>();
        Assert.True(max <= atol, $"max abs difference {max:E3} exceeds {atol:E3}");
    }
}
