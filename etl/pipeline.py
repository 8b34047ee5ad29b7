"""The generic pipeline every source runs through: extract → normalise → audit → load → publish.

The steps are plain functions so that tests can call them without Prefect; ``perhekeskus.etl.flows`` wraps the
same functions as Prefect tasks of a flow per source. Whatever happens, the run ends with a record in
``etl_run``: a failed or blocked run publishes a copy of the warehouse whose data is unchanged and
which only adds the run's record, check results and quarantined rows.
"""

from __future__ import annotations

import inspect
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from perhekeskus import registry
from perhekeskus.etl.audit import AuditResult, audit, preload_audit
from perhekeskus.etl.http import SourceError
from perhekeskus.package import load_package
from perhekeskus.services import plugin_settings
from perhekeskus.source import (
    VALUE_KEY,
    Batch,
    Extracted,
    FrameSchemaError,
    Progress,
    RunContext,
    Source,
    check_batch,
    check_table,
    no_progress,
)
from perhekeskus.warehouse import area_figures
from perhekeskus.warehouse import load as wl
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import (
    Staging,
    clean_stale_staging,
    interrupted_runs,
    journal_end,
    journal_start,
    run_lock,
)
from perhekeskus.warehouse.read import open_read_only
from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)


class UnknownSource(LookupError):
    """No enabled plugin provides a source of that name."""


class RunBlocked(RuntimeError):
    """A critical quality check failed; nothing was published."""


@dataclass
class RunSummary:
    """What a run did, for the CLI's last line and for tests."""

    run_id: str
    source: str
    status: str
    rows_fetched: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    duplicates_dropped: int = 0
    items_requested: int = 0
    items_fetched: int = 0
    items_unchanged: int = 0
    seconds: float = 0.0
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.source} {self.status}: {self.rows_fetched} rows fetched, {self.rows_loaded} loaded, "
            f"{self.rows_quarantined} quarantined; {self.items_fetched} of {self.items_requested} indicators fetched, "
            f"{self.items_unchanged} unchanged; {self.seconds:.1f} s"
        )


def new_run_id(source: str) -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}Z-{source}-{uuid.uuid4().hex[:6]}"


def get_source(name: str) -> Source:
    found = registry.sources()
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise UnknownSource(f"no source named {name!r} (enabled sources: {known})")
    return found[name]


def resolve_source(name: str | None) -> str:
    """The source a run is for: the one named, else the only enabled source; with several enabled a
    run must name one (``etl run --source NAME``)."""
    if name:
        return name
    found = sorted(registry.sources())
    if len(found) == 1:
        return found[0]
    raise UnknownSource(
        f"several sources are enabled; name one with --source ({', '.join(found)})"
        if found
        else "no source is enabled (see perhekeskus plugins list)"
    )


# --- the steps ---------------------------------------------------------------------------------------


def extract_step(source: Source, ctx: RunContext) -> Extracted:
    """Fetch the source's answers into the raw landing."""
    return source.extract(ctx)


def normalise_step(source: Source, ctx: RunContext, extracted: Extracted) -> Batch:
    """Turn the landed answers into canonical frames, checked against their declared columns and types
    (a wrong type fails here, naming the column, instead of at load with a DuckDB binder error)."""
    batch = source.normalise(ctx, extracted)
    check_batch(source.name, batch)
    return batch


def indicator_package_of(source: Source, settings: Settings) -> Path | None:
    """The indicator package file of a source: PERHEKESKUS_INDICATOR_PACKAGE overrides the package of a
    source that declares one; a source that declares none has none."""
    declared = getattr(source, "indicator_package", None)
    if not declared:
        return None
    return Path(settings.indicator_package or declared)


def suite_dirs_of(source: Source) -> list[Path]:
    """Where a source's expectation suites are: its declared ``suite_dir``, else the ``expectations/``
    folder beside the module that defines it (so a plugin's suites are found inside its own package,
    with no environment variable)."""
    declared = getattr(source, "suite_dir", None)
    if declared:
        return [Path(declared)]
    home = Path(inspect.getfile(type(source))).parent
    return [home / "expectations", home]


def audit_step(source: Source, batch: Batch, settings: Settings) -> list[AuditResult]:
    """Run each dataset's suite; row-level failures go to quarantine, critical failures block."""
    extra = suite_dirs_of(source)
    results = []
    if batch.regions is not None and "region" in source.suites:
        areas = load_areas(settings.areas_file)
        results.append(
            audit(
                batch.regions,
                "region",
                source.suites["region"],
                key_columns=list(getattr(source, "region_key", None) or ["region_category", "region_code"]),
                parameters={"configured_municipalities": areas.municipalities},
                suite_dirs=extra,
            )
        )
    if batch.indicators is not None and len(batch.indicators) and "indicator" in source.suites:
        results.append(
            audit(
                batch.indicators,
                "indicator",
                source.suites["indicator"],
                key_columns=["source", "indicator_id"],
                suite_dirs=extra,
            )
        )
    results.extend(audit_tables(source, batch, extra))
    if "indicator_value" not in source.suites and not len(batch.values):
        return results  # a source of its own tables only
    values = batch.values
    if "key_unique" not in values.columns:  # one row per key; sources may compute it faster themselves
        values = values.assign(key_unique=~values.duplicated(VALUE_KEY, keep=False))
    results.append(
        audit(
            values,
            "indicator_value",
            source.suites["indicator_value"],
            key_columns=VALUE_KEY,
            record_columns=batch.record_columns or None,
            suite_dirs=extra,
            record_maker=batch.records,
        )
    )
    return results


def audit_tables(source: Source, batch: Batch, suite_dirs: list[Path]) -> list[AuditResult]:
    """Check each of the source's own tables against its declared columns, then its suite if it has one.

    A table the source did not declare is refused (a typo must not create a stray table)."""
    declared = dict(getattr(source, "tables", None) or {})
    keys = dict(getattr(source, "table_keys", None) or {})
    results = []
    for name, frame in batch.tables.items():
        if name not in declared:
            raise FrameSchemaError(f"source {source.name!r} returned a table it does not declare: {name!r}")
        check_table(source.name, name, frame, declared[name])
        if name in source.suites:
            results.append(
                audit(
                    frame,
                    name,
                    source.suites[name],
                    key_columns=list(keys.get(name) or frame.columns),
                    suite_dirs=suite_dirs,
                )
            )
    return results


def load_step(
    source: Source,
    staging: Staging,
    run_id: str,
    batch: Batch,
    audited: list[AuditResult],
    settings: Settings,
    replace_demo: bool,
) -> int:
    """Load the clean rows into the staging copy; returns indicator rows loaded."""
    con = staging.open()
    by_dataset = {a.dataset: a for a in audited}
    if replace_demo:
        con.execute(
            "DELETE FROM indicator_value WHERE run_id IN (SELECT run_id FROM etl_run WHERE is_demo) AND source = ?",
            [source.name],
        )
        con.execute("DELETE FROM source_state WHERE source = ?", [source.name])
    if "region" in by_dataset:
        wl.upsert(con, "region", by_dataset["region"].clean, ["region_category", "region_code"], run_id)
        if batch.memberships is not None:
            wl.replace_memberships(con, batch.memberships)
    if "indicator" in by_dataset:
        wl.upsert(con, "indicator", by_dataset["indicator"].clean, ["source", "indicator_id"], run_id)
    _load_configuration(con, source, settings)
    loaded = 0
    if "indicator_value" in by_dataset:
        values = by_dataset["indicator_value"].clean
        loaded = (
            wl.replace_values(con, source.name, run_id, values, batch.replace) if len(batch.replace) else 0
        )
    declared = dict(getattr(source, "tables", None) or {})
    for name, frame in batch.tables.items():
        clean = by_dataset[name].clean if name in by_dataset else frame
        wl.replace_source_table(con, name, clean, declared[name])
        loaded += len(clean)
    # the coordination areas' own figures, from the municipalities' values now in the copy (every source's,
    # so a changed area configuration takes effect at the next publish of any source)
    area_figures.recompute(con, load_areas(settings.areas_file))
    wl.check_unique(con)
    wl.save_state(con, source.name, run_id, batch.state)
    return loaded


def _load_configuration(con: duckdb.DuckDBPyConnection, source: Source, settings: Settings) -> None:
    """Area configuration and the source's indicator package (when it declares one), so readers need no
    config files."""
    areas = load_areas(settings.areas_file)
    wl.replace_table(
        con,
        "coordination_area",
        pd.DataFrame(
            [
                (a.area_id, areas.province_code, a.name_fi, a.name_sv, a.name_en, a.position)
                for a in areas.areas
            ],
            columns=["area_id", "province_code", "name_fi", "name_sv", "name_en", "position"],
        ),
    )
    for area in areas.areas:
        con.execute(
            "UPDATE region SET coordination_area = ?, county_code = ?, province_code = ? "
            "WHERE region_category = 'KUNTA' AND region_code IN (SELECT unnest(?::VARCHAR[]))",
            [area.area_id, areas.county_code, areas.province_code, list(area.municipalities)],
        )
    con.execute(
        "UPDATE region SET coordination_area = NULL WHERE region_category = 'KUNTA' "
        "AND coordination_area IS NOT NULL AND region_code NOT IN (SELECT unnest(?::VARCHAR[]))",
        [areas.municipalities],
    )
    package_file = indicator_package_of(source, settings)
    if package_file is not None:
        package = load_package(package_file)
        # only the themes this package declares: another source's themes (and its indicators' links to
        # them) stay as they are
        wl.replace_table(
            con,
            "theme",
            pd.DataFrame(
                [(t.theme_id, t.title_fi, t.title_sv, t.title_en, t.position) for t in package.themes],
                columns=["theme_id", "title_fi", "title_sv", "title_en", "position"],
            ),
            "WHERE theme_id IN (SELECT unnest(?::VARCHAR[]))",
            [[t.theme_id for t in package.themes]],
        )
        wl.replace_table(
            con,
            "indicator_package",
            pd.DataFrame(
                [
                    (source.name, i.indicator_id, i.theme_id, i.polarity, i.position)
                    for i in package.indicators
                ],
                columns=["source", "indicator_id", "theme_id", "polarity", "position"],
            ),
            "WHERE source = ?",
            [source.name],
        )


def publish_step(staging: Staging) -> None:
    """Atomically replace the published warehouse with the staging copy."""
    staging.publish()


# --- orchestration -----------------------------------------------------------------------------------


@dataclass
class Steps:
    """The five steps; Prefect's flow passes task-wrapped versions of the same functions."""

    extract: Callable[..., Extracted] = extract_step
    normalise: Callable[..., Batch] = normalise_step
    audit: Callable[..., list[AuditResult]] = audit_step
    load: Callable[..., int] = load_step
    publish: Callable[..., None] = publish_step


def _published_facts(settings: Settings, source: str) -> tuple[dict, bool]:
    """(incremental state, whether demo values are published) read from the published warehouse."""
    path = settings.warehouse_path
    if not path.exists():
        return {}, False
    con = open_read_only(path)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "source_state" not in tables:
            return {}, False
        state = wl.load_state(con, source)
        demo = con.execute(
            "SELECT count(*) FROM indicator_value v JOIN etl_run r USING (run_id) WHERE r.is_demo AND v.source = ?",
            [source],
        ).fetchone()[0]
        return state, bool(demo)
    finally:
        con.close()


def _prune_raw(settings: Settings, source: str) -> None:
    folder = settings.raw_dir / source
    if not folder.exists():
        return
    # oldest first by when the run wrote its folder: run ids sort by the second only, and two runs
    # of one second would otherwise be ordered by their random suffix
    runs = sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: (p.stat().st_mtime_ns, p.name))
    keep = settings.keep_raw_runs
    for old in runs[: max(0, len(runs) - keep)]:
        shutil.rmtree(old, ignore_errors=True)


def _record_only(
    settings: Settings, run_id: str, records: list[tuple[dict, list[dict], pd.DataFrame]]
) -> None:
    """Publish the published data unchanged plus run records (for failed, blocked, interrupted runs)."""
    staging = Staging(settings, f"{run_id}-record")
    try:
        con = staging.open()
        for run, checks, quarantine in records:
            wl.record_run(con, run, checks, quarantine)
        staging.publish()
    finally:
        staging.discard()


def _interrupted_records(settings: Settings) -> list[tuple[dict, list, pd.DataFrame]]:
    records = []
    for entry in interrupted_runs(settings):
        started = entry.get("started_at")
        records.append(
            (
                {
                    "run_id": entry["run_id"],
                    "source": entry.get("source", "unknown"),
                    "started_at": datetime.fromisoformat(started) if started else datetime.now(UTC),
                    "finished_at": None,
                    "status": "failed",
                    "message": "interrupted: the run's process ended before it finished (killed or the machine "
                    "stopped); nothing from it was published",
                },
                [],
                pd.DataFrame(),
            )
        )
    return records


def run_pipeline(
    source_name: str,
    settings: Settings,
    *,
    items: list[str] | None = None,
    years: tuple[int, int] | None = None,
    full: bool = False,
    demo: bool = False,
    progress: Progress = no_progress,
    steps: Steps | None = None,
) -> RunSummary:
    """Run one source once under the warehouse's one-writer lock and return what happened."""
    steps = steps or Steps()
    source = get_source(source_name)
    run_id = new_run_id(source.name)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    summary = RunSummary(run_id, source.name, "failed")
    settings.home.mkdir(parents=True, exist_ok=True)
    with run_lock(settings):
        pending = _interrupted_records(settings)
        clean_stale_staging(settings)
        journal_start(settings, run_id, source.name)
        # Great Expectations takes seconds to import; let it load while the source is being fetched
        threading.Thread(target=preload_audit, name="gx-preload", daemon=True).start()
        staging = Staging(settings, run_id)
        checks: list[dict] = []
        quarantine = pd.DataFrame()
        try:
            state, demo_published = _published_facts(settings, source.name)
            replace_demo = demo_published and not demo
            ctx = RunContext(
                run_id=run_id,
                settings=settings,
                raw_dir=settings.raw_dir / source.name / run_id,
                full=full or replace_demo,
                items=items,
                years=years,
                state=state,
                progress=progress,
                is_demo=demo,
                options=plugin_settings(source.name, settings),
                indicator_package=indicator_package_of(source, settings),
            )
            ctx.raw_dir.mkdir(parents=True, exist_ok=True)
            extracted = steps.extract(source, ctx)
            summary.items_requested = extracted.items_requested
            summary.items_fetched = extracted.items_fetched
            summary.items_unchanged = extracted.items_unchanged
            progress("normalise", 0, 1)
            batch = steps.normalise(source, ctx, extracted)
            summary.rows_fetched = batch.rows_fetched
            summary.duplicates_dropped = batch.duplicates_dropped
            summary.notes = list(batch.notes)
            progress("audit", 0, 1)
            audited = steps.audit(source, batch, settings)
            checks = [c for a in audited for c in a.checks]
            quarantine = pd.concat(
                [a.quarantine.assign(dataset=a.dataset) for a in audited if len(a.quarantine)]
                or [pd.DataFrame()],
                ignore_index=True,
            )
            summary.rows_quarantined = sum(
                len(a.quarantine) for a in audited if a.dataset == "indicator_value"
            )
            blocking = [b for a in audited for b in a.blocking]
            if blocking:
                raise RunBlocked("blocked by a critical quality check: " + "; ".join(blocking[:3]))
            progress("load", 0, 1)
            summary.rows_loaded = steps.load(source, staging, run_id, batch, audited, settings, replace_demo)
            summary.status = "success"
            summary.message = "; ".join(batch.notes)[:2000]
            summary.seconds = time.perf_counter() - clock
            wl.record_run(
                staging.con, _run_row(summary, started, full or replace_demo, demo), checks, quarantine
            )
            for record in pending:
                wl.record_run(staging.con, *record)
            progress("publish", 0, 1)
            steps.publish(staging)
        except Exception as exc:
            staging.discard()
            summary.status = "blocked" if isinstance(exc, RunBlocked) else "failed"
            summary.message = _one_line(exc)
            summary.seconds = time.perf_counter() - clock
            summary.rows_loaded = 0
            expected = isinstance(
                exc, (RunBlocked, SourceError, FrameSchemaError, ValueError, OSError, duckdb.Error)
            )
            (log.error if expected else log.exception)(
                "%s run %s %s: %s", source.name, run_id, summary.status, summary.message
            )
            try:
                _record_only(
                    settings, run_id, [(_run_row(summary, started, full, demo), checks, quarantine), *pending]
                )
            except Exception:  # the record is best effort; the published data must stay as it was
                log.exception("could not record the %s run %s", summary.status, run_id)
        finally:
            staging.discard()
            journal_end(settings, run_id)
            for record in pending:
                journal_end(settings, record[0]["run_id"])
            _prune_raw(settings, source.name)
    if summary.status == "success":
        after_publish(summary, settings)
    return summary


def after_publish(summary: RunSummary, settings: Settings) -> None:
    """Call every plugin's ``perhekeskus_after_publish`` after a successful run published a new warehouse
    (not after a blocked or failed run: those publish only their run record, the data is unchanged).
    Runs outside the writer lock; an exception in a hook is logged and never undoes the publish."""
    from perhekeskus.services import Services

    hook = registry.plugin_manager().hook.perhekeskus_after_publish
    services = Services.create(settings)
    for impl in reversed(hook.get_hookimpls()):  # one by one: one plugin's error must not skip the others
        try:
            impl.function(**{arg: {"summary": summary, "services": services}[arg] for arg in impl.argnames})
        except Exception:
            log.exception("the after-publish hook of plugin %s failed (the publish stands)", impl.plugin_name)


def _one_line(exc: BaseException) -> str:
    """The first line of an error, or its type when it has no text: the CLI prints exactly one line."""
    lines = str(exc).strip().splitlines()
    return lines[0][:1000] if lines else type(exc).__name__


def _run_row(summary: RunSummary, started: datetime, full: bool, demo: bool) -> dict[str, Any]:
    return {
        "run_id": summary.run_id,
        "source": summary.source,
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "status": summary.status,
        "rows_fetched": summary.rows_fetched,
        "rows_loaded": summary.rows_loaded,
        "rows_quarantined": summary.rows_quarantined,
        "message": summary.message or None,
        "mode": "full" if full else "incremental",
        "is_demo": demo,
        "items_requested": summary.items_requested,
        "items_fetched": summary.items_fetched,
        "items_unchanged": summary.items_unchanged,
    }
