"""The append-only audit log (who, when, what, from where).

Writes go to the operational store; triggers in its schema refuse UPDATE and DELETE, so not even a
bug in this code can rewrite history. Every event type is declared (the core's below, each plugin's
through ``perhekeskus_audit_events``): writing an undeclared type is an error, so the log's vocabulary
is known and documented, and a typo cannot hide an event.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from perhekeskus.contracts import AuditEvent
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

CORE_EVENTS = (
    AuditEvent("signin", "A user signed in."),
    AuditEvent("signin_failed", "A sign-in failed (wrong username or password)."),
    AuditEvent("signin_throttled", "Sign-ins from an address were refused for a while after failures."),
    AuditEvent("signout", "A user signed out."),
    AuditEvent("user_add", "An administrator added a user."),
    AuditEvent("user_roles", "An administrator replaced a user's roles."),
    AuditEvent("user_disable", "An administrator disabled a user (their sessions ended)."),
    AuditEvent("user_enable", "An administrator enabled a user."),
    AuditEvent("user_password", "A user's password was set."),
    AuditEvent("export", "Someone downloaded a file (statistics, or a plugin's data they may see)."),
)


class UndeclaredAuditEvent(ValueError):
    """An audit event type that neither the core nor an enabled plugin declares."""


def event_types() -> dict[str, AuditEvent]:
    """Every declared audit event type by name: the core's and each enabled plugin's."""
    from perhekeskus import registry

    found = {e.name: e for e in CORE_EVENTS}
    for group in registry.plugin_manager().hook.perhekeskus_audit_events():
        for event in group or []:
            found.setdefault(event.name, event)
    return found


def record(
    settings: Settings,
    action: str,
    *,
    actor: str | None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    client: str | None = None,
    con: sqlite3.Connection | None = None,
) -> None:
    """Append one entry; inside ``con``'s transaction when given (so it commits with the change).

    Raises :class:`UndeclaredAuditEvent` for a type nobody declared."""
    if action not in event_types():
        raise UndeclaredAuditEvent(f"audit event type {action!r} is not declared (perhekeskus_audit_events)")
    row = (
        actor,
        action,
        target,
        json.dumps(details, ensure_ascii=False, default=str) if details else None,
        client,
    )
    sql = "INSERT INTO audit_log (actor, action, target, details, client) VALUES (?, ?, ?, ?, ?)"
    if con is not None:
        con.execute(sql, row)
        return
    with operational.transaction(settings) as tx:
        tx.execute(sql, row)


def entries(
    settings: Settings,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
) -> list[dict]:
    """Entries newest first, filtered; dates as ISO strings (``2026-11-23`` or a timestamp)."""
    where, params = [], []
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if action:
        where.append("action = ?")
        params.append(action)
    if since:
        where.append("at >= ?")
        params.append(since)
    if until:
        where.append("at < ?")
        params.append(until)
    sql = "SELECT audit_id, at, actor, action, target, details, client FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY audit_id DESC LIMIT ?"
    params.append(int(limit))
    with operational.reading(settings) as con:
        return [dict(r) for r in con.execute(sql, params)]
