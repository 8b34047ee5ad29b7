"""The "voice of families" panel beside the key indicators on the province, area and municipality pages.

It shows the number of answers and the rating over time (a chart and the same numbers as a table, with
the rating scale's words), the themes and publishable quotes, for the page's place, optionally narrowed
by one filter (a family-centre task or the children's age group) given in the URL, so the view is a
link and works with the keyboard. Everything comes from :mod:`.aggregate`: a hidden cell is shown as
"fewer than 5", a group that is hidden as a whole says so and shows nothing else.

Anonymous visitors and users without ``feedback.read`` for the whole page see the public tier
(moderated answers, as the public summary); readers see the full tier (see :mod:`.visibility`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import pandas as pd
from dash import dcc, html

from perhekeskus import PanelContext
from perhekeskus.plugins.feedback.model import AGE_GROUPS, MIN_GROUP, RATINGS, word
from perhekeskus.plugins.feedback.views import aggregate, visibility
from perhekeskus.plugins.feedback.views.aggregate import ALL, FULL, Feedback, View
from perhekeskus.vocabulary import load_vocabulary

PANEL_ID = "families-voice"
TITLES = {"fi": "Perheiden ääni", "sv": "Familjernas röst", "en": "The voice of families"}
FILTER_PARAM = "palaute"  # ?palaute=task:family_work or ?palaute=age:0_1
PERIOD_PARAM = "palautejakso"  # ?palautejakso=m (months) or q (quarters, the default)
QUOTES_SHOWN = 4
# the shared style sheet styles no quotes: a left rule (not colour alone: the caption says what it is)
QUOTE_STYLE = {"margin": "0 0 .25rem 0", "padding": "0 0 0 .75rem", "borderLeft": "4px solid #0072B2"}
BAR_COLOUR, LINE_COLOUR = "#0072B2", "#D55E00"  # Okabe–Ito, as the indicator charts


# --- the URL ---------------------------------------------------------------------------------------


def query_of(ctx: PanelContext) -> dict[str, str]:
    search = str(ctx.extras.get("search") or "")
    return dict(parse_qsl(search.lstrip("?"), keep_blank_values=False))


def chosen_filter(query: dict[str, str]) -> tuple:
    """The filter named in the URL, when it names a known task or age group; otherwise all answers."""
    kind, _sep, value = query.get(FILTER_PARAM, "").partition(":")
    if kind == "task" and value in load_vocabulary().codes("task"):
        return ("task", value)
    if kind == "age" and value in AGE_GROUPS:
        return ("age", value)
    return ALL


def chosen_period(query: dict[str, str]) -> str:
    return "m" if query.get(PERIOD_PARAM) == "m" else "q"


def href(path: str, query: dict[str, str], **changes: str | None) -> str:
    merged = {**query, **changes}
    merged = {k: v for k, v in merged.items() if v}
    return path + ("?" + urlencode(merged) if merged else "")


def page_path(ctx: PanelContext) -> str:
    s = ctx.scope
    if s.level == "local":
        return f"/kunta/{s.municipality}"
    if s.level == "region":
        return f"/alue/{s.area_id}"
    return "/maakunta"


# --- words -----------------------------------------------------------------------------------------


def filter_label(_, filt: tuple) -> str:
    if filt == ALL:
        return _("All answers")
    kind, value = filt
    if kind == "task":
        return load_vocabulary().label("task", value, _.lang)
    return word(AGE_GROUPS, value, _.lang)


def period_label(_, key: str) -> str:
    """``2026-Q2`` → "Q2 2026" in the page's language; ``2026-05`` → "5/2026"."""
    year, _sep, rest = key.partition("-")
    if rest.startswith("Q"):
        return _("Q{quarter} {year}", quarter=rest[1:], year=year)
    return f"{int(rest)}/{year}"


def rating_words(_, mean: float | None) -> str:
    """A mean rating as a number and the nearest word of the scale: "4,2 (Melko hyvin)"."""
    if mean is None:
        return _("not shown")
    return f"{_.number(mean, 1)} ({word(RATINGS, max(1, min(5, round(mean))), _.lang)})"


def count_text(_, value: int | None) -> str:
    return _("fewer than {n}", n=MIN_GROUP) if value is None else _.number(value, 0)


def place_name(_, unit: tuple, areas: Any) -> str:
    if unit[0] == "A":
        area = areas.area(unit[1])
        return area.name(_.lang) if area else unit[1]
    if unit[0] == "M":
        fi, sv = areas.municipality_names().get(unit[1], (unit[1], unit[1]))
        return sv if _.lang == "sv" else fi
    return areas.province_name(_.lang)


def not_shown(_, id_: str) -> html.P:
    return html.P(
        [
            html.Strong(_("Fewer than {n} answers: not shown.", n=MIN_GROUP)),
            " ",
            _(
                "Groups of fewer than {n} answers are never shown, so that no family can be recognised.",
                n=MIN_GROUP,
            ),
        ],
        id=id_,
        className="feedback-suppressed",
        role="status",
    )


# --- building blocks -------------------------------------------------------------------------------------


def period_figure(_, result: View, title: str) -> dict:
    """Answers per period as bars and the mean rating as a line (periods with fewer than five ratings
    have no point), as a plain Plotly dict."""
    labels = [period_label(_, key) for key, _c, _m in result.periods]
    counts = [c for _k, c, _m in result.periods]
    means = [m for _k, _c, m in result.periods]
    return {
        "data": [
            {
                "type": "bar",
                "x": labels,
                "y": counts,
                "name": _("Answers"),
                "marker": {"color": BAR_COLOUR},
                "hovertemplate": "%{x}: %{y}<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": labels,
                "y": means,
                "yaxis": "y2",
                "name": _("Average rating (1–5)"),
                "line": {"color": LINE_COLOUR, "dash": "dash"},
                "marker": {"symbol": "diamond", "size": 9},
                "connectgaps": False,
            },
        ],
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "height": 300,
            "margin": {"l": 50, "r": 50, "t": 50, "b": 40},
            "separators": ",\u00a0" if _.lang in ("fi", "sv") else ".,",
            "xaxis": {"type": "category"},
            "yaxis": {"title": {"text": _("Answers")}, "rangemode": "tozero"},
            "yaxis2": {
                "title": {"text": _("Average rating (1–5)")},
                "overlaying": "y",
                "side": "right",
                "range": [0.8, 5.2],
                "tickvals": [1, 2, 3, 4, 5],
                "showgrid": False,
            },
            "legend": {"orientation": "h", "y": -0.2},
        },
    }


def period_rows(_, result: View) -> list[list]:
    return [
        [period_label(_, key), count_text(_, count), rating_words(_, mean)]
        for key, count, mean in result.periods
    ]


def period_headers(_) -> list[str]:
    return [_("Period"), _("Answers"), _("Average rating (1–5)")]


def rating_rows(_, result: View) -> list[list]:
    return [[f"{k} – {word(RATINGS, k, _.lang)}", count_text(_, c)] for k, c in reversed(result.ratings)]


def quote_list(_, quotes: list[tuple[str, str]], **ident: str) -> html.Div:
    if not quotes:
        return html.P(_("No quotes have been published yet."), **ident)
    return html.Div(
        [
            html.Figure(
                [
                    html.Blockquote(html.P(text), style=QUOTE_STYLE),  # text, never markup: Dash escapes it
                    html.Figcaption(_("What was good") if kind == "good" else _("What should change")),
                ],
                className="feedback-quote",
                style={"margin": "0 0 1rem 0"},
            )
            for kind, text in quotes
        ],
        **ident,
    )


def filter_links(_, path: str, query: dict[str, str], chosen: tuple, period: str) -> html.Nav:
    """Links that narrow the view (one filter at a time) and choose quarters or months."""
    vocabulary = load_vocabulary()
    options = [(ALL, None)] + [(("task", t.code), f"task:{t.code}") for t in vocabulary.terms("task")]
    options += [(("age", code), f"age:{code}") for code in AGE_GROUPS]

    def link(label: str, target: str, current: bool) -> html.Li:
        if current:
            return html.Li(html.Strong(label, **{"aria-current": "true"}))
        return html.Li(dcc.Link(label, href=target))

    tasks = [
        link(filter_label(_, f), href(path, query, **{FILTER_PARAM: v}), f == chosen)
        for f, v in options
        if f == ALL or f[0] == "task"
    ]
    ages = [
        link(filter_label(_, f), href(path, query, **{FILTER_PARAM: v}), f == chosen)
        for f, v in options
        if f != ALL and f[0] == "age"
    ]
    periods = [
        link(_("By quarter"), href(path, query, **{PERIOD_PARAM: None}), period == "q"),
        link(_("By month"), href(path, query, **{PERIOD_PARAM: "m"}), period == "m"),
    ]
    return html.Nav(
        [
            html.Details(
                [
                    html.Summary(_("Narrow the view: {chosen}", chosen=filter_label(_, chosen))),
                    html.P(_("Family-centre task")),
                    html.Ul(tasks),
                    html.P(_("Age of the children")),
                    html.Ul(ages),
                ],
                id=f"{PANEL_ID}-filters",
            ),
            html.Ul(periods, className="inline-links", id=f"{PANEL_ID}-periods"),
        ],
        **{"aria-label": _("Narrow the feedback view")},
    )


def tier_note(_, tier: str) -> html.P:
    if tier == FULL:
        text = _(
            "You see every answer that moderators have not hidden, also those still waiting for moderation."
        )
    else:
        text = _(
            "Moderated answers only, as in the public summary. Readers of the area see every answer after signing in."
        )
    return html.P(text, className="intro", id=f"{PANEL_ID}-tier")


# --- the panel -------------------------------------------------------------------------------------


def context_of(ctx: PanelContext, services: Any) -> tuple[Feedback | None, tuple, str, tuple, str]:
    s = ctx.scope
    data = aggregate.feedback(ctx.reader, ctx.areas)
    unit = aggregate.view_unit(s.level, s.area_id, s.municipality)
    tier = visibility.tier_for(services, s.user, s.level, s.area_id, s.municipality)
    query = query_of(ctx)
    return data, unit, tier, chosen_filter(query), chosen_period(query)


def links(ctx: PanelContext, services: Any) -> html.P:
    _ = ctx._
    s = ctx.scope
    form = f"/palaute?kunta={s.municipality}" if s.level == "local" else "/palaute"
    summary = f"/palaute/yhteenveto/{s.area_id}" if s.area_id else "/palaute/yhteenveto"
    items: list = [
        html.A(_("Give feedback"), href=form, id=f"{PANEL_ID}-form-link"),
        " · ",
        html.A(_("What families told us (public summary)"), href=summary, id=f"{PANEL_ID}-summary-link"),
    ]
    if visibility.may_export(services, s.user, s.level, s.area_id, s.municipality):
        where = (
            f"kunta={s.municipality}"
            if s.level == "local"
            else f"alue={s.area_id}"
            if s.level == "region"
            else ""
        )
        suffix = f"?{where}&lang={_.lang}" if where else f"?lang={_.lang}"
        items += [
            " · ",
            _("Anonymised answers:"),
            " ",
            html.A("CSV", href=f"/palaute/vienti.csv{suffix}", id=f"{PANEL_ID}-export-csv"),
            " · ",
            html.A("XLSX", href=f"/palaute/vienti.xlsx{suffix}", id=f"{PANEL_ID}-export-xlsx"),
        ]
    return html.P(items, className="feedback-links")


def details(ctx: PanelContext, data: Feedback, result: View, wide: bool) -> list:
    """The numbers of a shown group: over time (a chart on wide screens), ratings, themes, places and
    quotes. Built twice: for wide screens (with the chart and the component ids) and, collapsed, for
    phones (tables only, no ids), and CSS displays one of the two, so a phone page stays short."""
    from perhekeskus.ui import chart_config, chart_with_table, table

    _ = ctx._
    unit, filt = result.unit, result.filt
    place = place_name(_, unit, ctx.areas)

    def ident(name: str) -> dict:
        return {"id": f"{PANEL_ID}-{name}"} if wide else {}

    title = _("Answers and average rating: {place}, {group}", place=place, group=filter_label(_, filt))
    over_time = table(title, period_headers(_), period_rows(_, result), {1, 2}, label=title)
    if wide:
        body = chart_with_table(
            f"{PANEL_ID}-chart",
            period_figure(_, result, title),
            chart_config(_, f"{PANEL_ID}-{place}"),
            _(
                "Bar chart of answers per period and a line of the average rating; the same numbers are in the table."
            ),
            _("Show the numbers as a table"),
            over_time,
        )
    else:
        body = [html.H3(_("Answers over time")), over_time]
    body.append(html.H3(_("How well families got help")))
    body.append(table(_("Answers by rating"), [_("Rating"), _("Answers")], rating_rows(_, result), {1}))
    body.append(html.H3(_("Themes")))
    if result.themes:
        rows = [[data.theme_name(t, _.lang), _.number(c, 0)] for t, c in result.themes[:10]]
        body.append(table(_("Themes of the answers"), [_("Theme"), _("Answers")], rows, {1}))
    else:
        body.append(html.P(_("No theme has {n} or more answers.", n=MIN_GROUP), **ident("no-themes")))
    if result.parts:
        rows = [[place_name(_, u, ctx.areas), count_text(_, c)] for u, c in result.parts]
        caption = _("Answers by area") if unit == aggregate.PROVINCE else _("Answers by municipality")
        body.append(table(caption, [_("Place"), _("Answers")], rows, {1}))
    body.append(html.H3(_("In families' words")))
    body.append(quote_list(_, result.quotes, **ident("quotes")))
    body.append(
        html.P(
            _(
                "Some numbers are also hidden so that a smaller group cannot be worked out by subtracting one shown number from another."
            ),
            className="intro",
        )
    )
    return body


def layout(ctx: PanelContext, services: Any):
    _ = ctx._
    data, unit, tier, filt, period = context_of(ctx, services)
    path, query = page_path(ctx), query_of(ctx)
    if data is None:
        return html.Div(
            [html.P(_("No feedback has been published yet."), id=f"{PANEL_ID}-empty"), links(ctx, services)],
            id=f"{PANEL_ID}-body",
        )
    result = aggregate.view(data, unit, tier, filt, period, quotes=QUOTES_SHOWN)
    body: list = [tier_note(_, tier), filter_links(_, path, query, filt, period)]
    if not result.shown:
        body += [not_shown(_, f"{PANEL_ID}-suppressed"), links(ctx, services)]
        return html.Div(body, id=f"{PANEL_ID}-body")
    body.append(
        html.P(
            [
                html.Strong(_("{count} answers", count=_.number(result.answers, 0))),
                " · ",
                _("Average rating: {rating}", rating=rating_words(_, result.mean)),
            ],
            id=f"{PANEL_ID}-total",
        )
    )
    body.append(html.Div(details(ctx, data, result, wide=True), className="wide-only"))
    body.append(
        html.Details(
            [html.Summary(_("Show the feedback in detail")), *details(ctx, data, result, wide=False)],
            className="narrow-only",
        )
    )
    body.append(links(ctx, services))
    return html.Div(body, id=f"{PANEL_ID}-body")


def export(ctx: PanelContext, services: Any) -> pd.DataFrame:
    """The period table of what the panel shows (same tier and suppression as the page)."""
    _ = ctx._
    data, unit, tier, filt, period = context_of(ctx, services)
    headers = period_headers(_)
    frame = pd.DataFrame(columns=headers)
    if data is not None:
        result = aggregate.view(data, unit, tier, filt, period, quotes=0)
        if result.shown:
            frame = pd.DataFrame(period_rows(_, result), columns=headers)
    frame.attrs["demo"] = False
    frame.attrs["indicators"] = []
    return frame
