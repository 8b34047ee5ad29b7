"""The ``/osaaminen`` page: choose a competence, a place and a range of weeks; see free hours against
families waiting week by week (a chart and the same numbers as a table), the places it is made of, the
warnings in words, and, for holders of ``capacity.find``, who has free competence nearest the place.

Only signed-in users with ``capacity.view`` get anything: an anonymous visitor gets a sign-in prompt and
no figure, no week and no competence in use, in the page and in every callback answer. The page is all
aggregates: no family code, team or meeting is ever read (:mod:`..analysis.read` does not touch them).
Counts of families are suppressed as :mod:`.figures` says. The choice lives in the URL
(``?osaaminen=&paikka=&viikot=&taso=``, :mod:`.url`), so a link reopens the same view.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from perhekeskus.plugins.capacity.access import EDIT, FAMILIES, FIND, VIEW, may, setting_float
from perhekeskus.plugins.capacity.analysis.finder import SAME_AREA, SAME_PLACE, who_has_free
from perhekeskus.plugins.capacity.analysis.places import (
    AREA,
    MUNICIPALITY,
    PROVINCE_PLACE,
    Place,
    children,
    parse_place,
)
from perhekeskus.plugins.capacity.model import LEVELS, competences_for, word
from perhekeskus.plugins.capacity.views import texts, url
from perhekeskus.plugins.capacity.views.figures import (
    Choice,
    Computed,
    clean_range,
    compute,
    default_last_week,
)

PATH = "/osaaminen"
EXPORT_PATH = "/osaaminen/vienti"
PREFIX = "capacity"
FINDER_LIMIT = 25
WARNINGS_LIMIT = 10  # of each kind: the most families waiting (or the longest growth) first
OUTPUTS = ("demo", "summary", "breakdown", "warnings", "finder", "exports")


def cid(name: str) -> str:
    return f"{PREFIX}-{name}"


def allowed(services: Any, user: Any) -> bool:
    return user is not None and may(services, user, VIEW)


# --- the choice --------------------------------------------------------------------------------------------


def place_options(services: Any, lang: str) -> list[dict]:
    areas = services.areas
    options = [{"label": areas.province_name(lang), "value": PROVINCE_PLACE.key}]
    for area in areas.areas:
        options.append({"label": area.name(lang), "value": Place(AREA, area.area_id).key})
        names = sorted((texts.municipality_name(areas, m, lang), m) for m in area.municipalities)
        options += [{"label": f"– {name}", "value": Place(MUNICIPALITY, m).key} for name, m in names]
    return options


def week_options(_, last: str, count: int = 104) -> list[dict]:
    from perhekeskus.plugins.capacity.model import weeks_back

    return [{"label": texts.week_label(_, w), "value": w} for w in reversed(weeks_back(last, count))]


def make_choice(services: Any, competence: object, place: object, first: object, last: object, level: object):
    """The browser's values cleaned into a :class:`Choice` (anything unknown falls back to a default)."""
    known = competences_for(services)
    code = competence if isinstance(competence, str) and known.get(competence) else known.codes()[0]
    where = parse_place(place, services.areas) or PROVINCE_PLACE
    start, end = clean_range(first, last, default_last_week(services))
    min_level = level if isinstance(level, int) and not isinstance(level, bool) and level in LEVELS else 1
    return Choice(code, where, start, end, min_level)


def export_query(choice: Choice) -> str:
    return urlencode(
        {
            "competence": choice.competence,
            "place": choice.place.key,
            "from": choice.first,
            "to": choice.last,
            "level": choice.min_level,
        }
    )


# --- the parts of an answer --------------------------------------------------------------------------------


def _hours(_, value: float) -> str:
    return _.number(value, 1)


def _wait(_, computed: Computed, place: Place, week: str) -> str:
    cell = computed.supply.at(place, week)
    if computed.state(place, week) != "shown" or not cell.families or cell.longest_wait_days is None:
        return "–"
    return _.number(cell.longest_wait_days, 0)


def _row(_, computed: Computed, place: Place, week: str, first: str) -> list:
    cell = computed.supply.at(place, week)
    return [
        first,
        _.number(cell.workers, 0),
        _hours(_, cell.available),
        _hours(_, cell.booked),
        _hours(_, cell.free),
        texts.families_text(_, cell.families, computed.state(place, week)),
        _wait(_, computed, place, week),
    ]


def _headers(_, first: str) -> list[str]:
    return [
        first,
        _("Workers with the competence"),
        _("Hours available"),
        _("Hours booked"),
        _("Free hours"),
        _("Families waiting"),
        _("Longest wait (days)"),
    ]


def summary(_, services: Any, computed: Computed, competence: str) -> list:
    """The chart of free hours against families waiting, and the same numbers as a table."""
    from perhekeskus.ui import chart_config, chart_with_table, plotly_separators, table

    choice = computed.choice
    weeks = choice.weeks
    where = texts.place_name(services.areas, choice.place, _.lang)
    labels = [texts.week_label(_, w) for w in weeks]
    free = [computed.supply.at(choice.place, w).free for w in weeks]
    families = [
        texts.families_number(computed.supply.at(choice.place, w).families, computed.state(choice.place, w))
        for w in weeks
    ]
    # a plain figure dict: plotly's Figure objects validate every property, which cost more than the data
    figure = {
        "data": [
            {"type": "bar", "x": labels, "y": free, "name": _("Free hours"), "marker": {"color": "#0b5cad"}},
            {
                "type": "scatter",
                "x": labels,
                "y": families,
                "name": _("Families waiting"),
                "yaxis": "y2",
                "mode": "lines+markers",
                "marker": {"symbol": "diamond", "size": 9, "color": "#b3401a"},
                "line": {"dash": "dash", "color": "#b3401a"},
                "connectgaps": False,
            },
        ],
        "layout": {
            "separators": plotly_separators(_),
            "margin": {"l": 40, "r": 40, "t": 20, "b": 60},
            "height": 340,
            "legend": {"orientation": "h", "y": -0.25},
            "yaxis": {"title": {"text": _("Free hours")}, "rangemode": "tozero"},
            "yaxis2": {
                "title": {"text": _("Families waiting")},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
            },
        },
    }
    rows = [_row(_, computed, choice.place, w, texts.week_label(_, w)) for w in weeks]
    caption = _("{competence} in {place}, week by week", competence=competence, place=where)
    return [
        html.H2(caption, id=cid("summary-heading")),
        *chart_with_table(
            cid("graph"),
            figure,
            chart_config(_, f"osaaminen-{choice.competence}"),
            _(
                "Bars: free hours of the workers with the competence; dashed line with diamonds: families waiting (a gap where the count is hidden)."
            ),
            _("The chart's numbers as a table"),
            table(caption, _headers(_, _("Week")), rows, numeric=set(range(1, 7))),
        ),
    ]


def breakdown(_, services: Any, computed: Computed) -> list:
    from perhekeskus.ui import table

    choice = computed.choice
    parts = children(choice.place, services.areas)
    if not parts:
        return []
    week = choice.weeks[-1]
    rows = [_row(_, computed, p, week, texts.place_name(services.areas, p, _.lang)) for p in parts]
    rows.append(_row(_, computed, choice.place, week, texts.place_name(services.areas, choice.place, _.lang)))
    caption = _(
        "{place} by {parts} in {week}",
        place=texts.place_name(services.areas, choice.place, _.lang),
        parts=_("coordination area") if choice.place.kind == "province" else _("municipality"),
        week=texts.week_label(_, week),
    )
    note = _(
        "An actor serving several municipalities counts in each of them, and once in an area and in the province, so workers and hours do not add up; families waiting do."
    )
    return [
        table(caption, _headers(_, _("Place")), rows, numeric=set(range(1, 7))),
        html.P(note, className="hint"),
    ]


def warnings(_, services: Any, computed: Computed, competence: str) -> list:
    week = computed.choice.weeks[-1]
    items = [
        texts.growth_sentence(_, g, services.areas, competence) for g in computed.growth[:WARNINGS_LIMIT]
    ]
    items += [
        texts.unused_sentence(
            _, u, computed.state(Place(MUNICIPALITY, u.municipality), week), services.areas, competence, week
        )
        for u in computed.unused[:WARNINGS_LIMIT]
    ]
    heading = html.H2(_("Warnings"), id=cid("warnings-heading"))
    if not items:
        return [heading, html.P(_("No warnings for this choice."), className="intro")]
    more = len(computed.growth) + len(computed.unused) - len(items)
    return [
        heading,
        html.Ul([html.Li([html.Span("⚠ ", **{"aria-hidden": "true"}), item]) for item in items]),
        html.P(_("… and {count} more warnings of the same kinds.", count=more), className="hint")
        if more > 0
        else None,
        html.P(
            _(
                "A queue warns when it has grown this many weeks in a row: {weeks}. A worker counts as free with at least {hours} hours free in the week.",
                weeks=services.plugin_settings("capacity").get("queue_growth_weeks") or "3",
                hours=_.number(setting_float(services, "free_hours_threshold"), 1),
            ),
            className="hint",
        ),
    ]


def finder(_, services: Any, user: Any, computed: Computed, competence: str) -> list:
    from perhekeskus.ui import table
    from perhekeskus.vocabulary import load_vocabulary

    if not may(services, user, FIND):
        return []
    choice = computed.choice
    week = choice.weeks[-1]
    free = computed.free
    if free is None:  # computed without the warnings: not from this page's callback
        free = compute(services, choice).free
    found = who_has_free(
        free.actors,
        free.weeks,
        free.details,
        choice.place,
        week,
        services.areas,
        setting_float(services, "free_hours_threshold"),
        choice.min_level,
    )
    where = texts.place_name(services.areas, choice.place, _.lang)
    heading = html.H2(
        _("Who has free {competence} near {place}", competence=competence, place=where),
        id=cid("finder-heading"),
    )
    if not found:
        return [
            heading,
            html.P(
                _("No one with this competence has free hours in {week}.", week=texts.week_label(_, week))
            ),
        ]
    vocabulary = load_vocabulary()
    nearness = {SAME_PLACE: _("In the place itself"), SAME_AREA: _("In the same area")}
    rows = [
        [
            a.name,
            a.organisation or "–",
            vocabulary.label("actor_type", a.actor_type, _.lang) if a.actor_type else "–",
            a.job_title or "–",
            word(LEVELS, a.level, _.lang),
            _hours(_, a.free_hours),
            ", ".join(texts.municipality_name(services.areas, m, _.lang) for m in a.municipalities) or "–",
            nearness.get(a.nearness, _("Elsewhere in the province")),
        ]
        for a in found[:FINDER_LIMIT]
    ]
    caption = _(
        "{count} workers with free hours in {week}, nearest first",
        count=_.number(len(found), 0),
        week=texts.week_label(_, week),
    )
    headers = [
        _("Name"),
        _("Organisation"),
        _("Actor type"),
        _("Job title"),
        _("Level"),
        _("Free hours"),
        _("Municipalities"),
        _("Nearness"),
    ]
    shown_note = (
        html.P(_("The {limit} nearest are listed.", limit=FINDER_LIMIT), className="hint")
        if len(found) > FINDER_LIMIT
        else None
    )
    return [heading, table(caption, headers, rows, numeric={5}), shown_note]


def exports(_, computed: Computed) -> list:
    query = export_query(computed.choice)
    return [
        html.P(
            [
                _("Download the figures of every place: "),
                html.A(_("CSV"), href=f"{EXPORT_PATH}.csv?{query}", id=cid("csv")),
                " · ",
                html.A(_("Excel (XLSX)"), href=f"{EXPORT_PATH}.xlsx?{query}", id=cid("xlsx")),
            ]
        )
    ]


def demo_note(_, computed: Computed):
    if not computed.demo:
        return None
    return html.P(
        [
            html.Strong(_("Demo data")),
            ": ",
            _("these figures are made up for trying the page; they describe no real work."),
        ],
        className="network-demo",
        role="note",
    )


def render(services: Any, user: Any, _, choice: Choice) -> dict[str, Any]:
    """Every output of the page for ``choice`` (empty when ``user`` may not see the page)."""
    if not allowed(services, user):
        return {key: None for key in OUTPUTS}
    computed = compute(services, choice)
    competence = competences_for(services).label(choice.competence, _.lang)
    return {
        "demo": demo_note(_, computed),
        "summary": summary(_, services, computed, competence),
        "breakdown": breakdown(_, services, computed),
        "warnings": warnings(_, services, computed, competence),
        "finder": finder(_, services, user, computed, competence),
        "exports": exports(_, computed),
    }


# --- the layout --------------------------------------------------------------------------------------------


def _labelled(label: str, control) -> html.Div:
    return html.Div([html.Label(label, htmlFor=control.id), control], className="capacity-control")


def links(_, services: Any, user: Any) -> html.Nav | None:
    found = []
    if may(services, user, EDIT):
        found += [
            html.Li(html.A(_("Enter capacity, competences and queues"), href="/osaaminen/kirjaus")),
            html.Li(html.A(_("Import from a file"), href="/osaaminen/tuonti")),
        ]
    if may(services, user, FAMILIES):
        found.append(html.Li(html.A(_("Family teams"), href="/osaaminen/perheet")))
    if any(getattr(r, "role", None) == "worker" for r in getattr(user, "roles", []) or []):
        found.append(html.Li(html.A(_("My families and meetings"), href="/osaaminen/omat")))
    if not found:
        return None
    return html.Nav(html.Ul(found), **{"aria-label": _("Competence and capacity: other pages")})


def sign_in_prompt(_) -> html.Div:
    return html.Div(
        [
            html.P(_("Sign in to see where competence is free and where queues build up.")),
            html.A(_("Sign in"), href="/kirjaudu?next=/osaaminen", className="button"),
        ],
        id=cid("page"),
    )


def layout(ctx, services: Any) -> Any:
    """The page body (the app adds the page's h1); the controls start from the URL's view (:mod:`.url`),
    and the callback fills in the figures."""
    _ = ctx._
    user = ctx.scope.user
    if user is None:
        return sign_in_prompt(_)
    if not allowed(services, user):
        return html.Div(
            html.P(_("You do not have the right to see this page."), role="alert"), id=cid("page")
        )
    last = default_last_week(services)
    weeks = week_options(_, last)
    asked = url.parse_view(services, ctx.extras.get("search"), {o["value"] for o in weeks})
    first, end = asked.weeks or clean_range(None, last, last)
    known = competences_for(services)
    controls = html.Div(
        [
            _labelled(
                _("Competence"),
                dcc.Dropdown(
                    id=cid("competence"),
                    options=[{"label": c.name(_.lang), "value": c.code} for c in known.items],
                    value=asked.competence or known.codes()[0],
                    clearable=False,
                ),
            ),
            _labelled(
                _("Place"),
                dcc.Dropdown(
                    id=cid("place"),
                    options=place_options(services, _.lang),
                    value=(asked.place or PROVINCE_PLACE).key,
                    clearable=False,
                ),
            ),
            _labelled(
                _("From week"),
                dcc.Dropdown(id=cid("from"), options=weeks, value=first, clearable=False),
            ),
            _labelled(
                _("To week"),
                dcc.Dropdown(id=cid("to"), options=weeks, value=end, clearable=False),
            ),
            _labelled(
                _("Level at least"),
                dcc.Dropdown(
                    id=cid("level"),
                    options=[{"label": word(LEVELS, k, _.lang), "value": k} for k in LEVELS],
                    value=asked.level or 1,
                    clearable=False,
                ),
            ),
        ],
        className="capacity-controls",
        style={
            "display": "grid",
            "gridTemplateColumns": "repeat(auto-fit, minmax(14rem, 1fr))",
            "gap": ".5rem 1rem",
        },
    )
    return html.Div(
        [
            html.P(
                _(
                    "Where the right competence is free and where queues build up: free hours of the workers with a competence against the families waiting for it, week by week. Counts of fewer than 5 families are not shown."
                ),
                className="intro",
            ),
            links(_, services, user),
            html.Div(id=cid("demo")),
            controls,
            dcc.Loading(html.Section(id=cid("summary"), className="panel panel-wide")),
            html.Section(id=cid("breakdown"), className="panel panel-wide"),
            html.Section(
                id=cid("warnings"), className="panel panel-wide", role="region", **{"aria-live": "polite"}
            ),
            html.Section(id=cid("finder"), className="panel panel-wide"),
            html.Div(id=cid("exports")),
        ],
        id=cid("page"),
        className="capacity-page",
    )
