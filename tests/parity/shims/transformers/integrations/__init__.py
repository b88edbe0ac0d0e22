# SHIM (not transformers code): empty package marker.
