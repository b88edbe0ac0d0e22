using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Recognition;

/// <summary>
/// dlib's affine layer, which stands in for a batch norm folded at training time: a per-channel multiply, then a
/// per-channel add (<c>…/scale/weights</c>, <c>…/scale/biases</c>).
/// </summary>
internal sealed class ScaleLayer : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weights;
    private readonly Parameter biases;

    public ScaleLayer(long channels) : base(nameof(ScaleLayer))
    {
        weights = nn.Parameter(ones(channels));
        biases = nn.Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Two separate float32 ops, multiply then add, as face-api rounds them: no fused multiply-add.
        return ((input * weights.view(1, -1, 1, 1)) + biases.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
