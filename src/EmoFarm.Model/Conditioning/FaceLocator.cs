using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Conditioning;

/// <summary>
/// Hallo's FaceLocator (<c>face_locator.</c>): convs with SiLU from the face-region mask (3 channels, pixel
/// resolution) down by 8 to the UNet's first width; the last conv is zero-initialised so an untrained locator
/// adds nothing. Hallo runs it per frame on a mask repeated over the clip; running it once is equivalent.
/// </summary>
public sealed class FaceLocator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv_in;
    private readonly ModuleList<Conv2d> blocks = new();
    private readonly Conv2d conv_out;

    /// <param name="outChannels">UNet block_out_channels[0] (320 for SD1.5).</param>
    /// <param name="channels">Hallo: 16, 32, 64, 128 (each step after the first halves the resolution).</param>
    public FaceLocator(long outChannels, IReadOnlyList<long> channels, long inChannels = 3) : base(nameof(FaceLocator))
    {
        ArgumentNullException.ThrowIfNull(channels);
        conv_in = nn.Conv2d(inChannels, channels[0], 3, padding: 1);
        for (var i = 0; i < channels.Count - 1; i++)
        {
            blocks.Add(nn.Conv2d(channels[i], channels[i], 3, padding: 1));
            blocks.Add(nn.Conv2d(channels[i], channels[i + 1], 3, stride: 2, padding: 1));
        }

        conv_out = nn.Conv2d(channels[^1], outChannels, 3, padding: 1);
        using (no_grad())
        {
            conv_out.weight!.zero_();
            conv_out.bias!.zero_();
        }

        RegisterComponents();
    }

    /// <summary>Hallo's widths for SD1.5.</summary>
    public static FaceLocator Hallo() => new(320, [16, 32, 64, 128]);

    /// <param name="input">[B, 3, H, W] mask in [0, 1] (or [B, 3, F, H, W], run per frame).</param>
    /// <returns>[B, outChannels, H/8, W/8] (or [B, outChannels, F, H/8, W/8]).</returns>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        if (input.dim() == 5)
        {
            var (b, c, f) = (input.shape[0], input.shape[1], input.shape[2]);
            var folded = input.permute(0, 2, 1, 3, 4).reshape(b * f, c, input.shape[3], input.shape[4]).contiguous();
            var y = Encode(folded);
            return y.reshape(b, f, y.shape[1], y.shape[2], y.shape[3]).permute(0, 2, 1, 3, 4).contiguous().MoveToOuterDisposeScope();
        }

        return Encode(input).MoveToOuterDisposeScope();
    }

    private Tensor Encode(Tensor x)
    {
        var h = nn.functional.silu(conv_in.forward(x));
        foreach (var block in blocks)
        {
            h = nn.functional.silu(block.forward(h));
        }

        return conv_out.forward(h);
    }
}
