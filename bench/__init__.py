"""Tools for measuring the tracker, outside the product: scale data, the floor views, and the
benchmark and load-test commands. A deployment need not ship this folder; no product app imports
it (settings.py installs it only when it is present and DEVELOPMENT_TOOLS allows)."""
