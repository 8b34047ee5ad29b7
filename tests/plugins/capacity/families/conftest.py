"""Fixtures of this folder, defined in capacity_families_world.py (a module name of its own: pytest puts
each test folder on the path, and "conftest" would be any folder's)."""

from capacity_families_world import families_home, server, services, settings  # noqa: F401
