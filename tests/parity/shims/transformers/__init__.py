# SHIM (not transformers code): minimal package entry point for a reference environment.
# Only the wav2vec2 model/config files (models/wav2vec2/*) and activations.py are transformers' own code;
# everything else in this package is a small stand-in for infrastructure that plays no part in the math.
# See tests/parity/README.md for where the three fetched files come from.
__version__ = "4.39.2-shim (wav2vec2 files verbatim from 00363c3)"

from .configuration_utils import PretrainedConfig
from .modeling_utils import PreTrainedModel
from .models.wav2vec2.configuration_wav2vec2 import Wav2Vec2Config
from .models.wav2vec2.modeling_wav2vec2 import (
    Wav2Vec2ForCTC,
    Wav2Vec2ForPreTraining,
    Wav2Vec2Model,
    Wav2Vec2PreTrainedModel,
)

__all__ = [
    "PretrainedConfig",
    "PreTrainedModel",
    "Wav2Vec2Config",
    "Wav2Vec2ForCTC",
    "Wav2Vec2ForPreTraining",
    "Wav2Vec2Model",
    "Wav2Vec2PreTrainedModel",
]
