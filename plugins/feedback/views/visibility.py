"""Who sees which tier of the feedback numbers on a page.

Anonymous visitors, and signed-in users without ``feedback.read`` for the whole of what a page shows,
see the public tier (what the public summary shows). A user sees the full tier of a page only when the
one policy allows ``feedback.read`` for *every* part of it: a municipality page needs the municipality;
an area page needs each of its municipalities (so a local user of one municipality does not read the
whole area's unmoderated numbers); the province page needs the province-wide scope (answers from
outside the province lie in no area). Exports ask the same of ``feedback.export``.
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.feedback.access import EXPORT, READ, area_scope, municipality_scope
from perhekeskus.plugins.feedback.views.aggregate import FULL, PUBLIC


def allowed(
    services: Any, user: Any, permission: str, level: str, area_id: str | None, code: str | None
) -> bool:
    """Whether ``user`` holds ``permission`` for all of the page's answers."""
    if user is None:
        return False
    policy, areas = services.policy, services.areas
    if level == "local" and code:
        return policy.allows(user, permission, municipality_scope(code, areas))
    if level == "region" and area_id:
        area = areas.area(area_id)
        if area is None:
            return False
        return all(policy.allows(user, permission, municipality_scope(m, areas)) for m in area.municipalities)
    return policy.allows(user, permission, area_scope(None, areas))


def tier_for(services: Any, user: Any, level: str, area_id: str | None, code: str | None) -> str:
    return FULL if allowed(services, user, READ, level, area_id, code) else PUBLIC


def may_export(services: Any, user: Any, level: str, area_id: str | None, code: str | None) -> bool:
    return allowed(services, user, EXPORT, level, area_id, code)
