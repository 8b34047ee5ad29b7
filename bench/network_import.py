"""How long importing a large network file takes: 2,000 actors and 18,000 connections (the 20,000-row
limit), as XLSX and as CSV, into a fresh data folder, then publishing it through the pipeline.

Run: ``.venv/bin/python bench/network_import.py`` (prints seconds per step; nothing is asserted).
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from perhekeskus.plugins.network.store import importer
from perhekeskus.plugins.network.store.source import publish_network
from perhekeskus.services import Services
from perhekeskus.warehouse.settings import Settings

ACTORS = 2000
TIES = 18000
TYPES = ("ngo", "parish", "education", "health_services", "social_services", "kela")
PLACES = ("536", "837", "604", "980", "418")


def rows(seed: int = 1) -> tuple[list[list], list[list]]:
    rng = random.Random(seed)
    elements = [
        [
            f"Bench Actor {i}",
            rng.choice(TYPES),
            f"Org {i % 97}",
            "",
            rng.choice(PLACES),
            "open_meeting_places",
            "babies",
            "",
        ]
        for i in range(ACTORS)
    ]
    seen: set[tuple[int, int]] = set()
    connections = []
    while len(connections) < TIES:
        a, b = rng.randrange(ACTORS), rng.randrange(ACTORS)
        if a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        connections.append([f"Bench Actor {a}", f"Bench Actor {b}", "advice", rng.randint(1, 5), ""])
    return elements, connections


def as_xlsx(elements, connections) -> bytes:
    workbook = Workbook()
    first = workbook.active
    first.title = "elements"
    first.append(
        ["Label", "Type", "Organisation", "Job title", "Municipalities", "Tasks", "Client groups", "Email"]
    )
    for row in elements:
        first.append(row)
    second = workbook.create_sheet("connections")
    second.append(["From", "To", "Type", "Frequency", "Task"])
    for row in connections:
        second.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def as_csv(elements, connections) -> bytes:
    lines = [
        "Sheet;Label;Type;Organisation;Job title;Municipalities;Tasks;Client groups;Email;From;To;Frequency;Task"
    ]
    lines += [";".join(["elements", *map(str, r), "", "", "", ""]) for r in elements]
    lines += [
        ";".join(["connections", "", r[2], "", "", "", "", "", "", r[0], r[1], str(r[3]), ""])
        for r in connections
    ]
    return "\r\n".join(lines).encode("utf-8")


def main() -> None:
    elements, connections = rows()
    for fmt, data in (("xlsx", as_xlsx(elements, connections)), ("csv", as_csv(elements, connections))):
        home = Path(tempfile.mkdtemp()) / "home"
        services = Services.create(Settings(home=home))
        with services.transaction():
            pass  # migrations, outside the timing
        started = time.perf_counter()
        result = importer.import_network(services, [(f"bench.{fmt}", data)], round_date="2026-01-01")
        took = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        print(
            f"import {fmt}: {len(data) / 1e6:.1f} MB, {result.actors} actors, {result.ties} ties: {took:.2f} s"
        )
        started = time.perf_counter()
        summary = publish_network(services.settings)
        print(f"publish ({summary.status}): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
