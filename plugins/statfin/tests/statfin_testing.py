"""Helpers of the StatFin package's own tests: a local PxWeb server and a run of the source in-process.

(A module of its own name, not ``conftest``: the platform's root test run collects these tests too.)

Everything is served on 127.0.0.1 by ``perhekeskus_statfin.server``, which speaks PxWeb API v1's
formats (including the 2026 variable codes); nothing reaches Statistics Finland.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from perhekeskus_statfin.server import PxWebServer, Table
from perhekeskus_statfin.snapshot import births_table, families_table, population_table
from perhekeskus_statfin.source import StatfinSource

from perhekeskus import Batch, Extracted, RunContext, Settings


def tables(**overrides: Table) -> dict[str, Table]:
    """The three default tables (2026 codes), with some replaced."""
    found = {"vaerak/11re": population_table(), "synt/12dt": births_table(), "perh/12c1": families_table()}
    found.update({k.replace("__", "/"): v for k, v in overrides.items()})
    return found


@dataclass
class Run:
    extracted: Extracted
    batch: Batch
    ctx: RunContext


class Runner:
    """Runs the source's extract and normalise against a server, keeping the state between runs."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.state: dict[str, tuple[str | None, str | None]] = {}
        self.count = 0

    def run(
        self,
        server: PxWebServer,
        *,
        full: bool = False,
        items=None,
        timeout: float = 10.0,
        retries: int = 3,
        save_state: bool = True,
    ) -> Run:
        self.count += 1
        raw = self.home / f"raw{self.count}"
        raw.mkdir(parents=True)
        settings = Settings(home=self.home, http_timeout=timeout, http_retries=retries, http_max_wait=5.0)
        ctx = RunContext(
            run_id=f"run{self.count}",
            settings=settings,
            raw_dir=raw,
            full=full,
            items=items,
            state=dict(self.state),
        )
        source = StatfinSource(url=server.base_url)
        extracted = source.extract(ctx)
        batch = source.normalise(ctx, extracted)
        if save_state:
            self.state.update({item: (version, scope) for item, version, scope in batch.state})
        return Run(extracted, batch, ctx)


@contextmanager
def serving(table_map: dict[str, Table] | None = None, **options) -> Iterator[PxWebServer]:
    with PxWebServer(table_map if table_map is not None else tables(), **options) as server:
        yield server
