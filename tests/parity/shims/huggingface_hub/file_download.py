"""Shim: huggingface_hub.file_download's commit-hash pattern."""
import re

REGEX_COMMIT_HASH = re.compile(r"^[0-9a-f]{40}$")
