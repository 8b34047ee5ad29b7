"""``perhekeskus demo load``: the bundled demo snapshot of every source that declares one.

A source declares a demo with ``open_demo(settings)``: a context manager that yields the settings under
which a normal run reads its bundled snapshot (e.g. its snapshot served on 127.0.0.1). The
run is the real pipeline, recorded with ``is_demo`` so that every panel can label demo values; the first
successful live run of that source deletes them.
"""

from __future__ import annotations

from perhekeskus import registry
from perhekeskus.etl.pipeline import RunSummary, UnknownSource, run_pipeline
from perhekeskus.source import Progress, Source, no_progress
from perhekeskus.warehouse.settings import Settings


def demo_sources() -> dict[str, Source]:
    """The enabled sources that bring a demo snapshot, by name."""
    return {name: s for name, s in registry.sources().items() if callable(getattr(s, "open_demo", None))}


def load_demo(settings: Settings, source: str | None = None, progress: Progress = no_progress) -> RunSummary:
    """Load one source's demo snapshot (the only source with one when ``source`` is not given)."""
    found = demo_sources()
    if source is None:
        if len(found) != 1:
            raise UnknownSource(
                f"name the source whose demo to load (sources with a demo: {', '.join(sorted(found)) or 'none'})"
            )
        source = next(iter(found))
    if source not in found:
        raise UnknownSource(
            f"no enabled source {source!r} with a demo snapshot (sources with one: {', '.join(sorted(found)) or 'none'})"
        )
    with found[source].open_demo(settings) as demo_settings:
        return run_pipeline(source, demo_settings, full=True, demo=True, progress=progress)


def load_demos(
    settings: Settings, sources: list[str] | None = None, progress: Progress = no_progress
) -> list[RunSummary]:
    """Load the demo snapshots of the given sources, or of every source that declares one."""
    names = sources or sorted(demo_sources())
    return [load_demo(settings, name, progress) for name in names]
