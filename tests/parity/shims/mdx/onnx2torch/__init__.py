"""Shim: mdx_separator imports onnx2torch, which it calls only when segment_size != dim_t (not Hallo's case)."""


def convert(*_a, **_k):
    raise NotImplementedError("onnx2torch shim: audio-separator converts only when segment_size != dim_t")
