"""The service map's permission, declared to the shared policy."""

from __future__ import annotations

from perhekeskus.plugins.service_map.access import PERMISSIONS


def permissions() -> list:
    return list(PERMISSIONS)
