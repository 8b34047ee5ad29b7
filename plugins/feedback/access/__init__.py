"""Who may read, moderate and export families' feedback: its permissions in the shared access policy.

Anyone may give feedback and read the public summary (approved, publishable content of groups of at least
five answers). Reading the numbers and approved quotes beside the indicators of an area, moderating and
exporting are permissions of signed-in roles, limited to where the answer's municipality lies
(:func:`municipality_scope`): a moderator scoped to an area moderates that area's municipalities.
"""

from __future__ import annotations

from typing import Any

from perhekeskus import Permission, ResourceScope

READ = "feedback.read"
MODERATE = "feedback.moderate"
EXPORT = "feedback.export"

PERMISSIONS = (
    Permission(
        READ,
        "Read families' feedback of an area beside its indicators (never groups under five answers).",
        ("admin", "province", "region", "local", "moderator"),
        True,
    ),
    Permission(
        MODERATE,
        "Approve or hide answers, mark quotes publishable and confirm their themes.",
        ("admin", "moderator"),
        True,
    ),
    Permission(
        EXPORT,
        "Download anonymised feedback (CSV, XLSX) of an area.",
        ("admin", "province", "region", "moderator"),
        True,
    ),
)


def municipality_scope(code: str | None, areas: Any) -> ResourceScope:
    """Where an answer about municipality ``code`` lies: its coordination area and the municipality.
    An answer about "other" (outside the province) lies in no area: only province-wide roles hold it."""
    area = areas.area_of(code) if code else None
    if area is None:
        return ResourceScope()
    return ResourceScope(frozenset({area.area_id}), frozenset({code}))


def area_scope(area_id: str | None, areas: Any) -> ResourceScope:
    """Where a whole coordination area's feedback lies (None: the whole province)."""
    area = areas.area(area_id) if area_id else None
    if area is None:
        return ResourceScope()
    return ResourceScope(frozenset({area.area_id}), frozenset(area.municipalities))


def may(services: Any, user: Any, permission: str, scope: ResourceScope | None) -> bool:
    return services.policy.allows(user, permission, scope)
