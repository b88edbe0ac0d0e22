using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>
/// The parameters of torch's weight_norm parametrisation: original0 is the magnitude g, original1 the direction v.
/// Held as a module so the state-dict names read "parametrizations.weight.original0/1" like current transformers.
/// </summary>
internal sealed class WeightNormWeight : nn.Module
{
    private readonly Parameter original0;
    private readonly Parameter original1;
    private readonly long[] _normDims;

    /// <param name="shape">The shape of the effective weight.</param>
    /// <param name="dim">The dimension kept by the norm (wav2vec2 uses 2, the kernel axis).</param>
    public WeightNormWeight(long[] shape, int dim)
        : base(nameof(WeightNormWeight))
    {
        var gShape = shape.Select((s, i) => i == dim ? s : 1L).ToArray();
        _normDims = [.. Enumerable.Range(0, shape.Length).Where(i => i != dim).Select(i => (long)i)];
        var fanIn = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var bound = 1.0 / Math.Sqrt(fanIn);
        original1 = new Parameter(torch.empty(shape).uniform_(-bound, bound));
        // Start with g = ||v|| so that the effective weight equals v, as torch does when it applies weight_norm.
        using (torch.no_grad())
        {
            original0 = new Parameter(Norm(original1));
        }

        RegisterComponents();
    }

    /// <summary>g * v / ||v||, the norm taken over every dimension except the kept one.</summary>
    public Tensor Compose()
    {
        using var scope = NewDisposeScope();
        return (original1 * (original0 / Norm(original1))).MoveToOuterDisposeScope();
    }

    private Tensor Norm(Tensor v) => v.pow(2).sum(_normDims, keepdim: true).sqrt();
}
