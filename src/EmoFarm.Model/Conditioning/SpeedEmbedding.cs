using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Conditioning;

/// <summary>
/// EMO's speed layers (optional; Hallo checkpoints lack them, keys live under <c>speed_embedding.</c>). The head
/// rotation speed of each frame is soft-assigned to buckets (tanh((s − centre)/radius·3), as the EMO paper
/// describes), embedded by an MLP, and projected to each UNet depth level's width; the UNet adds the result before
/// every temporal module. The projections start at zero so an untrained module leaves the model unchanged.
/// </summary>
public sealed class SpeedEmbedding : nn.Module<Tensor, IReadOnlyList<Tensor>>
{
    private readonly Tensor centers;
    private readonly Tensor radii;
    private readonly Linear linear_1;
    private readonly Linear linear_2;
    private readonly ModuleList<Linear> proj = new();

    /// <param name="levelChannels">UNet block_out_channels (one projection per depth level).</param>
    /// <param name="buckets">Number of speed buckets, spread evenly over [0, maxSpeed].</param>
    /// <param name="maxSpeed">Largest expected speed (radians per frame or any consistent unit).</param>
    /// <param name="hidden">MLP width.</param>
    public SpeedEmbedding(IReadOnlyList<long> levelChannels, int buckets = 9, double maxSpeed = 1.0, long hidden = 256)
        : base(nameof(SpeedEmbedding))
    {
        ArgumentNullException.ThrowIfNull(levelChannels);
        centers = linspace(0, maxSpeed, buckets);
        radii = full(buckets, maxSpeed / Math.Max(1, buckets - 1));
        linear_1 = nn.Linear(buckets, hidden);
        linear_2 = nn.Linear(hidden, hidden);
        foreach (var ch in levelChannels)
        {
            var p = nn.Linear(hidden, ch);
            using (no_grad())
            {
                p.weight!.zero_();
                p.bias!.zero_();
            }

            proj.Add(p);
        }

        RegisterComponents();
    }

    /// <param name="input">[B, F] per-frame speed.</param>
    /// <returns>One [B, F, C_level] tensor per depth level (pass as <see cref="Unet.EmoUnetInputs.Speed"/>).</returns>
    public override IReadOnlyList<Tensor> forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var c = centers.to(input.dtype, input.device);
        var r = radii.to(input.dtype, input.device);
        var soft = ((input.unsqueeze(-1) - c) / r * 3.0).tanh();
        var e = linear_2.forward(nn.functional.silu(linear_1.forward(soft)));
        var result = proj.Select(p => p.forward(e).MoveToOuterDisposeScope()).ToList();
        return result;
    }
}
