"""The append-only audit log (who, when, what, from where).

Writes go to the operational store; triggers in its schema refuse UPDATE and DELETE, so not even a
bug in this code can rewrite history.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings


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
    """Append one entry; inside ``con``'s transaction when given (so it commits with the change)."""
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
