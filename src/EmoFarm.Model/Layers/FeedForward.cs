using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>diffusers GEGLU feed-forward: net.0.proj (dim → 2·4·dim), gated GELU, net.2 (4·dim → dim).</summary>
public sealed class FeedForward : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> net;

    public FeedForward(long dim, long mult = 4) : base(nameof(FeedForward))
    {
        var inner = dim * mult;
        net = new ModuleList<nn.Module<Tensor, Tensor>>(new Geglu(dim, inner), nn.Identity(), nn.Linear(inner, dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return net[2].forward(net[0].forward(input)).MoveToOuterDisposeScope();
    }

    private sealed class Geglu : nn.Module<Tensor, Tensor>
    {
        private readonly Linear proj;

        public Geglu(long dim, long inner) : base(nameof(Geglu))
        {
            proj = nn.Linear(dim, inner * 2);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var parts = proj.forward(input).chunk(2, -1);
            return (parts[0] * nn.functional.gelu(parts[1])).MoveToOuterDisposeScope();
        }
    }
}
