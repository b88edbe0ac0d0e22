using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// The MobileNetV1 backbone (face-api's <c>mobileNetV1</c>): a strided 3×3 convolution, then thirteen depthwise and
/// pointwise pairs. Returns the last features and those of pair 11, where the first box predictor looks.
/// </summary>
internal sealed class MobileNetV1 : nn.Module<Tensor, (Tensor Out, Tensor Conv11)>
{
    /// <summary>Output channels of Conv2d_0 … Conv2d_13.</summary>
    private static readonly long[] Channels = [32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024];

    // Registered as "Conv2d_{i}_depthwise" and "Conv2d_{i}_pointwise", the checkpoint's names; depthwise[0] is unused.
    private readonly DepthwiseConv[] depthwise = new DepthwiseConv[Channels.Length];
    private readonly PointwiseConv[] pointwise = new PointwiseConv[Channels.Length];

    public MobileNetV1() : base(nameof(MobileNetV1))
    {
        pointwise[0] = new PointwiseConv(3, Channels[0], kernel: 3, stride: 2);
        register_module("Conv2d_0_pointwise", pointwise[0]);
        for (var i = 1; i < Channels.Length; i++)
        {
            depthwise[i] = new DepthwiseConv(Channels[i - 1], stride: i is 2 or 4 or 6 or 12 ? 2 : 1);
            pointwise[i] = new PointwiseConv(Channels[i - 1], Channels[i], kernel: 1, stride: 1);
            register_module($"Conv2d_{i}_depthwise", depthwise[i]);
            register_module($"Conv2d_{i}_pointwise", pointwise[i]);
        }

        RegisterComponents();
    }

    /// <param name="input">[B, 3, 512, 512], values −1..1.</param>
    /// <returns>[B, 1024, 16, 16] and [B, 512, 32, 32].</returns>
    public override (Tensor Out, Tensor Conv11) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = pointwise[0].forward(input);
        Tensor? conv11 = null;
        for (var i = 1; i < Channels.Length; i++)
        {
            x = pointwise[i].forward(depthwise[i].forward(x));
            if (i == 11) conv11 = x;
        }

        return (x.MoveToOuterDisposeScope(), conv11!.MoveToOuterDisposeScope());
    }
}
