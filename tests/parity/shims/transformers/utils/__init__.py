# SHIM (not transformers code): the names that the verbatim files import from transformers.utils.
# Docstring decorators are reduced (they only edit __doc__ in transformers); availability probes answer
# for this environment (no flash-attn, no peft, no safetensors package).
import os

from . import logging
from .generic import ModelOutput

WEIGHTS_NAME = "pytorch_model.bin"
SAFE_WEIGHTS_NAME = "model.safetensors"
CONFIG_NAME = "config.json"


def add_start_docstrings(*docstr):
    def docstring_decorator(fn):
        fn.__doc__ = "".join(docstr) + (fn.__doc__ if fn.__doc__ is not None else "")
        return fn

    return docstring_decorator


def add_start_docstrings_to_model_forward(*docstr):
    def docstring_decorator(fn):
        fn.__doc__ = "".join(docstr) + (fn.__doc__ if fn.__doc__ is not None else "")
        return fn

    return docstring_decorator


def add_end_docstrings(*docstr):
    def docstring_decorator(fn):
        fn.__doc__ = (fn.__doc__ if fn.__doc__ is not None else "") + "".join(docstr)
        return fn

    return docstring_decorator


def add_code_sample_docstrings(*args, **kwargs):
    def docstring_decorator(fn):
        return fn

    return docstring_decorator


def replace_return_docstrings(output_type=None, config_class=None):
    def docstring_decorator(fn):
        return fn

    return docstring_decorator


def is_flash_attn_2_available():
    return False


def is_flash_attn_greater_or_equal_2_10():
    return False


def is_peft_available():
    return False


def is_safetensors_available():
    # The `safetensors` package is not installed; modeling_utils has its own small reader/writer instead.
    return False


def is_torch_available():
    return True


def cached_file(path_or_repo_id, filename, **kwargs):
    """Placeholder for the hub-aware resolver: only resolves files inside a local directory."""
    path_or_repo_id = str(path_or_repo_id)
    if os.path.isdir(path_or_repo_id):
        resolved = os.path.join(path_or_repo_id, filename)
        if os.path.isfile(resolved):
            return resolved
        raise EnvironmentError(f"{path_or_repo_id} does not appear to have a file named {filename}.")
    raise EnvironmentError(
        f"{path_or_repo_id} is not a local directory; this shim of transformers cannot download from a hub."
    )
