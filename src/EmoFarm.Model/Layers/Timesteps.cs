using static TorchSharp.torch;

namespace EmoFarm.Model.Layers;

/// <summary>Sinusoidal timestep features as diffusers' <c>Timesteps</c> computes them.</summary>
public static class Timesteps
{
    /// <summary>
    /// Returns [B, dim] float32 features. SD1.5 uses flip_sin_to_cos=true and freq_shift=0, i.e. [cos | sin].
    /// Always float32 because the frequencies of late timesteps lose precision in half types; callers cast.
    /// </summary>
    public static Tensor Sinusoidal(Tensor timesteps, int dim, bool flipSinToCos = true, double freqShift = 0)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        using var scope = NewDisposeScope();
        var half = dim / 2;
        var exponent = arange(half, dtype: ScalarType.Float32, device: timesteps.device)
            .mul(-Math.Log(10000.0)).div(half - freqShift);
        var args = timesteps.to(ScalarType.Float32).unsqueeze(1).mul(exponent.exp().unsqueeze(0));
        var emb = flipSinToCos ? cat([args.cos(), args.sin()], 1) : cat([args.sin(), args.cos()], 1);
        if (dim % 2 == 1)
        {
            emb = nn.functional.pad(emb, [0, 1]);
        }

        return emb.MoveToOuterDisposeScope();
    }

    /// <summary>Turns a scalar or [B] timestep into a [batch] tensor on <paramref name="device"/>.</summary>
    public static Tensor Broadcast(Tensor timestep, long batch, Device device)
    {
        ArgumentNullException.ThrowIfNull(timestep);
        using var scope = NewDisposeScope();
        var t = timestep.to(device);
        t = t.dim() == 0 ? t.reshape(1) : t;
        return t.expand(batch).MoveToOuterDisposeScope();
    }
}
