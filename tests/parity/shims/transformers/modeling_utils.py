# SHIM (not transformers code): a reduced transformers.PreTrainedModel.
# What it keeps from the real class, because the verbatim model code relies on it:
#   * __init__(config) stores `config` (and name_or_path);
#   * post_init() -> init_weights() -> self.apply(self._initialize_weights) where _initialize_weights calls the
#     subclass's _init_weights(module) once per module (the `_is_hf_initialized` flag, as in transformers, so a
#     head model does not re-initialise the already-initialised base model), then tie_weights();
#   * from_pretrained(local_dir) reading config.json + model.safetensors (pure-Python reader) or
#     pytorch_model.bin, with transformers' prefix handling (base <-> head checkpoints, `base_model_prefix`) and
#     its legacy gamma/beta -> weight/bias key renaming; save_pretrained(dir);
#   * gradient_checkpointing_enable/disable, device/dtype, num_parameters.
# What it drops: hub download, sharded checkpoints, low_cpu_mem_usage/_fast_init, quantisation, device_map,
# PEFT/adapters integration, generation.
import functools
import os
import re

import torch
import torch.utils.checkpoint
from torch import nn

from .configuration_utils import PretrainedConfig
from safetensors.torch import load_file as _safe_load_file  # the pure-Python shim beside this package
from safetensors.torch import save_file as _safe_save_file
from .utils import CONFIG_NAME, SAFE_WEIGHTS_NAME, WEIGHTS_NAME, logging

logger = logging.get_logger(__name__)

_HUB_KWARGS = (
    "cache_dir", "force_download", "resume_download", "proxies", "local_files_only", "token", "use_auth_token",
    "revision", "subfolder", "trust_remote_code", "mirror", "_fast_init", "low_cpu_mem_usage", "device_map",
    "ignore_mismatched_sizes", "use_safetensors", "output_loading_info", "variant", "from_tf", "from_flax",
)


class PreTrainedModel(nn.Module):
    config_class = None
    base_model_prefix = ""
    main_input_name = "input_ids"
    supports_gradient_checkpointing = False
    _supports_flash_attn_2 = False
    _supports_sdpa = False
    _keys_to_ignore_on_load_missing = None
    _keys_to_ignore_on_load_unexpected = None

    def __init__(self, config: PretrainedConfig, *inputs, **kwargs):
        super().__init__()
        if not isinstance(config, PretrainedConfig):
            raise ValueError(
                f"Parameter config in `{self.__class__.__name__}(config)` should be an instance of class "
                "`PretrainedConfig`."
            )
        self.config = config
        self.name_or_path = config.name_or_path

    # ---------------------------------------------------------------- init
    def post_init(self):
        self.init_weights()

    def _initialize_weights(self, module):
        if getattr(module, "_is_hf_initialized", False):
            return
        self._init_weights(module)
        module._is_hf_initialized = True

    def _init_weights(self, module):
        pass

    def init_weights(self):
        self.apply(self._initialize_weights)
        self.tie_weights()

    def tie_weights(self):
        pass

    # ---------------------------------------------------------------- misc
    @property
    def base_model(self) -> nn.Module:
        return getattr(self, self.base_model_prefix, self)

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    @property
    def dtype(self) -> torch.dtype:
        for p in self.parameters():
            if p.is_floating_point():
                return p.dtype
        return torch.get_default_dtype()

    def num_parameters(self, only_trainable: bool = False) -> int:
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not only_trainable)

    @property
    def is_gradient_checkpointing(self) -> bool:
        return any(getattr(m, "gradient_checkpointing", False) for m in self.modules())

    def gradient_checkpointing_enable(self, gradient_checkpointing_kwargs=None):
        if not self.supports_gradient_checkpointing:
            raise ValueError(f"{self.__class__.__name__} does not support gradient checkpointing.")
        if gradient_checkpointing_kwargs is None:
            gradient_checkpointing_kwargs = {"use_reentrant": True}
        func = functools.partial(torch.utils.checkpoint.checkpoint, **gradient_checkpointing_kwargs)
        self._set_gradient_checkpointing(enable=True, gradient_checkpointing_func=func)

    def gradient_checkpointing_disable(self):
        if self.supports_gradient_checkpointing:
            self._set_gradient_checkpointing(enable=False)

    def _set_gradient_checkpointing(self, enable: bool = True, gradient_checkpointing_func=torch.utils.checkpoint.checkpoint):
        is_set = False
        for module in self.modules():
            if hasattr(module, "gradient_checkpointing"):
                module._gradient_checkpointing_func = gradient_checkpointing_func
                module.gradient_checkpointing = enable
                is_set = True
        if not is_set:
            raise ValueError(f"{self.__class__.__name__} has no module with a `gradient_checkpointing` attribute.")
        if enable:
            self.train()

    # ---------------------------------------------------------------- save / load
    def save_pretrained(self, save_directory, safe_serialization: bool = True, state_dict=None, **kwargs):
        if os.path.isfile(save_directory):
            raise ValueError(f"Provided path ({save_directory}) should be a directory, not a file")
        os.makedirs(save_directory, exist_ok=True)
        self.config.architectures = [self.__class__.__name__]
        self.config.save_pretrained(save_directory)
        if state_dict is None:
            state_dict = self.state_dict()
        if safe_serialization:
            _safe_save_file(
                {k: v.detach().cpu().contiguous().clone() for k, v in state_dict.items()},
                os.path.join(save_directory, SAFE_WEIGHTS_NAME),
                metadata={"format": "pt"},
            )
        else:
            torch.save(state_dict, os.path.join(save_directory, WEIGHTS_NAME))

    @staticmethod
    def _fix_key(key):
        # transformers.modeling_utils._load_state_dict_into_model renames legacy TF-style names
        if "gamma" in key:
            return key.replace("gamma", "weight")
        if "beta" in key:
            return key.replace("beta", "bias")
        return key

    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path, *model_args, config=None, **kwargs):
        path = str(pretrained_model_name_or_path)
        if not os.path.isdir(path):
            raise EnvironmentError(
                f"'{path}' is not a local directory; this shim of transformers cannot download from a hub."
            )
        for k in _HUB_KWARGS:
            kwargs.pop(k, None)
        torch_dtype = kwargs.pop("torch_dtype", None)
        attn_implementation = kwargs.pop("attn_implementation", None)
        state_dict = kwargs.pop("state_dict", None)

        if config is None:
            config, model_kwargs = cls.config_class.from_pretrained(path, return_unused_kwargs=True, **kwargs)
        else:
            model_kwargs = kwargs
        if attn_implementation is not None:
            config._attn_implementation = attn_implementation
        config.name_or_path = path

        model = cls(config, *model_args, **model_kwargs)

        if state_dict is None:
            safe = os.path.join(path, SAFE_WEIGHTS_NAME)
            pt = os.path.join(path, WEIGHTS_NAME)
            if os.path.isfile(safe):
                state_dict = _safe_load_file(safe)
            elif os.path.isfile(pt):
                try:
                    state_dict = torch.load(pt, map_location="cpu", weights_only=True)
                except Exception:
                    state_dict = torch.load(pt, map_location="cpu")
            else:
                raise EnvironmentError(f"Error no file named {SAFE_WEIGHTS_NAME} or {WEIGHTS_NAME} found in {path}.")

        state_dict = {cls._fix_key(k): v for k, v in state_dict.items()}
        loaded_keys = list(state_dict.keys())
        expected_keys = list(model.state_dict().keys())
        prefix = model.base_model_prefix

        has_prefix_module = any(k.startswith(prefix + ".") for k in loaded_keys) if prefix else False
        expects_prefix_module = any(k.startswith(prefix + ".") for k in expected_keys) if prefix else False
        remove_prefix_from_model = not has_prefix_module and expects_prefix_module  # base ckpt -> head model
        add_prefix_to_model = has_prefix_module and not expects_prefix_module  # head ckpt -> base model

        target = model
        if add_prefix_to_model:
            state_dict = {k[len(prefix) + 1 :]: v for k, v in state_dict.items() if k.startswith(prefix + ".")}
            unexpected_from_head = [k for k in loaded_keys if not k.startswith(prefix + ".")]
        else:
            unexpected_from_head = []
        if remove_prefix_from_model:
            target = getattr(model, prefix)

        missing, unexpected = target.load_state_dict(state_dict, strict=False)
        unexpected = list(unexpected) + unexpected_from_head
        if cls._keys_to_ignore_on_load_unexpected:
            unexpected = [k for k in unexpected if not any(re.search(p, k) for p in cls._keys_to_ignore_on_load_unexpected)]
        if cls._keys_to_ignore_on_load_missing:
            missing = [k for k in missing if not any(re.search(p, k) for p in cls._keys_to_ignore_on_load_missing)]
        if unexpected:
            logger.warning(f"Some weights of the checkpoint at {path} were not used when initializing "
                           f"{cls.__name__}: {unexpected}")
        if missing:
            logger.warning(f"Some weights of {cls.__name__} were not initialized from the checkpoint at {path} "
                           f"and are newly initialized: {missing}")
        model._loading_info = {"missing_keys": list(missing), "unexpected_keys": unexpected}

        model.tie_weights()
        if torch_dtype is not None and torch_dtype != "auto":
            if isinstance(torch_dtype, str):
                torch_dtype = getattr(torch, torch_dtype)
            model = model.to(torch_dtype)
        model.eval()
        return model
