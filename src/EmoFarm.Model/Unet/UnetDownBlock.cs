using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>
/// CrossAttnDownBlock / DownBlock, 2D or Hallo-3D: resnets, attentions, audio_modules, motion_modules,
/// downsamplers. Lists a variant lacks stay empty and so add no checkpoint keys.
/// </summary>
public sealed class UnetDownBlock : nn.Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();
    private readonly ModuleList<AudioTransformer> audio_modules = new();
    private readonly ModuleList<MotionModule> motion_modules = new();
    private readonly ModuleList<Downsample2D> downsamplers = new();
    private readonly int level;
    private readonly bool crossAttention;

    public UnetDownBlock(UnetConfig config, int level, UnetParts parts) : base(nameof(UnetDownBlock))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parts);
        this.level = level;
        var ch = config.BlockOutChannels;
        var input = level == 0 ? ch[0] : ch[level - 1];
        var output = ch[level];
        crossAttention = level < config.Levels - 1;
        for (var j = 0; j < config.LayersPerBlock; j++)
        {
            var layerIn = j == 0 ? input : output;
            resnets.Add(new ResnetBlock2D(layerIn, output, config.TimeEmbedDim, config.NormGroups, config.NormEps));
            if (crossAttention)
            {
                attentions.Add(new Transformer2DModel(output, config.AttentionHeads, config.CrossAttentionDim, config.NormGroups));
                if (parts.Audio)
                {
                    audio_modules.Add(new AudioTransformer(output, layerIn, config.AttentionHeads, config.AudioAttentionDim, config.NormGroups, level));
                }
            }

            if (parts.Motion)
            {
                motion_modules.Add(new MotionModule(output, config.MotionHeads, config.MotionMaxFrames));
            }
        }

        if (level < config.Levels - 1)
        {
            downsamplers.Add(new Downsample2D(output));
        }

        RegisterComponents();
    }

    internal (Tensor Hidden, List<Tensor> Skips) Forward(Tensor hidden, UnetRun run)
    {
        using var scope = NewDisposeScope();
        var skips = new List<Tensor>();
        var h = hidden;
        for (var j = 0; j < resnets.Count; j++)
        {
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

            h = UnetBlockSteps.Motion(motion_modules, j, h, motionFeatures, run, level, crossAttention);
            skips.Add(h);
        }

        if (downsamplers.Count > 0)
        {
            h = downsamplers[0].forward(h);
            skips.Add(h);
        }

        foreach (var s in skips)
        {
            s.MoveToOuterDisposeScope();
        }

        return (h.MoveToOuterDisposeScope(), skips);
    }
}
