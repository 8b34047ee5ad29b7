"""The public service map page ``/palvelukartta`` (a Dash page, drawn on the server from the URL).

A matrix of family-centre tasks × client groups (or tasks × the municipalities of an area) for the
province, an area or a municipality: each cell says how many services and providers there are, and
marks gaps, single providers and overlaps in words, with a symbol and a colour (never the colour alone).
A cell is a link that opens its list of services below the matrix (keyboard and screen reader alike).
Below: overlaps and chances to collaborate in plain sentences, the matrix again as a plain list (the
phone-friendly table alternative), downloads and, for editors, links to edit and import. Beside the
matrix (below it on a phone) the indicators related to the tasks in view (:mod:`.indicator_view`); each
suggestion links to its services and to the actors who run them on the network map. With no services
published the page tells editors how to fill it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from perhekeskus.dashboard.scope import parse_query
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.service_map.services import analysis, labels, task_indicators, values
from perhekeskus.plugins.service_map.services.indicator_view import indicator_column
from perhekeskus.plugins.service_map.services.view import (
    Computed,
    View,
    compute,
    expected_pairs,
    load_records,
    parse_view,
)
from perhekeskus.vocabulary import load_vocabulary

PATH = "/palvelukartta"
NETWORK_PATH = "/verkosto"  # the network map (plugins/network/view): ?palvelu= highlights the actors
NETWORK_LINK_SERVICES = 20  # the network view reads at most this many services
MAX_LISTED = 40
STYLES = {  # status → (symbol, background, border); text stays #1b1b1b (contrast ≥ 12:1 on each)
    analysis.GAP: ("✖", "#fde3dc", "#b3401a"),
    analysis.OVERLAP: ("◫", "#fff0c2", "#7a5c00"),
    analysis.SINGLE: ("①", "#e4eefa", "#0b5cad"),
    analysis.COVERED: ("✔", "#e2f3e8", "#1d6b3a"),
    analysis.NOT_EXPECTED: ("–", "#f3f3f3", "#8a8a8a"),
}
CELL_STYLE = {
    "display": "block",
    "padding": ".35rem .45rem",
    "color": "#1b1b1b",
    "textDecoration": "none",
    "minWidth": "6.5rem",
}


def href(view: View, **changes: Any) -> str:
    query = view.query(**changes)
    return PATH + ("?" + urlencode(query, safe=":") if query else "")


def municipality_name(areas: Any, code: str, lang: str) -> str:
    fi, sv = areas.municipality_names().get(code, (code, code))
    return sv if lang == "sv" else fi


def place_name(ctx: PanelContext, view: View) -> str:
    _ = ctx._
    if view.municipality:
        return municipality_name(ctx.areas, view.municipality, _.lang)
    if view.area_id:
        area = ctx.areas.area(view.area_id)
        return area.name(_.lang) if area else view.area_id
    return ctx.areas.province_name(_.lang)


def column_name(ctx: PanelContext, mode: str, code: str) -> str:
    if mode == analysis.GROUPS:
        return load_vocabulary().label("client_group", code, ctx._.lang)
    return municipality_name(ctx.areas, code, ctx._.lang)


def task_name(ctx: PanelContext, code: str) -> str:
    return load_vocabulary().label("task", code, ctx._.lang)


# --- the filter form ---------------------------------------------------------------------------------------


def _select(
    ident: str, label: str, name: str, options: list[tuple[str, str]], chosen: str | None, any_text: str
):
    return html.Div(
        [
            html.Label(label, htmlFor=ident),
            html.Select(
                [html.Option(any_text, value="")]
                + [html.Option(text, value=value, selected=value == chosen) for value, text in options],
                id=ident,
                name=name,
                style={"display": "block", "maxWidth": "100%", "minHeight": "2.5rem", "fontSize": "1rem"},
            ),
        ],
        className="control",
        style={"flex": "1 1 14rem", "minWidth": "0"},
    )


def filter_form(ctx: PanelContext, view: View):
    _ = ctx._
    vocabulary = load_vocabulary()
    lang = _.lang
    municipalities = sorted(
        ((c, municipality_name(ctx.areas, c, lang)) for c in ctx.areas.municipalities), key=lambda p: p[1]
    )
    languages = [(c, labels.language_name(_, c)) for c in values.LANGUAGE_NAMES]
    controls = [
        _select(
            "service-map-area",
            _("Coordination area"),
            "area",
            [(a.area_id, a.name(lang)) for a in ctx.areas.areas],
            view.area_id if not view.municipality else None,
            _("The whole province"),
        ),
        _select(
            "service-map-kunta",
            _("Municipality"),
            "kunta",
            municipalities,
            view.municipality,
            _("All municipalities"),
        ),
        _select(
            "service-map-mode",
            _("Columns"),
            "mode",
            [(analysis.MUNICIPALITIES, _("Municipalities of the area"))],
            view.mode if view.mode != analysis.GROUPS else None,
            _("Client groups"),
        ),
        _select(
            "service-map-task",
            _("Family-centre task"),
            "task",
            [(t.code, t.name(lang)) for t in vocabulary.tasks],
            view.task,
            _("All tasks"),
        ),
        _select(
            "service-map-group",
            _("Client group"),
            "group",
            [(t.code, t.name(lang)) for t in vocabulary.client_groups],
            view.client_group,
            _("All client groups"),
        ),
        _select(
            "service-map-type",
            _("Actor type"),
            "type",
            [(t.code, t.name(lang)) for t in vocabulary.actor_types],
            view.actor_type,
            _("All actor types"),
        ),
        _select(
            "service-map-form",
            _("Form"),
            "form",
            list(labels.form_names(_).items()),
            view.form,
            _("All forms"),
        ),
        _select(
            "service-map-language", _("Language"), "language", languages, view.language, _("All languages")
        ),
    ]
    return html.Form(
        [
            html.Div(controls, style={"display": "flex", "flexWrap": "wrap", "gap": ".5rem 1rem"}),
            dcc.Input(type="hidden", name="lang", value=lang, id="service-map-lang"),
            html.Button(
                _("Show"),
                type="submit",
                id="service-map-show",
                style={"minHeight": "2.5rem", "fontSize": "1rem", "marginTop": ".5rem"},
            ),
        ],
        method="get",
        action=PATH,
        id="service-map-filters",
        **{"aria-label": _("Choose what the map shows")},
    )


# --- the matrix ----------------------------------------------------------------------------------------------


def legend(ctx: PanelContext):
    _ = ctx._
    words = labels.status_labels(_)
    meaning = labels.status_meanings(_)
    items = []
    for status, (symbol, background, border) in STYLES.items():
        items.append(
            html.Li(
                [
                    html.Span(
                        f"{symbol} {words[status]}",
                        style={
                            "background": background,
                            "borderLeft": f"4px solid {border}",
                            "padding": "0 .4rem",
                            "fontWeight": "600",
                        },
                    ),
                    f": {meaning[status]}",
                ]
            )
        )
    return html.Ul(items, id="service-map-legend", style={"listStyle": "none", "paddingLeft": "0"})


def cell_content(ctx: PanelContext, view: View, cell: analysis.Cell):
    _ = ctx._
    symbol, background, border = STYLES[cell.status]
    word = labels.status_labels(_)[cell.status]
    if cell.services:
        counts = [
            html.Span(labels.service_count(_, len(cell.services)), style={"display": "block"}),
            html.Span(labels.provider_count(_, len(cell.providers)), style={"display": "block"}),
        ]
    else:
        counts = [html.Span(_("no services"), style={"display": "block"})]
    chosen = view.cell == (cell.row, cell.column)
    link = dcc.Link(
        [html.Span(f"{symbol} {word}", style={"display": "block", "fontWeight": "600"}), *counts],
        href=href(view, cell=f"{cell.row}:{cell.column}") + "#service-map-services",
        style={
            **CELL_STYLE,
            "background": background,
            "borderLeft": f"4px solid {border}",
            "outlineOffset": "-3px",
        },
        className="service-map-cell" + (" chosen" if chosen else ""),
        title=_("Open the list of services"),
    )
    return link


def matrix_table(ctx: PanelContext, computed: Computed):
    _ = ctx._
    view, grid = computed.view, computed.matrix
    caption = (
        _("Family-centre tasks and client groups in {place}", place=place_name(ctx, view))
        if grid.mode == analysis.GROUPS
        else _("Family-centre tasks in the municipalities of {place}", place=place_name(ctx, view))
    )
    head = html.Thead(
        html.Tr(
            [html.Th(_("Task"), scope="col")]
            + [
                html.Th(column_name(ctx, grid.mode, c), scope="col", style={"verticalAlign": "bottom"})
                for c in grid.columns
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [html.Th(task_name(ctx, t), scope="row", style={"textAlign": "left", "minWidth": "10rem"})]
                + [
                    html.Td(cell_content(ctx, view, grid.cell(t, c)), style={"padding": "2px"})
                    for c in grid.columns
                ]
            )
            for t in grid.rows
        ]
    )
    return html.Div(
        html.Table([html.Caption(caption), head, body], className="data-table", id="service-map-matrix"),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def matrix_summary(ctx: PanelContext, computed: Computed):
    _ = ctx._
    grid = computed.matrix
    return html.P(
        _(
            "Cells: {gaps} gaps, {single} with one provider, {overlaps} overlaps, {covered} with several providers.",
            gaps=grid.count(analysis.GAP),
            single=grid.count(analysis.SINGLE),
            overlaps=grid.count(analysis.OVERLAP),
            covered=grid.count(analysis.COVERED),
        ),
        id="service-map-summary",
        role="status",
    )


def matrix_as_list(ctx: PanelContext, computed: Computed):
    """The same cells as one long table (phones, screen readers, printing)."""
    _ = ctx._
    grid = computed.matrix
    words = labels.status_labels(_)
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col")
                for h in (
                    _("Task"),
                    _("Client group") if grid.mode == analysis.GROUPS else _("Municipality"),
                    _("Services"),
                    _("Providers"),
                    _("Status"),
                )
            ]
        )
    )
    rows = []
    for t in grid.rows:
        for c in grid.columns:
            cell = grid.cell(t, c)
            if cell.status == analysis.NOT_EXPECTED:
                continue
            rows.append(
                html.Tr(
                    [
                        html.Td(task_name(ctx, t)),
                        html.Td(column_name(ctx, grid.mode, c)),
                        html.Td(str(len(cell.services)), className="num"),
                        html.Td(str(len(cell.providers)), className="num"),
                        html.Td(f"{STYLES[cell.status][0]} {words[cell.status]}"),
                    ]
                )
            )
    caption = _("The matrix as a list")
    return html.Details(
        [
            html.Summary(caption),
            html.Div(
                html.Table([html.Caption(caption), head, html.Tbody(rows)], className="data-table"),
                className="table-scroll",
                tabIndex="0",
                role="region",
                **{"aria-label": caption},
            ),
        ],
        id="service-map-list",
    )


# --- one cell's services ---------------------------------------------------------------------------------


def service_table(ctx: PanelContext, found: list[analysis.Record], caption: str, editor: bool):
    _ = ctx._
    vocabulary = load_vocabulary()
    forms = labels.form_names(_)
    headers = [
        _("Service"),
        _("Provider organisation"),
        _("Actor type"),
        _("Municipalities"),
        _("Forms"),
        _("Languages"),
        _("Referral needed"),
    ]
    rows = []
    for r in found:
        name: list = [r.name]
        if r.is_demo:
            name.append(html.Span(" " + _("(demo)"), className="state-warn"))
        if r.contact_url and values.valid_url(r.contact_url):
            name = [html.A(name, href=r.contact_url, rel="noopener noreferrer", target="_blank")]
        if editor:
            name += [" · ", html.A(_("Edit"), href=f"{PATH}/palvelut/{r.service_id}")]
        rows.append(
            html.Tr(
                [
                    html.Td(name),
                    html.Td(r.provider),
                    html.Td(vocabulary.label("actor_type", r.actor_type, _.lang)),
                    html.Td(", ".join(municipality_name(ctx.areas, m, _.lang) for m in r.municipalities)),
                    html.Td(", ".join(forms.get(f, f) for f in r.forms) or "–"),
                    html.Td(", ".join(labels.language_name(_, code) for code in r.languages) or "–"),
                    html.Td(_("yes") if r.referral_needed else _("no")),
                ]
            )
        )
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])),
                html.Tbody(rows),
            ],
            className="data-table",
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def cell_section(ctx: PanelContext, computed: Computed, editor: bool):
    _ = ctx._
    view = computed.view
    if view.cell is None:
        return html.Section(
            [
                html.H2(_("Services of a cell"), id="service-map-services"),
                html.P(_("Choose a cell of the matrix to see its services.")),
            ],
            id="service-map-cell-services",
        )
    task, column = view.cell
    cell = computed.matrix.cells.get((task, column))
    title = _(
        "{task}: {column}", task=task_name(ctx, task), column=column_name(ctx, computed.matrix.mode, column)
    )
    parts: list = [html.H2(title, id="service-map-services")]
    if cell is None:
        parts.append(html.P(_("This cell is not in the current view.")))
    else:
        symbol = STYLES[cell.status][0]
        parts.append(
            html.P(
                f"{symbol} {labels.status_labels(_)[cell.status]}",
                className="state-bad" if cell.status == analysis.GAP else None,
            )
        )
        if cell.missing and cell.services:
            missing = ", ".join(
                column_name(
                    ctx,
                    analysis.GROUPS
                    if computed.matrix.mode == analysis.MUNICIPALITIES
                    else analysis.MUNICIPALITIES,
                    m,
                )
                for m in cell.missing
            )
            parts.append(html.P(_("Missing in: {places}", places=missing)))
        for m, g, providers in cell.overlaps[:MAX_LISTED]:
            parts.append(
                html.P(
                    _(
                        "Overlap in {municipality} for {group}: {providers}",
                        municipality=municipality_name(ctx.areas, m, _.lang),
                        group=load_vocabulary().label("client_group", g, _.lang),
                        providers=", ".join(providers),
                    )
                )
            )
        if cell.services:
            parts.append(service_table(ctx, cell.services, title, editor))
        else:
            parts.append(html.P(_("No service offers this here.")))
    parts.append(html.P(dcc.Link(_("Close the list"), href=href(view))))
    return html.Section(parts, id="service-map-cell-services")


# --- suggestions -----------------------------------------------------------------------------------------------


def _groups_text(ctx: PanelContext, codes: tuple[str, ...]) -> str:
    vocabulary = load_vocabulary()
    return ", ".join(vocabulary.label("client_group", g, ctx._.lang) for g in codes)


def suggestion_text(ctx: PanelContext, s: analysis.Suggestion) -> str:
    _ = ctx._
    town = municipality_name(ctx.areas, s.municipality, _.lang)
    task = task_name(ctx, s.task)
    if s.kind == "neighbour_has":
        return _(
            "{municipality} has no {task} for {groups}; {others} in the same area have it (providers: {providers}).",
            municipality=town,
            task=task,
            groups=_groups_text(ctx, s.client_groups),
            others=", ".join(municipality_name(ctx.areas, m, _.lang) for m in s.others),
            providers=", ".join(s.providers),
        )
    if s.kind == "coordinate":
        types = ", ".join(load_vocabulary().label("actor_type", t, _.lang) for t in s.actor_types)
        return _(
            "{n} organisations of different kinds ({types}) offer {task} for {groups} in {municipality}: {providers}. They could coordinate.",
            n=len(s.providers),
            types=types,
            task=task,
            groups=_groups_text(ctx, s.client_groups),
            municipality=town,
            providers=", ".join(s.providers),
        )
    return _(
        "{n} organisations offer {task} for {groups} in {municipality}: {providers}.",
        n=len(s.providers),
        task=task,
        groups=_groups_text(ctx, s.client_groups),
        municipality=town,
        providers=", ".join(s.providers),
    )


def network_link(ctx: PanelContext, s: analysis.Suggestion, by_id: dict[int, analysis.Record]) -> Any:
    """The network map with the actors who run the suggestion's services highlighted, or words saying no
    actor is linked. Only service ids go into the link: the network view resolves the actors on the
    server and shows them by name or pseudonym as it decides for its reader (actor ids never reach a page)."""
    _ = ctx._
    linked = [i for i in s.service_ids if i in by_id and by_id[i].actors][:NETWORK_LINK_SERVICES]
    if not linked:
        return html.Span(_("No actor of the network map is linked to these services."), className="hint")
    return dcc.Link(
        _("Show the actors in the network map"),
        href=f"{NETWORK_PATH}?palvelu={','.join(str(i) for i in linked)}",
        className="service-map-network-link",
    )


def suggestion_list(
    ctx: PanelContext,
    view: View,
    found: list[analysis.Suggestion],
    ident: str,
    empty: str,
    by_id: dict[int, analysis.Record],
):
    _ = ctx._
    if not found:
        return html.P(empty, id=ident)
    items = []
    for s in found[:MAX_LISTED]:
        column = s.client_groups[0] if s.client_groups else ""
        items.append(
            html.Li(
                [
                    suggestion_text(ctx, s),
                    " ",
                    dcc.Link(
                        _("Show the services"),
                        href=href(view, kunta=s.municipality, area=None, mode=None, cell=f"{s.task}:{column}")
                        + "#service-map-services",
                    ),
                    " · ",
                    network_link(ctx, s, by_id),
                ]
            )
        )
    more = [html.P(_("And {n} more.", n=len(found) - MAX_LISTED))] if len(found) > MAX_LISTED else []
    return html.Div([html.Ul(items, id=ident), *more])


def suggestions_section(ctx: PanelContext, computed: Computed):
    _ = ctx._
    view = computed.view
    by_id = {r.service_id: r for r in computed.all_records}
    neighbours = [s for s in computed.collaboration if s.kind == "neighbour_has"]
    coordinate = [s for s in computed.collaboration if s.kind == "coordinate"]
    return html.Section(
        [
            html.H2(_("Suggestions")),
            html.P(
                _(
                    "A gap is an expected task and client group with no service in a municipality (which tasks are expected to serve which groups is configuration, to be confirmed by the province). Neighbouring means the same coordination area."
                ),
                className="intro",
            ),
            html.H3(_("Gaps that a neighbour has filled")),
            suggestion_list(
                ctx,
                view,
                neighbours,
                "service-map-neighbours",
                _("No gap here that another municipality of the same area fills."),
                by_id,
            ),
            html.H3(_("Overlaps")),
            suggestion_list(
                ctx,
                view,
                computed.overlaps,
                "service-map-overlaps",
                _(
                    "No overlaps: no two organisations offer the same task to the same group in one municipality."
                ),
                by_id,
            ),
            html.H3(_("Chances to collaborate")),
            suggestion_list(
                ctx,
                view,
                coordinate,
                "service-map-collaboration",
                _("No overlaps between organisations of different kinds."),
                by_id,
            ),
        ],
        id="service-map-suggestions",
    )


# --- the page --------------------------------------------------------------------------------------------


def empty_state(ctx: PanelContext, editor: bool):
    _ = ctx._
    parts: list = [
        html.P(_("No services have been published on the service map yet."), role="status"),
        html.P(
            _(
                "Editors fill the map by importing a spreadsheet: download the template, write one service per row and import it. Anyone running the installation can also make an invented demo map with the command perhekeskus services demo."
            )
        ),
        html.P(
            [
                html.A(_("Download the template (XLSX)"), href=f"{PATH}/pohja.xlsx"),
                " · ",
                html.A(_("Download the template (CSV)"), href=f"{PATH}/pohja.csv"),
            ]
        ),
    ]
    if editor:
        parts.append(html.P(html.A(_("Import services from a file"), href=f"{PATH}/tuonti")))
    else:
        parts.append(html.P([_("Editors sign in first."), " ", html.A(_("Sign in"), href="/kirjaudu")]))
    return html.Div(parts, id="service-map-empty")


def layout(ctx: PanelContext):
    """The page body (the app adds the page's h1)."""
    _ = ctx._
    from perhekeskus.plugins.service_map.services.repository import may_edit

    user = ctx.scope.user
    editor = user is not None and may_edit(user, ctx.areas)
    view = parse_view(parse_query(ctx.extras.get("search") or ""), ctx.areas)
    records = load_records(ctx.reader)
    head: list = [
        html.P(
            _(
                "Which services the family-centre network offers, for which tasks and client groups, and where: gaps, overlaps and chances to collaborate."
            ),
            className="intro",
        )
    ]
    if editor:
        head.append(
            html.P(
                [
                    html.A(_("Edit services"), href=f"{PATH}/palvelut"),
                    " · ",
                    html.A(_("Import services from a file"), href=f"{PATH}/tuonti"),
                    " · ",
                    html.A(_("Download the template (XLSX)"), href=f"{PATH}/pohja.xlsx"),
                ],
                id="service-map-editor-links",
            )
        )
    if not records:
        return html.Div([*head, empty_state(ctx, editor)], id="service-map-page")
    if any(r.is_demo for r in records):
        head.append(
            html.P(
                [
                    html.Strong(_("Demo data.")),
                    " ",
                    _(
                        "This map shows invented services made by perhekeskus services demo; they are marked (demo)."
                    ),
                ],
                className="error-card",
                role="note",
                id="service-map-demo",
            )
        )
    if view.ignored:
        head.append(
            html.P(
                _("Some choices in the address were not understood and were left out."),
                className="error-card",
                role="status",
            )
        )
    computed = compute(view, records, ctx.areas, expected_pairs(ctx.extras.get("settings")))
    query = urlencode(view.query(lang=_.lang))
    downloads = html.P(
        [
            _("Download:"),
            " ",
            html.A(_("the matrix (CSV)"), href=f"{PATH}/vienti/matriisi.csv?{query}", download=""),
            " · ",
            html.A(_("the matrix (XLSX)"), href=f"{PATH}/vienti/matriisi.xlsx?{query}", download=""),
            " · ",
            html.A(_("the services (CSV)"), href=f"{PATH}/vienti/palvelut.csv?{query}", download=""),
            " · ",
            html.A(_("the services (XLSX)"), href=f"{PATH}/vienti/palvelut.xlsx?{query}", download=""),
            " · ",
            html.A(
                _("the related indicators (CSV)"),
                href=f"{PATH}/vienti/indikaattorit.csv?{query}",
                download="",
            ),
        ],
        className="export-links",
    )
    printing = html.P(
        [
            html.A(_("Print view"), href=f"{PATH}/tuloste?{query}", id="service-map-print"),
            " ",
            html.Span(_("(for a steering group meeting; also as a PDF)"), className="hint"),
        ],
        className="export-links",
    )
    return html.Div(
        [
            *head,
            filter_form(ctx, view),
            html.H2(place_name(ctx, view), id="service-map-place"),
            matrix_summary(ctx, computed),
            legend(ctx),
            html.Div(
                [
                    html.Div(matrix_table(ctx, computed), style={"flex": "3 1 28rem", "minWidth": "0"}),
                    indicator_column(
                        ctx,
                        computed,
                        task_indicators.configured(ctx.extras.get("settings")),
                        place_name(ctx, view),
                        task_name,
                    ),
                ],
                id="service-map-beside",
                style={"display": "flex", "flexWrap": "wrap", "gap": "1rem", "alignItems": "flex-start"},
            ),
            matrix_as_list(ctx, computed),
            downloads,
            printing,
            cell_section(ctx, computed, editor),
            suggestions_section(ctx, computed),
        ],
        id="service-map-page",
    )
