"""What changed since the last meeting: the first thing a steering group asks before its meeting.

Since a chosen date (default: 90 days ago), per level:

- which indicators their producer updated (the data's own date, Sotkanet's *data updated*, not our load
  time) and their newest year;
- in the regions of the page, which of those moved beyond the noise from the previous year (the same rule
  as the key figures: not smaller than the indicator's precision, not resting on fewer than five cases,
  context figures not rated) and which municipalities moved to another fifth among the province's;
- which sources published and which runs failed or were blocked (with a link to data quality).

Each line links to the indicator on the page it concerns.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd
from dash import Input, Output, dcc, html

from perhekeskus import IndicatorKey, PanelContext, callback_scope
from perhekeskus.plugins.indicators import data, trust
from perhekeskus.plugins.indicators.common import cached
from perhekeskus.plugins.indicators.key_figures import fifth_word
from perhekeskus.ui import translator, url_state

DEFAULT_DAYS = 90


def default_since(ctx: PanelContext) -> date:
    return trust.today(ctx.extras) - timedelta(days=DEFAULT_DAYS)


def updated_indicators(ctx: PanelContext, since: date) -> pd.DataFrame:
    """Package indicators whose producer updated them on or after ``since``, newest first, with the
    newest year in which any municipality has a value (read once per published warehouse)."""
    frame = ctx.reader.df(
        """
        SELECT p.source, p.indicator_id, p.polarity, i.title_fi, i.title_sv, i.title_en, i.decimals,
               i.data_updated
        FROM indicator_package p
        JOIN indicator i USING (source, indicator_id)
        WHERE i.data_updated >= ?
        ORDER BY i.data_updated DESC, p.source, p.indicator_id
        """,
        [since],
    )
    newest = data.newest_municipal_years(ctx.reader)
    frame["newest"] = [
        newest.get((s, i)) for s, i in zip(frame["source"], frame["indicator_id"], strict=True)
    ]
    return frame


def runs_since(ctx: PanelContext, since: date) -> pd.DataFrame:
    """Each source's runs since ``since``: successes, the last success, and failed or blocked runs."""
    return ctx.reader.df(
        """
        SELECT source,
               count(*) FILTER (WHERE status = 'success') AS published,
               max(finished_at) FILTER (WHERE status = 'success') AS last_success,
               count(*) FILTER (WHERE status <> 'success') AS failed,
               arg_max(message, started_at) FILTER (WHERE status <> 'success') AS last_failure
        FROM etl_run WHERE started_at >= ? GROUP BY source ORDER BY source
        """,
        [since],
    )


def _regions(ctx: PanelContext) -> list[tuple[str, str]]:
    s = ctx.scope
    if s.level == "local":
        return [("KUNTA", s.municipality)]
    if s.level == "region":
        return [("KUNTA", c) for c in s.municipalities] + data.area_regions(ctx)
    return data.area_regions(ctx) + [("KUNTA", c) for c in ctx.areas.municipalities]


def _place(value: float, ranked: list[float]) -> int | None:
    """:func:`key_figures.fifth` of ``value`` among ``ranked`` (the pool's values, NaN and None left
    out, sorted ascending once per pool rather than once per region): the number of values above it
    is where a descending sort would put it."""
    if len(ranked) < 5 or value is None or value != value:
        return None
    above = len(ranked) - bisect_right(ranked, value)
    return min(4, int(above * 5 / len(ranked)))


class _Point(NamedTuple):
    value: float
    abs_value: float | None


def moves(ctx: PanelContext, updated: pd.DataFrame) -> list[dict]:
    """Changes beyond the noise and fifth moves, newest year against the previous, in the page's regions."""
    if not len(updated):
        return []
    regions = _regions(ctx)
    # one pass over each frame into dicts, rather than filtering and grouping the frames once per
    # indicator (100 updated indicators took seconds that way)
    series: dict[tuple, dict[tuple[str, str], dict[int, tuple]]] = {}
    # only the newest year and the one before it are compared: leave the other years out before the
    # rows are walked one by one
    wanted = {int(y) - k for y in updated["newest"] if y is not None and y == y for k in (0, 1)}
    frame = data.package_latest(ctx, regions, wanted)
    for source, ident, category, code, year, value, absolute in zip(
        *(
            frame[c]
            for c in (
                "source",
                "indicator_id",
                "region_category",
                "region_code",
                "year",
                "value",
                "abs_value",
            )
        ),
        strict=True,
    ):
        series.setdefault((source, ident), {}).setdefault((category, code), {})[int(year)] = (value, absolute)
    pools_of: dict[tuple, dict[int, list[float]]] = {}
    province = data.package_latest(ctx, [("KUNTA", c) for c in ctx.areas.municipalities], wanted)
    for source, ident, year, value in zip(
        *(province[c] for c in ("source", "indicator_id", "year", "value")), strict=True
    ):
        if value is not None and value == value:  # not missing, not NaN
            pools_of.setdefault((source, ident), {}).setdefault(int(year), []).append(value)
    for pools in pools_of.values():
        for ranked in pools.values():
            ranked.sort()
    names = data.municipality_names(ctx)
    area_names = data.area_names(ctx)
    found = []
    for ind in updated.itertuples(index=False):
        if ind.newest is None or ind.newest != ind.newest:
            continue
        key = IndicatorKey(ind.source, ind.indicator_id)
        year = int(ind.newest)
        decimals = None if pd.isna(ind.decimals) else int(ind.decimals)
        pools = pools_of.get(tuple(key), {})
        by_region = series.get(tuple(key), {})
        for category, code in sorted(by_region):  # as a groupby by category and code ordered them
            by_year = by_region[(category, code)]
            now = _Point(*by_year[year]) if year in by_year else None
            before = _Point(*by_year[year - 1]) if year - 1 in by_year else None
            if now is None or before is None or now.value != now.value or before.value != before.value:
                continue
            change = now.value - before.value
            word = trust.verdict(
                change, ind.polarity, decimals, trust.either_small(now.abs_value, before.abs_value)
            )
            place_now = _place(now.value, pools.get(year, [])) if category == "KUNTA" else None
            place_before = _place(before.value, pools.get(year - 1, [])) if category == "KUNTA" else None
            moved = place_now is not None and place_before is not None and place_now != place_before
            if word not in (trust.BETTER, trust.WORSE) and not moved:
                continue
            if category == "KUNTA":
                name = names.get(code, code)
                href = f"/kunta/{code}?indicator={key}&lang={ctx._.lang}"
            else:
                name = area_names.get(code, code)
                href = f"/alue/{code}?indicator={key}&lang={ctx._.lang}"
            found.append(
                {
                    "key": key,
                    "title": ctx._.pick(ind.title_fi, ind.title_sv, ind.title_en),
                    "region": name,
                    "href": href,
                    "year": year,
                    "change": change,
                    "decimals": decimals,
                    "verdict": word,
                    "fifths": (place_before, place_now) if moved else None,
                }
            )
    return found


def render(ctx: PanelContext, since: date) -> html.Div:
    _ = ctx._
    updated = updated_indicators(ctx, since)
    runs = runs_since(ctx, since)
    changed = moves(ctx, updated)
    blocks = []
    if len(updated):
        blocks.append(html.H3(_("New data from the producers")))
        dates: dict = {}  # one producer's update date recurs on most lines: formatted once
        blocks.append(
            html.Ul(
                [
                    html.Li(
                        [
                            html.A(
                                _.pick(r.title_fi, r.title_sv, r.title_en),
                                href=f"{_page(ctx)}?indicator={IndicatorKey(r.source, r.indicator_id)}&lang={_.lang}",
                            ),
                            " – ",
                            _(
                                "updated {date}, newest year {year}",
                                date=dates.get(r.data_updated)
                                or dates.setdefault(r.data_updated, _.date(r.data_updated)),
                                year="–" if r.newest is None or r.newest != r.newest else int(r.newest),
                            ),
                        ]
                    )
                    for r in updated.itertuples(index=False)
                ]
            )
        )
    else:
        blocks.append(html.P(_("No indicator of the package got new data in this time.")))
    if changed:
        blocks.append(html.H3(_("Changes beyond the noise, from the previous year")))
        items = []
        signed: dict[tuple, str] = {}  # the same few rounded changes recur across ~1,600 lines
        for c in changed:
            parts = [html.A(f"{c['region']}: {c['title']}", href=c["href"]), " – "]
            if c["verdict"] in (trust.BETTER, trust.WORSE):
                parts.append(
                    _(
                        "{change} in {year} ({verdict})",
                        change=_signed(
                            _,
                            signed,
                            round(c["change"], trust.precision_step_digits(c["decimals"])),
                            c["decimals"],
                        ),
                        year=c["year"],
                        verdict=_("better") if c["verdict"] == trust.BETTER else _("worse"),
                    )
                )
            if c["fifths"]:
                before, now = c["fifths"]
                parts.append(
                    (" " if len(parts) > 2 else "")
                    + _(
                        "moved from the {before} to the {now}",
                        before=fifth_word(_, before),
                        now=fifth_word(_, now),
                    )
                )
            items.append(html.Li(parts))
        blocks.append(html.Ul(items))
    elif len(updated):
        blocks.append(html.P(_("No change beyond the noise in this page's regions.")))
    blocks.append(html.H3(_("Updates of the data")))
    if len(runs):
        lines = []
        for r in runs.itertuples(index=False):
            text = _("{source}: published {n} times", source=r.source, n=int(r.published))
            if r.failed:
                text += " · " + _("{n} runs failed or were blocked", n=int(r.failed))
            lines.append(
                html.Li([text, *([" · ", html.A(_("See data quality"), href="/laatu")] if r.failed else [])])
            )
        blocks.append(html.Ul(lines))
    else:
        blocks.append(html.P(_("No updates in this time.")))
    failed = int(runs["failed"].sum()) if len(runs) else 0
    summary = _(
        "Since {date}: {updated} indicators with new data, {changed} changes beyond the noise, {failed} failed updates.",
        date=_.date(since),
        updated=len(updated),
        changed=len(changed),
        failed=failed,
    )
    # the counts at a glance; the lists one click away (a phone page stays short)
    return html.Details([html.Summary(summary), *blocks], open=False, className="changes-details")


def _signed(_, memo: dict[tuple, str], value: float, decimals: int | None) -> str:
    """``_.signed`` once per distinct (value, decimals) of a render (Babel's formatting was a third of
    the panel's time on the province page)."""
    key = (value, decimals)
    if key not in memo:
        memo[key] = _.signed(value, decimals)
    return memo[key]


def _page(ctx: PanelContext) -> str:
    s = ctx.scope
    if s.level == "local":
        return f"/kunta/{s.municipality}"
    if s.level == "region":
        return f"/alue/{s.area_id}"
    return "/maakunta"


def layout(ctx: PanelContext):
    _ = ctx._
    since = default_since(ctx)
    s = ctx.scope
    body = cached(ctx, ("changes", s.level, s.area_id, s.municipality, since), lambda: render(ctx, since))
    picker = html.Label(
        [
            _("Since"),
            " ",
            dcc.Input(id="changes-since", type="date", value=since.isoformat(), debounce=True),
        ]
    )
    pack = html.P(
        html.A(_("Meeting pack (PDF)"), href=f"{pack_path(ctx)}?lang={_.lang}", className="pack-link"),
    )
    return html.Div([pack, picker, dcc.Loading(html.Div(body, id="changes-body"))])


def pack_path(ctx: PanelContext) -> str:
    """The meeting pack of the page's level (plugins/indicators/meeting_pack.py)."""
    s = ctx.scope
    if s.level == "local":
        return f"/raportti/kunta/{s.municipality}.pdf"
    if s.level == "region":
        return f"/raportti/alue/{s.area_id}.pdf"
    return "/raportti/maakunta.pdf"


def register_callbacks(app, services) -> None:
    @app.callback(
        Output("changes-body", "children"),
        Input("changes-since", "value"),
        *url_state(),
        prevent_initial_call=True,
    )
    def since_changed(value, pathname, search):
        scope = callback_scope(services, pathname, search)
        lang = getattr(scope, "lang", "fi")
        if scope is None:
            return html.P(translator(lang)("Nothing to show here."))
        try:
            since = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            since = None
        ctx = PanelContext(scope, services.reader, translator(lang), services.areas)
        if since is None:
            return html.P(ctx._("Give a date as day, month and year."), role="alert")
        s = scope
        return cached(ctx, ("changes", s.level, s.area_id, s.municipality, since), lambda: render(ctx, since))
