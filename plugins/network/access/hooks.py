"""The network map's permissions, declared to the shared policy."""

from __future__ import annotations

from perhekeskus.plugins.network.access import PERMISSIONS


def permissions() -> list:
    return list(PERMISSIONS)
