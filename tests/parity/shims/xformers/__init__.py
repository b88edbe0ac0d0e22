"""Shim: Hallo imports xformers at module level; the reference never enables it."""
