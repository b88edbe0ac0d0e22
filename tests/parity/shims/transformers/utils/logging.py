# SHIM (not transformers code): transformers.utils.logging reduced to get_logger + Logger.warning_once.
# Like the real module, it adds `warning_once` to logging.Logger (cached so each message is emitted once).
import functools
import logging

_root_name = "transformers"


@functools.lru_cache(None)
def _warning_once(self, *args, **kwargs):
    self.warning(*args, **kwargs)


def warning_once(self, *args, **kwargs):
    _warning_once(self, *args, **kwargs)


logging.Logger.warning_once = warning_once


def get_logger(name=None):
    return logging.getLogger(name if name is not None else _root_name)


def set_verbosity(level):
    logging.getLogger(_root_name).setLevel(level)


def set_verbosity_error():
    set_verbosity(logging.ERROR)
