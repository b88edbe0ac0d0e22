using EmoFarm.Model.Conditioning;
using EmoFarm.Model.Unet;
using static TorchSharp.torch;

namespace EmoFarm.Model.Tests;

/// <summary>Tiny-config modules and a 2-frame CFG batch (B=2, 2 motion frames, 16x16 latents) for CPU tests.</summary>
internal sealed class TinyRig : IDisposable
{
    public const long Batch = 2;
    public const long Frames = 2;
    public const long MotionFrames = 2;
    public const long Size = 16;

    private TinyRig(int seed, bool perturb)
    {
        manual_seed(seed);
        Reference = new ReferenceNet(UnetConfig.Tiny);
        Unet = new EmoUnet3D(UnetConfig.Tiny);
        Locator = new FaceLocator(UnetConfig.Tiny.BlockOutChannels[0], [4, 8, 16, 32]);
        ImageProj = new ImageProjection(16, UnetConfig.Tiny.CrossAttentionDim, 4);
        if (perturb)
        {
            // Zero-initialised parts (audio zero convs, motion proj_out, face locator conv_out) make a fresh model
            // blind to audio, motion and face inputs; behaviour tests need them live.
            Perturb(Reference);
            Perturb(Unet);
            Perturb(Locator);
        }

        Reference.eval();
        Unet.eval();
    }

    public ReferenceNet Reference { get; }

    public EmoUnet3D Unet { get; }

    public FaceLocator Locator { get; }

    public ImageProjection ImageProj { get; }

    public static TinyRig Create(int seed = 1234, bool perturb = false) => new(seed, perturb);

    /// <summary>Reference latents [B, 4, 1+n, h, w]: slot 0 the portrait, then the motion frames.</summary>
    public static Tensor ReferenceLatents(int seed)
    {
        var g = new Generator((ulong)seed);
        return randn([Batch, 4, 1 + MotionFrames, Size, Size], generator: g);
    }

    public ReferenceFeatures RunReference(Tensor referenceLatents, Tensor tokens)
    {
        using var t = tensor(0L);
        return Reference.forward(referenceLatents, t, tokens);
    }

    /// <summary>Image tokens [B, 4, D] from a seeded face embedding.</summary>
    public Tensor Tokens(int seed)
    {
        var g = new Generator((ulong)seed);
        using var face = randn([Batch, 16], generator: g);
        return ImageProj.forward(face);
    }

    public EmoUnetInputs Inputs(int seed, Tensor tokens, ReferenceFeatures? reference, long unconditional = 1)
    {
        var g = new Generator((ulong)seed);
        var config = UnetConfig.Tiny;
        using var mask = rand([Batch, 3, Size * 8, Size * 8], generator: g);
        return new EmoUnetInputs
        {
            Sample = randn([Batch, 4, Frames, Size, Size], generator: g),
            Timestep = tensor(500L),
            EncoderHiddenStates = tokens,
            AudioTokens = randn([Batch, Frames, 8, config.AudioAttentionDim], generator: g),
            Reference = reference,
            UnconditionalBatch = unconditional,
            FaceLocatorOut = Locator.forward(mask),
            AudioMasks = AudioRegionMasks.Ones(Size, Size, config.Levels),
            MotionScale = [1.0, 0.9, 1.1],
        };
    }

    public void Dispose()
    {
        Reference.Dispose();
        Unet.Dispose();
        Locator.Dispose();
        ImageProj.Dispose();
    }

    public static void Perturb(nn.Module module)
    {
        using var g = new Generator(99);
        using var _ = no_grad();
        foreach (var p in module.parameters())
        {
            using var noise = randn(p.shape, generator: g) * 0.05;
            p.add_(noise);
        }
    }
}
