"""Reading the network map's warehouse tables (the contract in ``plugins/network/model.py``) back into the
model's dataclasses: what the view and the analysis call.

Why here: the store publishes these tables (the ``network`` source), so it also owns how they are read
back. The functions take whatever the caller already has: a DuckDB connection (``execute``), or the
platform's warehouse reader (``services.reader`` / ``ctx.reader``: ``rows(sql, params)``). A warehouse no
network run has published yet has none of the tables: that is "no rounds" (``[]``) and "no network"
(``None``), never an error, so a page can say "nothing imported yet".
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb

from perhekeskus.plugins.network.model import Actor, Network, Round, Tie

_ROUND_COLUMNS = "round_id, round_date, area_id, title, status, origin, is_demo"


class _Missing(Exception):
    """A contract table is not in the warehouse (no network run has published)."""


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[tuple]:
    """Rows of ``sql`` through a DuckDB connection or a warehouse reader; :class:`_Missing` when a table
    (or the whole warehouse) is not there."""
    from perhekeskus.warehouse.read import WarehouseUnavailable

    try:
        if hasattr(con, "rows"):
            return con.rows(sql, params or [])
        return con.execute(sql, params or []).fetchall()
    except (duckdb.CatalogException, WarehouseUnavailable) as exc:
        raise _Missing(str(exc)) from exc


def _round(row: tuple) -> Round:
    round_id, round_date, area_id, title, status, origin, is_demo = row
    return Round(
        round_id=str(round_id),
        round_date=str(round_date),
        area_id=area_id or None,
        title=title or "",
        status=status or "imported",
        origin=origin or "import",
        is_demo=bool(is_demo),
    )


def rounds(con: Any) -> list[Round]:
    """Every published round, newest first (by date, then id): ``[]`` when none was published."""
    try:
        found = _rows(
            con, f"SELECT {_ROUND_COLUMNS} FROM network_round ORDER BY round_date DESC, round_id DESC"
        )
    except _Missing:
        return []
    return [_round(r) for r in found]


def get_round(con: Any, round_id: str) -> Round | None:
    """One published round, or None."""
    try:
        found = _rows(con, f"SELECT {_ROUND_COLUMNS} FROM network_round WHERE round_id = ?", [round_id])
    except _Missing:
        return None
    return _round(found[0]) if found else None


def _grouped(con: Any, table: str, column: str, round_id: str) -> dict[str, tuple[str, ...]]:
    """actor id → the sorted values of ``column`` of ``table`` for the round's actors."""
    found = _rows(
        con,
        f"SELECT t.actor_id, t.{column} FROM {table} t "
        "JOIN network_round_actor r ON r.actor_id = t.actor_id AND r.round_id = ? "
        f"ORDER BY t.actor_id, t.{column}",
        [round_id],
    )
    grouped: dict[str, list[str]] = defaultdict(list)
    for actor_id, value in found:
        if value is not None:
            grouped[str(actor_id)].append(str(value))
    return {k: tuple(v) for k, v in grouped.items()}


def load_network(con: Any, round_id: str) -> Network | None:
    """The round's network: the actors of its roster (with their municipalities, tasks, client groups
    and governance bodies) and its ties, in a stable order (actors by id, ties by source, target, kind,
    task). None when the round (or any network table) is not in the warehouse."""
    try:
        found = get_round(con, round_id)
        if found is None:
            return None
        actor_rows = _rows(
            con,
            "SELECT a.actor_id, a.name, a.organisation, a.actor_type, a.job_title, a.member_id "
            "FROM network_actor a JOIN network_round_actor r ON r.actor_id = a.actor_id "
            "WHERE r.round_id = ? ORDER BY a.actor_id",
            [round_id],
        )
        places = _grouped(con, "network_actor_municipality", "municipality_code", round_id)
        tasks = _grouped(con, "network_actor_task", "task", round_id)
        groups = _grouped(con, "network_actor_client_group", "client_group", round_id)
        bodies = _grouped(con, "network_actor_body", "body_id", round_id)
        tie_rows = _rows(
            con,
            "SELECT source_actor, target_actor, kind, frequency, task FROM network_tie WHERE round_id = ? "
            "ORDER BY source_actor, target_actor, kind, coalesce(task, '')",
            [round_id],
        )
    except _Missing:
        return None
    actors = tuple(
        Actor(
            actor_id=str(actor_id),
            name=name or "",
            organisation=organisation or "",
            actor_type=actor_type or "other",
            job_title=job_title or "",
            municipalities=places.get(str(actor_id), ()),
            tasks=tasks.get(str(actor_id), ()),
            client_groups=groups.get(str(actor_id), ()),
            bodies=bodies.get(str(actor_id), ()),
            member_id=None if member_id is None else str(member_id),
        )
        for actor_id, name, organisation, actor_type, job_title, member_id in actor_rows
    )
    ties = tuple(
        Tie(
            source=str(source),
            target=str(target),
            kind=str(kind),
            frequency=int(frequency),
            task=task or None,
        )
        for source, target, kind, frequency, task in tie_rows
    )
    return Network(round=found, actors=actors, ties=ties)


__all__ = ["get_round", "load_network", "rounds"]
