"""The ``/verkosto`` page: the network map, its controls, the table of actors (the accessible
alternative), the network's figures, the three questions' answers and the comparison of two rounds.

The round and the compared round are in the URL (``?round=`` and ``?compare=``), so a link shows the
same view and the router re-renders the page when they change; everything else (layout, colours, sizes,
filters, ego view, highlighted suggestion, table order) is answered by one callback, :func:`render`,
which the layout also calls for the first view (one round trip). Every answer is built from a
:class:`~.shown.Shown` network made for the request's user on the server: names only for a reader the
policy allows ``network.view_names`` on the round's area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

import dash_cytoscape as cyto  # at import time: Dash refuses component libraries first imported in a callback
from dash import dcc, html

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS, Network, Round, word
from perhekeskus.plugins.network.view import compare as comparing
from perhekeskus.plugins.network.view import data, elements, filters
from perhekeskus.plugins.network.view import positions as placing
from perhekeskus.plugins.network.view.facts import Facts, facts
from perhekeskus.plugins.network.view.shown import Shown

cyto.load_extra_layouts()  # fcose and cose-bilkent: the package's own bundle, served locally (no CDN)

PATH = "/verkosto"
EXPORT_PREFIX = "/verkosto/vienti"
STYLE_HREF = "/verkosto/vienti/static/network-view.css"
PREFIX = "network"
# "preset": positions computed on the server (module positions); the others run in the browser
LAYOUTS = ("preset", "fcose", "cose-bilkent", "cose", "concentric", "breadthfirst")
COLOUR_BY = ("actor_type", "municipality", "community")


def cid(name: str) -> str:
    return f"{PREFIX}-{name}"


@dataclass(frozen=True)
class Controls:
    """The in-page choices, as the browser sent them (cleaned in :func:`render`)."""

    layout: object = None
    colour_by: object = "actor_type"
    size_by: object = "degree"
    municipalities: object = None
    actor_types: object = None
    tasks: object = None
    kinds: object = None
    min_frequency: object = 1
    ego: object = None
    ego_steps: object = 1
    suggestion: object = None
    sort_by: object = "label"
    descending: object = False
    services: object = None  # ``?palvelu=12,13``: service-map services whose actors are highlighted


def query_values(search: object) -> dict[str, str]:
    parsed = parse_qs(search.lstrip("?") if isinstance(search, str) else "")
    return {k: v[0] for k, v in parsed.items() if v}


def asked_services(controls: Controls) -> tuple[int, ...]:
    """The services of ``?palvelu=`` (the page and the callbacks pass them from the URL, so a filter change
    keeps the highlight)."""
    return data.service_ids(controls.services)


def area_name(ctx_areas: Any, round_: Round, _: Callable[..., str]) -> str:
    area = ctx_areas.area(round_.area_id) if round_.area_id else None
    return area.name(_.lang) if area is not None else _("The whole province")


def round_label(round_: Round, areas: Any, _: Callable[..., str]) -> str:
    """ "2026-11-15 · Läntinen (title) · Demo data": the date, the area, the title, the demo mark."""
    try:
        when = _.date(date.fromisoformat(round_.round_date))
    except (TypeError, ValueError):
        when = round_.round_date
    parts = [when, area_name(areas, round_, _)]
    if round_.title:
        parts.append(round_.title)
    if round_.is_demo:
        parts.append(_("Demo data"))
    return " · ".join(str(p) for p in parts)


# --- one view ----------------------------------------------------------------------------------------


def _options(pairs: dict[str, str]) -> list[dict]:
    return [{"label": v, "value": k} for k, v in sorted(pairs.items(), key=lambda kv: kv[1].casefold())]


def analysed(services: Any, view: Shown, net: Network, _: Callable[..., str], key: tuple) -> Facts:
    """The analysis of the (filtered) shown network, cached per warehouse version and view."""
    return data.cached(
        ("facts", data.version(services.reader), view.named, _.lang, *key),
        lambda: facts(net, _, view.label),
    )


def _number(_: Callable[..., str], value: float | None, decimals: int) -> str:
    if value is None or value != value:
        return "–"
    return _.number(value, decimals)


def _legend(_, colours: dict, colour_by: str, net: Network, type_names: dict) -> html.Div:
    known_types = sorted({a.actor_type for a in net.actors})
    colour_items = [
        html.Li(
            [
                html.Span(
                    "●", className="network-swatch", style={"color": c.colour}, **{"aria-hidden": "true"}
                ),
                " ",
                c.name,
            ]
        )
        for c in sorted(colours.values(), key=lambda c: c.name.casefold())
    ]
    shape_items = [
        html.Li(
            [
                html.Span(
                    elements.shape_of(t, known_types)[1],
                    className="network-symbol",
                    **{"aria-hidden": "true"},
                ),
                " ",
                type_names.get(t, t),
            ]
        )
        for t in known_types
    ]
    line_words = {"solid": _("solid line"), "dashed": _("dashed line"), "dotted": _("dotted line")}
    kind_items = [
        html.Li(
            f"{word(TIE_KINDS, k, _.lang)}: {line_words[style]}"
            + (f", {_('arrow with a bar')}" if k == "referral" else "")
        )
        for k, style in elements.LINE_STYLES.items()
    ]
    headings = {
        "actor_type": _("Colour: actor type"),
        "municipality": _("Colour: municipality"),
        "community": _("Colour: community"),
    }
    return html.Div(
        [
            html.H3(headings[colour_by]),
            html.Ul(colour_items, className="network-legend-list"),
            html.H3(_("Shape: actor type")),
            html.Ul(shape_items, className="network-legend-list"),
            html.H3(_("Lines: tie kind")),
            html.Ul(kind_items, className="network-legend-list"),
            html.P(
                _(
                    "A thicker line is a more frequent tie; the arrow points to the actor who was named. A thick black outline marks highlighted actors."
                ),
                className="intro",
            ),
        ]
    )


def _table(
    _,
    view: Shown,
    net: Network,
    found: Facts,
    controls: Controls,
    municipality_names: dict,
    highlight: set[str],
):
    keys = ["label", "actor_type", "municipality", "community", *(m.key for m in found.metrics)]
    sort_by = controls.sort_by if controls.sort_by in keys else "label"
    descending = bool(controls.descending is True or controls.descending == "desc")
    type_names = view.type_names or {}

    def sort_key(actor):
        if sort_by == "label":
            return (0, actor.name.casefold())
        if sort_by == "actor_type":
            return (0, type_names.get(actor.actor_type, actor.actor_type).casefold())
        if sort_by == "municipality":
            return (0, ", ".join(municipality_names.get(m, m) for m in actor.municipalities).casefold())
        if sort_by == "community":
            value = found.communities.get(actor.actor_id)
            return (1, 0) if value is None else (0, value)
        value = found.values.get(actor.actor_id, {}).get(sort_by)
        if value is None or value != value:
            return (1, 0.0)
        return (0, value)

    actors = sorted(net.actors, key=lambda a: a.name.casefold())
    present = [a for a in actors if sort_key(a)[0] == 0]
    missing = [a for a in actors if sort_key(a)[0] != 0]
    present.sort(key=sort_key, reverse=descending)
    ordered = present + missing
    known_types = sorted({a.actor_type for a in net.actors})
    headers = [_("Actor"), _("Actor type")]
    if view.named:
        headers.append(_("Title and organisation"))
    headers += [_("Municipality"), _("Community"), *(m.label for m in found.metrics)]
    numeric = set(range(len(headers) - len(found.metrics) - 1, len(headers)))
    rows = []
    for a in ordered:
        row = [
            a.name,
            f"{elements.shape_of(a.actor_type, known_types)[1]} {type_names.get(a.actor_type, a.actor_type)}",
        ]
        if view.named:
            row.append(view.subtitle(a.actor_id))
        row += [
            ", ".join(municipality_names.get(m, m) for m in a.municipalities) or "–",
            str(found.communities[a.actor_id]) if a.actor_id in found.communities else "–",
            *(_number(_, found.values.get(a.actor_id, {}).get(m.key), m.decimals) for m in found.metrics),
        ]
        rows.append(row)
    sort_names = {
        "label": _("Actor"),
        "actor_type": _("Actor type"),
        "municipality": _("Municipality"),
        "community": _("Community"),
    }
    sort_names.update({m.key: m.label for m in found.metrics})
    caption = _(
        "Actors and their metrics ({count}), sorted by {column}, {order}",
        count=_.number(len(rows), 0),
        column=sort_names.get(sort_by, sort_by),
        order=_("descending") if descending else _("ascending"),
    )
    return markdown_table(caption, headers, rows, numeric, cid("table-caption"))


_PUNCTUATION = set("\\!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~")


def md_escape(text: object) -> str:
    """``text`` as literal Markdown: every ASCII punctuation backslash-escaped (CommonMark allows it for
    all of them), line breaks as spaces, so that a name can never become a link, markup or a new cell."""
    flat = " ".join(str(text).split())
    return "".join("\\" + c if c in _PUNCTUATION else c for c in flat)


def markdown_table(caption: str, headers: list[str], rows: list[list], numeric: set[int], caption_id: str):
    """The table as ONE Dash component (Markdown → a real ``<table>`` with header cells), not thousands.

    Why: Dash's renderer runs a store selector per component on every state change; a 300-actor table of
    html.Td cells (5,000 components) made each tap on the map take many seconds. The caption is a
    paragraph the scrollable region is labelled by; HTML in names is escaped (:func:`md_escape`, and
    Markdown's raw HTML is off)."""
    from dash import dcc

    align = ["--:" if i in numeric else ":--" for i in range(len(headers))]
    lines = [
        "| " + " | ".join(md_escape(h) for h in headers) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows),
    ]
    return html.Div(
        [
            html.P(caption, id=caption_id, className="network-table-caption"),
            html.Div(
                dcc.Markdown("\n".join(lines), className="network-table", dangerously_allow_html=False),
                className="table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-labelledby": caption_id},
            ),
        ]
    )


def _answers(_, found: Facts, chosen: str | None) -> list:
    if not found.answers:
        return [html.P(_("The answers need at least a few actors with ties."), className="intro")]
    parts: list = []
    for answer in found.answers:
        items = []
        for item in answer.items:
            body: list = [html.Strong(item.text) if item.key == chosen else item.text]
            if item.reasons:
                body.append(html.Ul([html.Li(r) for r in item.reasons]))
            items.append(html.Li(body))
        parts.append(
            html.Section(
                [
                    html.H3(answer.title),
                    html.P(answer.summary),
                    html.Ol(items) if items else html.P(_("No proposal for this network.")),
                ],
                className="network-answer",
            )
        )
    return parts


def _suggestion_options(found: Facts) -> list[dict]:
    options = []
    for answer in found.answers:
        for item in answer.items:
            options.append({"label": f"{answer.title}: {item.text}"[:160], "value": item.key})
    return options


def _comparison(_, view: Shown, cmp: comparing.Comparison | None, areas: Any) -> list:
    if cmp is None:
        return [html.P(_("Choose another round above to compare with."), className="intro")]

    def tie_text(key: tuple[str, str, str]) -> str:
        source, target, kind = key
        return f"{view.label(source)} → {view.label(target)} ({word(TIE_KINDS, kind, _.lang)})"

    def listing(title: str, texts: list[str], css: str) -> html.Section:
        shown_texts = texts[:200]
        more = len(texts) - len(shown_texts)
        return html.Section(
            [
                html.H3(f"{title} ({_.number(len(texts), 0)})"),
                html.Ul([html.Li(t) for t in shown_texts]) if texts else html.P(_("None.")),
                html.P(_("… and {n} more.", n=_.number(more, 0))) if more > 0 else None,
            ],
            className=css,
        )

    return [
        html.P(
            _(
                "From {earlier} to {later}. On the map, added ties are thick green lines, lost ties red dashed lines; new actors have a green outline, actors who are gone a dashed outline.",
                earlier=round_label(cmp.earlier.round, areas, _),
                later=round_label(cmp.later.round, areas, _),
            )
        ),
        listing(_("Ties added"), [tie_text(k) for k in cmp.added], "network-added"),
        listing(_("Ties lost"), [tie_text(k) for k in cmp.lost], "network-lost"),
        listing(_("New actors"), [view.label(n) for n in cmp.new_actors], "network-new"),
        listing(_("Actors who are gone"), [view.label(n) for n in cmp.gone_actors], "network-gone"),
    ]


def _exports(_, current: Round, chosen: filters.Filters, named: bool) -> html.P:
    query = filters.query(chosen)
    base = f"{EXPORT_PREFIX}/{current.round_id}"
    note = _("with names") if named else _("anonymised")
    return html.P(
        [
            _("Download the network ({note}):", note=note),
            " ",
            html.A(_("GraphML (Gephi)"), href=f"{base}.graphml{query}", download=""),
            " · ",
            html.A(_("GEXF (Gephi)"), href=f"{base}.gexf{query}", download=""),
            " · ",
            html.A(_("Metrics (CSV)"), href=f"{base}.csv{query}", download=""),
            " · ",
            html.Button(_("Map as an image (PNG)"), id=cid("png"), type="button", className="network-png"),
        ],
        className="export-links",
    )


MAP_PART, DATA_PART = "map", "data"


def render(
    services: Any,
    user: Any,
    _: Callable[..., str],
    current: Round,
    other: Round | None,
    controls: Controls,
    parts: tuple[str, ...] = (MAP_PART, DATA_PART),
) -> dict:
    """The outputs of the page for one view (``parts``: the map's, the data's or both), as a dict (names
    pseudonymised before anything is built). The map part changes with every tap and highlight; the
    data part (table, figures, answers, comparison, export links) only with the filters and the order."""
    view = data.shown_view(services, user, _.lang, current, other, via="page")
    if view is None:
        raise LookupError("the round's network could not be read")
    municipality_names = data.municipality_names(services.areas, _.lang)
    type_names = dict(view.type_names or {})
    chosen = filters.clean(
        view.network,
        controls.municipalities,
        controls.actor_types,
        controls.tasks,
        controls.kinds,
        controls.min_frequency,
    )
    net = filters.apply(view.network, chosen)
    other_net = filters.apply(view.other, chosen) if view.other is not None else None
    key = (current.round_id, other.round_id if other else None, repr(chosen))
    found = analysed(services, view, net, _, key)
    cmp = comparing.compare(net, other_net) if other_net is not None else None
    result: dict = {
        "view": view,
        "size_options": [{"label": m.label, "value": m.key} for m in found.metrics],
        "sort_options": [
            {"label": _("Actor"), "value": "label"},
            {"label": _("Actor type"), "value": "actor_type"},
            {"label": _("Municipality"), "value": "municipality"},
            {"label": _("Community"), "value": "community"},
            *({"label": m.label, "value": m.key} for m in found.metrics),
        ],
    }
    if DATA_PART in parts:
        result.update(
            {
                "table": _table(_, view, net, found, controls, municipality_names, set()),
                "figures": _figures(_, found),
                "answers": _answers(_, found, None),
                "suggestions": _suggestion_options(found),
                "comparison": _comparison(_, view, cmp, services.areas),
                "exports": _exports(_, current, chosen, view.named),
            }
        )
    if MAP_PART not in parts:
        return result
    steps = 2 if controls.ego_steps in (2, "2") else 1
    centre = controls.ego if isinstance(controls.ego, str) and net.actor(controls.ego) is not None else None
    ego_missing = isinstance(controls.ego, str) and controls.ego and centre is None
    drawn = filters.ego(net, centre, steps) if centre else net
    suggestion = found.suggestion(controls.suggestion)
    highlight = set(suggestion.actors) if suggestion else set()
    asked = asked_services(controls)
    _names, linked = data.services_of(services.reader, asked)
    serving = data.service_nodes(services.reader, current.round_id, linked) & {a.actor_id for a in net.actors}
    highlight |= serving
    colour_by = controls.colour_by if controls.colour_by in COLOUR_BY else "actor_type"
    extra = []
    if cmp is not None:
        extra = [a for a in other_net.actors if drawn.actor(a.actor_id) is None]
        if centre:
            keep = filters.neighbourhood(net, centre, steps)
            extra = [a for a in extra if a.actor_id in keep]
    all_drawn = list(drawn.actors) + extra
    if colour_by == "municipality":
        names = {m: municipality_names.get(m, m) for a in all_drawn for m in a.municipalities[:1]}
        names["-"] = _("No municipality")
    elif colour_by == "community":
        names = {str(c): _("Community {n}", n=c) for c in set(found.communities.values())}
        names["-"] = _("No community")
    else:
        names = type_names
    keys = {elements.colour_key(a, colour_by, found.communities) for a in all_drawn}
    colours = {c.key: c for c in elements.categories(keys, names)}
    metric_keys = [m.key for m in found.metrics]
    size_by = (
        controls.size_by if controls.size_by in metric_keys else (metric_keys[0] if metric_keys else None)
    )
    size_values = {n: v.get(size_by) for n, v in found.values.items()} if size_by else {}
    els = elements.elements(
        drawn,
        colours,
        colour_by,
        found.communities,
        size_values,
        highlight=highlight,
        centre=centre,
        lost=cmp.lost if cmp else (),
        added=cmp.added if cmp else (),
        new_actors=cmp.new_actors if cmp else (),
        gone_actors=cmp.gone_actors if cmp else (),
        extra_actors=extra,
    )
    server_side = len(net.actors) + len(extra) <= placing.SERVER_LAYOUT_UP_TO
    default_layout = "preset" if server_side else "concentric"
    layout_name = controls.layout if controls.layout in LAYOUTS else default_layout
    if layout_name == "preset" and not server_side:
        layout_name = "concentric"
    layout = {"name": layout_name, "animate": False, "fit": True, "padding": 20}
    if layout_name == "preset":
        where = data.cached(
            ("positions", data.version(services.reader), view.named, *key),
            lambda: placing.positions(net, [a.actor_id for a in (other_net.actors if other_net else ())]),
        )
        for element in els:
            if "source" not in element["data"] and element["data"]["id"] in where:
                element["position"] = where[element["data"]["id"]]
    if layout_name in ("fcose", "cose-bilkent"):
        layout["quality"] = "default"
        layout["randomize"] = True
    nodes = sum(1 for e in els if "source" not in e["data"])
    ties = len(els) - nodes
    status = [
        _("The map shows {actors} actors and {ties} ties.", actors=_.number(nodes, 0), ties=_.number(ties, 0))
    ]
    if centre:
        status.append(
            _("Neighbourhood of {actor} within {steps} steps.", actor=view.label(centre), steps=steps)
        )
    if ego_missing:
        status.append(_("The chosen actor is not in the filtered network."))
    if suggestion:
        status.append(_("Highlighted: {what}.", what=suggestion.text))
    if asked:
        status.append(service_status(_, view, serving))
    if not view.named:
        status.append(_("Actors are shown with pseudonyms."))
    result.update(
        {
            "elements": els,
            "stylesheet": elements.stylesheet(colours),
            "layout": layout,
            "legend": _legend(_, colours, colour_by, net, type_names),
            "status": " ".join(status),
            "size_by": size_by,
        }
    )
    return result


def service_status(_, view: Shown, serving: set[str]) -> str:
    """Who runs the services of ``?palvelu=``, by name or pseudonym as the view decides."""
    if not serving:
        return _("No actor on this map runs the chosen services.")
    labels = sorted((view.label(n) for n in serving), key=str.casefold)
    return _("Highlighted: the actors who run the chosen services: {actors}.", actors=", ".join(labels))


def service_note(_, services: Any, asked: tuple[int, ...]) -> html.P | None:
    """The chosen services named above the map (services are public; actors are in the status line)."""
    if not asked:
        return None
    names, linked = data.services_of(services.reader, asked)
    if not names:
        return html.P(_("The chosen services are not on the service map."), id=cid("services"), role="note")
    text = _("Services from the service map: {services}.", services=", ".join(names))
    if not linked:
        text += " " + _("No actor of the network map is linked to them.")
    return html.P(text, id=cid("services"), role="note", className="intro")


def _figures(_, found: Facts) -> list:
    items = []
    for what, value in found.figures:
        items += [html.Dt(what), html.Dd(value)]
    return [
        html.Dl(items, className="network-figures"),
        *(html.P(n, className="intro") for n in found.notes),
    ]


# --- the page ----------------------------------------------------------------------------------------


def _labelled(label: str, control, help_text: str | None = None) -> html.Div:
    """A control with its visible label tied to it (``htmlFor``), as WCAG asks."""
    return html.Div(
        [
            html.Label(label, htmlFor=control.id),
            control,
            html.P(help_text, className="hint") if help_text else None,
        ],
        className="network-control",
    )


def empty_state(_, user: Any) -> html.Div:
    import flask

    rules = {r.rule for r in flask.current_app.url_map.iter_rules()} if flask.has_app_context() else set()
    steps = [
        html.Li(
            [
                _("On the command line: "),
                html.Code("perhekeskus network import FILE.xlsx"),
                _(" (a Kumu-shaped file with the sheets elements and connections), then publish it."),
            ]
        ),
        html.Li([_("To try the map with generated demo data: "), html.Code("perhekeskus network demo")]),
    ]
    if user is not None and "/verkosto/tuonti" in rules:
        steps.insert(0, html.Li(html.A(_("Import a network from a file"), href="/verkosto/tuonti")))
    return html.Div(
        [
            html.Link(rel="stylesheet", href=STYLE_HREF),
            html.P(_("No network map has been published yet."), role="status", className="network-empty"),
            html.P(_("To show one, import a network survey round:")),
            html.Ul(steps),
        ],
        id=cid("page"),
    )


def layout(ctx, services: Any) -> Any:
    """The page body (the app adds the page's h1)."""
    _ = ctx._
    user = ctx.scope.user
    found = data.rounds(ctx.reader)
    if not found:
        return empty_state(_, user)
    query = query_values(ctx.extras.get("search"))
    current = data.choose_round(found, query.get("round"))
    other = data.other_round(found, current, query.get("compare"))
    notice = None
    if query.get("round") and query.get("round") != current.round_id:
        notice = html.P(
            _("No such round; showing the newest one instead."), className="error-card", role="status"
        )
    asked = data.service_ids(query.get(data.SERVICE_PARAM))
    try:
        first = render(
            services, user, _, current, other, Controls(services=",".join(map(str, asked))), (MAP_PART,)
        )
    except LookupError:
        return html.Div([html.P(_("This round could not be read."), role="alert")], id=cid("page"))
    view: Shown = first["view"]
    net = view.network
    municipality_names = data.municipality_names(services.areas, _.lang)
    type_names = dict(view.type_names or {})
    task_names = data.task_names(_.lang)
    round_options = [{"label": round_label(r, services.areas, _), "value": r.round_id} for r in found]
    compare_options = [{"label": _("No comparison"), "value": ""}] + [
        o for o in round_options if o["value"] != current.round_id
    ]
    layout_names = {
        "preset": _("Force-directed, computed on the server (fast)"),
        "fcose": _("Force-directed in the browser, fcose (slow for large networks)"),
        "cose-bilkent": _("Force-directed in the browser, cose-bilkent (slow for large networks)"),
        "cose": _("Force-directed in the browser, cose (slow for large networks)"),
        "concentric": _("Concentric circles"),
        "breadthfirst": _("Tree from the first actors"),
    }
    initial_layout = first["layout"]["name"]
    demo = (
        html.P(
            [
                html.Strong(_("Demo data")),
                ": ",
                _("this network is generated for trying the map; it describes no real people."),
            ],
            className="network-demo",
            role="note",
        )
        if current.is_demo or (other is not None and other.is_demo)
        else None
    )
    privacy = (
        html.P(_("You see the actors' names. Viewing them is recorded in the audit log."), className="intro")
        if view.named
        else html.P(
            _(
                "Actors are shown with pseudonyms such as \u201cJärjestö 3 (Nokia)\u201d. Names are shown only to signed-in users allowed to see them for this area."
            ),
            className="intro",
        )
    )
    controls = html.Details(
        [
            html.Summary(_("Map settings and filters")),
            html.Div(
                [
                    _labelled(
                        _("Layout"),
                        dcc.Dropdown(
                            id=cid("layout"),
                            options=[{"label": layout_names[k], "value": k} for k in LAYOUTS],
                            value=initial_layout,
                            clearable=False,
                        ),
                    ),
                    _labelled(
                        _("Colour by"),
                        dcc.Dropdown(
                            id=cid("colour"),
                            options=[
                                {"label": _("Actor type"), "value": "actor_type"},
                                {"label": _("Municipality"), "value": "municipality"},
                                {"label": _("Community"), "value": "community"},
                            ],
                            value="actor_type",
                            clearable=False,
                        ),
                    ),
                    _labelled(
                        _("Size by"),
                        dcc.Dropdown(
                            id=cid("size"),
                            options=first["size_options"],
                            value=first["size_by"],
                            clearable=False,
                        ),
                    ),
                    _labelled(
                        _("Municipality"),
                        dcc.Dropdown(
                            id=cid("f-municipality"),
                            options=_options(
                                {
                                    m: municipality_names.get(m, m)
                                    for a in net.actors
                                    for m in a.municipalities
                                }
                            ),
                            multi=True,
                            placeholder=_("All"),
                        ),
                    ),
                    _labelled(
                        _("Actor type"),
                        dcc.Dropdown(
                            id=cid("f-type"),
                            options=_options(
                                {a.actor_type: type_names.get(a.actor_type, a.actor_type) for a in net.actors}
                            ),
                            multi=True,
                            placeholder=_("All"),
                        ),
                    ),
                    _labelled(
                        _("Family-centre task"),
                        dcc.Dropdown(
                            id=cid("f-task"),
                            options=_options({t: task_names.get(t, t) for a in net.actors for t in a.tasks}),
                            multi=True,
                            placeholder=_("All"),
                        ),
                    ),
                    _labelled(
                        _("Tie kind"),
                        dcc.Dropdown(
                            id=cid("f-kind"),
                            options=[{"label": word(TIE_KINDS, k, _.lang), "value": k} for k in TIE_KINDS],
                            multi=True,
                            placeholder=_("All"),
                        ),
                    ),
                    _labelled(
                        _("At least this often"),
                        dcc.Dropdown(
                            id=cid("f-frequency"),
                            options=[
                                {"label": f"{k} – {word(FREQUENCIES, k, _.lang)}", "value": k}
                                for k in FREQUENCIES
                            ],
                            value=1,
                            clearable=False,
                        ),
                    ),
                    _labelled(
                        _("Ego view: an actor's neighbourhood"),
                        dcc.Dropdown(
                            id=cid("ego"),
                            options=[
                                {"label": a.name, "value": a.actor_id}
                                for a in sorted(net.actors, key=lambda a: a.name.casefold())
                            ],
                            placeholder=_("The whole network"),
                        ),
                        _("Or click an actor on the map."),
                    ),
                    html.Div(
                        [
                            html.Span(_("Steps from the actor"), id=cid("ego-steps-label")),
                            dcc.RadioItems(
                                id=cid("ego-steps"),
                                options=[{"label": " 1", "value": 1}, {"label": " 2", "value": 2}],
                                value=1,
                                inline=True,
                            ),
                            html.Button(_("Show the whole network"), id=cid("ego-clear"), type="button"),
                        ],
                        className="network-control",
                        role="group",
                        **{"aria-labelledby": cid("ego-steps-label")},
                    ),
                    _labelled(
                        _("Highlight a suggestion"),
                        dcc.Dropdown(id=cid("suggestion"), options=[], placeholder=_("None")),
                    ),
                ],
                className="network-controls-grid",
            ),
        ],
        open=True,
        className="network-controls",
    )
    rounds_box = html.Div(
        [
            _labelled(
                _("Survey round"),
                dcc.Dropdown(id=cid("round"), options=round_options, value=current.round_id, clearable=False),
            ),
            _labelled(
                _("Compare with"),
                dcc.Dropdown(
                    id=cid("compare"),
                    options=compare_options,
                    value=other.round_id if other else "",
                    clearable=False,
                ),
            ),
            html.P([html.Strong(_("Area")), ": ", area_name(services.areas, current, _)]),
        ],
        className="network-rounds",
    )
    sort_box = html.Div(
        [
            _labelled(
                _("Sort the table by"),
                dcc.Dropdown(id=cid("sort"), options=first["sort_options"], value="label", clearable=False),
            ),
            html.Div(
                [
                    html.Span(_("Order"), id=cid("order-label")),
                    dcc.RadioItems(
                        id=cid("order"),
                        options=[
                            {"label": " " + _("ascending"), "value": "asc"},
                            {"label": " " + _("descending"), "value": "desc"},
                        ],
                        value="asc",
                        inline=True,
                    ),
                ],
                className="network-control",
                role="group",
                **{"aria-labelledby": cid("order-label")},
            ),
        ],
        className="network-sort",
    )
    return html.Div(
        [
            html.Link(rel="stylesheet", href=STYLE_HREF),
            notice,
            demo,
            html.P(
                _(
                    "Who works with whom in the family-centre network, and what the network suggests: a coordination group, actors to bring closer and development groups."
                ),
                className="intro",
            ),
            privacy,
            service_note(_, services, asked),
            rounds_box,
            html.Div(
                [
                    html.Div(
                        [
                            html.P(
                                first["status"], id=cid("status"), role="status", **{"aria-live": "polite"}
                            ),
                            dcc.Loading(
                                html.Figure(
                                    [
                                        cyto.Cytoscape(
                                            id=cid("map"),
                                            elements=first["elements"],
                                            stylesheet=first["stylesheet"],
                                            layout=first["layout"],
                                            minZoom=0.1,
                                            maxZoom=4,
                                            boxSelectionEnabled=False,
                                            className="network-map",
                                            style={
                                                "width": "100%",
                                                "height": "65vh",
                                                "minHeight": "340px",
                                            },  # inline: sized before the CSS file arrives, so fit() sees the real box,
                                        ),
                                        html.Figcaption(
                                            _(
                                                "Network map. The same actors and their figures are in the table below; the legend explains colours, shapes and lines."
                                            ),
                                            className="visually-hidden",
                                        ),
                                    ],
                                    className="network-figure",
                                ),
                                type="circle",
                            ),
                            html.Div(id=cid("exports")),
                        ],
                        className="network-map-column",
                    ),
                    html.Div(
                        [controls, html.Div(first["legend"], id=cid("legend"), className="network-legend")],
                        className="network-side",
                    ),
                ],
                className="network-layout",
            ),
            html.Section(
                [
                    html.H2(_("Network figures"), id=cid("figures-heading")),
                    dcc.Loading(html.Div(id=cid("figures"))),
                ],
                className="panel panel-wide",
                **{"aria-labelledby": cid("figures-heading")},
            ),
            html.Section(
                [
                    html.H2(_("Actors"), id=cid("table-heading")),
                    sort_box,
                    dcc.Loading(html.Div(id=cid("table"))),
                ],
                className="panel panel-wide",
                **{"aria-labelledby": cid("table-heading")},
            ),
            html.Section(
                [
                    html.H2(_("What the network suggests"), id=cid("answers-heading")),
                    dcc.Loading(html.Div(id=cid("answers"))),
                ],
                className="panel panel-wide",
                **{"aria-labelledby": cid("answers-heading")},
            ),
            html.Section(
                [
                    html.H2(_("Comparison of rounds"), id=cid("comparison-heading")),
                    dcc.Loading(html.Div(id=cid("comparison"))),
                ],
                className="panel panel-wide",
                **{"aria-labelledby": cid("comparison-heading")},
            ),
        ],
        id=cid("page"),
        className="network-page",
    )
