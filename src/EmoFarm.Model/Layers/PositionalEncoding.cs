using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>
/// AnimateDiff's fixed sinusoidal frame encoding. The table is a persistent buffer (<c>pe</c> [1, maxLen, d])
/// because the checkpoint stores it; loading overwrites ours with identical values.
/// </summary>
public sealed class PositionalEncoding : nn.Module<Tensor, Tensor>
{
    private readonly Tensor pe;

    public PositionalEncoding(long dim, long maxLen) : base(nameof(PositionalEncoding))
    {
        using (var scope = NewDisposeScope())
        {
            var position = arange(maxLen, dtype: ScalarType.Float32).unsqueeze(1);
            var divTerm = arange(0, dim, 2, dtype: ScalarType.Float32).mul(-Math.Log(10000.0) / dim).exp();
            var table = zeros(1, maxLen, dim);
            table[0, TensorIndex.Colon, TensorIndex.Slice(0, null, 2)] = (position * divTerm).sin();
            table[0, TensorIndex.Colon, TensorIndex.Slice(1, null, 2)] = (position * divTerm).cos();
            pe = table.MoveToOuterDisposeScope();
        }

        RegisterComponents();
    }

    /// <param name="input">[N, F, C]; F must not exceed the table length.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var frames = input.shape[1];
        if (frames > pe.shape[1])
        {
            throw new ArgumentException($"{frames} frames exceed the positional table of {pe.shape[1]}.", nameof(input));
        }

        using var scope = NewDisposeScope();
        var table = pe[TensorIndex.Colon, TensorIndex.Slice(0, frames)].to(input.dtype);
        return (input + table).MoveToOuterDisposeScope();
    }
}
