using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>Mirrors torch's ParametrizationList container so that the key path has its "weight" segment.</summary>
internal sealed class WeightNormParametrizations : nn.Module
{
    private readonly WeightNormWeight weight;

    public WeightNormParametrizations(long[] shape, int dim)
        : base(nameof(WeightNormParametrizations))
    {
        weight = new WeightNormWeight(shape, dim);
        RegisterComponents();
    }

    public Tensor Compose() => weight.Compose();
}
