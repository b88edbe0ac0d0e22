"""Shim: huggingface_hub.constants, pointing at a cache that is never used."""
HF_HOME = "/tmp/hf-shim"
HF_HUB_CACHE = "/tmp/hf-shim/hub"
HF_HUB_OFFLINE = True
HF_HUB_DISABLE_TELEMETRY = True
