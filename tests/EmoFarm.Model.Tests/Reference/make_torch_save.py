"""Writes the torch.save fixtures that TorchArchiveTests read, with Debian's python3-torch (1.13):

  torch_save.pth          a state dict as torch.save writes it (zip archive, pickle protocol 2)
  torch_save.safetensors  the same tensors, contiguous, in safetensors: the values the C# reader must return
  torch_save_evil.pth     a torch.save archive whose pickle calls os.system (posix.system on Linux)

Run from this folder: /usr/bin/python3 make_torch_save.py. CI never runs it; the outputs are committed.
"""
import collections
import json
import os
import struct

import torch

# The command the malicious pickle would run. The test checks that this file never appears.
PWNED = "/tmp/emofarm-unpickle-pwned"


def state_dict():
    g = torch.Generator().manual_seed(20240227)
    sd = collections.OrderedDict()
    sd["f32"] = torch.randn(3, 4, generator=g)
    sd["f16"] = torch.randn(5, generator=g).half()
    sd["bf16"] = torch.randn(2, 3, generator=g).bfloat16()
    sd["i64"] = torch.arange(-3, 4, dtype=torch.int64) * 1_000_000_007
    sd["transposed"] = torch.randn(3, 5, generator=g).t()      # shape (5, 3), strides (1, 5)
    sd["scalar"] = torch.tensor(2.5)                            # 0-d
    base = torch.randn(12, generator=g)
    sd["shared.a"] = base[1:4]                                  # storage offset 1
    sd["shared.b"] = base[4:10].view(2, 3)                      # same storage, offset 4
    sd["param"] = torch.nn.Parameter(torch.randn(2, 2, generator=g))  # pickled through _rebuild_parameter
    # What module.state_dict() attaches; torch.save pickles it as BUILD on the OrderedDict.
    sd._metadata = collections.OrderedDict({"": {"version": 1}})
    return sd


def raw(t):
    t = t.detach().contiguous().reshape(-1)
    return t.view(torch.uint8).numpy().tobytes() if t.numel() else b""


NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}


def save_safetensors(tensors, path):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        blob = raw(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > " + PWNED,))


def main():
    sd = state_dict()
    assert sd["shared.a"].storage().data_ptr() == sd["shared.b"].storage().data_ptr()
    assert not sd["transposed"].is_contiguous()
    torch.save(sd, "torch_save.pth")
    save_safetensors(sd, "torch_save.safetensors")
    torch.save(collections.OrderedDict([("w", torch.zeros(2)), ("payload", Evil())]), "torch_save_evil.pth")
    for name in ("torch_save.pth", "torch_save.safetensors", "torch_save_evil.pth"):
        print(name, os.path.getsize(name), "bytes")


if __name__ == "__main__":
    main()
