using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Audio;

/// <summary>
/// Conv1d(C, C, K, padding K/2, groups G) with weight norm over dim 2. For an even kernel the padded output is one
/// step too long; like transformers' Wav2Vec2SamePadLayer the last step is dropped.
/// </summary>
internal sealed class WeightNormConv1d : nn.Module<Tensor, Tensor>
{
    private readonly WeightNormParametrizations parametrizations;
    private readonly Parameter bias;
    private readonly int _kernel;
    private readonly int _groups;

    public WeightNormConv1d(int channels, int kernel, int groups)
        : base(nameof(WeightNormConv1d))
    {
        if (channels % groups != 0)
        {
            throw new ArgumentException($"{channels} channels cannot be split into {groups} groups.", nameof(groups));
        }

        _kernel = kernel;
        _groups = groups;
        parametrizations = new WeightNormParametrizations([channels, channels / groups, kernel], dim: 2);
        var bound = 1.0 / Math.Sqrt(channels / groups * kernel);
        bias = new Parameter(torch.empty(channels).uniform_(-bound, bound));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var weight = parametrizations.Compose();
        var y = nn.functional.conv1d(input, weight, bias, stride: 1, padding: _kernel / 2, dilation: 1, groups: _groups);
        if (_kernel % 2 == 0)
        {
            y = y.narrow(2, 0, y.shape[2] - 1);
        }

        return y.MoveToOuterDisposeScope();
    }
}
