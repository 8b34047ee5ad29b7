"""Fixtures of this folder, defined in feedback_moderation_world.py (a module name of its own, so that tests import its
helpers by that name: pytest puts each test folder on the path, and "conftest" would be any folder's)."""

from feedback_moderation_world import moderation_home, server, settings  # noqa: F401
