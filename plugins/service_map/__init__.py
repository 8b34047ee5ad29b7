"""The service map: a built-in plugin (see plugin.py)."""
