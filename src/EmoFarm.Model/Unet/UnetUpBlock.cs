using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// UpBlock / CrossAttnUpBlock, 2D or Hallo-3D. Each of its LayersPerBlock+1 layers concatenates one skip
/// connection; the audio modules' inner width is the block's input width (Hallo's <c>in_channels</c>).
/// </summary>
public sealed class UnetUpBlock : nn.Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();
    private readonly ModuleList<AudioTransformer> audio_modules = new();
    private readonly ModuleList<MotionModule> motion_modules = new();
    private readonly ModuleList<Upsample2D> upsamplers = new();
    private readonly int depth;
    private readonly bool crossAttention;

    public UnetUpBlock(UnetConfig config, int index, UnetParts parts) : base(nameof(UnetUpBlock))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parts);
        var reversed = config.BlockOutChannels.Reverse().ToArray();
        var last = reversed.Length - 1;
        depth = last - index;
        crossAttention = index > 0;
        var prevOutput = index == 0 ? reversed[0] : reversed[index - 1];
        var output = reversed[index];
        var input = reversed[Math.Min(index + 1, last)];
        for (var j = 0; j <= config.LayersPerBlock; j++)
        {
            var skip = j == config.LayersPerBlock ? input : output;
            var resIn = j == 0 ? prevOutput : output;
            resnets.Add(new ResnetBlock2D(resIn + skip, output, config.TimeEmbedDim, config.NormGroups, config.NormEps));
            if (crossAttention)
            {
                attentions.Add(new Transformer2DModel(output, config.AttentionHeads, config.CrossAttentionDim, config.NormGroups));
                if (parts.Audio)
                {
                    audio_modules.Add(new AudioTransformer(output, input, config.AttentionHeads, config.AudioAttentionDim, config.NormGroups, depth));
                }
            }

            if (parts.Motion)
            {
                motion_modules.Add(new MotionModule(output, config.MotionHeads, config.MotionMaxFrames));
            }
        }

        if (index < last)
        {
            upsamplers.Add(new Upsample2D(output));
        }

        RegisterComponents();
    }

    internal int SkipCount => resnets.Count;

    /// <param name="hidden">Input [N, C, H, W].</param>
    /// <param name="skips">This block's skip connections, in the order they were produced.</param>
    /// <param name="upsampleSize">Spatial size of the next block's skips, or null for the last block.</param>
    /// <param name="run">Forward state.</param>
    internal Tensor Forward(Tensor hidden, IReadOnlyList<Tensor> skips, long[]? upsampleSize, UnetRun run)
    {
        using var scope = NewDisposeScope();
        var h = hidden;
        for (var j = 0; j < resnets.Count; j++)
        {
            h = cat([h, skips[skips.Count - 1 - j]], 1);
            h = resnets[j].forward(h, run.Temb);
            Tensor? motionFeatures = null;
            if (attentions.Count > 0)
            {
                (h, motionFeatures) = attentions[j].Forward(h, run.Context, run.Reference);
            }

            if (audio_modules.Count > 0 && run.Audio is not null)
            {
                h = audio_modules[j].Forward(h, run, scaled: run.HalloInferenceCompat);
            }

            h = UnetBlockSteps.Motion(motion_modules, j, h, motionFeatures, run, depth, crossAttention);
        }

        if (upsamplers.Count > 0)
        {
            h = upsamplers[0].forward(h, upsampleSize);
        }

        return h.MoveToOuterDisposeScope();
    }
}
