"""Fixtures of this folder, defined in capacity_views_world.py (a module name of its own: pytest puts each
test folder on the path, and "conftest" would be any folder's)."""

from capacity_views_world import world  # noqa: F401
