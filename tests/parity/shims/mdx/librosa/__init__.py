"""Shim: librosa.load as librosa 0.10.2 (audio-separator 0.17.2's lock) runs it for a file soundfile reads at the
rate asked for. librosa.load reads with soundfile.SoundFile(...).read(frames=-1, dtype=float32, always_2d=False).T,
to_mono averages the channels (np.mean over every axis but the last), and resample returns y unchanged when the two
rates are equal. Debian has no python3-librosa; resampling (soxr_hq) is not reproduced, so a file at another rate
stops here instead of being resampled differently."""
import numpy as np
import soundfile as sf

__version__ = "0.10.2.post1 (shim)"


def to_mono(y):
    if y.ndim > 1:
        y = np.mean(y, axis=tuple(range(y.ndim - 1)))
    return y


def load(path, *, sr=22050, mono=True, offset=0.0, duration=None, dtype=np.float32, res_type="soxr_hq"):
    if offset or duration is not None:
        raise NotImplementedError("librosa shim: offset and duration are not needed by the MDX reference")
    with sf.SoundFile(path) as sf_desc:
        sr_native = sf_desc.samplerate
        y = sf_desc.read(frames=-1, dtype=dtype, always_2d=False).T
    if mono:
        y = to_mono(y)
    if sr is not None and sr != sr_native:
        raise NotImplementedError(f"librosa shim: {path} is at {sr_native} Hz, asked for {sr} Hz; librosa would "
                                  f"resample with {res_type}, which this shim does not reproduce")
    return y, (sr if sr is not None else sr_native)
