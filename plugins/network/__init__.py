"""The network map of the family-centre actors: a built-in plugin (see plugin.py)."""
