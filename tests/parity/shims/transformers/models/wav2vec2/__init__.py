# SHIM (not transformers code): the real file is a lazy-import table; here the two verbatim modules are imported directly.
from .configuration_wav2vec2 import Wav2Vec2Config
from .modeling_wav2vec2 import Wav2Vec2ForCTC, Wav2Vec2Model, Wav2Vec2PreTrainedModel
