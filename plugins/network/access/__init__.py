"""Who may see and change what in the network map: its permissions in the shared access policy.

The names of a network's actors are decided by the same policy and the same roles that decide it for the
governance registry (``governance.view_names``: administrators and the province everywhere, a region user
in their own coordination area, a local user in their own municipality). A round lies in a coordination
area (or covers the whole province): :func:`round_scope` says where, and the policy decides.
"""

from __future__ import annotations

from typing import Any

from perhekeskus import Permission, ResourceScope

VIEW_NAMES = "network.view_names"
EDIT = "network.edit"

PERMISSIONS = (
    Permission(
        VIEW_NAMES,
        "See the names of a network's actors (others see pseudonyms such as 'Järjestö 3 (Nokia)').",
        ("admin", "province", "region", "local"),
        True,
    ),
    Permission(
        EDIT,
        "Import a network, open and close survey rounds, manage a round's roster.",
        ("admin", "province", "region", "coordinator"),
        True,
    ),
)


def round_scope(area_id: str | None, areas: Any):
    """Where a round lies: its coordination area and that area's municipalities; a province-wide round
    (``area_id`` None) lies in no single area, so only province-wide roles hold scoped permissions on it."""
    area = areas.area(area_id) if area_id else None
    if area is None:
        return ResourceScope()
    return ResourceScope(frozenset({area.area_id}), frozenset(area.municipalities))


def may(services: Any, user: Any, permission: str, area_id: str | None) -> bool:
    """Whether ``user`` holds ``permission`` on a round of ``area_id`` (None: the whole province)."""
    return services.policy.allows(user, permission, round_scope(area_id, services.areas))
