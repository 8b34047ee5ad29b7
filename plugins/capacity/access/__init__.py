"""Who may see and change what in competence and capacity coordination: its permissions in the shared
access policy, its settings, and the scopes its resources lie in.

Why here: every part asks the same questions (may this user enter queues for Nokia? see this family's
team?), and the answers must come from one place and the one policy the other features share. A family's
team is a resource whose *holders* are its coordinator and the accounts of its workers: the policy then
says yes to them and to no one else, whatever their roles (an administrator or the province never sees a
family).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from perhekeskus import AuditEvent, Permission, ResourceScope, Setting

VIEW = "capacity.view"
EDIT = "capacity.edit"
FIND = "capacity.find"
FAMILIES = "capacity.families"
FAMILY_TEAM = "capacity.family_team"

SIGNED_IN_ROLES = ("admin", "province", "region", "local", "engineer", "moderator", "coordinator", "worker")

PERMISSIONS = (
    Permission(
        VIEW,
        "See supply and demand of competence, queues and warnings at /osaaminen (aggregates, never a family).",
        SIGNED_IN_ROLES,
        False,
    ),
    Permission(
        EDIT,
        "Enter and import competences, weekly capacity and queues (a coordinator within their area or municipality).",
        ("admin", "coordinator"),
        True,
    ),
    Permission(
        FIND,
        "Search who has free competence near an area, with workers' names and organisations.",
        ("admin", "coordinator"),
        False,
    ),
    Permission(
        FAMILIES,
        "Keep family teams: make pseudonymous family codes, assign workers, plan meetings (coordinators only).",
        ("coordinator",),
        True,
    ),
    Permission(
        FAMILY_TEAM,
        "See one family's team and meetings: only the family's coordinator and the workers of its team.",
        (),
        True,
    ),
)

AUDIT_EVENTS = (
    AuditEvent("capacity_edit", "Competences, weekly capacity or a queue were entered, changed or removed."),
    AuditEvent("capacity_import", "Competences, weekly capacity or queues were imported from a file."),
    AuditEvent("capacity_import_failed", "A capacity import was refused (nothing was saved)."),
    AuditEvent("capacity_export", "Capacity aggregates were downloaded."),
    AuditEvent(
        "capacity_worker_linked", "A worker's account was linked to (or unlinked from) a network actor."
    ),
    AuditEvent("capacity_family_created", "A coordinator made a new pseudonymous family team."),
    AuditEvent(
        "capacity_family_viewed", "A family's team and meetings were opened (by its coordinator or worker)."
    ),
    AuditEvent("capacity_team_changed", "A worker was added to or removed from a family's team."),
    AuditEvent("capacity_meeting_changed", "A family's meeting was planned, moved or removed."),
    AuditEvent("capacity_family_closed", "A family's team was closed (kept until the retention time)."),
    AuditEvent(
        "capacity_retention", "The retention job deleted family teams and meetings past the retention time."
    ),
)

SETTINGS = (
    Setting(
        "competences_file",
        default="",
        help="a TOML file of the competence vocabulary ([competences.<code>] fi, sv, en); "
        "empty: the packaged default (plugins/capacity/competences.toml)",
    ),
    Setting(
        "retention_days",
        default="365",
        help="days a family team is kept after its last activity (a meeting or a change), and a meeting after "
        "its date; the capacity-retention job deletes what is older",
    ),
    Setting("retention_cron", default="15 2 * * *", help="when the capacity-retention job runs (cron)"),
    Setting(
        "pile_up_meetings",
        default="3",
        help="a family's week is a pile-up when it has more than this many meetings with different workers",
    ),
    Setting(
        "queue_growth_weeks",
        default="3",
        help="warn when a queue has grown this many weeks in a row",
    ),
    Setting(
        "free_hours_threshold",
        default="2",
        help="hours free in a week for a worker to count as having free competence",
    ),
)


def place_scope(municipalities: Iterable[str], areas: Any) -> ResourceScope:
    """Where something serving ``municipalities`` lies: those municipalities and their coordination areas."""
    codes = frozenset(municipalities)
    regions = frozenset(a.area_id for a in areas.areas if codes & set(a.municipalities))
    return ResourceScope(regions, codes)


def may(services: Any, user: Any, permission: str, municipalities: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds ``permission`` for something in ``municipalities`` (None: anywhere)."""
    scope = None if municipalities is None else place_scope(municipalities, services.areas)
    return services.policy.allows(user, permission, scope)


def may_see_team(services: Any, user: Any, coordinator: str, worker_usernames: Iterable[str]) -> bool:
    """Whether ``user`` may see a family's team: its coordinator or one of its workers' accounts, no one else."""
    from perhekeskus.dashboard.access.policy import holders_of

    scope = ResourceScope(holders=holders_of([coordinator, *worker_usernames]))
    return services.policy.allows(user, FAMILY_TEAM, scope)


def setting_int(services: Any, name: str) -> int:
    """An integer setting of the plugin; a malformed value falls back to the declared default."""
    values = services.plugin_settings("capacity")
    default = next(s.default for s in SETTINGS if s.name == name)
    try:
        return max(0, int(str(values.get(name) or default).strip()))
    except ValueError:
        return int(default)


def setting_float(services: Any, name: str) -> float:
    values = services.plugin_settings("capacity")
    default = next(s.default for s in SETTINGS if s.name == name)
    try:
        return max(0.0, float(str(values.get(name) or default).strip().replace(",", ".")))
    except ValueError:
        return float(default)
