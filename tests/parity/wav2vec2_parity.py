"""Reference outputs for Wav2Vec2Parity.Run (tests/EmoFarm.Model.Tests/Parity/Wav2Vec2Parity.cs).

Builds transformers.Wav2Vec2Model with wav2vec2-base sizes and seeded random weights, and writes to DIR:
  weights.safetensors    the state dict (current transformers spells the positional conv's weight norm
                         parametrizations.weight.original0/1)
  input.safetensors      "input" [1, S], a seeded random waveform normalised like Wav2Vec2FeatureExtractor
  reference.safetensors  "hidden_states" [13, 1, T, 768], output_hidden_states=True stacked
                         "hallo_hidden_states" [13, 1, F, 768]: conv features resampled to F frames before the
                         projection and the encoder, as Hallo's Wav2VecModel does (F = 25 fps over the input)

Usage: python tests/parity/wav2vec2_parity.py DIR [--seconds 4] [--seed 0]
Then:  Wav2Vec2Parity.Run(DIR) from C#, which prints max abs / max rel error per output.
"""
import argparse
import math
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import Wav2Vec2Config, Wav2Vec2Model


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fps", type=float, default=25.0)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    torch.manual_seed(args.seed)
    config = Wav2Vec2Config()  # the defaults are wav2vec2-base: 12 layers, 768 wide, group-norm conv, post-LN
    model = Wav2Vec2Model(config).eval()
    # Random init leaves the norms at identity; perturb them so a swapped weight/bias would be caught.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.add_(0.1 * torch.randn_like(p))

    samples = int(args.seconds * 16000)
    wave = torch.randn(1, samples)
    wave = (wave - wave.mean()) / torch.sqrt(wave.var(unbiased=False) + 1e-7)

    with torch.no_grad():
        out = model(wave, output_hidden_states=True)
        hidden = torch.stack(out.hidden_states)

        frames = math.ceil(samples / 16000 * args.fps)
        feats = model.feature_extractor(wave)  # [1, C, T]
        feats = F.interpolate(feats, size=frames, mode="linear", align_corners=True).transpose(1, 2)
        projected, _ = model.feature_projection(feats)
        enc = model.encoder(projected, output_hidden_states=True)
        hallo = torch.stack(enc.hidden_states)

    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(args.dir, "weights.safetensors"))
    save_file({"input": wave.contiguous()}, os.path.join(args.dir, "input.safetensors"))
    save_file(
        {"hidden_states": hidden.contiguous(), "hallo_hidden_states": hallo.contiguous()},
        os.path.join(args.dir, "reference.safetensors"),
        metadata={"frames": str(frames), "fps": str(args.fps)},
    )
    print(f"wrote {len(state)} weights, input [1, {samples}], hidden {list(hidden.shape)}, hallo {list(hallo.shape)}")


if __name__ == "__main__":
    main()
