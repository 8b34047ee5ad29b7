"""The governance page (``/hallinto``): the three-level structure, and per body its members, the
representation balance of actor types and who carries communication where.

What a visitor sees is decided here on the server from ``ctx.scope.user`` (see the permission table in
:mod:`perhekeskus.plugins.governance.model`): without signing in only the structure and counts; names and contact
details only within the user's scope. The body in view comes from ``?body=`` and is checked against the
registry; anything else falls back to the user's own body.
"""

from __future__ import annotations

from typing import Any

import dash_cytoscape as cyto  # at import time: Dash refuses component libraries first imported in a callback
import plotly.graph_objects as go
from dash import dcc, html

from perhekeskus.dashboard.components import table
from perhekeskus.dashboard.scope import parse_query
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.governance import labels, model

PATH = "/hallinto"
GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
KIND_COLOURS = {model.PROVINCIAL: "#00457a", model.COORDINATION: "#0072B2", model.LOCAL: "#56B4E9"}
OK_COLOUR, FLAG_COLOUR, NEUTRAL_COLOUR = "#0072B2", "#D55E00", "#7f7f7f"


def body_href(body_id: str) -> str:
    return f"{PATH}?body={body_id}"


def _short_name(ctx: PanelContext, body: model.Body) -> str:
    """A node label: the area's or the municipalities' names rather than the body's full title."""
    _ = ctx._
    if body.kind == model.PROVINCIAL:
        return _.pick(ctx.areas.name_fi, ctx.areas.name_sv, ctx.areas.name_en) or body.body_id
    if body.kind == model.COORDINATION:
        area = ctx.areas.area(body.area_id or "")
        return area.name(_.lang) if area else labels.body_name(_, body)
    names = model.municipality_names(ctx.areas)
    if body.body_id.startswith("kunta-") and len(body.municipalities) == 1:
        fi, sv = names.get(body.municipalities[0], (body.municipalities[0],) * 2)
        return sv if _.lang == "sv" else fi
    return labels.body_name(_, body)


def _positions(all_bodies: dict[str, model.Body]) -> dict[str, dict[str, float]]:
    """An indented tree: the province on top, the areas side by side, each area's family centres in a
    column beside a vertical line from their coordination group (so that no edge crosses a node)."""
    positions: dict[str, dict[str, float]] = {}
    coordination = [b for b in all_bodies.values() if b.kind == model.COORDINATION]
    for i, group in enumerate(coordination):
        cx = i * 360.0
        positions[group.body_id] = {"x": cx, "y": 150.0}
        for j, child_id in enumerate(group.children):
            positions[child_id] = {"x": cx + 40.0, "y": 220.0 + j * 44.0}
    middle = (len(coordination) - 1) * 360.0 / 2 if coordination else 0.0
    lowest = max((p["y"] for p in positions.values()), default=150.0)
    orphans = [b for b in all_bodies.values() if b.body_id not in positions and b.kind != model.PROVINCIAL]
    for k, body in enumerate(orphans):
        positions[body.body_id] = {"x": k * 180.0, "y": lowest + 80.0}
    for body in all_bodies.values():
        if body.kind == model.PROVINCIAL:
            positions[body.body_id] = {"x": middle, "y": 20.0}
    return positions


def structure_graph(
    ctx: PanelContext, all_bodies: dict[str, model.Body], selected: str | None, flagged: set[str]
):
    _ = ctx._
    positions = _positions(all_bodies)
    elements: list[dict[str, Any]] = []
    for body in all_bodies.values():
        classes = [body.kind]
        if body.body_id == selected:
            classes.append("chosen")
        if body.body_id in flagged:
            classes.append("flagged")
        elements.append(
            {
                "data": {"id": body.body_id, "label": _short_name(ctx, body)},
                "position": positions.get(body.body_id, {"x": 0, "y": 0}),
                "classes": " ".join(classes),
            }
        )
    for body in all_bodies.values():
        if body.parent_id in all_bodies:
            elements.append(
                {"data": {"source": body.parent_id, "target": body.body_id}, "classes": f"to-{body.kind}"}
            )
    stylesheet = [
        {
            "selector": "node",
            "style": {
                "label": "data(label)",
                "font-size": 13,
                "color": "#1b1b1b",
                "text-valign": "bottom",
                "text-margin-y": 4,
                "text-wrap": "wrap",
                "text-max-width": 120,
                "width": 22,
                "height": 22,
                "border-width": 1,
                "border-color": "#1b1b1b",
                "text-background-color": "#ffffff",
                "text-background-opacity": 1,
                "text-background-padding": 2,
            },
        },
        {
            "selector": f".{model.PROVINCIAL}",
            "style": {
                "background-color": KIND_COLOURS[model.PROVINCIAL],
                "width": 36,
                "height": 36,
                "font-weight": "bold",
            },
        },
        {
            "selector": f".{model.COORDINATION}",
            "style": {
                "background-color": KIND_COLOURS[model.COORDINATION],
                "width": 30,
                "height": 30,
                "font-weight": "bold",
            },
        },
        {
            "selector": f"node.{model.LOCAL}",
            "style": {
                "background-color": KIND_COLOURS[model.LOCAL],
                "text-valign": "center",
                "text-halign": "right",
                "text-margin-x": 6,
                "text-margin-y": 0,
                "text-max-width": 200,
            },
        },
        {
            "selector": ".flagged",
            "style": {"border-style": "dashed", "border-width": 3, "border-color": FLAG_COLOUR},
        },
        {
            "selector": ".chosen",
            "style": {"border-width": 5, "border-color": "#ffbf47", "border-style": "solid"},
        },
        {
            "selector": "edge",
            "style": {
                "width": 1.5,
                "line-color": "#6b7785",
                "curve-style": "taxi",
                "taxi-direction": "downward",
            },
        },
        {"selector": f"edge.to-{model.LOCAL}", "style": {"taxi-turn": "100%", "taxi-turn-min-distance": 0}},
    ]
    return html.Figure(
        [
            cyto.Cytoscape(
                id="governance-graph",
                elements=elements,
                stylesheet=stylesheet,
                layout={"name": "preset", "fit": True, "padding": 30},
                style={"width": "100%", "height": "clamp(280px, 60vw, 600px)", "border": "1px solid #c4cbd3"},
                userZoomingEnabled=False,
                userPanningEnabled=False,
                boxSelectionEnabled=False,
                autoungrabify=True,
                autounselectify=True,
            ),
            html.Figcaption(
                _(
                    "The three levels: the provincial steering group, the coordination groups of the areas and the local steering groups of the family centres. A thick yellow ring marks the body shown below, a dashed orange ring a body that lacks someone for a communication direction. The same structure, with links to each body, is in the list below."
                )
            ),
        ],
        className="chart",
    )


def structure_list(
    ctx: PanelContext,
    all_bodies: dict[str, model.Body],
    selected: str | None,
    counts: dict[str, int],
    coverages: dict[str, model.Coverage],
) -> html.Ul:
    """The accessible text alternative of the graph, which is also the body selector."""
    _ = ctx._
    kinds = labels.kind_labels(_)
    short = labels.direction_short(_)
    chosen = _("selected")

    def item(body: model.Body) -> html.Li:
        link_text = labels.body_name(_, body)
        link = dcc.Link(
            [link_text, html.Span(f" ({chosen})", className="visually-hidden")]
            if body.body_id == selected
            else link_text,
            href=body_href(body.body_id),
            className="nav-link current" if body.body_id == selected else None,
        )
        notes = [f" – {kinds[body.kind]}, ", _("members: {n}", n=counts.get(body.body_id, 0))]
        missing = coverages[body.body_id].missing if body.body_id in coverages else []
        if missing:
            notes += [
                " – ",
                html.Span(
                    _(
                        "nobody responsible for: {directions}",
                        directions=", ".join(short[d] for d in missing),
                    ),
                    className="state-bad",
                ),
            ]
        children = [all_bodies[c] for c in body.children if c in all_bodies]
        return html.Li([link, *notes] + ([html.Ul([item(c) for c in children])] if children else []))

    roots = [b for b in all_bodies.values() if b.parent_id not in all_bodies]
    return html.Ul([item(b) for b in roots], className="governance-tree", id="governance-tree")


def members_section(
    ctx: PanelContext, body: model.Body, user: Any, shown: list[model.Member] | None, count: int
):
    _ = ctx._
    roles = labels.role_labels(_)
    short = labels.direction_short(_)
    parts: list = [html.H3(_("Members"))]
    if shown is None:
        parts.append(html.P(_("Active members: {n}.", n=count)))
        if user is None:
            parts.append(
                html.P(
                    [
                        _(
                            "Sign in to see who sits in this body. Without signing in you see the structure and the balance of actor types."
                        ),
                        " ",
                        html.A(_("Sign in"), href="/kirjaudu"),
                    ]
                )
            )
        else:
            parts.append(
                html.P(
                    _(
                        "The members of this body are not in your scope: you see the structure and the balance of actor types."
                    )
                )
            )
        return html.Section(parts, className="governance-members")
    contacts = model.can_view_contacts(user, body)
    headers = [_("Name"), _("Organisation"), _("Actor type"), _("Role"), _("Communication responsibility")]
    if contacts:
        headers += [_("Email"), _("Phone")]
    rows = []
    for m in shown:
        row = [
            m.name,
            m.organisation,
            labels.actor_type_name(_, m.actor_type),
            roles.get(m.role, m.role),
            ", ".join(short[d] for d in m.communication) or "–",
        ]
        if contacts:
            row += [html.A(m.email, href=f"mailto:{m.email}") if m.email else "–", m.phone or "–"]
        rows.append(row)
    if rows:
        parts.append(table(_("Members of {body}", body=labels.body_name(_, body)), headers, rows))
    else:
        parts.append(html.P(_("No members have been recorded yet.")))
    if not contacts:
        parts.append(
            html.P(_("Contact details are shown only for the bodies of your own scope."), className="intro")
        )
    return html.Section(parts, className="governance-members")


def balance_section(ctx: PanelContext, body: model.Body, result: model.Balance):
    _ = ctx._
    statuses = labels.status_labels(_)
    types = model.load_actor_types()
    names = {r.code: labels.actor_type_name(_, r.code, types) for r in result.rows}
    colours = [
        FLAG_COLOUR
        if r.status in ("missing", "under")
        else NEUTRAL_COLOUR
        if r.status == "not_expected"
        else OK_COLOUR
        for r in result.rows
    ]
    fig = go.Figure(
        go.Bar(
            x=[r.count for r in result.rows],
            y=[
                f"{names[r.code]} ({statuses[r.status]})"
                if r.status in ("missing", "under")
                else names[r.code]
                for r in result.rows
            ],
            orientation="h",
            marker={"color": colours},
            text=[str(r.count) for r in result.rows],
            textposition="outside",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        height=70 + 30 * len(result.rows),
        margin={"l": 10, "r": 30, "t": 10, "b": 30},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": "Segoe UI, Roboto, Helvetica, Arial, sans-serif", "color": "#1b1b1b", "size": 13},
        xaxis={"dtick": 1, "gridcolor": "#d9d9d9", "rangemode": "tozero", "title": _("Members")},
        yaxis={"autorange": "reversed", "automargin": True},
        showlegend=False,
    )
    rows = [
        [
            names[r.code],
            ctx._.number(r.count, 0),
            html.Span(
                statuses[r.status],
                className="state-bad"
                if r.status in ("missing", "under")
                else "state-ok"
                if r.status == "ok"
                else None,
            ),
        ]
        for r in result.rows
    ]
    summary = []
    if result.missing:
        summary.append(
            html.P(
                _("Missing actor types: {types}.", types=", ".join(names[c] for c in result.missing)),
                className="state-bad",
            )
        )
    if result.under:
        summary.append(
            html.P(
                _("Under-represented: {types}.", types=", ".join(names[c] for c in result.under)),
                className="state-bad",
            )
        )
    if not result.flagged:
        summary.append(html.P(_("Every actor type is represented."), className="state-ok"))
    return html.Section(
        [
            html.H3(_("Representation balance")),
            html.P(
                _(
                    "Active members per actor type, deputies not counted. A type with nobody is missing; a type with fewer than half the median count of the represented types is under-represented."
                ),
                className="intro",
            ),
            *summary,
            html.Figure(
                [
                    dcc.Graph(id="governance-balance-graph", figure=fig, config=GRAPH_CONFIG),
                    html.Figcaption(
                        _("Bar chart: members per actor type. The same numbers are in the table below."),
                        className="visually-hidden",
                    ),
                ],
                className="chart",
            ),
            table(
                _("Representation balance of {body}", body=labels.body_name(_, body)),
                [_("Actor type"), _("Members"), _("Status")],
                rows,
                numeric={1},
            ),
        ],
        className="governance-balance",
    )


def communication_section(
    ctx: PanelContext,
    body: model.Body,
    all_bodies: dict[str, model.Body],
    cov: model.Coverage,
    shown: list[model.Member] | None,
):
    _ = ctx._
    directions = labels.direction_labels(_)
    names = {m.member_id: m.name for m in shown} if shown is not None else None
    rows = []
    for d in cov.directions:
        if d.direction == "up":
            parent = all_bodies.get(body.parent_id or "")
            between = labels.body_name(_, parent, "–")
        elif d.direction == "down":
            between = ", ".join(_short_name(ctx, all_bodies[t]) for t in d.targets if t in all_bodies) or "–"
        else:
            between = _("Front-line workers and families")
        if names is not None and d.member_ids:
            responsible = ", ".join(names.get(i, "?") for i in d.member_ids)
        elif d.member_ids:
            responsible = _("persons: {n}", n=len(d.member_ids))
        else:
            responsible = "–"
        if not d.needed:
            status = html.Span(_("not needed at this level"))
        elif d.missing:
            status = html.Span(_("nobody responsible"), className="state-bad")
        else:
            status = html.Span(_("covered"), className="state-ok")
        rows.append([directions[d.direction], between, responsible, status])
    return html.Section(
        [
            html.H3(_("Communication responsibility")),
            table(
                _("Who carries messages from {body}", body=labels.body_name(_, body)),
                [_("Direction"), _("Between"), _("Responsible"), _("Status")],
                rows,
            ),
        ],
        className="governance-communication",
    )


def lacking_section(
    ctx: PanelContext, all_bodies: dict[str, model.Body], coverages: dict[str, model.Coverage]
):
    _ = ctx._
    short = labels.direction_short(_)
    lacking = [(b, coverages[b.body_id].missing) for b in all_bodies.values() if coverages[b.body_id].missing]
    if not lacking:
        body: Any = html.P(
            _("Every body has someone for each communication direction it needs."), className="state-ok"
        )
    else:
        body = html.Ul(
            [
                html.Li(
                    [
                        dcc.Link(labels.body_name(_, b), href=body_href(b.body_id)),
                        ": ",
                        ", ".join(short[d] for d in missing),
                    ]
                )
                for b, missing in lacking
            ]
        )
    return html.Section(
        [
            html.H2(_("Bodies without someone responsible for communication")),
            html.P(
                _(
                    "Up means to the parent body (not needed for the provincial steering group), down to the bodies below (not needed for local steering groups), front line to front-line workers and families."
                ),
                className="intro",
            ),
            body,
        ],
        className="governance-lacking",
    )


def layout(ctx: PanelContext):
    """The page body (the app adds the page's h1)."""
    _ = ctx._
    settings = ctx.extras["settings"]
    user = ctx.scope.user
    all_bodies = model.bodies(settings, ctx.areas)
    if not all_bodies:
        return html.Div([html.P(_("The governance registry is empty."))], id="governance-page")
    grouped = model.members_by_body(settings)
    coverages = {b.body_id: model.coverage(b, grouped.get(b.body_id, [])) for b in all_bodies.values()}
    counts = {b: len(ms) for b, ms in grouped.items()}
    asked = parse_query(ctx.extras.get("search") or "").get("body")
    notice = None
    selected = model.valid_body_id(asked) if asked in all_bodies else None
    if asked and selected is None:
        notice = html.P(
            _("No such body; showing another one instead."), className="error-card", role="status"
        )
    selected = selected or model.home_body(user, all_bodies)
    body = all_bodies[selected]
    shown = model.visible_members(settings, user, body)
    result = model.balance(grouped.get(selected, []), model.load_actor_types())
    actions: list = []
    if model.can_edit(user, body):
        actions += [
            html.A(_("Edit members"), href=f"{PATH}/muokkaa/{selected}"),
            " · ",
            html.A(_("Change history"), href=f"{PATH}/historia/{selected}"),
            " · ",
        ]
    if user is not None and model.editable_bodies(user, all_bodies):
        actions += [html.A(_("Import from a file"), href=f"{PATH}/tuonti"), " · "]
    if shown is not None:
        actions += [
            html.A(_("Download members (CSV)"), href=f"{PATH}/vienti.csv?body={selected}"),
            " · ",
            html.A(_("Download members (Excel)"), href=f"{PATH}/vienti.xlsx?body={selected}"),
        ]
    while actions and actions[-1] == " · ":
        actions.pop()
    parent = all_bodies.get(body.parent_id or "")
    facts: list = [html.Dt(_("Level")), html.Dd(labels.kind_labels(_)[body.kind])]
    if parent is not None:
        facts += [
            html.Dt(_("Parent body")),
            html.Dd(dcc.Link(labels.body_name(_, parent), href=body_href(parent.body_id))),
        ]
    if body.kind == model.LOCAL:
        names = model.municipality_names(ctx.areas)
        shown_names = [names.get(c, (c, c))[1 if _.lang == "sv" else 0] for c in body.municipalities]
        facts += [html.Dt(_("Municipalities")), html.Dd(", ".join(shown_names) or "–")]
    intro = _(
        "The family-centre network is led on three levels. Every actor type should be represented equally at every level, and each body needs people who carry messages up, down and to the front line."
    )
    return html.Div(
        [
            html.P(intro, className="intro"),
            notice,
            html.H2(_("Three-level structure")),
            structure_graph(ctx, all_bodies, selected, {b for b, c in coverages.items() if c.missing}),
            html.Nav(
                [
                    html.H3(_("Bodies"), id="governance-bodies-heading"),
                    structure_list(ctx, all_bodies, selected, counts, coverages),
                ],
                **{"aria-labelledby": "governance-bodies-heading"},
            ),
            html.Section(
                [
                    html.H2(labels.body_name(_, body), id="governance-body-heading"),
                    html.Dl(facts, className="governance-facts"),
                    html.P(actions, className="export-links") if actions else None,
                    members_section(ctx, body, user, shown, counts.get(selected, 0)),
                    balance_section(ctx, body, result),
                    communication_section(ctx, body, all_bodies, coverages[selected], shown),
                ],
                className="panel panel-wide",
                id="governance-body",
                **{"aria-labelledby": "governance-body-heading"},
            ),
            lacking_section(ctx, all_bodies, coverages),
        ],
        id="governance-page",
    )
