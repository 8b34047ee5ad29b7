"""Page bodies: the start page, the three leadership levels, data quality, plugins, not found.

A level page is a heading, the view controls, and the panels registered for that level. A panel that
raises is replaced by an error card with a short reason; the error is logged with the panel id.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pandas as pd
from dash import dcc, html

from perhekeskus import registry
from perhekeskus.dashboard import queries
from perhekeskus.dashboard.components import table
from perhekeskus.dashboard.i18n import Translator, as_day
from perhekeskus.dashboard.scope import (
    COUNTY_PREFIX,
    GROUP_PREFIX,
    build_query,
    compare_tokens,
    parse_query,
)
from perhekeskus.panels import IndicatorKey, Panel, PanelContext, Scope, pick_indicator
from perhekeskus.source import credit
from perhekeskus.ui import STALE_AFTER_YEARS, is_stale, source_title
from perhekeskus.warehouse.read import WarehouseUnavailable

log = logging.getLogger(__name__)


def _name(_: Translator, row) -> str:
    return _.pick(row.name_fi, row.name_sv, row.name_en)


def start_page(_: Translator, services) -> tuple[str, list]:
    areas = services.areas
    try:
        munis = queries.municipalities(services.reader)
    except WarehouseUnavailable:
        munis = None
    area_blocks = []
    for area in areas.areas:
        links = []
        if munis is not None:
            for row in munis[munis["coordination_area"] == area.area_id].itertuples(index=False):
                links.append(html.Li(dcc.Link(_name(_, row), href=f"/kunta/{row.region_code}")))
        area_blocks.append(
            html.Section(
                [
                    html.H3(dcc.Link(area.name(_.lang), href=f"/alue/{area.area_id}")),
                    html.Ul(links, className="muni-list"),
                ],
                className="area-block",
            )
        )
    title = _("Knowledge for leading the family-centre network")
    body = [
        html.H1(title),
        html.P(
            _(
                "This service brings together open statistics about children and families for the leaders of {province_genitive} family centres. The network is led on three levels; choose yours.",
                province_genitive=areas.province_genitive(_.lang),
            )
        ),
        html.Div(
            [
                html.Section(
                    [
                        html.H2(dcc.Link(_("Province"), href="/maakunta")),
                        html.P(
                            _(
                                "The provincial steering group follows {province_genitive} trends and compares all areas side by side.",
                                province_genitive=areas.province_genitive(_.lang),
                            )
                        ),
                    ],
                    className="level-card",
                ),
                html.Section(
                    [
                        html.H2(_("Coordination areas")),
                        html.P(_("The regional coordination groups lead development in their own area.")),
                    ]
                    + [html.P(dcc.Link(a.name(_.lang), href=f"/alue/{a.area_id}")) for a in areas.areas],
                    className="level-card",
                ),
                html.Section(
                    [
                        html.H2(_("Municipalities")),
                        html.P(
                            _(
                                "Local steering groups see their own family centre, with its area and the province for comparison."
                            )
                        ),
                    ],
                    className="level-card",
                ),
            ],
            className="level-cards",
        ),
        html.H2(_("Municipalities by coordination area")),
        html.Div(area_blocks, className="area-blocks"),
    ]
    return title, body


def dropdown_labels(_: Translator) -> dict[str, str]:
    """The dropdowns' own texts (search, clear, "no options") in the page's language, not in English."""
    return {
        "select_all": _("Select all"),
        "deselect_all": _("Deselect all"),
        "selected_count": _("{num_selected} selected"),
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }


_BY_GENDER: dict[tuple, frozenset[IndicatorKey]] = {}


def indicators_by_gender(reader) -> frozenset[IndicatorKey]:
    """Indicators the warehouse holds separately for men/boys and women/girls (not only in total), read
    from the values (metadata may offer a breakdown never loaded); one query per published warehouse."""
    key = (reader.version, str(getattr(getattr(reader, "settings", None), "warehouse_path", "")))
    if key not in _BY_GENDER:
        rows = reader.rows(
            "SELECT DISTINCT source, indicator_id FROM indicator_value WHERE gender <> 'total'"
        )
        _BY_GENDER.clear()  # only the newest warehouse matters
        _BY_GENDER[key] = frozenset(IndicatorKey(source, ident) for source, ident in rows)
    return _BY_GENDER[key]


_REGIONS: dict[tuple, pd.DataFrame] = {}


def comparable_regions(reader) -> pd.DataFrame:
    """Municipalities and wellbeing services counties anywhere in Finland that have values, with the
    county each municipality belongs to; one query per published warehouse (the list has ~330 rows)."""
    key = (reader.version, str(getattr(getattr(reader, "settings", None), "warehouse_path", "")))
    if key not in _REGIONS:
        frame = reader.df(
            """
            SELECT g.region_category, g.region_code, g.name_fi, g.name_sv, g.name_en, g.county_code,
                   c.name_fi AS county_fi, c.name_sv AS county_sv, c.name_en AS county_en
            FROM region g
            LEFT JOIN region c ON c.region_category = 'HYVINVOINTIALUE' AND c.region_code = g.county_code
            WHERE g.region_category IN ('KUNTA', 'HYVINVOINTIALUE')
              AND EXISTS (SELECT 1 FROM indicator_value v
                          WHERE v.region_category = g.region_category AND v.region_code = g.region_code)
            ORDER BY g.name_fi, g.region_code
            """
        )
        _REGIONS.clear()  # only the newest warehouse matters
        _REGIONS[key] = frame
    return _REGIONS[key]


def compare_options(_: Translator, reader, areas) -> list[dict]:
    """The comparison control's options, searchable by name and by county: the ready groups first, then
    the province's municipalities, the wellbeing services counties and every other municipality.

    Each label says what the option is in words ("Group: …", "– wellbeing services county", a
    municipality's county after its name), so nothing rests on position or colour.
    """
    options = [
        {
            "label": _(
                "Group: {province_genitive} municipalities", province_genitive=areas.province_genitive(_.lang)
            ),
            "value": GROUP_PREFIX + "province",
        },
        {
            "label": _("Group: municipalities of similar population size in Finland"),
            "value": GROUP_PREFIX + "similar",
        },
        {"label": _("Group: the other wellbeing services counties"), "value": GROUP_PREFIX + "counties"},
    ]
    regions = comparable_regions(reader)
    own_county = areas.county_name(_.lang) if hasattr(areas, "county_name") else None
    province = set(areas.municipalities)

    def county_of(row) -> str:
        if row.county_code == areas.county_code and own_county:
            return own_county
        return _.pick(row.county_fi, row.county_sv, row.county_en) or ""

    munis = [r for r in regions.itertuples(index=False) if r.region_category == "KUNTA"]
    counties = [r for r in regions.itertuples(index=False) if r.region_category == "HYVINVOINTIALUE"]

    def muni_option(row) -> dict:
        county = county_of(row)
        name = _name(_, row) or row.region_code
        return {"label": f"{name} – {county}" if county else name, "value": row.region_code}

    options += [muni_option(r) for r in munis if r.region_code in province]
    options += [
        {
            "label": _(
                "{name} – wellbeing services county",
                name=(own_county if r.region_code == areas.county_code and own_county else _name(_, r))
                or r.region_code,
            ),
            "value": COUNTY_PREFIX + r.region_code,
        }
        for r in counties
    ]
    options += [muni_option(r) for r in munis if r.region_code not in province]
    return options


def average_control(_: Translator, scope: Scope, search: str, path: str) -> html.Div:
    """Yearly figures or three-year averages, as two links that write ``avg=`` into the URL.

    Links, not a dropdown: they need no callback of their own, open the same view when copied, and
    the chosen one is marked by a check, bold text and "(chosen)" for screen readers, not by colour.
    """
    query = parse_query(search)
    choices = [(1, _("Yearly figures")), (3, _("3-year averages"))]
    links = []
    for value, text in choices:
        href = path + (build_query({**query, "avg": "3" if value == 3 else None}) or "?")
        current = scope.average == value
        # the chosen one: a check, bold, and "(chosen)" for screen readers (dcc.Link has no aria-current)
        label = (
            [
                html.Span("✓ ", **{"aria-hidden": "true"}),
                html.Strong(text),
                html.Span(" " + _("(chosen)"), className="visually-hidden"),
            ]
            if current
            else [text]
        )
        links.append(html.Li(dcc.Link(label, href=href, id=f"view-average-{value}")))
    return html.Div(
        [
            html.Span(_("Figures"), id="view-average-label", className="control-label"),
            # side by side, so the choice costs one line on a phone; the rule is told beside the figures
            # once averages are on (plugins/indicators/averages.py)
            html.Ul(
                links,
                className="average-choice",
                style={
                    "listStyle": "none",
                    "padding": 0,
                    "margin": 0,
                    "display": "flex",
                    "flexWrap": "wrap",
                    "gap": "0 1.25rem",
                },
            ),
        ],
        className="control",
        role="group",
        **{"aria-labelledby": "view-average-label"},
    )


def _controls(_: Translator, services, scope: Scope, search: str, path: str = "") -> html.Section | None:
    try:
        indicators = queries.package_indicators(services.reader)
        by_gender = indicators_by_gender(services.reader)
    except WarehouseUnavailable:
        return None
    if not len(indicators):
        return None
    no_gender = " · " + _("no data by gender")
    keys = [IndicatorKey(r.source, r.indicator_id) for r in indicators.itertuples(index=False)]
    options = [
        {
            "label": f"{_.pick(r.theme_fi, r.theme_sv, r.theme_en)}: {_.pick(r.title_fi, r.title_sv, r.title_en)}"
            + ("" if key in by_gender else no_gender),
            # the URL's form of the indicator, "sotkanet:127" (dashboard/scope.py)
            "value": str(key),
        }
        for key, r in zip(keys, indicators.itertuples(index=False), strict=True)
    ]
    labels = dropdown_labels(_)
    chosen = pick_indicator(scope, keys)
    years = queries.years_available(services.reader, chosen.id, chosen.source) or []
    year_options = [{"label": str(y), "value": y} for y in years]
    first, last = scope.years or ((years[0], years[-1]) if years else (None, None))
    muni_options = compare_options(_, services.reader, services.areas)
    return html.Section(
        [
            html.H2(_("Choose the view"), className="visually-hidden"),
            html.Div(
                [
                    html.Label(_("Indicator"), htmlFor="view-indicator"),
                    dcc.Dropdown(
                        id="view-indicator",
                        options=options,
                        value=str(chosen),
                        clearable=False,
                        labels=labels,
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    html.Label(_("From year"), htmlFor="view-year-from"),
                    dcc.Dropdown(
                        id="view-year-from", options=year_options, value=first, clearable=False, labels=labels
                    ),
                ],
                className="control",
            ),
            html.Div(
                [
                    html.Label(_("To year"), htmlFor="view-year-to"),
                    dcc.Dropdown(
                        id="view-year-to", options=year_options, value=last, clearable=False, labels=labels
                    ),
                ],
                className="control",
            ),
            html.Div(
                [
                    html.Label(_("Compare with municipalities, counties or a group"), htmlFor="view-compare"),
                    dcc.Dropdown(
                        id="view-compare",
                        options=muni_options,
                        value=compare_tokens(scope),
                        multi=True,
                        placeholder=_("Type a name: any municipality or county of Finland, or a ready group"),
                        labels=labels,
                        maxHeight=320,
                    ),
                    html.P(
                        _("Up to 12 municipalities and counties; a group counts as one choice."),
                        className="control-note",
                    ),
                ],
                className="control control-wide",
            ),
            html.Div(
                [
                    # A dropdown, not dcc.RadioItems: Dash 4 renders radio items as a nameless listbox
                    # of options that contain focusable radios (axe: nested-interactive, aria-input-field-name).
                    html.Label(_("Gender"), htmlFor="view-gender"),
                    dcc.Dropdown(
                        id="view-gender",
                        # an indicator without data by gender shows both genders together, and says so
                        value=scope.gender if chosen in by_gender else "total",
                        disabled=chosen not in by_gender,
                        clearable=False,
                        searchable=False,
                        labels=labels,
                        options=[
                            {"label": _("Total"), "value": "total"},
                            {"label": _("Men and boys"), "value": "male"},
                            {"label": _("Women and girls"), "value": "female"},
                        ],
                    ),
                    *(
                        []
                        if chosen in by_gender
                        else [
                            html.P(
                                _("This indicator has no data by gender."),
                                id="view-gender-note",
                                className="control-note",
                            )
                        ]
                    ),
                ],
                className="control",
            ),
            average_control(_, scope, search, path),
        ],
        className="view-controls",
        **{"aria-label": _("Choose the view")},
    )


def error_card(_: Translator, panel: Panel, exc: BaseException) -> html.Div:
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return html.Div(
        [
            html.P(html.Strong(_("This panel could not be shown."))),
            html.P(_("Reason: {reason}", reason=reason)),
            html.P(_("The other panels are not affected. The error has been logged.")),
        ],
        className="error-card",
        role="alert",
    )


def foreign_ids(component, prefix: str) -> list[str]:
    """Component ids in a panel's layout that are not namespaced by the panel id."""
    found, stack = [], [component]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
            continue
        cid = getattr(item, "id", None)
        if isinstance(cid, str) and cid != prefix and not cid.startswith(prefix + "-"):
            found.append(cid)
        elif isinstance(cid, dict) and not str(cid.get("type", "")).startswith(prefix):
            found.append(str(cid))
        children = getattr(item, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    return found


def render_panel(_: Translator, services, panel: Panel, scope: Scope, search: str, path: str) -> html.Section:
    ctx = PanelContext(
        scope=scope,
        reader=services.reader,
        _=_,
        areas=services.areas,
        extras={"search": search, "settings": services.settings},
    )
    try:
        body = panel.layout(ctx)
        stray = foreign_ids(body, panel.id)
        if stray:  # ids of different panels must never collide, so a panel may only use its own
            raise ValueError(f"component ids must start with '{panel.id}-': {', '.join(stray[:3])}")
    except Exception as exc:
        log.exception("panel %s failed", panel.id)
        body = error_card(_, panel, exc)
    heading_id = f"{panel.id}-heading"
    children = [html.H2(panel.title(_.lang), id=heading_id), body]
    if panel.export is not None:
        query = build_query({**parse_query(search), "path": path})
        children.append(
            html.P(
                [
                    _("Download what this panel shows:"),
                    " ",
                    html.A("CSV", href=f"/vienti/{panel.id}.csv{query}", download=""),
                    " · ",
                    html.A("XLSX", href=f"/vienti/{panel.id}.xlsx{query}", download=""),
                ],
                className="export-links",
            )
        )
    return html.Section(
        children,
        className="panel" + (" panel-wide" if panel.wide else ""),
        id=f"{panel.id}-panel",
        **{"aria-labelledby": heading_id},
    )


def level_page(_: Translator, services, scope: Scope, search: str, path: str) -> tuple[str, list]:
    areas = services.areas
    if scope.level == "province":
        title = _("Province: {name}", name=_.pick(areas.name_fi, areas.name_sv, areas.name_en))
        intro = _(
            "All of {province}: the provincial steering group's view across the coordination areas.",
            province=areas.province_name(_.lang),
        )
    elif scope.level == "region":
        area = areas.area(scope.area_id)
        title = area.name(_.lang)
        intro = _(
            "The coordination area's municipalities side by side, with the wellbeing services county and Finland for comparison."
        )
    else:
        munis = queries.municipalities(services.reader)
        row = munis[munis["region_code"] == scope.municipality]
        name = _name(_, next(row.itertuples(index=False))) if len(row) else scope.municipality
        title = name
        area = areas.area(scope.area_id)
        intro = _(
            "Municipality of {name}, part of {area} in {province}. Compared with its area, the wellbeing services county and Finland.",
            name=name,
            area=area.name(_.lang),
            province=areas.province_name(_.lang),
        )
    panels = [p for p in registry.panels(services) if scope.level in p.levels]
    body = [html.H1(title), html.P(intro, className="intro")]
    if scope.level == "local":
        body.append(
            html.P(
                [
                    _("Area:"),
                    " ",
                    dcc.Link(areas.area(scope.area_id).name(_.lang), href=f"/alue/{scope.area_id}"),
                    " · ",
                    dcc.Link(_("Province"), href="/maakunta"),
                ],
                className="breadcrumbs",
            )
        )
    controls = _controls(_, services, scope, search, path)
    if controls is not None:
        body.append(controls)
    if not panels:
        body.append(html.P(_("No panels are enabled for this level.")))
    body.append(
        html.Div([render_panel(_, services, p, scope, search, path) for p in panels], className="panel-grid")
    )
    return title, body


def _plain(value: object) -> str:
    """A warehouse cell as text: NULL arrives from pandas as None, NaN or NaT and is shown as nothing."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):  # lists and other containers are not missing values
        pass
    return str(value)


def _flag(value: object) -> bool:
    """A stored boolean; NULL (None or NaN) is false, not true as a bare NaN would be."""
    return bool(_plain(value)) and bool(value)


def _chosen_run(reader, runs, query: dict) -> str | None:
    """The run asked for in ``?run=`` when it exists (also beyond the latest runs listed), else the newest."""
    asked = query.get("run")
    if not isinstance(asked, str) or not asked:
        asked = None
    if asked and (asked in set(runs["run_id"]) or queries.run_exists(reader, asked)):
        return asked
    return runs["run_id"].iloc[0] if len(runs) else None


def _runs_table(_: Translator, runs, query: dict) -> html.Div:
    rows = [
        [
            dcc.Link(r.run_id, href="/laatu" + build_query({**query, "run": r.run_id})),
            _plain(r.source),
            _.date(None if pd.isna(r.started_at) else r.started_at),
            html.Span(
                _(str(r.status)) if _plain(r.status) else "",  # gettext("") would be the catalog header
                className=f"status-{_plain(r.status)}",
            ),
            _.number(r.rows_fetched, 0),
            _.number(r.rows_loaded, 0),
            _.number(r.rows_quarantined, 0),
            _("yes") if _flag(r.is_demo) else _("no"),
            _plain(r.message),
        ]
        for r in runs.itertuples(index=False)
    ]
    headers = [
        _(h)
        for h in ("Run", "Source", "Started", "Status", "Fetched", "Loaded", "Quarantined", "Demo", "Message")
    ]
    return table(_("Latest runs, newest first"), headers, rows, {4, 5, 6}, label=_("Runs"))


def _checks_section(_: Translator, reader, run_id: str) -> list:
    """The checks and quarantined rows of one run, whatever its status or source."""
    checks = queries.checks(reader, run_id)
    check_rows = [
        [
            _plain(c.dataset),
            _plain(c.expectation),
            _plain(c.column_name),
            _(c.severity) if _plain(c.severity) else "",
            html.Span(
                _("passed") if _flag(c.success) else _("failed"),
                className="state-ok" if _flag(c.success) else "state-bad",
            ),
            _("yes") if _flag(c.blocking) else _("no"),
            _plain(c.observed),
            _plain(c.expected),
            _format_keys(c.failing_keys),
        ]
        for c in checks.itertuples(index=False)
    ]
    check_headers = [
        _(h)
        for h in (
            "Dataset",
            "Check",
            "Column",
            "Severity",
            "Result",
            "Blocked publish",
            "Observed",
            "Expected",
            "Failing keys",
        )
    ]
    quarantined = queries.quarantine(reader, run_id)
    total_q = queries.quarantine_count(reader, run_id)
    q_rows = [
        [_plain(q.dataset), _plain(q.reason), html.Code(_plain(q.record))]
        for q in quarantined.itertuples(index=False)
    ]
    checks_body = (
        table(_("Quality checks, failed first"), check_headers, check_rows, label=_("Checks"))
        if check_rows
        else html.P(_("No quality checks were run: the run ended before its data was checked."))
    )
    return [
        html.H2(_("Checks of run {run}", run=run_id)),
        checks_body,
        html.H2(_("Quarantined rows of run {run}", run=run_id)),
        html.P(_("{shown} of {total} rows shown.", shown=len(q_rows), total=total_q)),
        table(
            _("Rows set aside by row-level checks, with the reason"),
            [_(h) for h in ("Dataset", "Reason", "Row")],
            q_rows,
            label=_("Quarantine"),
        ),
    ]


def quality_page(_: Translator, services, search: str, today: date | None = None) -> tuple[str, list]:
    """Every run (successful, blocked, failed; of any source) with its checks and quarantined rows.

    The page an engineer opens when something is wrong, so no value stored by a run may stop it rendering.
    """
    title = _("Data quality")
    reader = services.reader
    try:
        runs = queries.runs(reader)
    except WarehouseUnavailable:
        return title, [html.H1(title), html.P(_("No data has been loaded yet."))]
    query = parse_query(search)
    chosen = _chosen_run(reader, runs, query)
    body = [
        html.H1(title),
        html.P(
            _(
                "Every run of the data pipeline, the quality checks of each run (observed against expected) and the rows that were set aside in quarantine."
            )
        ),
        html.H2(_("Runs")),
        _runs_table(_, runs, query),
    ]
    if chosen:
        body += _checks_section(_, reader, chosen)
    body += _indicator_ages(_, reader, today or date.today())
    return title, body


def _indicator_ages(_: Translator, reader, today: date) -> list:
    """Each package indicator's newest data year and the source's update date, old data flagged.

    Several series stop without notice (School Health Promotion questions changed in 2017), so an
    indicator whose newest year is more than three years old is named here, not only on its panels.
    """
    frame = queries.indicator_freshness(reader)
    rows = []
    for r in frame.itertuples(index=False):
        newest = None if pd.isna(r.newest_year) else int(r.newest_year)
        updated = as_day(r.data_updated)
        if newest is None:
            state = html.Span(_("no data"), className="state-warn")
        elif is_stale(newest, today):
            state = html.Span(
                _("Data is old: newest year {year}", year=newest), className="stale-flag state-warn"
            )
        else:
            state = html.Span(_("current"), className="state-ok")
        rows.append(
            [
                _.pick(r.title_fi, r.title_sv, r.title_en) or str(r.indicator_id),
                source_title(r.source),
                str(r.indicator_id),
                str(newest) if newest is not None else "–",
                _.date(updated) if updated else _("not given"),
                state,
            ]
        )
    headers = [
        _("Indicator"),
        _("Source"),
        _("Indicator id"),
        _("Newest year"),
        _("Last updated at the source"),
        _("Data age"),
    ]
    return [
        html.H2(_("Indicators: newest data")),
        html.P(
            _(
                "An indicator whose newest year is more than {n} years old is flagged: its series may have stopped or changed.",
                n=STALE_AFTER_YEARS,
            )
        ),
        table(_("Package indicators and the age of their data"), headers, rows, {3}, label=_("Indicators")),
    ]


def _format_keys(raw: object) -> str:
    """The first failing keys of a check as ``column=value`` pairs; whatever is stored is shown, never raised."""
    text = _plain(raw)
    if not text:
        return ""
    try:
        keys = json.loads(text)
    except ValueError:
        return text
    if not isinstance(keys, list):
        return text
    shown = []
    for key in keys[:5]:
        if isinstance(key, dict):
            shown.append(", ".join(f"{k}={_plain(v) or '–'}" for k, v in key.items()))
        else:
            shown.append(_plain(key))
    return "; ".join(shown)


def plugins_page(_: Translator, services) -> tuple[str, list]:
    title = _("About / Plugins")
    rows = [
        [
            info.name,
            info.version,
            ", ".join(info.hooks) or "–",
            _("enabled") if info.enabled else (_("error") if info.error else _("disabled")),
            info.error or "",
        ]
        for info in registry.plugin_infos()
    ]
    return title, [
        html.H1(title),
        html.P(
            _(
                "The service is built from plugins: data sources and panels register through the same hooks, whether built in or installed as a separate package."
            )
        ),
        table(
            _("Installed plugins"),
            [_(h) for h in ("Plugin", "Version", "Hooks", "State", "Error")],
            rows,
        ),
        html.H2(_("Sources of the data")),
        # each enabled source as it credits itself (a source names no other): the core names none
        html.Ul(
            [
                html.Li(
                    _(
                        "{credit}. Licence: {licence}.",
                        credit=credit(source, _.lang),
                        licence=getattr(source, "licence", None) or _("the producer's own terms"),
                    )
                )
                for _name, source in sorted(registry.sources().items())
            ]
        ),
    ]


def not_found_page(_: Translator) -> tuple[str, list]:
    title = _("Page not found")
    return title, [
        html.H1(title),
        html.P(_("There is no page at this address.")),
        html.P(dcc.Link(_("Go to the start page"), href="/")),
    ]
