using TorchSharp;
using static TorchSharp.torch;

namespace EmoFarm.Farm.Vocals;

/// <summary>
/// audio-separator's uvr_lib_v5/stft.py STFT class for one stereo chunk, on the CPU: torch.stft with a periodic Hann
/// window of n_fft, center=True (reflect padding), channels laid out [L.re, L.im, R.re, R.im] and cut to the model's
/// dim_f bins; the inverse pads the bins back to n_fft / 2 + 1 with zeros and runs torch.istft.
/// </summary>
internal sealed class MdxSpectrogram(int nFft, int hopLength, int dimF) : IDisposable
{
    private readonly Tensor _window = hann_window(nFft, periodic: true, dtype: ScalarType.Float32);
    private readonly int _bins = nFft / 2 + 1;

    /// <summary>[2, samples] float32 → [4, dim_f, frames], with the first 3 bins zeroed as MDXSeparator.run_model does.</summary>
    public Tensor Forward(Tensor wave)
    {
        var spec = stft(wave, nFft, hopLength, window: _window, center: true, pad_mode: PaddingModes.Reflect, return_complex: true);
        var frames = spec.shape[2];
        var spek = view_as_real(spec).permute(0, 3, 1, 2).reshape(4, _bins, frames).narrow(1, 0, dimF).contiguous();
        spek.narrow(1, 0, 3).mul_(0);
        return spek;
    }

    /// <summary>[4, dim_f, frames] → [2, hop · (frames − 1)] float32.</summary>
    public Tensor Inverse(Tensor spek)
    {
        var frames = spek.shape[2];
        var padded = cat([spek, zeros(4, _bins - dimF, frames, dtype: ScalarType.Float32)], 1);
        var complexSpec = view_as_complex(padded.reshape(2, 2, _bins, frames).permute(0, 2, 3, 1).contiguous());
        return istft(complexSpec, nFft, hopLength, window: _window, center: true);
    }

    public void Dispose() => _window.Dispose();
}
