using EmoFarm.Model.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Unet;

/// <summary>UNetMidBlock2DCrossAttn / Hallo's UNetMidBlock3DCrossAttn: resnet, then (attention, audio, motion, resnet).</summary>
public sealed class UnetMidBlock : nn.Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();
    private readonly ModuleList<AudioTransformer> audio_modules = new();
    private readonly ModuleList<MotionModule> motion_modules = new();
    private readonly int depth;

    public UnetMidBlock(UnetConfig config, UnetParts parts) : base(nameof(UnetMidBlock))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parts);
        depth = config.Levels - 1;
        var ch = config.BlockOutChannels[^1];
        resnets.Add(new ResnetBlock2D(ch, ch, config.TimeEmbedDim, config.NormGroups, config.NormEps));
        attentions.Add(new Transformer2DModel(ch, config.AttentionHeads, config.CrossAttentionDim, config.NormGroups));
        if (parts.Audio)
        {
            audio_modules.Add(new AudioTransformer(ch, ch, config.AttentionHeads, config.AudioAttentionDim, config.NormGroups, depth));
        }

        if (parts.Motion)
        {
            motion_modules.Add(new MotionModule(ch, config.MotionHeads, config.MotionMaxFrames));
        }

        resnets.Add(new ResnetBlock2D(ch, ch, config.TimeEmbedDim, config.NormGroups, config.NormEps));
        RegisterComponents();
    }

    internal Tensor Forward(Tensor hidden, UnetRun run)
    {
        using var scope = NewDisposeScope();
        var h = resnets[0].forward(hidden, run.Temb);
        for (var j = 0; j < attentions.Count; j++)
        {
            var (next, motionFeatures) = attentions[j].Forward(h, run.Context, run.Reference);
            h = next;
            if (audio_modules.Count > 0 && run.Audio is not null)
            {
                h = audio_modules[j].Forward(h, run, scaled: true);
            }

            h = UnetBlockSteps.Motion(motion_modules, j, h, motionFeatures, run, depth, crossAttention: true, alwaysPrepend: true);
            h = resnets[j + 1].forward(h, run.Temb);
        }

        return h.MoveToOuterDisposeScope();
    }
}
