"""audio-separator's own MDX-Net code makes the committed vocal-separation fixture: tests/fixtures/mdx-parity/.

EmoFarm's CI test (tests/EmoFarm.Farm.Tests/Vocals/VocalSeparatorParityTests.cs) runs the same mix through
EmoFarm.Farm.Vocals and compares. CI never runs this script; it is how the fixture was made, and how to make it again.

What runs is audio-separator 0.17.2 (nomadkaraoke/python-audio-separator, tag v0.17.2, commit a581da75), Hallo's pin,
unchanged, called as Hallo's AudioProcessor calls it (hallo/datasets/audio_processor.py, fudan-generative-vision/hallo
8fd7c57):
    Separator(output_dir=cache, output_single_stem="vocals", model_file_dir=models)
    load_model("Kim_Vocal_2.onnx"); outputs = separate(wav)
then Hallo's own hallo.utils.util.resample_audio (ffmpeg -ar 16000) and librosa.load(vocals-16k.wav, sr=16000).
The model is random: a few-KB conv stack with Kim_Vocal_2's signature (input "input" [batch, 4, 3072, 256], output
"output" of the same shape), exported by Debian's torch 1.13 with opset 13. mdx_model_data.json maps its hash (as
audio-separator computes it) to Kim_Vocal_2's real entry (970b3f9492014d18fefeedfe4773cb42: compensate 1.009,
mdx_dim_f_set 3072, mdx_dim_t_set 8, mdx_n_fft_scale_set 7680, primary_stem Vocals), which the file also carries.

Shims (tests/parity/shims/mdx/): onnxruntime (InferenceSession interprets the ONNX file's graph node by node in torch
fp32), librosa (load at the file's own rate, as librosa 0.10.2 does it), audioread and onnx2torch (imported, never
called). Hallo's util.py imports av, mediapipe, moviepy and einops for other functions; they are stubbed here.

The mix is not stored: mix_samples() below makes it from integers only, and the C# test makes the same int16 samples
(the fixture records their MD5). 9 s at 44.1 kHz is 3 chunks of 261120 samples with step 195840, so both chunk seams
and the shorter last chunk (its own Hann window) fall on the signal.

Usage (Debian 12, python3-torch python3-onnx python3-soundfile python3-pydub python3-yaml python3-requests python3-tqdm
python3-opencv python3-torchvision python3-six, and ffmpeg):
  AUDIO_SEPARATOR_SRC=<git archive of v0.17.2> HALLO_SRC=<git archive of hallo 8fd7c57> \
      /usr/bin/python3 tests/parity/mdx_reference.py tests/fixtures/mdx-parity
"""
import hashlib
import json
import os
import shutil
import sys
import tempfile
import types
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.environ["AUDIO_SEPARATOR_SRC"], os.environ["HALLO_SRC"], os.path.join(HERE, "shims", "mdx"),
                os.path.join(HERE, "shims")]

import numpy as np  # noqa: E402
import torch  # noqa: E402

SAMPLE_RATE = 44100
SECONDS = 9
KIM_VOCAL_2 = {"compensate": 1.009, "mdx_dim_f_set": 3072, "mdx_dim_t_set": 8, "mdx_n_fft_scale_set": 7680,
               "primary_stem": "Vocals"}
KIM_VOCAL_2_HASH = "970b3f9492014d18fefeedfe4773cb42"
HASH_PROBE_BYTES = 10000 * 1024 + 12345   # past audio-separator's 10 MB tail, so its seek(-10 MB, end) succeeds


def hash_probe_byte(i):
    return (i * 31 + (i >> 8)) & 0xFF


def _sine(phase):
    """A parabola through one period of 2**32 phase units, in integers: peak ±32768."""
    t = (phase >> 16) - 32768
    return (t * (32768 - abs(t))) >> 13


def mix_samples(n):
    """Stereo int16 [n, 2] from integer arithmetic alone (no floating point), so C# makes the same samples: a
    xorshift32 noise through a one-pole low-pass, a three-harmonic tone with vibrato per channel, and a slow envelope.
    Python's >> floors, as C#'s >> on a negative long does."""
    out = np.empty((n, 2), dtype=np.int16)
    x = 0x2545F491
    lp = [0, 0]
    phase = [0, 0x40000000]
    base = [21424235, 32136353]    # ≈ 220 Hz and ≈ 330 Hz
    lfo = slow = 0
    for i in range(n):
        lfo = (lfo + 486963) & 0xFFFFFFFF      # ≈ 5 Hz
        slow = (slow + 29218) & 0xFFFFFFFF     # ≈ 0.3 Hz
        vib = _sine(lfo)
        env = 13000 + (_sine(slow) >> 3)       # 8904 .. 17096
        for c in range(2):
            x ^= (x << 13) & 0xFFFFFFFF
            x ^= x >> 17
            x ^= (x << 5) & 0xFFFFFFFF
            noise = (x >> 16) - 32768
            lp[c] += (noise - lp[c]) >> 2
            phase[c] = (phase[c] + base[c] + ((vib * (c + 3)) >> 4)) & 0xFFFFFFFF
            p = phase[c]
            tone = _sine(p) + (_sine((2 * p) & 0xFFFFFFFF) >> 1) + (_sine((3 * p) & 0xFFFFFFFF) >> 2)
            s = ((tone * env) >> 15) + (lp[c] >> 2) + (noise >> 5)
            out[i, c] = max(-32768, min(32767, s))
    return out


class ParityNet(torch.nn.Module):
    """Kim_Vocal_2's signature with a few KB of weights: a mask from two convolutions (3072 bins x 256 frames, with
    a nonlinearity), times a gain per frequency bin and one per frame, so a bin, frame or channel mix-up shows."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(4, 8, kernel_size=(5, 3), padding=(2, 1))
        self.conv2 = torch.nn.Conv2d(8, 4, kernel_size=(3, 5), padding=(1, 4), dilation=(1, 2))
        self.freq_gain = torch.nn.Parameter(2.2 + 0.5 * torch.randn(1, 4, 3072, 1))
        self.time_gain = torch.nn.Parameter(1 + 0.3 * torch.randn(1, 1, 1, 256))

    def forward(self, x):
        h = torch.tanh(self.conv1(x * 0.05))
        mask = torch.sigmoid(self.conv2(h))
        return x * mask * self.freq_gain * self.time_gain


def export_model(path):
    torch.manual_seed(20240617)
    net = ParityNet().eval()
    with torch.no_grad():
        for p in (net.conv1.weight, net.conv2.weight):
            p.mul_(3)
    torch.onnx.export(net, torch.zeros(1, 4, 3072, 256), path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch_size"}, "output": {0: "batch_size"}}, opset_version=13,
                      do_constant_folding=True)


def write_wav16(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(samples.shape[1])
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.astype("<i2").tobytes())


def stub_module(name, **attrs):
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    sys.modules[name] = module
    return module


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="mdx-reference-")
    try:
        run(out_dir, work)
    finally:
        shutil.rmtree(work)


def run(out_dir, work):
    # audio-separator reads its own version from the installed distribution's metadata.
    dist = os.path.join(work, "site", "audio_separator-0.17.2.dist-info")
    os.makedirs(dist)
    with open(os.path.join(dist, "METADATA"), "w", encoding="utf-8") as f:
        f.write("Metadata-Version: 2.1\nName: audio-separator\nVersion: 0.17.2\n")
    sys.path.insert(0, os.path.join(work, "site"))
    import torchvision  # noqa: F401  (before the av stub: torchvision uses av when it can import it)
    for name in ("av", "mediapipe", "moviepy"):
        stub_module(name)
    stub_module("moviepy.editor", AudioFileClip=None, VideoClip=None)
    stub_module("einops", rearrange=None)

    import onnxruntime
    from audio_separator.separator import Separator
    from audio_separator.separator.common_separator import CommonSeparator
    from hallo.utils.util import resample_audio
    import librosa

    models = os.path.join(work, "models")
    cache = os.path.join(work, "cache")
    os.makedirs(models)
    model_path = os.path.join(models, "Kim_Vocal_2.onnx")
    export_model(model_path)
    shutil.copyfile(model_path, os.path.join(out_dir, "Kim_Vocal_2.onnx"))

    # Files audio-separator would download: it skips any that exist.
    probe = Separator.get_model_hash.__get__(types.SimpleNamespace(logger=_QuietLogger()))
    model_hash = probe(model_path)
    model_data = {KIM_VOCAL_2_HASH: KIM_VOCAL_2, model_hash: KIM_VOCAL_2}
    for folder in (models, out_dir):
        with open(os.path.join(folder, "mdx_model_data.json"), "w", encoding="utf-8") as f:
            json.dump(model_data, f, indent=4, sort_keys=True)
            f.write("\n")
    with open(os.path.join(models, "vr_model_data.json"), "w", encoding="utf-8") as f:
        json.dump({}, f)
    with open(os.path.join(models, "download_checks.json"), "w", encoding="utf-8") as f:
        json.dump({"vr_download_list": {}, "mdx_download_list": {"MDX-Net Model: Kim Vocal 2": "Kim_Vocal_2.onnx"},
                   "mdx_download_vip_list": {}, "demucs_download_list": {}, "mdx23c_download_list": {},
                   "mdx23c_download_vip_list": {}, "roformer_download_list": {}}, f)

    probe_path = os.path.join(work, "hash-probe.bin")
    with open(probe_path, "wb") as f:
        f.write(bytes(hash_probe_byte(i) for i in range(HASH_PROBE_BYTES)))
    probe_hash = probe(probe_path)

    mix = mix_samples(SECONDS * SAMPLE_RATE)
    wav_file = os.path.join(work, "mix.wav")
    write_wav16(wav_file, mix)

    # The stem audio-separator holds in memory when it writes: write_audio normalises its argument in place.
    written = {}
    write_audio = CommonSeparator.write_audio

    def recording_write_audio(self, stem_path, stem_source):
        written[stem_path] = np.array(stem_source, dtype=np.float32, copy=True)
        return write_audio(self, stem_path, stem_source)

    CommonSeparator.write_audio = recording_write_audio

    # Hallo's AudioProcessor.__init__ and preprocess, step 1, with Hallo's arguments.
    separator = Separator(output_dir=cache, output_single_stem="vocals", model_file_dir=models)
    separator.load_model("Kim_Vocal_2.onnx")
    onnxruntime.RUN_CALLS.clear()
    outputs = separator.separate(wav_file)
    chunk_runs = list(onnxruntime.RUN_CALLS)
    vocal_audio_file = outputs[0]
    vocal_audio_name, _ = os.path.splitext(vocal_audio_file)
    vocal_audio_file = os.path.join(separator.output_dir, vocal_audio_file)
    vocal_audio_file = resample_audio(vocal_audio_file, os.path.join(separator.output_dir,
                                                                     f"{vocal_audio_name}-16k.wav"), 16000)
    speech_array, sampling_rate = librosa.load(vocal_audio_file, sr=16000)

    (stem_path, stem), = written.items()
    stem = stem.T                            # [N, 2] -> [2, N]
    with open(os.path.join(cache, stem_path), "rb") as f:
        written_md5 = hashlib.md5(f.read()).hexdigest()

    import safetensors.torch
    metadata = {
        "sample_rate": SAMPLE_RATE, "samples": mix.shape[0],
        "mix_md5": hashlib.md5(mix.astype("<i2").tobytes()).hexdigest(),
        "model_hash": model_hash, "hash_probe_bytes": HASH_PROBE_BYTES, "hash_probe_md5_tail": probe_hash,
        "chunks": len(chunk_runs), "chunk_input_shape": json.dumps(chunk_runs[0]["input"]),
        "stem_file": stem_path, "stem_file_md5": written_md5, "wav2vec_sample_rate": sampling_rate,
        "audio_separator": "nomadkaraoke/python-audio-separator v0.17.2 a581da750a61e5ab25f70cc026bd296df61944c8",
        "hallo": "fudan-generative-vision/hallo 8fd7c57",
    }
    safetensors.torch.save_file({"stem": torch.from_numpy(np.ascontiguousarray(stem)),
                                 "wav2vec_input": torch.from_numpy(np.ascontiguousarray(speech_array))},
                                os.path.join(out_dir, "reference.safetensors"), metadata=metadata)
    print(json.dumps(metadata, indent=2))
    print("stem peak", float(np.abs(stem).max()), "wav2vec input", speech_array.shape, speech_array.dtype)


class _QuietLogger:
    def debug(self, *_a):
        pass

    def error(self, *_a):
        pass


if __name__ == "__main__":
    main(sys.argv[1])
