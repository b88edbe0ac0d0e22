using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>Linear, GELU, Linear.</summary>
internal sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly Linear intermediate_dense;
    private readonly Linear output_dense;

    public FeedForward(int width, int intermediate)
        : base(nameof(FeedForward))
    {
        intermediate_dense = nn.Linear(width, intermediate);
        output_dense = nn.Linear(intermediate, width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.gelu(intermediate_dense.forward(input));
        return output_dense.forward(hidden).MoveToOuterDisposeScope();
    }
}
