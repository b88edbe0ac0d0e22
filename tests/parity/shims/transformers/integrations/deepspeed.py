# SHIM (not transformers code): DeepSpeed ZeRO-3 is never enabled in this reference environment.
def is_deepspeed_zero3_enabled():
    return False
