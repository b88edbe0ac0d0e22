"""Shim: a pure-Python safetensors (no such package on Debian 12). Only the format, nothing else."""


class SafetensorError(Exception):
    pass
