"""The related indicators beside the service map's matrix: per family-centre task, each indicator's latest
figure for the page's place with the wellbeing services county and Finland, and a link that opens it on
the place's own leadership page.

Why cards and not a table: the column sits beside a wide matrix (and below it on a phone), where a
five-column table would be unreadable; each indicator is a short description list instead, which reads
the same to a screen reader. Demo values carry a visible "(demo)" and a note; a missing indicator, year or
area figure is said in words.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from perhekeskus import IndicatorKey
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.service_map.services import task_indicators
from perhekeskus.plugins.service_map.services.task_indicators import Figure, TaskIndicators
from perhekeskus.plugins.service_map.services.view import Computed, View

DL_STYLE = {
    "display": "grid",
    "gridTemplateColumns": "minmax(0, 1fr) auto",
    "gap": "0 .75rem",
    "margin": ".25rem 0 0",
}
ITEM_STYLE = {"padding": ".4rem 0", "borderTop": "1px solid #d0d0d0"}


def level_href(view: View, key: IndicatorKey) -> str:
    """The indicator opened on the leadership page of the view's place (the URL state of dashboard/scope)."""
    query = f"?indicator={key}"
    if view.level == "municipality" and view.municipality:
        return f"/kunta/{view.municipality}{query}"
    if view.level == "area" and view.area_id:
        return f"/alue/{view.area_id}{query}"
    return f"/maakunta{query}"


def focus_tasks(computed: Computed) -> list[str]:
    """The tasks the column speaks of: the opened cell's, the chosen task, else every task of the matrix."""
    view = computed.view
    if view.cell is not None:
        return [view.cell[0]]
    if view.task:
        return [view.task]
    return list(computed.matrix.rows)


def _value(ctx: PanelContext, figure: Figure, value: float | None, place: bool) -> list:
    _ = ctx._
    if value is None:
        if place and figure.not_combinable:
            return [_("cannot be combined")]
        return [_("no data")]
    shown: list = [_.number(value, figure.decimals)]
    if figure.is_demo:
        shown.append(html.Span(" " + _("(demo)"), className="state-warn"))
    return shown


def indicator_item(ctx: PanelContext, view: View, figure: Figure, place: str):
    """One indicator as a list item: its title as a link, then year, place, county and Finland."""
    _ = ctx._
    if not figure.known:
        return html.Li(
            [
                html.Span(str(figure.key), style={"fontWeight": "600"}),
                html.P(_("This indicator is not in the warehouse."), style={"margin": ".15rem 0 0"}),
            ],
            className="service-map-indicator missing",
            style=ITEM_STYLE,
        )
    title = dcc.Link(
        figure.title(_.lang),
        href=level_href(view, figure.key),
        title=_("Open the indicator on the page of {place}", place=place),
    )
    if figure.year is None:
        body: list = [html.P(_("No values for this indicator yet."), style={"margin": ".15rem 0 0"})]
    else:
        pairs = [
            (_("Year"), [str(figure.year)]),
            (place, _value(ctx, figure, figure.value, True)),
            (_("Wellbeing services county"), _value(ctx, figure, figure.county, False)),
            (_("Finland"), _value(ctx, figure, figure.finland, False)),
        ]
        terms: list = []
        for term, value in pairs:
            terms += [html.Dt(term), html.Dd(value, className="num", style={"margin": "0"})]
        body = [html.Dl(terms, style=DL_STYLE)]
        if figure.value is None and not figure.not_combinable:
            body.append(
                html.P(
                    _("No value for {place}; the latest year of the comparisons is shown.", place=place),
                    style={"margin": ".15rem 0 0"},
                )
            )
    return html.Li([title, *body], className="service-map-indicator", style=ITEM_STYLE)


def task_block(
    ctx: PanelContext,
    view: View,
    task: str,
    name: str,
    keys: tuple[IndicatorKey, ...],
    found: dict[IndicatorKey, Figure],
    place: str,
    single: bool,
):
    """One task's indicators: open under a heading when the view is about that task, else a closed
    disclosure per task (the column stays short beside a 14-row matrix)."""
    _ = ctx._
    if keys:
        content: Any = html.Ul(
            [indicator_item(ctx, view, found[k], place) for k in keys],
            style={"listStyle": "none", "paddingLeft": "0", "margin": "0"},
        )
    else:
        content = html.P(_("No related indicator is configured for this task."))
    if single:
        return html.Div([html.H3(name), content], id=f"service-map-indicators-{task}")
    return html.Details(
        [html.Summary(_("{task} ({n})", task=name, n=len(keys))), content],
        id=f"service-map-indicators-{task}",
    )


def indicator_column(
    ctx: PanelContext, computed: Computed, config: TaskIndicators, place: str, task_name: Any
) -> html.Aside:
    """The column beside the matrix (``task_name(ctx, code)`` names a task in the page's language)."""
    _ = ctx._
    view = computed.view
    tasks = focus_tasks(computed)
    region = task_indicators.place_region(view.level, ctx.areas, view.municipality, view.area_id)
    found = task_indicators.figures(ctx.reader, config.keys(tasks), region, ctx.areas.county_code)
    parts: list = [
        html.H2(_("Related indicators"), id="service-map-indicators-heading"),
        html.P(
            _(
                "For {place}: the latest year with data, beside the wellbeing services county and Finland in the same year. Which indicators relate to which task is configuration, to be confirmed by the province.",
                place=place,
            ),
            className="intro",
        ),
    ]
    if any(f.is_demo for f in found.values()):
        parts.append(
            html.P(
                [
                    html.Strong(_("Demo values.")),
                    " ",
                    _("These numbers are invented and only show how the view works."),
                ],
                className="demo-banner",
                id="service-map-indicators-demo",
            )
        )
    single = len(tasks) == 1
    parts += [task_block(ctx, view, t, task_name(ctx, t), config.of(t), found, place, single) for t in tasks]
    return html.Aside(
        parts,
        id="service-map-indicators",
        className="service-map-indicators",
        style={"flex": "1 1 18rem", "minWidth": "0", "maxWidth": "100%"},
        **{"aria-labelledby": "service-map-indicators-heading"},
    )
