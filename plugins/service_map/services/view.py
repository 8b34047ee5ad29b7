"""What the page (and its downloads) shows: the view asked for in the URL, and the published services.

The view lives in the URL (``?area=&kunta=&mode=&task=&group=&type=&form=&language=&cell=``), so a copied
link opens the same map and the page needs no callbacks: the filter form is a plain GET form. Anything in
the URL that is not a known value is ignored (with a notice), never trusted. The services come from the
warehouse (tables of the ``service_map`` source), read once per publish and cached by its version.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.service_map.services import analysis, values
from perhekeskus.vocabulary import load_vocabulary

_CACHE: dict[str, tuple[Any, list[analysis.Record]]] = {}
_CACHE_LOCK = threading.Lock()


@dataclass
class View:
    level: str = "province"  # province | area | municipality
    area_id: str | None = None
    municipality: str | None = None
    mode: str = analysis.GROUPS
    task: str | None = None
    client_group: str | None = None
    actor_type: str | None = None
    form: str | None = None
    language: str | None = None
    cell: tuple[str, str] | None = None
    ignored: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    def query(self, **changes: Any) -> dict[str, str]:
        """The URL parameters of this view with ``changes`` (None removes one)."""
        params = {
            "area": self.area_id,
            "kunta": self.municipality,
            "mode": self.mode if self.mode != analysis.GROUPS else None,
            "task": self.task,
            "group": self.client_group,
            "type": self.actor_type,
            "form": self.form,
            "language": self.language,
            "lang": None,
        }
        params.update(changes)
        return {k: str(v) for k, v in params.items() if v not in (None, "")}


def parse_view(query: dict[str, str], areas: Any) -> View:
    """The view of a request's query parameters; unknown values are dropped and named in ``ignored``."""
    vocabulary = load_vocabulary()
    view = View()

    def pick(key: str, allowed: Any) -> str | None:
        value = query.get(key)
        if value is None or value == "":
            return None
        if value in allowed:
            return value
        view.ignored.append(key)
        return None

    view.area_id = pick("area", {a.area_id for a in areas.areas})
    view.municipality = pick("kunta", set(areas.municipalities))
    view.mode = pick("mode", (analysis.GROUPS, analysis.MUNICIPALITIES)) or analysis.GROUPS
    view.task = pick("task", set(vocabulary.codes("task")))
    view.client_group = pick("group", set(vocabulary.codes("client_group")))
    view.actor_type = pick("type", set(vocabulary.codes("actor_type")))
    view.form = pick("form", set(values.FORMS))
    language = query.get("language")
    if language:
        view.language = values.resolve_language(language[:20])
        if view.language is None:
            view.ignored.append("language")
    if view.municipality:
        view.level = "municipality"
        area = areas.area_of(view.municipality)
        view.area_id = area.area_id if area else view.area_id
        view.places = [view.municipality]
    elif view.area_id:
        view.level = "area"
        area = areas.area(view.area_id)
        view.places = list(area.municipalities) if area else []
    else:
        view.places = list(areas.municipalities)
    cell = query.get("cell", "")
    if cell:
        row, _sep, column = cell.partition(":")
        columns = set(vocabulary.codes("client_group")) if view.mode == analysis.GROUPS else set(view.places)
        if row in vocabulary.codes("task") and column in columns:
            view.cell = (row, column)
        else:
            view.ignored.append("cell")
    return view


def _split(text: Any) -> tuple[str, ...]:
    return tuple(t for t in str(text or "").split(",") if t)


def load_records(reader: Any) -> list[analysis.Record]:
    """The published services (empty when the source has never run), cached per warehouse version."""
    try:
        version = reader.version
        key = f"{getattr(reader, 'settings', None) and reader.settings.warehouse_path}"
        with _CACHE_LOCK:
            cached = _CACHE.get(key)
            if cached is not None and cached[0] == version:
                return cached[1]
        tables = {r[0] for r in reader.rows("SELECT table_name FROM information_schema.tables")}
        if "service_map_service" not in tables:
            return []
        links: dict[str, dict[int, list[str]]] = {}
        for table, column in (
            ("service_map_service_municipality", "municipality_code"),
            ("service_map_service_task", "task"),
            ("service_map_service_client_group", "client_group"),
            ("service_map_service_actor", "actor_id"),
        ):
            grouped: dict[int, list[str]] = {}
            if table in tables:
                for sid, value in reader.rows(f"SELECT service_id, {column} FROM {table}"):
                    grouped.setdefault(int(sid), []).append(value)
            links[column] = grouped
        rows = reader.rows(
            "SELECT service_id, name, provider, actor_type, forms, languages, is_demo, description,"
            " contact_url, referral_needed FROM service_map_service ORDER BY service_id"
        )
    except Exception:  # no published warehouse yet: the page shows its empty state
        return []
    records = [
        analysis.Record(
            service_id=int(r[0]),
            name=r[1] or "",
            provider=r[2] or "",
            actor_type=r[3] or "other",
            municipalities=tuple(links["municipality_code"].get(int(r[0]), ())),
            tasks=tuple(links["task"].get(int(r[0]), ())),
            client_groups=tuple(links["client_group"].get(int(r[0]), ())),
            forms=_split(r[4]),
            languages=_split(r[5]),
            is_demo=bool(r[6]),
            description=r[7] or "",
            contact_url=r[8] or "",
            referral_needed=bool(r[9]),
            actors=tuple(links["actor_id"].get(int(r[0]), ())),
        )
        for r in rows
    ]
    with _CACHE_LOCK:
        _CACHE[key] = (version, records)
    return records


def expected_pairs(settings: Any) -> analysis.Expected:
    """The configured relevance rule (plugin setting ``expected_pairs``), else the packaged default."""
    from perhekeskus.services import plugin_settings

    path = plugin_settings("service_map", settings).get("expected_pairs") or None
    try:
        return analysis.Expected.load(path)
    except (OSError, ValueError):
        return analysis.Expected.load()


@dataclass
class Computed:
    """Everything the page and the downloads need for one view."""

    view: View
    records: list[analysis.Record]  # after the filters
    all_records: list[analysis.Record]
    matrix: analysis.Matrix
    overlaps: list[analysis.Suggestion]
    collaboration: list[analysis.Suggestion]
    tasks: list[str]
    groups: list[str]


def compute(
    view: View, all_records: list[analysis.Record], areas: Any, expected: analysis.Expected
) -> Computed:
    vocabulary = load_vocabulary()
    tasks = [view.task] if view.task else vocabulary.codes("task")
    groups = [view.client_group] if view.client_group else vocabulary.codes("client_group")
    records = analysis.filter_records(
        all_records,
        task=view.task,
        client_group=view.client_group,
        actor_type=view.actor_type,
        form=view.form,
        language=view.language,
    )
    places = set(view.places)
    in_view = [r for r in records if places & set(r.municipalities)]
    # one index over the (filtered) map: a neighbour's services may lie outside the view, and the
    # matrix and overlaps only ever look up the municipalities in view
    index = analysis.Index(records)
    grid = analysis.matrix(in_view, view.places, tasks, groups, expected, view.mode, index)
    overlaps = analysis.overlaps(in_view, view.places, index)
    chances = analysis.collaboration(records, view.places, areas, tasks, groups, expected, index, overlaps)
    return Computed(view, in_view, all_records, grid, overlaps, chances, tasks, groups)
