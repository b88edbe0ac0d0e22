"""Shim: the names diffusers 0.27.2 imports from huggingface_hub. The reference never downloads, so every call fails."""
__version__ = "0.0-shim"


def _offline(*_args, **_kwargs):
    raise RuntimeError("huggingface_hub shim: the parity reference runs offline and never calls the hub")


cached_download = hf_hub_download = model_info = snapshot_download = create_repo = upload_folder = _offline
create_commit = _offline


class ModelCard:  # referenced in type positions only
    pass


class ModelCardData:
    pass
