"""The warehouse source ``network``: copies the network map's operational tables into the warehouse
tables of the contract (``plugins/network/model.py``) at each run, through the generic pipeline.

Why a source: the dashboard reads only the published warehouse, and the pipeline gives this copy the
same write-audit-publish as any statistics (checked by an expectation suite, published atomically, a
failed run leaves the map as it was). Emails never leave the operational store; actors' governance
bodies come from the registry (``gov_member``) at each run, so a registry change reaches the map at the
next run without a new import (actors written by the survey are matched here too).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pandas as pd

from perhekeskus.source import Batch, Extracted, RunContext

NAME = "network"

# table → column → kind: the contract of model.py's docstring
TABLES: dict[str, dict[str, str]] = {
    "network_round": {
        "round_id": "text",
        "area_id": "text",
        "round_date": "text",
        "title": "text",
        "status": "text",
        "origin": "text",
        "is_demo": "bool",
    },
    "network_actor": {
        "actor_id": "text",
        "name": "text",
        "organisation": "text",
        "actor_type": "text",
        "job_title": "text",
        "member_id": "text",
    },
    "network_round_actor": {"round_id": "text", "actor_id": "text"},
    "network_actor_municipality": {"actor_id": "text", "municipality_code": "text"},
    "network_actor_task": {"actor_id": "text", "task": "text"},
    "network_actor_client_group": {"actor_id": "text", "client_group": "text"},
    "network_actor_body": {"actor_id": "text", "body_id": "text"},
    "network_tie": {
        "round_id": "text",
        "source_actor": "text",
        "target_actor": "text",
        "kind": "text",
        "frequency": "integer",
        "task": "text",
    },
}

KEYS: dict[str, list[str]] = {
    "network_round": ["round_id"],
    "network_actor": ["actor_id"],
    "network_round_actor": ["round_id", "actor_id"],
    "network_actor_municipality": ["actor_id", "municipality_code"],
    "network_actor_task": ["actor_id", "task"],
    "network_actor_client_group": ["actor_id", "client_group"],
    "network_actor_body": ["actor_id", "body_id"],
    "network_tie": ["round_id", "source_actor", "target_actor", "kind", "task"],
}

_QUERIES = {
    "network_round": "SELECT round_id, area_id, round_date, title, status, origin, is_demo FROM network_round "
    "ORDER BY round_id",
    "network_actor": "SELECT actor_id, name, organisation, actor_type, job_title, member_id FROM network_actor "
    "ORDER BY actor_id",
    "network_round_actor": "SELECT round_id, actor_id FROM network_round_actor ORDER BY round_id, actor_id",
    "network_actor_municipality": "SELECT actor_id, municipality_code FROM network_actor_municipality "
    "ORDER BY actor_id, municipality_code",
    "network_actor_task": "SELECT actor_id, task FROM network_actor_task ORDER BY actor_id, task",
    "network_actor_client_group": "SELECT actor_id, client_group FROM network_actor_client_group "
    "ORDER BY actor_id, client_group",
    "network_tie": "SELECT round_id, source_actor, target_actor, kind, frequency, nullif(task, '') "
    "FROM network_tie ORDER BY round_id, source_actor, target_actor, kind, task",
}


def _frame(rows: list[tuple], table: str) -> pd.DataFrame:
    columns = list(TABLES[table])
    frame = pd.DataFrame([tuple(r) for r in rows], columns=columns)
    for column, kind in TABLES[table].items():
        if kind == "text":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
        elif kind == "bool":
            frame[column] = frame[column].astype(bool)
        elif kind == "integer":
            frame[column] = frame[column].astype("int64")
    return frame


def operational_tables(con: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Every contract table's whole content from the operational store (never emails)."""
    from perhekeskus.plugins.network.store import repository

    rows = {table: con.execute(sql).fetchall() for table, sql in _QUERIES.items()}
    registry = repository.registry_index(con)

    def member(name: str, organisation: str, stored: int | None) -> str | None:
        # the registry as it is now (an actor a survey added, a member who joined or left since the
        # import); the stored link only when no registry is installed
        found = registry.match(name, organisation) if registry.members else stored
        return None if found is None else str(found)

    rows["network_actor"] = [(a, n, o, t, j, member(n, o, m)) for a, n, o, t, j, m in rows["network_actor"]]
    rows["network_actor_body"] = [
        (actor_id, body_id)
        for actor_id, *_, member_id in rows["network_actor"]
        for body_id in registry.bodies(member_id)
    ]
    return {table: _frame(rows[table], table) for table in TABLES}


class NetworkSource:
    """The network map's rounds, actors and ties, from the operational store to the warehouse."""

    name = NAME
    title = "Verkostokartta / Nätverkskarta / Network map"
    datasets: tuple[str, ...] = tuple(TABLES)
    tables: ClassVar[dict[str, dict[str, str]]] = TABLES
    table_keys: ClassVar[dict[str, list[str]]] = KEYS
    suites: ClassVar[dict[str, str]] = {"network_tie": "network.tie", "network_actor": "network.actor"}
    schedule = "*/15 * * * *"
    licence = "Not open data: internal to the family-centre network"

    def __init__(self, areas: Any = None) -> None:
        """``areas``: the province configuration, whose name the attribution carries (the code names no
        province)."""
        genitive = areas.province_genitive if areas is not None else None
        self.attribution = {
            "fi": f"Lähde: {genitive('fi') + ' ' if genitive else ''}perhekeskusten verkostokyselyt",
            "sv": f"Källa: nätverksenkäterna vid {genitive('sv') + ' ' if genitive else ''}familjecentraler",
            "en": f"Source: network surveys of {genitive('en') + ' ' if genitive else 'the '}family centres",
        }

    @contextmanager
    def open_demo(self, settings: Any) -> Iterator[Any]:
        """``perhekeskus demo load`` (and the first ``make run``): a store without any network round gets
        the generated demo network (two rounds, each marked demo and titled DEMO, invented people only);
        a store with rounds is left alone."""
        from perhekeskus import Services
        from perhekeskus.plugins.network.store import demo
        from perhekeskus.warehouse import operational

        with operational.reading(settings) as con:
            empty = con.execute("SELECT count(*) FROM network_round").fetchone()[0] == 0
        if empty:
            demo.load_demo(Services.create(settings), username="demo")
        yield settings

    def extract(self, ctx: RunContext) -> Extracted:
        """Read the operational store in one read transaction (a consistent picture of every table).

        The scheduled run comes every 15 minutes; when nothing changed since the last published run
        (same digest of every table, the registry's bodies included) it replaces no table."""
        from perhekeskus.warehouse import operational

        with operational.reading(ctx.settings) as con:
            con.execute("BEGIN")
            try:
                tables = operational_tables(con)
            finally:
                con.execute("COMMIT")
        version = digest(tables)
        rows = sum(len(f) for f in tables.values())
        if not ctx.full and ctx.state.get(STATE_ITEM, (None, None))[0] == version:
            return Extracted(
                payload=(None, version), items_requested=1, items_unchanged=1, notes=["unchanged"]
            )
        return Extracted(
            payload=(tables, version), items_requested=1, items_fetched=1, notes=[f"{rows} rows"]
        )

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        tables, version = extracted.payload
        state = [(STATE_ITEM, version, None)]
        if tables is None:
            return Batch(state=state, notes=["the network store has not changed"])
        return Batch(tables=tables, rows_fetched=sum(len(f) for f in tables.values()), state=state)


STATE_ITEM = "network_store"


def digest(tables: dict[str, pd.DataFrame]) -> str:
    """A fingerprint of every table's content, for the incremental state."""
    import hashlib

    hasher = hashlib.sha256()
    for name in sorted(tables):
        hasher.update(name.encode())
        frame = tables[name]
        hasher.update(pd.util.hash_pandas_object(frame, index=False).values.tobytes())
        hasher.update(str(len(frame)).encode())
    return hasher.hexdigest()


def publish_network(settings: Any, **options: Any):
    """Run the pipeline for the ``network`` source now (after an import, or when a round is closed) and
    return its ``RunSummary`` (``status`` ``success``, ``failed`` or ``blocked``, ``message``)."""
    from perhekeskus.etl.pipeline import run_pipeline

    return run_pipeline(NAME, settings, **options)


__all__ = ["KEYS", "NAME", "TABLES", "NetworkSource", "operational_tables", "publish_network"]
