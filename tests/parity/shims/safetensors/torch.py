"""Shim: safetensors.torch's save_file / load_file / save / load, written from the file format's specification
(u64 little-endian header length, a JSON header of name -> dtype, shape, data_offsets, then the raw bytes)."""
import json
import struct

import torch

_DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}
_NAMES = {v: k for k, v in _DTYPES.items()}


def _header(tensors, metadata):
    header, offset = {}, 0
    for name in sorted(tensors):
        t = tensors[name]
        size = t.numel() * t.element_size()
        header[name] = {"dtype": _NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + size]}
        offset += size
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def _raw(t):
    t = t.detach().contiguous().cpu()
    return t.view(torch.uint8).numpy().tobytes() if t.numel() else b""


def save(tensors, metadata=None):
    return _header(tensors, metadata) + b"".join(_raw(tensors[name]) for name in sorted(tensors))


def save_file(tensors, filename, metadata=None):
    with open(filename, "wb") as f:   # one tensor at a time: a full-width checkpoint never sits in memory twice
        f.write(_header(tensors, metadata))
        for name in sorted(tensors):
            f.write(_raw(tensors[name]))


def load(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    base, out = 8 + n, {}
    for name, e in header.items():
        a, b = e["data_offsets"]
        buf = bytearray(data[base + a:base + b])
        flat = torch.frombuffer(buf, dtype=torch.uint8) if buf else torch.empty(0, dtype=torch.uint8)
        out[name] = flat.view(_DTYPES[e["dtype"]]).reshape(e["shape"]).clone()
    return out


def load_file(filename, device="cpu"):
    with open(filename, "rb") as f:
        return {k: v.to(device) for k, v in load(f.read()).items()}
