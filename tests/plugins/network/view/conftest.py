"""Fixtures of this folder, defined in network_view_world.py (a module name of its own, so that tests import its
helpers by that name: pytest puts each test folder on the path, and "conftest" would be any folder's)."""

from network_view_world import _fresh_audit_marks, world  # noqa: F401
