using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EmoFarm.Faces.Recognition;

/// <summary>
/// A residual block of face-api's recognition net (<c>conv1</c>, <c>conv2</c>). The down-sampling kind halves the
/// size with a stride-2 'valid' first conv; its shortcut is a 2×2 average pool, zero-padded to the new channel
/// count, and when the pool comes out one larger than the branch (odd input) the branch gets a zero row and column
/// appended at the bottom and right.
/// </summary>
internal sealed class ResidualLayer : nn.Module<Tensor, Tensor>
{
    private readonly ConvLayer conv1;
    private readonly ConvLayer conv2;
    private readonly bool down;

    public ResidualLayer(long inChannels, long outChannels, bool down = false) : base(nameof(ResidualLayer))
    {
        conv1 = new ConvLayer(inChannels, outChannels, 3, down);
        conv2 = new ConvLayer(outChannels, outChannels, 3, down: false, relu: false);
        this.down = down;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var branch = conv2.forward(conv1.forward(input));
        var shortcut = input;
        if (down)
        {
            shortcut = nn.functional.avg_pool2d(input, 2, 2);
            var channels = branch.shape[1] - shortcut.shape[1];
            var rows = shortcut.shape[2] - branch.shape[2];
            var columns = shortcut.shape[3] - branch.shape[3];
            if (channels > 0) shortcut = nn.functional.pad(shortcut, [0, 0, 0, 0, 0, channels]);
            if (rows > 0 || columns > 0) branch = nn.functional.pad(branch, [0, columns, 0, rows]);
        }

        return nn.functional.relu(branch + shortcut).MoveToOuterDisposeScope();
    }
}
