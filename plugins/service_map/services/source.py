"""The warehouse source ``service_map``: the active services of the operational store, published.

Why a source: editors write services into the operational store (SQLite), while every page reads the
published warehouse, which only the pipeline writes (write-audit-publish, one writer). After an import or
an edit the plugin runs this source; its tables replace the previous copy in one atomic publish, checked
by its suites (``expectations/`` beside this module). Deactivated services are not published.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pandas as pd

from perhekeskus import Batch, Extracted, RunContext
from perhekeskus.warehouse import operational

NAME = "service_map"
SERVICE_COLUMNS = {
    "service_id": "integer",
    "name": "text",
    "description": "text",
    "provider": "text",
    "actor_type": "text",
    "forms": "text",  # comma-separated codes
    "languages": "text",  # comma-separated codes
    "referral_needed": "bool",
    "contact_url": "text",
    "is_demo": "bool",
    "origin": "text",
    "updated_at": "text",
}
TABLES: dict[str, dict[str, str]] = {
    "service_map_service": SERVICE_COLUMNS,
    "service_map_service_municipality": {"service_id": "integer", "municipality_code": "text"},
    "service_map_service_task": {"service_id": "integer", "task": "text"},
    "service_map_service_client_group": {"service_id": "integer", "client_group": "text"},
    "service_map_service_actor": {"service_id": "integer", "actor_id": "text"},
}
LINKS = {  # warehouse table → (operational table, column)
    "service_map_service_municipality": ("service_municipality", "municipality_code"),
    "service_map_service_task": ("service_task", "task"),
    "service_map_service_client_group": ("service_client_group", "client_group"),
    "service_map_service_actor": ("service_actor", "actor_id"),
}


class ServiceMapSource:
    """Copies the active services and their links from the operational store into the warehouse."""

    name = NAME
    title = "Palvelukartta / Servicekarta / Service map"
    datasets = tuple(TABLES)
    suites: ClassVar[dict[str, str]] = {
        "service_map_service": "service_map.service",
        "service_map_service_municipality": "service_map.service_municipality",
    }
    schedule = "30 3 * * *"  # a nightly safety copy; imports and edits publish at once
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: perhekeskusverkoston palvelukartta",
        "sv": "Källa: familjecentrumnätverkets servicekarta",
        "en": "Source: the family-centre network's service map",
    }
    licence = "CC BY 4.0"
    tables = TABLES
    table_keys: ClassVar[dict[str, list[str]]] = {
        "service_map_service": ["service_id"],
        "service_map_service_municipality": ["service_id", "municipality_code"],
        "service_map_service_task": ["service_id", "task"],
        "service_map_service_client_group": ["service_id", "client_group"],
        "service_map_service_actor": ["service_id", "actor_id"],
    }

    @contextmanager
    def open_demo(self, settings: Any) -> Iterator[Any]:
        """``perhekeskus demo load`` (and the first ``make run``): an empty service map gets the invented
        demo services (each marked demo and "(demo)" in its name); a map with services is left alone."""
        from perhekeskus.plugins.service_map.services import demo
        from perhekeskus.warehouse import operational
        from perhekeskus.warehouse.areas import load_areas

        with operational.reading(settings) as con:
            empty = con.execute("SELECT count(*) FROM service").fetchone()[0] == 0
        if empty:
            demo.load_demo(settings, load_areas(settings.areas_file))
        yield settings

    def extract(self, ctx: RunContext) -> Extracted:
        columns = ", ".join(SERVICE_COLUMNS)
        with operational.reading(ctx.settings) as con:
            services = [tuple(r) for r in con.execute(f"SELECT {columns} FROM service WHERE active = 1")]
            links: dict[str, list[tuple[Any, ...]]] = {}
            for table, (source_table, column) in LINKS.items():
                links[table] = [
                    tuple(r)
                    for r in con.execute(
                        f"SELECT l.service_id, l.{column} FROM {source_table} l "
                        "JOIN service s ON s.service_id = l.service_id WHERE s.active = 1 "
                        "ORDER BY l.service_id, l.rowid"
                    )
                ]
        ctx.progress("extract", 1, 1)
        return Extracted(payload=(services, links), items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        services, links = extracted.payload
        frame = pd.DataFrame(services, columns=list(SERVICE_COLUMNS))
        frame["service_id"] = frame["service_id"].astype("int64")
        for column in ("referral_needed", "is_demo"):
            frame[column] = frame[column].astype(bool)
        tables = {"service_map_service": frame}
        for table, rows in links.items():
            columns = list(TABLES[table])
            linked = pd.DataFrame(rows, columns=columns)
            linked["service_id"] = linked["service_id"].astype("int64")
            tables[table] = linked
        return Batch(tables=tables, rows_fetched=len(frame), notes=[f"{len(frame)} active services"])


def publish(settings: Any) -> Any:
    """Run the source through the real pipeline (write-audit-publish); returns its run summary."""
    from perhekeskus.etl.pipeline import run_pipeline

    return run_pipeline(NAME, settings)
