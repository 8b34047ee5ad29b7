"""The Prefect flow: the pipeline's five steps as Prefect tasks, run for one source.

One module-level flow serves every source (a Prefect runner must be able to import the flow from its
entry point, which rules out flows built in a closure per plugin); each source gets its own deployment
with its own schedule (perhekeskus.etl.schedule), and each flow run is named after its source.
Tasks do not cache: their inputs are large frames, and hashing them would cost more than the step.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed

from perhekeskus.etl import pipeline
from perhekeskus.source import Progress, no_progress
from perhekeskus.warehouse.settings import Settings

extract_task = task(pipeline.extract_step, name="extract", cache_policy=NO_CACHE)
normalise_task = task(pipeline.normalise_step, name="normalise", cache_policy=NO_CACHE)
audit_task = task(pipeline.audit_step, name="audit", cache_policy=NO_CACHE)
load_task = task(pipeline.load_step, name="load", cache_policy=NO_CACHE)
publish_task = task(pipeline.publish_step, name="publish", cache_policy=NO_CACHE)

PREFECT_STEPS = pipeline.Steps(
    extract=extract_task, normalise=normalise_task, audit=audit_task, load=load_task, publish=publish_task
)


class RunNotSuccessful(RuntimeError):
    """Raised by the flow so that Prefect marks the flow run failed; carries the run's summary."""

    def __init__(self, summary: pipeline.RunSummary) -> None:
        super().__init__(f"{summary.source} run {summary.status}: {summary.message}")
        self.summary = summary


# Progress callbacks are not flow parameters (they are not JSON); a run started from the CLI in this
# process sets one here for the duration of its flow call.
_progress: Progress = no_progress
# Summaries of flow runs made in this process, read back by run_flow: reading the state's result is
# async-only when an event loop runs in the calling thread (Playwright's sync API, notebooks).
_summaries: list[pipeline.RunSummary] = []


@flow(name="source-etl", flow_run_name="{source}-etl", validate_parameters=False)
def source_etl(
    source: str,
    indicators: list[str] | None = None,
    years: list[int] | None = None,
    full: bool = False,
    settings_overrides: dict[str, Any] | None = None,
):
    """Extract → normalise → audit → load → publish for one source; the flow run fails when the run does."""
    settings = _settings_with(settings_overrides)
    summary = pipeline.run_pipeline(
        source,
        settings,
        items=indicators,
        years=(years[0], years[1]) if years else None,
        full=full,
        progress=_progress,
        steps=PREFECT_STEPS,
    )
    _summaries.append(summary)
    if summary.status != "success":
        raise RunNotSuccessful(summary)
    return Completed(message=summary.line(), data=dataclasses.asdict(summary))


def run_flow(
    source: str,
    settings: Settings,
    *,
    items: list[str] | None = None,
    years: tuple[int, int] | None = None,
    full: bool = False,
    progress: Progress = no_progress,
) -> pipeline.RunSummary:
    """Run the flow once in this process (tracked by the configured Prefect API) and return its summary."""
    global _progress
    overrides = as_parameters(settings)
    _progress = progress
    before = len(_summaries)
    try:
        state = source_etl(
            source=source,
            indicators=items,
            years=list(years) if years else None,
            full=full,
            settings_overrides=overrides,
            return_state=True,
        )
    finally:
        _progress = no_progress
    if len(_summaries) > before:
        return _summaries.pop()
    return pipeline.RunSummary(
        run_id="", source=source, status="failed", message=f"flow ended {state.type}: {state.message}"
    )


@flow(name="plugin-job", flow_run_name="{job}-job", validate_parameters=False)
def plugin_job(job: str, settings_overrides: dict[str, Any] | None = None) -> str:
    """Run one plugin's scheduled job (``perhekeskus_jobs``), e.g. a retention clean-up; the flow run
    fails when the job raises, and its state message is the job's summary."""
    from perhekeskus import registry
    from perhekeskus.services import Services

    settings = _settings_with(settings_overrides)
    services = Services.create(settings)
    found = registry.jobs(services)
    if job not in found:
        raise ValueError(
            f"no enabled plugin provides a job named {job!r}; known: {', '.join(sorted(found)) or 'none'}"
        )
    summary = found[job].run(services)
    _job_summaries.append(summary)
    return summary


def _settings_with(overrides: dict[str, Any] | None) -> Settings:
    """The environment's settings with a caller's overrides (paths given as strings over the API)."""
    settings = Settings.from_env()
    if overrides:
        overrides = {
            k: Path(v) if k in ("home", "indicator_package", "areas_file") and v else v
            for k, v in overrides.items()
        }
        settings = dataclasses.replace(settings, **overrides)
    return settings


def as_parameters(settings: Settings) -> dict[str, Any]:
    """A Settings object as flow parameters (JSON: paths as strings, unset fields left out)."""
    return {
        f.name: (str(v) if isinstance(v, Path) else v)
        for f in dataclasses.fields(settings)
        if (v := getattr(settings, f.name)) is not None
    }


# Summaries of job runs made in this process, read back by run_job (as _summaries for source runs: a
# state's result is async-only when an event loop runs in the calling thread).
_job_summaries: list[str] = []


def run_job(job: str, settings: Settings) -> tuple[bool, str]:
    """Run a plugin's job once through its flow in this process: (succeeded, summary or error)."""
    before = len(_job_summaries)
    state = plugin_job(job=job, settings_overrides=as_parameters(settings), return_state=True)
    if state.is_completed() and len(_job_summaries) > before:
        return True, str(_job_summaries.pop())
    return False, state.message or str(state.type)
