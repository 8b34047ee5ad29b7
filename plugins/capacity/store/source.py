"""The warehouse source ``capacity``: aggregates of competence supply and of queues, never a person's
family work.

Why aggregates only: the dashboard reads the published warehouse, which anyone with ``capacity.view``
reads through the views; a family code, a team or a meeting published there would outlive the retention
job that deletes them from the operational store. So this source publishes, per competence, municipality
and ISO week:

- ``capacity_supply``: ``workers`` (distinct actors with the competence and a row for the week),
  ``available_hours``, ``booked_hours`` and ``free_hours`` (each actor's ``max(0, available − booked)``).
  An actor serving several municipalities has its hours **divided equally** between them, so that the
  hours of an area are the sum of its municipalities' (``workers`` counts the actor in each, so it is not
  additive); an actor without any municipality on the network map is in no municipality's supply;
- ``capacity_queue``: ``families_waiting`` and ``waiting_since`` as entered (the views suppress counts
  under :data:`model.MIN_GROUP`);
- ``capacity_competence_name``: the competence vocabulary (code, names in fi/sv/en, position).

Demo rows (``is_demo``) are never summed with real ones: ``is_demo`` is part of each aggregate's key.
Published after each import or edit in the app (setting ``publish_on_change``) and nightly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pandas as pd

from perhekeskus import Batch, Extracted, RunContext

NAME = "capacity"
SUPPLY = "capacity_supply"
QUEUE = "capacity_queue"
VOCABULARY = "capacity_competence_name"
TABLES: dict[str, dict[str, str]] = {
    SUPPLY: {
        "competence": "text",
        "municipality_code": "text",
        "week": "text",
        "workers": "integer",
        "available_hours": "number",
        "booked_hours": "number",
        "free_hours": "number",
        "is_demo": "bool",
    },
    QUEUE: {
        "competence": "text",
        "municipality_code": "text",
        "week": "text",
        "families_waiting": "integer",
        "waiting_since": "text",
        "is_demo": "bool",
    },
    VOCABULARY: {
        "competence": "text",
        "name_fi": "text",
        "name_sv": "text",
        "name_en": "text",
        "position": "integer",
    },
}
KEYS: dict[str, list[str]] = {
    SUPPLY: ["competence", "municipality_code", "week", "is_demo"],
    QUEUE: ["competence", "municipality_code", "week"],
    VOCABULARY: ["competence"],
}

SUPPLY_SQL = """
WITH places AS (
    SELECT actor_id, municipality_code, 1.0 / count(*) OVER (PARTITION BY actor_id) AS share
    FROM network_actor_municipality
)
SELECT c.competence, p.municipality_code, w.week,
       count(DISTINCT w.actor_id) AS workers,
       round(sum(w.available_hours * p.share), 2) AS available_hours,
       round(sum(w.booked_hours * p.share), 2) AS booked_hours,
       round(sum(max(w.available_hours - w.booked_hours, 0) * p.share), 2) AS free_hours,
       max(w.is_demo, c.is_demo) AS demo
FROM capacity_week w
JOIN capacity_competence c ON c.actor_id = w.actor_id
JOIN places p ON p.actor_id = w.actor_id
GROUP BY c.competence, p.municipality_code, w.week, demo
ORDER BY c.competence, p.municipality_code, w.week, demo
"""
QUEUE_SQL = (
    "SELECT competence, municipality_code, week, families_waiting, waiting_since, is_demo FROM capacity_queue "
    "ORDER BY competence, municipality_code, week"
)


def aggregate_tables(con: Any, competences: Any) -> dict[str, pd.DataFrame]:
    """The three published tables from the operational store (one read)."""
    supply = pd.DataFrame([tuple(r) for r in con.execute(SUPPLY_SQL)], columns=list(TABLES[SUPPLY]))
    queue = pd.DataFrame([tuple(r) for r in con.execute(QUEUE_SQL)], columns=list(TABLES[QUEUE]))
    vocabulary = pd.DataFrame(
        [(c.code, *c.names, i) for i, c in enumerate(competences.items)], columns=list(TABLES[VOCABULARY])
    )
    for frame, table in ((supply, SUPPLY), (queue, QUEUE), (vocabulary, VOCABULARY)):
        for column, kind in TABLES[table].items():
            if kind == "integer":
                frame[column] = frame[column].astype("int64")
            elif kind == "number":
                frame[column] = frame[column].astype("float64")
            elif kind == "bool":
                frame[column] = frame[column].astype(bool)
            else:
                frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return {SUPPLY: supply, QUEUE: queue, VOCABULARY: vocabulary}


class CapacitySource:
    """Competence supply and queues as aggregates, from the operational store to the warehouse."""

    name = NAME
    title = "Osaaminen ja kapasiteetti / Kompetens och kapacitet / Competence and capacity"
    datasets: tuple[str, ...] = tuple(TABLES)
    tables: ClassVar[dict[str, dict[str, str]]] = TABLES
    table_keys: ClassVar[dict[str, list[str]]] = KEYS
    suites: ClassVar[dict[str, str]] = {SUPPLY: "capacity.supply", QUEUE: "capacity.queue"}  # expectations/
    schedule = "40 3 * * *"  # a nightly safety copy; imports and edits in the app publish at once
    licence = "Not open data: internal to the family-centre network"
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: perhekeskusverkoston osaamis- ja kapasiteettitiedot",
        "sv": "Källa: familjecentrumnätverkets uppgifter om kompetens och kapacitet",
        "en": "Source: the family-centre network's competence and capacity records",
    }

    @contextmanager
    def open_demo(self, settings: Any) -> Iterator[Any]:
        """``perhekeskus demo load`` (and the first ``make run``): a store without any capacity rows gets
        the invented demo figures for the network map's demo actors (the network's own demo is loaded
        first when the map is empty, since sources load in name order); a store with rows is left alone."""
        from perhekeskus import Services
        from perhekeskus.plugins.capacity.store import demo

        services = Services.create(settings)
        if demo.store_is_empty(services):
            demo.ensure_network_demo(settings)
            demo.load_demo(services)
        yield settings

    def extract(self, ctx: RunContext) -> Extracted:
        from perhekeskus import Services
        from perhekeskus.plugins.capacity import model
        from perhekeskus.warehouse import operational

        competences = model.competences_for(Services.create(ctx.settings))
        with operational.reading(ctx.settings) as con:
            con.execute("BEGIN")
            try:
                tables = aggregate_tables(con, competences)
            finally:
                con.execute("COMMIT")
        ctx.progress("extract", 1, 1)
        rows = sum(len(f) for f in tables.values())
        return Extracted(payload=tables, items_requested=1, items_fetched=1, notes=[f"{rows} aggregate rows"])

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        tables = extracted.payload
        return Batch(tables=tables, rows_fetched=sum(len(f) for f in tables.values()))


def publish(settings: Any) -> Any:
    """Run the source through the real pipeline (write-audit-publish); returns its run summary."""
    from perhekeskus.etl.pipeline import run_pipeline

    return run_pipeline(NAME, settings)


__all__ = [
    "KEYS",
    "NAME",
    "QUEUE",
    "SUPPLY",
    "TABLES",
    "VOCABULARY",
    "CapacitySource",
    "aggregate_tables",
    "publish",
]
