#!/usr/bin/env python3
"""Reference outputs for EmoFarm's TorchSharp UNet2D and VAE (parity run on the GPU machine).

Builds diffusers' UNet2DConditionModel and AutoencoderKL with seeded random weights (SD1.5 layout, or the
`--tiny` widths of UnetConfig.Tiny / VaeConfig.Tiny), runs them once in fp32, and writes to OUT_DIR:
  config.json        {"preset": "sd15" | "tiny"}
  unet.safetensors   UNet state dict (keys as in diffusers; ReferenceNet(outputHead: true) loads them)
  vae.safetensors    AutoencoderKL state dict
  io.safetensors     unet_sample, unet_timestep, unet_context, unet_out,
                     vae_images, vae_latents (posterior mean * 0.18215), vae_decoded

Then `UnetParity.Run(OUT_DIR, device)` in EmoFarm.Model loads the same weights and prints max abs/rel errors.

Needs torch, safetensors and diffusers 0.27.x (the layout Hallo pins). Where diffusers is not installed, put the
`src/` of a diffusers v0.27.2 checkout on PYTHONPATH, and tests/parity/shims for safetensors and huggingface_hub.

The committed CI fixture tests/fixtures/diffusers-parity was made on Debian 12's python3-torch 1.13 with
  PYTHONPATH=$DIFFUSERS_SRC:tests/parity/shims /usr/bin/python3 tests/parity/unet_vae_parity.py \
      tests/fixtures/diffusers-parity --tiny --device cpu
and UnetParityTests checks it on every run.

usage: python3 unet_vae_parity.py OUT_DIR [--tiny] [--device cuda] [--size 64]
"""
import argparse
import json
import os

import torch
from diffusers import AutoencoderKL, UNet2DConditionModel
from safetensors.torch import save_file


def build_unet(tiny: bool, custom=None) -> UNet2DConditionModel:
    if custom:
        levels = len(custom["block_out_channels"])
        return UNet2DConditionModel(
            sample_size=16, in_channels=4, out_channels=4, layers_per_block=custom["layers_per_block"],
            block_out_channels=tuple(custom["block_out_channels"]), attention_head_dim=custom["heads"],
            cross_attention_dim=custom["cross_attention_dim"], norm_num_groups=custom["norm_groups"], norm_eps=1e-5,
            flip_sin_to_cos=True, freq_shift=0,
            down_block_types=("CrossAttnDownBlock2D",) * (levels - 1) + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * (levels - 1))
    if not tiny:
        # SD1.5's config.json, less the fields that only the pipeline reads.
        return UNet2DConditionModel(
            sample_size=64, in_channels=4, out_channels=4, layers_per_block=2,
            block_out_channels=(320, 640, 1280, 1280), attention_head_dim=8, cross_attention_dim=768,
            norm_num_groups=32, norm_eps=1e-5, flip_sin_to_cos=True, freq_shift=0,
            down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3)
    return UNet2DConditionModel(
        sample_size=16, in_channels=4, out_channels=4, layers_per_block=1,
        block_out_channels=(32, 64, 64), attention_head_dim=2, cross_attention_dim=32,
        norm_num_groups=8, norm_eps=1e-5, flip_sin_to_cos=True, freq_shift=0,
        down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"))


def build_vae(tiny: bool) -> AutoencoderKL:
    channels, layers, groups = ((16, 16, 32, 32), 1, 8) if tiny else ((128, 256, 512, 512), 2, 32)
    return AutoencoderKL(
        in_channels=3, out_channels=3, latent_channels=4, block_out_channels=channels,
        layers_per_block=layers, norm_num_groups=groups,
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4)


def contiguous(state):
    return {k: v.detach().contiguous().cpu() for k, v in state.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--unet", default=None, help="JSON widths: block_out_channels, layers_per_block, heads, "
                        "cross_attention_dim, norm_groups (a custom UNet for bisecting a mismatch)")
    parser.add_argument("--size", type=int, default=None, help="latent size (default 64 for sd15, 16 tiny)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    # TF32 would make the reference itself differ from fp32 by ~1e-3.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    size = args.size or (16 if args.tiny else 64)
    custom = json.loads(args.unet) if args.unet else None
    context_dim = custom["cross_attention_dim"] if custom else 32 if args.tiny else 768

    torch.manual_seed(1234)
    unet = build_unet(args.tiny, custom).eval().to(args.device)
    vae = build_vae(args.tiny).eval().to(args.device)
    g = torch.Generator().manual_seed(5678)
    sample = torch.randn(2, 4, size, size, generator=g)
    timestep = torch.tensor([10, 700], dtype=torch.int64)
    context = torch.randn(2, 77, context_dim, generator=g)
    images = torch.rand(2, 3, size * 8, size * 8, generator=g) * 2 - 1

    with torch.no_grad():
        unet_out = unet(sample.to(args.device), timestep.to(args.device), context.to(args.device)).sample
        latents = vae.encode(images.to(args.device)).latent_dist.mean * 0.18215
        decoded = vae.decode(latents / 0.18215).sample

    save_file(contiguous(unet.state_dict()), os.path.join(args.out, "unet.safetensors"))
    save_file(contiguous(vae.state_dict()), os.path.join(args.out, "vae.safetensors"))
    save_file(contiguous({
        "unet_sample": sample, "unet_timestep": timestep, "unet_context": context, "unet_out": unet_out,
        "vae_images": images, "vae_latents": latents, "vae_decoded": decoded,
    }), os.path.join(args.out, "io.safetensors"))
    with open(os.path.join(args.out, "config.json"), "w", encoding="utf-8") as f:
        json.dump({"preset": "tiny" if args.tiny else "sd15", "unet": custom}, f)
    print(f"wrote {args.out}: unet_out {tuple(unet_out.shape)} |.|max {unet_out.abs().max().item():.4f}, "
          f"vae_decoded {tuple(decoded.shape)}")


if __name__ == "__main__":
    main()
