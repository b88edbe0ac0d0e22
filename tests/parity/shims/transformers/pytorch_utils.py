# SHIM (not transformers code): only the flag modeling_wav2vec2.py imports.
# Real transformers computes it from torch.__version__; the torch here is Debian's 1.13.x, so it is True.
# (It only selects torch.load(..., weights_only=True) inside Wav2Vec2PreTrainedModel.load_adapter.)
is_torch_greater_or_equal_than_1_13 = True
