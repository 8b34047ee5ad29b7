"""The service map for a steering group's meeting: one print-friendly page, and the same as a PDF.

``/palvelukartta/tuloste?<the page's query>`` is a standalone HTML page (no menus, no controls) that
reads the same view as ``/palvelukartta`` through the same functions (:func:`.view.compute`, the
suggestions' wording of :mod:`.page`, :func:`.task_indicators.related`), so the printout never disagrees
with the page: the place and the date, the filters chosen, the matrix with every cell in words and a
symbol (readable in black and white; the colour only repeats them), the suggestions in plain language,
the related indicators per task with their year, county and Finland, and the sources. Demo services or
values put a mark on every printed sheet (a fixed element, which Chromium and WeasyPrint both repeat on
each page) and in the text. Table headers repeat on each sheet (``thead`` as a header group).
``/palvelukartta/tuloste.pdf`` is the same HTML made into a PDF with WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from perhekeskus.plugins.service_map.services import analysis, labels, task_indicators
from perhekeskus.plugins.service_map.services.indicator_view import focus_tasks
from perhekeskus.plugins.service_map.services.page import (
    PATH,
    STYLES,
    column_name,
    place_name,
    suggestion_text,
    task_name,
)
from perhekeskus.plugins.service_map.services.view import Computed
from perhekeskus.vocabulary import load_vocabulary

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
MAX_PRINTED = 100  # suggestions of one kind on paper; the rest are counted
CSS_CLASS = {
    analysis.GAP: "gap",
    analysis.OVERLAP: "overlap",
    analysis.SINGLE: "single",
    analysis.COVERED: "covered",
    analysis.NOT_EXPECTED: "not-expected",
}


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or its Pango) cannot be loaded on this server."""


@dataclass(frozen=True)
class Printed:
    html: str
    demo: bool


def _context(services: Any, _: Any) -> Any:
    """What the page's wording functions read from a panel context: the translator and the areas."""
    return SimpleNamespace(_=_, areas=services.areas, extras={})


def _filters(ctx: Any, computed: Computed) -> list[tuple[str, str]]:
    """The choices that narrow the view, in words (a printout must say what it leaves out)."""
    _ = ctx._
    view = computed.view
    vocabulary = load_vocabulary()
    chosen: list[tuple[str, str]] = []
    if view.mode == analysis.MUNICIPALITIES:
        chosen.append((_("Columns"), _("Municipalities of the area")))
    if view.task:
        chosen.append((_("Family-centre task"), task_name(ctx, view.task)))
    if view.client_group:
        chosen.append((_("Client group"), vocabulary.label("client_group", view.client_group, _.lang)))
    if view.actor_type:
        chosen.append((_("Actor type"), vocabulary.label("actor_type", view.actor_type, _.lang)))
    if view.form:
        chosen.append((_("Form"), labels.form_names(_).get(view.form, view.form)))
    if view.language:
        chosen.append((_("Language"), labels.language_name(_, view.language)))
    return chosen


def _matrix(ctx: Any, computed: Computed) -> dict[str, Any]:
    _ = ctx._
    grid = computed.matrix
    words = labels.status_labels(_)
    rows = []
    for task in grid.rows:
        cells = []
        for column in grid.columns:
            cell = grid.cell(task, column)
            counts = (
                labels.service_count(_, len(cell.services))
                + ", "
                + labels.provider_count(_, len(cell.providers))
                if cell.services
                else ""
            )
            cells.append(
                {
                    "symbol": STYLES[cell.status][0],
                    "word": words[cell.status],
                    "counts": counts,
                    "css": CSS_CLASS[cell.status],
                }
            )
        rows.append({"task": task_name(ctx, task), "cells": cells})
    return {
        "first": _("Task"),
        "columns": [column_name(ctx, grid.mode, c) for c in grid.columns],
        "rows": rows,
        "caption": _("Family-centre tasks and client groups in {place}", place=place_name(ctx, computed.view))
        if grid.mode == analysis.GROUPS
        else _("Family-centre tasks in the municipalities of {place}", place=place_name(ctx, computed.view)),
    }


def _suggestions(ctx: Any, found: list[analysis.Suggestion]) -> dict[str, Any]:
    return {
        "items": [suggestion_text(ctx, s) for s in found[:MAX_PRINTED]],
        "more": max(0, len(found) - MAX_PRINTED),
    }


def _indicators(ctx: Any, services: Any, computed: Computed) -> tuple[list[dict[str, Any]], bool]:
    """The related indicators of the tasks in view as table rows (a task with none says so)."""
    _ = ctx._
    tasks = focus_tasks(computed)
    config = task_indicators.configured(services.settings)
    found = task_indicators.related(services.reader, services.areas, computed.view, tasks, config)
    by_task: dict[str, list[task_indicators.Figure]] = {}
    for task, figure in found:
        by_task.setdefault(task, []).append(figure)
    rows: list[dict[str, Any]] = []
    demo = False
    for task in tasks:
        figures = by_task.get(task, [])
        if not figures:
            rows.append(
                {"task": task_name(ctx, task), "none": _("No related indicator is configured for this task.")}
            )
        for figure in figures:
            demo |= figure.is_demo
            rows.append({"task": task_name(ctx, task), **indicator_cells(_, figure)})
    return rows, demo


def indicator_cells(_: Any, figure: task_indicators.Figure) -> dict[str, Any]:
    """One indicator's title, year, value, county and Finland as shown text; a missing one in words."""
    if not figure.known:
        return {"title": str(figure.key), "note": _("This indicator is not in the warehouse.")}
    if figure.year is None:
        return {"title": figure.title(_.lang), "note": _("No values for this indicator yet.")}

    def shown(value: float | None, place: bool) -> str:
        if value is None:
            return _("cannot be combined") if place and figure.not_combinable else _("no data")
        return _.number(value, figure.decimals) + (" " + _("(demo)") if figure.is_demo else "")

    return {
        "title": figure.title(_.lang),
        "year": str(figure.year),
        "value": shown(figure.value, True),
        "county": shown(figure.county, False),
        "finland": shown(figure.finland, False),
        "demo": figure.is_demo,
    }


def _sources(ctx: Any, services: Any, keys: list[Any]) -> dict[str, Any]:
    """When the services were last published, and each indicator's producer and licence."""
    from perhekeskus.ui import indicator_metas, licence, producer_name

    _ = ctx._
    published = None
    try:
        (published,) = services.reader.rows(
            "SELECT max(finished_at) FROM etl_run WHERE source = 'service_map' AND status = 'success'"
        )[0]
    except Exception:  # a warehouse without run history: the line says "not known"
        published = None
    producers: list[str] = []
    if keys:
        try:
            metas = indicator_metas(services.reader, keys)
        except Exception:
            metas = {}
        producers = sorted({f"{producer_name(_, m)} ({licence(_, m)})" for m in metas.values()})
    return {"published": _.date(published) if published else "–", "producers": producers}


def build(services: Any, _: Any, computed: Computed, today: date | None = None) -> Printed:
    """The printout of ``computed`` (one view of the map) in the translator's language."""
    ctx = _context(services, _)
    today = today or date.today()
    view = computed.view
    indicators, indicators_demo = _indicators(ctx, services, computed)
    services_demo = any(r.is_demo for r in computed.records)
    neighbours = [s for s in computed.collaboration if s.kind == "neighbour_has"]
    coordinate = [s for s in computed.collaboration if s.kind == "coordinate"]
    config = task_indicators.configured(services.settings)
    keys = config.keys(focus_tasks(computed))
    grid = computed.matrix
    html = _ENV.get_template("service_map/print.html").render(
        _=_,
        lang=_.lang,
        title=_("Service map: {place}", place=place_name(ctx, view)),
        today=_.date(today),
        filters=_filters(ctx, computed),
        demo=services_demo or indicators_demo,
        services_demo=services_demo,
        indicators_demo=indicators_demo,
        summary=_(
            "Cells: {gaps} gaps, {single} with one provider, {overlaps} overlaps, {covered} with several providers.",
            gaps=grid.count(analysis.GAP),
            single=grid.count(analysis.SINGLE),
            overlaps=grid.count(analysis.OVERLAP),
            covered=grid.count(analysis.COVERED),
        ),
        legend=[
            {
                "symbol": symbol,
                "word": labels.status_labels(_)[status],
                "meaning": labels.status_meanings(_)[status],
                "css": CSS_CLASS[status],
            }
            for status, (symbol, _background, _border) in STYLES.items()
        ],
        matrix=_matrix(ctx, computed),
        neighbours=_suggestions(ctx, neighbours),
        overlaps=_suggestions(ctx, computed.overlaps),
        coordinate=_suggestions(ctx, coordinate),
        indicators=indicators,
        place=place_name(ctx, view),
        sources=_sources(ctx, services, keys),
        page_url=PATH + "?" + urlencode(view.query(lang=_.lang), safe=":"),
        pdf_url=PATH + "/tuloste.pdf?" + urlencode(view.query(lang=_.lang), safe=":"),
        count=len(computed.records),
        empty=not computed.all_records,
    )
    return Printed(html, services_demo or indicators_demo)


def render_pdf(html: str) -> bytes:
    """The HTML as a PDF; :class:`PdfUnavailable` when WeasyPrint cannot load on this server."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango is missing
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


__all__ = ["PdfUnavailable", "Printed", "build", "indicator_cells", "render_pdf"]
