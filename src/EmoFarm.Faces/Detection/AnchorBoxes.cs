using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Detection;

/// <summary>
/// The SSD prior boxes, stored in the model as <c>Output/extra_dim</c>: 5118 × (ymin, xmin, ymax, xmax), relative
/// to the 512×512 input.
/// </summary>
internal sealed class AnchorBoxes : nn.Module
{
    public const int Count = 5118;

    // name mirrors the checkpoint: "Output/extra_dim"
    private readonly Parameter extra_dim;

    public AnchorBoxes() : base(nameof(AnchorBoxes))
    {
        extra_dim = new Parameter(zeros(1, Count, 4), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>The anchors, flattened: anchor i is elements 4i … 4i+3.</summary>
    public float[] ToArray()
    {
        using var cpu = extra_dim.cpu();
        return cpu.data<float>().ToArray();
    }
}
