"""Who may change the service map: its permission in the shared access policy.

The service map itself is public (services are public information). Editors change services within their
own scope: a service lies in the municipalities it serves (:func:`service_scope`), so a local user edits
services of their municipality, a region user those of their coordination area.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from perhekeskus import Permission, ResourceScope

EDIT = "service_map.edit"

PERMISSIONS = (
    Permission(
        EDIT,
        "Add, change and remove services of the service map, and import them from a file.",
        ("admin", "province", "region", "local", "coordinator"),
        True,
    ),
)


def service_scope(municipalities: Iterable[str], areas: Any) -> ResourceScope:
    """Where a service serving ``municipalities`` lies: those municipalities and their areas."""
    codes = frozenset(municipalities)
    regions = frozenset(a.area_id for a in areas.areas if codes & set(a.municipalities))
    return ResourceScope(regions, codes)


def may_edit(services: Any, user: Any, municipalities: Iterable[str] | None) -> bool:
    """Whether ``user`` may edit a service serving ``municipalities`` (None: anywhere, e.g. to open the
    editor at all)."""
    scope = None if municipalities is None else service_scope(municipalities, services.areas)
    return services.policy.allows(user, EDIT, scope)
