"""Hallo's own code renders the committed parity fixture: tests/fixtures/hallo-parity/.

EmoFarm's CI test (tests/EmoFarm.Farm.Tests/Parity/HalloParityTests.cs) renders the same inputs through the
worker's production path and compares audio features, every step's latents of clip 0 and every decoded frame.
CI never runs this script; it is how the fixture was made, and how to make it again.

What runs is Hallo's (fudan-generative-vision/hallo 8fd7c57) own code, on Debian's python3-torch 1.13 and
diffusers 0.27.2 (Hallo's pin):
  * scripts/inference.py, imported: its Net, process_audio_emb, and step 4 "build modules" repeated call for
    call (UNet2DConditionModel.from_pretrained, UNet3DConditionModel.from_pretrained_2d with the inference
    config's unet_additional_kwargs, FaceLocator, ImageProjModel, AudioProjModel, the zero-SNR DDIM scheduler,
    requires_grad_(False), enable_gradient_checkpointing, the denoiser left in train mode as the script leaves it);
  * its clip loop (step 5), line for line: the reference image repeated as the first clip's motion frames, then
    the last n decoded frames * 2 - 1, the ±2 audio windows through audioproj, motion_scale and guidance;
  * hallo.animate.face_animate.FaceAnimatePipeline, unchanged;
  * hallo.models.wav2vec.Wav2VecModel on the normalised waveform, which interpolates before the encoder, and
    AudioProcessor.preprocess's seq_len and padding rule.
Its pre-processing (insightface, MediaPipe, audio-separator) is fed in directly: the face embedding, the face
region and the three region masks at every level are fixture inputs (the issue "Hallo's conditioning from Hallo's
own release folder" computes them). Modules scripts/inference.py imports for that pre-processing only are stubbed.

The model is Hallo's architecture at small widths (see SMALL_* below and EmoModelConfig.HalloTiny), 4 levels as
from_pretrained_2d hard-codes, every block type, motion modules everywhere and audio modules with all three
branches; its random weights are re-drawn so that no parameter keeps its zero or identity initialisation.

Sources (never committed; fetch them with the search tool's fetch and unpack them anywhere):
  HALLO_SRC      git archive of fudan-generative-vision/hallo 8fd7c57 (hallo/, scripts/, configs/)
  DIFFUSERS_SRC  src/ of huggingface/diffusers v0.27.2
  EINOPS_SRC     einops v0.8.0 (Hallo's pin), the folder holding einops/
and transformers' wav2vec2 modelling code, three files put into tests/parity/shims/transformers/ (see
tests/parity/README.md). Shims for the rest (huggingface_hub, safetensors, xformers, transformers' infrastructure)
are in tests/parity/shims/.

Usage (Debian 12):
  apt-get install python3-torch python3-numpy python3-pil python3-scipy python3-omegaconf python3-yaml \
      python3-tqdm python3-filelock python3-regex python3-requests python3-packaging python3-importlib-metadata
  HALLO_SRC=... DIFFUSERS_SRC=... EINOPS_SRC=... \
      /usr/bin/python3 tests/parity/hallo_reference.py tests/fixtures/hallo-parity
  HALLO_CONDITIONED=1 INSIGHTFACE_SRC=... AUDIO_SEPARATOR_SRC=... (and the three above) \
      /usr/bin/python3 tests/parity/hallo_reference.py tests/fixtures/hallo-conditioned
computes those inputs with Hallo's own pre-processing instead (tests/parity/hallo_conditioned.py says how); that run
needs hallo-parity, insightface-parity and mdx-parity as committed, node, ffmpeg and scripts/install-face-api.sh's cache.
"""
import importlib
import json
import math
import os
import sys
import types
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
HALLO = os.environ["HALLO_SRC"]
sys.path[:0] = [os.environ["DIFFUSERS_SRC"], os.environ["EINOPS_SRC"],
                HALLO, os.path.join(HALLO, "scripts"), os.path.join(HERE, "shims")]
for _fetched in ("activations.py", "models/wav2vec2/configuration_wav2vec2.py", "models/wav2vec2/modeling_wav2vec2.py"):
    if not os.path.exists(os.path.join(HERE, "shims", "transformers", _fetched)):
        sys.exit(f"tests/parity/shims/transformers/{_fetched} is missing: it is transformers' own code, fetched and "
                 "never committed; tests/parity/README.md says where it comes from")
os.environ.update(USE_FLAX="0", USE_TF="0", HF_HUB_OFFLINE="1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402


# Debian's torch 1.13 on the CPU: baddbmm(input, ..., beta=0) lets NaN and Inf in `input` through for some shapes
# (e.g. [64, 2, 2] from [64, 2, 32] operands), although beta=0 means input is ignored. diffusers 0.27.2's
# get_attention_scores passes torch.empty(...) with beta=0, so its garbage turned outputs NaN at random. Give the
# documented meaning back: with beta=0, the input does not count.
_baddbmm = torch.baddbmm


def _baddbmm_beta0(input, batch1, batch2, *, beta=1, alpha=1, out=None):  # noqa: A002  (torch's own names)
    if beta == 0:
        input = torch.zeros_like(input)
    return _baddbmm(input, batch1, batch2, beta=beta, alpha=alpha, out=out)


torch.baddbmm = _baddbmm_beta0


# HALLO_CONDITIONED=1: Hallo's own pre-processing computes the embedding, face region, masks and vocals from the portrait
# and a 44.1 kHz mix (tests/parity/hallo_conditioned.py), with the same model; the fixture is then
# tests/fixtures/hallo-conditioned, which holds only those inputs and Hallo's outputs and reuses hallo-parity's files.
CONDITIONED = os.environ.get("HALLO_CONDITIONED") == "1"
FIXTURE = os.path.join(HERE, "..", "fixtures", "hallo-parity")
if CONDITIONED:
    import hallo_conditioned  # noqa: E402
    PROCESSORS = hallo_conditioned.setup()


class _PreprocessingOnly:
    def __init__(self, *_a, **_k):
        raise RuntimeError("pre-processing is fed in directly by the parity reference")


# scripts/inference.py imports these for pre-processing only (insightface, MediaPipe, librosa, audio-separator,
# moviepy): stub exactly those modules, then import the real script.
for _name, _attrs in {"hallo.datasets.audio_processor": ["AudioProcessor"],
                      "hallo.datasets.image_processor": ["ImageProcessor"],
                      "hallo.utils.util": ["tensor_to_video"]}.items():
    _m = types.ModuleType(_name)
    for _a in _attrs:
        setattr(_m, _a, _PreprocessingOnly)
    if not CONDITIONED:
        sys.modules[_name] = _m

import diffusers  # noqa: E402
import safetensors.torch  # noqa: E402  (the shim: the format only)
from omegaconf import OmegaConf  # noqa: E402
import transformers  # noqa: E402

inference = importlib.import_module("inference")  # Hallo's scripts/inference.py
from hallo.models.wav2vec import Wav2VecModel  # noqa: E402

OUT = sys.argv[1]
# HALLO_PRESET=sd15 runs the same loop at Hallo's real widths (a one-off check by hand, not a CI fixture).
PRESET = os.environ.get("HALLO_PRESET", "hallo-tiny")
SEED = 20240612
FULL = PRESET == "sd15"
SIZE = 256 if FULL else 128   # square (the audio modules' sqrt reshape); the bottom level is 2x2 at 128
CLIP = 8 if FULL else 16      # Hallo's n_sample_frames is 16; its reference attention falls back for other lengths
MOTION = 2           # n_motion_frames
FRAMES = 10 if FULL else 50   # 2 s of speech at 25 fps; not whole clips, so Hallo pads the audio and cuts the video
STEPS = 2 if FULL else 4
CFG = 3.5
MOTION_SCALE = [1.0, 0.8, 1.25]   # pose, face, lip: not 1 so that each branch's weight is checked
FPS = 25
RATE = 16000

# ---- Hallo's architecture: SD1.5 widths, or small ones (EmoFarm: EmoModelConfig.HalloTiny) ----
WIDTHS = [320, 640, 1280, 1280] if FULL else [32, 32, 64, 64]
SMALL_UNET = {"_class_name": "UNet2DConditionModel", "_diffusers_version": "0.27.2", "act_fn": "silu",
              "attention_head_dim": 8 if FULL else 2, "block_out_channels": WIDTHS, "center_input_sample": False,
              "cross_attention_dim": 768 if FULL else 32, "down_block_types": ["CrossAttnDownBlock2D"] * 3 + ["DownBlock2D"],
              "downsample_padding": 1, "flip_sin_to_cos": True, "freq_shift": 0, "in_channels": 4,
              "layers_per_block": 2 if FULL else 1, "mid_block_scale_factor": 1, "norm_eps": 1e-05,
              "norm_num_groups": 32 if FULL else 8, "out_channels": 4, "sample_size": SIZE // 8,
              "up_block_types": ["UpBlock2D"] + ["CrossAttnUpBlock2D"] * 3}
SMALL_VAE = {"act_fn": "silu", "block_out_channels": [128, 256, 512, 512] if FULL else [16, 16, 32, 32],
             "down_block_types": ["DownEncoderBlock2D"] * 4, "in_channels": 3, "latent_channels": 4,
             "layers_per_block": 2 if FULL else 1, "norm_num_groups": 32 if FULL else 8, "out_channels": 3,
             "sample_size": SIZE, "up_block_types": ["UpDecoderBlock2D"] * 4}
SMALL_W2V = {"hidden_size": 768 if FULL else 32, "num_hidden_layers": 12 if FULL else 2,
             "num_attention_heads": 12 if FULL else 4, "intermediate_size": 3072 if FULL else 64,
             "conv_dim": [512 if FULL else 16] * 7, "conv_kernel": [10, 3, 3, 3, 3, 2, 2], "conv_stride": [5, 2, 2, 2, 2, 2, 2],
             "conv_bias": False, "feat_extract_norm": "group", "num_conv_pos_embeddings": 128 if FULL else 16,
             "num_conv_pos_embedding_groups": 16 if FULL else 4, "do_stable_layer_norm": False, "layer_norm_eps": 1e-05,
             "hidden_act": "gelu", "feat_extract_activation": "gelu", "mask_time_prob": 0.05}
FACE_EMB = 512 if FULL else 16
AUDIO_DIM = 768 if FULL else 24
AUDIO_TOKENS = 32 if FULL else 4
AUDIO_INTERMEDIATE = 512 if FULL else 16
MOTION_HEADS = 8 if FULL else 2
FACE_LOCATOR = (16, 32, 64, 128) if FULL else (4, 8, 16, 32)


def log(*a):
    print(*a, flush=True)


def rerandomise(module, generator):
    """Every parameter gets seeded noise, so zero-initialised convs, identity norms and zero biases all matter."""
    with torch.no_grad():
        for name, p in sorted(module.named_parameters()):
            if p.dim() >= 2:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=generator) / math.sqrt(fan_in))
            elif name.endswith("weight") and "norm" in name:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.05 * torch.randn(p.shape, generator=generator))


def soft_box(h, w, box, blur):
    """A rectangle with linear edges blur wide: fractional values, as Hallo's blurred masks have."""
    y = (torch.arange(h, dtype=torch.float64) + 0.5) / h
    x = (torch.arange(w, dtype=torch.float64) + 0.5) / w
    left, top, right, bottom = box

    def ramp(v, a, b):
        return ((v - a) / blur + 0.5).clamp(0, 1) * ((b - v) / blur + 0.5).clamp(0, 1)

    return (ramp(y, top, bottom)[:, None] * ramp(x, left, right)[None, :]).float()


def install_dump(net, pipeline):
    """HALLO_DUMP=FILE: the first call's output of each stage, for bisecting a parity failure (not in the fixture)."""
    dump = {}

    def keep(name, value):
        if name not in dump and isinstance(value, torch.Tensor):
            dump[name] = value.detach().clone().float()

    def hook(name):
        return lambda _m, inputs, output: keep(name, output[0] if isinstance(output, tuple) else output)
    unet = net.denoising_unet
    for name in ["conv_in", "down_blocks.0", "down_blocks.1", "down_blocks.2", "down_blocks.3", "mid_block",
                 "up_blocks.0", "up_blocks.1", "up_blocks.2", "up_blocks.3", ""] + [
                 f"down_blocks.{b}.{m}.0" for b in (0, 1) for m in ("resnets", "attentions", "audio_modules", "motion_modules")]:
        unet.get_submodule(name).register_forward_hook(hook("unet." + (name or "out")))
    net.face_locator.register_forward_hook(hook("face_locator"))
    net.audioproj.register_forward_hook(hook("audioproj"))
    unet_forward = unet.forward

    def unet_inputs(sample, t, **kw):
        keep("unet_in.sample", sample)
        keep("unet_in.encoder_hidden_states", kw["encoder_hidden_states"])
        keep("unet_in.mask_cond_fea", kw["mask_cond_fea"])
        keep("unet_in.audio_embedding", kw["audio_embedding"])
        return unet_forward(sample, t, **kw)
    unet.forward = unet_inputs
    encode = pipeline.vae.encode

    def vae_encode(x, *a, **k):
        keep("vae_encode_in", x)
        out = encode(x, *a, **k)
        keep("ref_latents_mean", out.latent_dist.mean)
        return out
    pipeline.vae.encode = vae_encode
    for name, m in net.reference_unet.named_modules():
        if type(m).__name__ == "BasicTransformerBlock":   # the writer: its bank holds norm1's output
            m.register_forward_hook(lambda mod, _i, _o, n=name: keep(f"bank.{n}", mod.bank[-1]) if mod.bank else None)
    return dump


def read_wav(path):
    with wave.open(path, "rb") as f:
        assert f.getsampwidth() == 2 and f.getnchannels() == 1
        rate, data = f.getframerate(), np.frombuffer(f.readframes(f.getnframes()), dtype="<i2")
    return rate, data.astype(np.float32) / 32768.0


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(SEED)
    torch.manual_seed(SEED)
    work = os.path.join(OUT, ".work")
    base = os.path.join(work, "stable-diffusion-v1-5")
    os.makedirs(os.path.join(base, "unet"), exist_ok=True)
    json.dump(SMALL_UNET, open(os.path.join(base, "unet", "config.json"), "w"), indent=1)
    safetensors.torch.save_file(diffusers.UNet2DConditionModel.from_config(SMALL_UNET).state_dict(),
                                os.path.join(base, "unet", "diffusion_pytorch_model.safetensors"))

    # ---- scripts/inference.py step 4 "build modules", call for call ----
    config = OmegaConf.load(os.path.join(HALLO, "configs/inference/default.yaml"))
    device, weight_dtype = torch.device("cpu"), torch.float32     # fp32: the parity is in fp32
    sched_kwargs = OmegaConf.to_container(config.noise_scheduler_kwargs)
    if config.enable_zero_snr:
        sched_kwargs.update(rescale_betas_zero_snr=True, timestep_spacing="trailing", prediction_type="v_prediction")
    val_noise_scheduler = inference.DDIMScheduler(**sched_kwargs)
    sched_kwargs.update({"beta_schedule": "scaled_linear"})
    vae = inference.AutoencoderKL.from_config(SMALL_VAE)
    reference_unet = inference.UNet2DConditionModel.from_pretrained(base, subfolder="unet")
    unet_kwargs = OmegaConf.to_container(config.unet_additional_kwargs)
    unet_kwargs["audio_attention_dim"] = AUDIO_DIM
    unet_kwargs["motion_module_kwargs"]["num_attention_heads"] = MOTION_HEADS
    denoising_unet = inference.UNet3DConditionModel.from_pretrained_2d(
        base, os.path.join(work, "mm_sd_v15_v2.ckpt"), subfolder="unet",   # absent: Hallo then skips that load
        unet_additional_kwargs=unet_kwargs, use_landmark=False)
    face_locator = inference.FaceLocator(conditioning_embedding_channels=SMALL_UNET["block_out_channels"][0],
                                         block_out_channels=FACE_LOCATOR)
    image_proj = inference.ImageProjModel(cross_attention_dim=denoising_unet.config.cross_attention_dim,
                                          clip_embeddings_dim=FACE_EMB, clip_extra_context_tokens=4)
    w2v_config = transformers.Wav2Vec2Config(**SMALL_W2V)
    audio_proj = inference.AudioProjModel(seq_len=5, blocks=w2v_config.num_hidden_layers,
                                          channels=w2v_config.hidden_size, intermediate_dim=AUDIO_INTERMEDIATE,
                                          output_dim=AUDIO_DIM, context_tokens=AUDIO_TOKENS).to(device=device,
                                                                                                dtype=weight_dtype)
    audio_encoder = Wav2VecModel(w2v_config)
    for m in (vae, image_proj, reference_unet, denoising_unet, face_locator, audio_proj, audio_encoder):
        rerandomise(m, g)
        with torch.no_grad():   # fp16-exact weights, stored as F16 like Hallo's released net.pth; the run is fp32
            for p in m.parameters():
                p.copy_(p.half().float())
    vae.requires_grad_(False)
    image_proj.requires_grad_(False)
    reference_unet.requires_grad_(False)
    denoising_unet.requires_grad_(False)
    face_locator.requires_grad_(False)
    audio_proj.requires_grad_(False)
    reference_unet.enable_gradient_checkpointing()
    denoising_unet.enable_gradient_checkpointing()
    net = inference.Net(reference_unet, denoising_unet, face_locator, image_proj, audio_proj)
    # AudioProcessor.__init__: from_pretrained leaves the encoder in eval mode; the feature encoder is frozen.
    audio_encoder.eval()
    audio_encoder.feature_extractor._freeze_parameters()
    log("built; denoising_unet.training =", denoising_unet.training)

    # ---- the checkpoint, in Hallo's layout (net.pth's keys) and EmoFarm's manifest ----
    class stored(dict):  # parameters as F16 (exact, see above), buffers such as pos_encoder.pe as they are; lazily
        def __init__(self, module):
            super().__init__(module.state_dict())
            self.params = {n for n, _ in module.named_parameters()}

        def __getitem__(self, k):
            v = super().__getitem__(k)
            return v.half() if k in self.params else v
    weights = work if CONDITIONED else OUT
    safetensors.torch.save_file(stored(net), os.path.join(weights, "net.safetensors"))
    safetensors.torch.save_file(stored(vae), os.path.join(weights, "vae.safetensors"))
    safetensors.torch.save_file(stored(audio_encoder), os.path.join(weights, "wav2vec2.safetensors"))
    if CONDITIONED:   # the same model as hallo-parity's, byte for byte, or the fixture's reuse of it is void
        for name in ("net.safetensors", "vae.safetensors", "wav2vec2.safetensors"):
            if open(os.path.join(work, name), "rb").read() != open(os.path.join(FIXTURE, name), "rb").read():
                sys.exit(f"{name} differs from tests/fixtures/hallo-parity/{name}: regenerate that fixture first")
    else:
        json.dump({"config": "sd15" if FULL else "hallo-tiny", "net": "net.safetensors", "vae": "vae.safetensors",
               "audio_encoder": "wav2vec2.safetensors", "clip_frames": CLIP, "motion_frames": MOTION},
                  open(os.path.join(OUT, "model.json"), "w"), indent=1)

    # ---- inputs: the bundled portrait and speech, reduced ----
    portrait = Image.open(os.path.join(HERE, "..", "..", "samples", "portrait.png")).convert("RGB")
    portrait = portrait.resize((SIZE, SIZE), Image.LANCZOS)
    if CONDITIONED:
        assert np.array_equal(np.asarray(portrait), np.asarray(Image.open(os.path.join(FIXTURE, "portrait.png")).convert("RGB")))
    else:
        portrait.save(os.path.join(OUT, "portrait.png"))
    rate, speech = read_wav(os.path.join(HERE, "..", "..", "samples", "speech.wav"))
    seconds = FRAMES / FPS
    # librosa.load(sr=16000) resamples with soxr; any fixed resampler will do, since both sides get these samples.
    n16 = int(round(seconds * RATE))
    t = (np.arange(n16) + 0.5) * rate / RATE - 0.5 + int(0.8 * rate)   # from 0.8 s: speech, not silence
    speech16 = np.interp(t, np.arange(len(speech)), speech).astype(np.float32)

    # ---- ImageProcessor.preprocess's outputs, fed in ----
    pixels = torch.from_numpy(np.asarray(portrait).copy()).permute(2, 0, 1).float().div(255)  # transforms.ToTensor
    source_image_pixels = (pixels - 0.5) / 0.5                                                  # Normalize([.5], [.5])
    face_box = (0.22, 0.14, 0.78, 0.86)
    region = soft_box(SIZE, SIZE, face_box, 1e-9).round()          # the face locator's mask is binary
    source_image_face_region = region[None].repeat(3, 1, 1)
    source_image_face_emb = torch.randn(FACE_EMB, generator=g) * 3
    levels = [SIZE // 8 // (2 ** i) for i in range(4)]
    full = [soft_box(s, s, (0.1, 0.05, 0.9, 0.95), 0.3).reshape(1, -1) for s in levels]
    face = [soft_box(s, s, face_box, 0.25).reshape(1, -1) for s in levels]
    lip = [soft_box(s, s, (0.35, 0.6, 0.65, 0.8), 0.2).reshape(1, -1) for s in levels]

    if CONDITIONED:   # ImageProcessor.preprocess and AudioProcessor.preprocess themselves, as inference.py calls them
        (source_image_pixels, source_image_face_region, source_image_face_emb, full, face, lip, speech16, audio_emb,
         audio_length, conditioned) = hallo_conditioned.preprocess(
            PROCESSORS, os.path.join(FIXTURE, "portrait.png"), audio_encoder, CLIP, SIZE, FPS, OUT)
        assert all(torch.equal(source_image_face_region[c], source_image_face_region[0]) for c in range(3))
        region = source_image_face_region[0]
        seq_len = audio_emb.shape[0]
    else:
        audio_emb, audio_length, seq_len = hallo_audio(speech16, audio_encoder)
    wav2vec_features = audio_emb.clone()                    # [seq_len, layers, C]
    log("audio", len(speech16), "samples,", audio_length, "frames, padded to", seq_len)
    main_loop(locals())


def hallo_audio(speech16, audio_encoder):
    # ---- AudioProcessor.preprocess, from "2. extract wav2vec features" on ----
    clip_length = CLIP
    speech_array = speech16
    audio_feature = (speech_array - speech_array.mean()) / np.sqrt(speech_array.var() + 1e-7)   # Wav2Vec2FeatureExtractor
    seq_len = math.ceil(len(audio_feature) / RATE * FPS)
    audio_length = seq_len
    audio_feature = torch.from_numpy(audio_feature).float()
    clip_length = CLIP
    if clip_length > 0 and seq_len % clip_length != 0:
        audio_feature = torch.nn.functional.pad(
            audio_feature, (0, (clip_length - seq_len % clip_length) * (RATE // FPS)), "constant", 0.0)
        seq_len += clip_length - seq_len % clip_length
    audio_feature = audio_feature.unsqueeze(0)
    with torch.no_grad():
        embeddings = audio_encoder(audio_feature, seq_len=seq_len, output_hidden_states=True)
    audio_emb = torch.stack(embeddings.hidden_states[1:], dim=1).squeeze(0)
    audio_emb = audio_emb.permute(1, 0, 2)                  # rearrange "b s d -> s b d"
    return audio_emb, audio_length, seq_len


def main_loop(v):
    (audio_emb, source_image_pixels, source_image_face_region, source_image_face_emb, full, face, lip, vae, net,
     val_noise_scheduler, config, device, weight_dtype, speech16, wav2vec_features, region, audio_length, levels,
     work) = (v[k] for k in ("audio_emb", "source_image_pixels", "source_image_face_region", "source_image_face_emb",
                             "full", "face", "lip", "vae", "net", "val_noise_scheduler", "config", "device",
                             "weight_dtype", "speech16", "wav2vec_features", "region", "audio_length", "levels", "work"))
    conditioned = v.get("conditioned")
    clip_length = CLIP

    # ---- step 5, line for line ----
    pipeline = inference.FaceAnimatePipeline(vae=vae, reference_unet=net.reference_unet,
                                             denoising_unet=net.denoising_unet, face_locator=net.face_locator,
                                             scheduler=val_noise_scheduler, image_proj=net.imageproj)
    pipeline.to(device=device, dtype=weight_dtype)
    audio_emb = inference.process_audio_emb(audio_emb)
    source_image_pixels = source_image_pixels.unsqueeze(0)
    source_image_face_region = source_image_face_region.unsqueeze(0)
    source_image_face_emb = source_image_face_emb.reshape(1, -1)
    source_image_face_emb = torch.tensor(source_image_face_emb)
    source_image_full_mask = [(mask.repeat(clip_length, 1)) for mask in full]
    source_image_face_mask = [(mask.repeat(clip_length, 1)) for mask in face]
    source_image_lip_mask = [(mask.repeat(clip_length, 1)) for mask in lip]
    times = audio_emb.shape[0] // clip_length
    tensor_result = []
    generator = torch.manual_seed(42)

    noises, step_latents = [], []
    prepare = pipeline.prepare_latents

    def recording_prepare(*a, **k):   # records each clip's initial noise; the draw itself is Hallo's
        latents = prepare(*a, **k)
        noises.append(latents.clone())
        return latents
    pipeline.prepare_latents = recording_prepare

    def on_step(_i, _t, latents):
        if len(noises) == 1:
            step_latents.append(latents.clone())

    dump = install_dump(net, pipeline) if os.environ.get("HALLO_DUMP") else None
    for t in range(times):
        log(f"[{t + 1}/{times}]")
        if len(tensor_result) == 0:
            motion_zeros = source_image_pixels.repeat(config.data.n_motion_frames, 1, 1, 1)
            motion_zeros = motion_zeros.to(dtype=source_image_pixels.dtype, device=source_image_pixels.device)
            pixel_values_ref_img = torch.cat([source_image_pixels, motion_zeros], dim=0)
        else:
            motion_frames = tensor_result[-1][0]
            motion_frames = motion_frames.permute(1, 0, 2, 3)
            motion_frames = motion_frames[0 - config.data.n_motion_frames:]
            motion_frames = motion_frames * 2.0 - 1.0
            motion_frames = motion_frames.to(dtype=source_image_pixels.dtype, device=source_image_pixels.device)
            pixel_values_ref_img = torch.cat([source_image_pixels, motion_frames], dim=0)
        pixel_values_ref_img = pixel_values_ref_img.unsqueeze(0)
        audio_tensor = audio_emb[t * clip_length: min((t + 1) * clip_length, audio_emb.shape[0])]
        audio_tensor = audio_tensor.unsqueeze(0)
        audio_tensor = audio_tensor.to(device=net.audioproj.device, dtype=net.audioproj.dtype)
        audio_tensor = net.audioproj(audio_tensor)
        pipeline_output = pipeline(
            ref_image=pixel_values_ref_img, audio_tensor=audio_tensor, face_emb=source_image_face_emb,
            face_mask=source_image_face_region, pixel_values_full_mask=source_image_full_mask,
            pixel_values_face_mask=source_image_face_mask, pixel_values_lip_mask=source_image_lip_mask,
            width=SIZE, height=SIZE, video_length=clip_length, num_inference_steps=STEPS, guidance_scale=CFG,
            generator=generator, motion_scale=MOTION_SCALE, callback=on_step)
        tensor_result.append(pipeline_output.videos)
    tensor_result = torch.cat(tensor_result, dim=2)
    tensor_result = tensor_result.squeeze(0)
    tensor_result = tensor_result[:, :audio_length]            # [c, f, h, w] in [0, 1]

    val_noise_scheduler.set_timesteps(STEPS)
    reference = {
        "audio_samples": torch.from_numpy(speech16),
        "wav2vec_features": wav2vec_features,
        "face_embedding": source_image_face_emb.reshape(-1),
        "face_region": region,
        "noise": torch.cat(noises, 0),                          # [clips, 4, CLIP, h, w]
        "clip0_step_latents": torch.cat(step_latents, 0),       # [steps, 4, CLIP, h, w]
        "timesteps": val_noise_scheduler.timesteps.clone(),
        # [f, 3, H, W] in [0, 1] as round(x * 65535) - 32768: 7.6e-6 from the float, half the size of F32
        "frames_q16": (tensor_result.permute(1, 0, 2, 3).double() * 65535).round().sub(32768).short(),
        "motion_scale": torch.tensor(MOTION_SCALE),
    }
    if conditioned is not None:
        # Hallo's noise is hallo-parity's (the same draws from torch.manual_seed(42)); store only what is new, and of
        # the frames every fourth and each clip's last two (the next clip's motion frames), to stay small.
        given = safetensors.torch.load_file(os.path.join(FIXTURE, "reference.safetensors"))
        assert torch.equal(given["noise"], reference.pop("noise")), "the noise differs from hallo-parity's"
        kept = torch.tensor([f for f in range(audio_length) if f % 4 == 0 or f % CLIP >= CLIP - MOTION])
        reference["frames_q16"] = reference["frames_q16"][kept]
        reference["frame_indices"] = kept.int()
        reference["landmarks"] = torch.tensor(conditioned.pop("landmarks"), dtype=torch.float64)
    for i in range(4):
        reference[f"mask_full_{i}"] = full[i].reshape(levels[i], levels[i])
        reference[f"mask_face_{i}"] = face[i].reshape(levels[i], levels[i])
        reference[f"mask_lip_{i}"] = lip[i].reshape(levels[i], levels[i])
    safetensors.torch.save_file({k: v.contiguous() for k, v in reference.items()},
                                os.path.join(OUT, "reference.safetensors"),
                                metadata={"steps": STEPS, "cfg": CFG, "clip_frames": CLIP, "motion_frames": MOTION,
                                          "fps": FPS, "size": SIZE, "audio_frames": audio_length})
    v = tensor_result
    log("frames", list(v.shape), "mean", float(v.mean()), "std", float(v.std()),
        "share at 0 or 1", float(((v <= 0) | (v >= 1)).float().mean()))
    if conditioned is not None:
        json.dump(conditioned, open(os.path.join(OUT, "conditioned.json"), "w"), indent=1)
    json.dump({"hallo": "8fd7c57", "diffusers": diffusers.__version__, "torch": torch.__version__,
               "transformers": transformers.__version__, "steps": STEPS, "cfg": CFG, "clip_frames": CLIP,
               "motion_frames": MOTION, "clips": times, "audio_frames": audio_length, "size": SIZE,
               "motion_scale": MOTION_SCALE, "seed": SEED},
              open(os.path.join(OUT, "versions.json"), "w"), indent=1)
    if dump is not None:
        safetensors.torch.save_file({k: v.contiguous() for k, v in dump.items()}, os.environ["HALLO_DUMP"])
    import shutil
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
