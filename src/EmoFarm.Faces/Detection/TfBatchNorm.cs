using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// Inference batch norm as <c>tf.batchNorm</c> computes it: offset + (x − mean)·scale / √(variance + ε). Plain
/// parameters rather than <c>nn.BatchNorm2d</c>, whose <c>num_batches_tracked</c> has no TensorFlow weight to bind.
/// </summary>
internal sealed class TfBatchNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>face-api's ε: 0.001 as a float32, widened.</summary>
    private const double Epsilon = 0.0010000000474974513;

    // names mirror the checkpoint: "…/BatchNorm/gamma", "…/BatchNorm/moving_mean"
    private readonly Parameter gamma;
    private readonly Parameter beta;
    private readonly Parameter moving_mean;
    private readonly Parameter moving_variance;

    public TfBatchNorm(long channels) : base(nameof(TfBatchNorm))
    {
        gamma = new Parameter(ones(channels), requires_grad: false);
        beta = new Parameter(zeros(channels), requires_grad: false);
        moving_mean = new Parameter(zeros(channels), requires_grad: false);
        moving_variance = new Parameter(ones(channels), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var deviation = (moving_variance + Epsilon).sqrt_().view(1, -1, 1, 1);
        var y = input.sub(moving_mean.view(1, -1, 1, 1)).mul_(gamma.view(1, -1, 1, 1)).div_(deviation);
        return y.add_(beta.view(1, -1, 1, 1)).MoveToOuterDisposeScope();
    }
}
