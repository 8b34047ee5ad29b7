"""The capacity plugin's permissions, audit events and settings, declared to the platform."""

from __future__ import annotations

from perhekeskus.plugins.capacity.access import AUDIT_EVENTS, PERMISSIONS, SETTINGS


def permissions() -> list:
    return list(PERMISSIONS)


def audit_events() -> list:
    return list(AUDIT_EVENTS)


def settings() -> list:
    return list(SETTINGS)
