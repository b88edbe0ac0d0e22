"""Shim: spec_utils imports audioread at module level; the MDX path never calls it (soundfile reads WAV)."""
