"""Families' feedback: a built-in plugin (see plugin.py)."""
