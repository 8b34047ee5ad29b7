"""The page shell shared by every page: skip link, header with navigation and language switch,
the freshness bar, the main landmark and the footer with attribution.
"""

from __future__ import annotations

import time

from dash import dcc, html

from dashboard import queries
from dashboard.i18n import LANG_NAMES, LANGS, Translator
from dashboard.scope import build_query, parse_query
from warehouse.read import Reader, WarehouseUnavailable


def _link(href: str, text: str, current: bool = False, current_text: str = "") -> dcc.Link:
    """A client-side link; dcc.Link takes no aria attributes, so the current page is told in hidden text."""
    children = [text, html.Span(f" ({current_text})", className="visually-hidden")] if current else text
    return dcc.Link(children, href=href, className="nav-link" + (" current" if current else ""))


def language_switch(_: Translator, pathname: str, search: str) -> html.Nav:
    query = parse_query(search)
    items = []
    for lang in LANGS:
        href = pathname + build_query({**query, "lang": lang})
        current = lang == _.lang
        items.append(
            html.Li(
                dcc.Link(
                    html.Span(LANG_NAMES[lang], lang=lang),
                    href=href,
                    className="lang-link" + (" current" if current else ""),
                )
            )
        )
    return html.Nav(
        html.Ul(items, className="lang-list"), className="lang-switch", **{"aria-label": _("Language")}
    )


def navigation(
    _: Translator,
    pathname: str,
    area_rows: list[tuple[str, str]],
    extra: list[tuple[str, str]],
    user=None,
) -> html.Nav:
    """The main navigation; signed-in users also get their own area, sign-out and (admins) admin pages.

    Sign-in, sign-out and admin pages are server-rendered, so they are plain links (full page loads).
    """
    entries = [("/", _("Start")), ("/maakunta", _("Province"))]
    entries += [(f"/alue/{area_id}", name) for area_id, name in area_rows]
    entries += [("/hallinto", _("Governance")), ("/laatu", _("Data quality")), ("/lisaosat", _("Plugins"))]
    entries += extra
    items = [html.Li(_link(href, text, pathname == href, _("current page"))) for href, text in entries]
    if user is None:
        items.append(html.Li(html.A(_("Sign in"), href="/kirjaudu", className="nav-link")))
    else:
        from dashboard.access.web import home_path

        items.append(
            html.Li(_link(home_path(user), _("My view"), pathname == home_path(user), _("current page")))
        )
        if user.has("admin"):
            items.append(html.Li(html.A(_("Users"), href="/yllapito/kayttajat", className="nav-link")))
            items.append(html.Li(html.A(_("Audit log"), href="/yllapito/loki", className="nav-link")))
        items.append(
            html.Li(
                html.A(
                    _("Sign out ({name})", name=user.display_name or user.username),
                    href="/kirjaudu-ulos",
                    className="nav-link",
                )
            )
        )
    return html.Nav(
        html.Ul(items, className="nav-list"),
        className="main-nav",
        **{"aria-label": _("Main navigation")},
    )


def _freshness(reader: Reader):
    """Freshness rows, cached per published warehouse (every page shows them twice: banner and bar)."""
    # the ages shown change with time: entries last ten minutes at most
    version = (
        reader.version,
        int(time.time() // 600),
    )  # raises WarehouseUnavailable when nothing is published
    cached = _FRESHNESS.get("value")
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = queries.freshness(reader)
    _FRESHNESS["value"] = (version, rows)
    return rows


_FRESHNESS: dict = {}


def freshness_bar(_: Translator, reader: Reader) -> html.Section:
    """Every dataset's last successful run, its age and the state of its last quality check."""
    try:
        rows = _freshness(reader)
    except WarehouseUnavailable:
        return html.Section(
            html.P(_("No data has been loaded yet.")),
            className="freshness",
            **{"aria-label": _("Data freshness")},
        )
    items = []
    for row in rows.itertuples(index=False):
        if row.last_success_at is None or row.last_success_at != row.last_success_at:
            updated = _("never loaded")
        else:
            hours = int(row.age_hours or 0)
            age = _("{n} h ago", n=hours) if hours < 48 else _("{n} days ago", n=hours // 24)
            updated = _("updated {when}", when=f"{_.date(row.last_success_at)} ({age})")
        if row.last_status == "blocked":
            state, css = (
                _("last run blocked by a quality check; showing the last published values"),
                "state-bad",
            )
        elif row.last_status == "failed":
            state, css = _("last run failed; showing the last published values"), "state-bad"
        elif row.critical_failed:
            state, css = _("quality checks failed"), "state-bad"
        elif row.warnings_failed:
            state, css = _("quality checks passed with warnings"), "state-warn"
        else:
            state, css = _("quality checks passed"), "state-ok"
        items.append(
            html.Li(
                [
                    html.Strong(f"{row.source}: "),
                    updated,
                    " · ",
                    html.Span(state, className=css),
                    *([" · ", html.Strong(_("demo values"), className="demo-tag")] if row.is_demo else []),
                ]
            )
        )
    if not items:
        items = [html.Li(_("No data has been loaded yet."))]
    return html.Section(
        [
            html.H2(_("Data freshness"), className="visually-hidden"),
            html.Ul(items, className="freshness-list"),
        ],
        className="freshness",
        **{"aria-label": _("Data freshness")},
    )


def demo_banner(_: Translator, reader: Reader) -> html.Div | None:
    try:
        rows = _freshness(reader)
    except WarehouseUnavailable:
        return None
    if not len(rows) or not rows["is_demo"].fillna(False).any():
        return None
    return html.Div(
        [
            html.Strong(_("Demo data.")),
            " ",
            _(
                "The numbers shown are invented demo values, loaded because the live statistics could not be fetched yet. Do not use them for decisions."
            ),
        ],
        className="demo-banner",
        role="note",
    )


def shell(_: Translator, pathname: str, search: str, body: list, nav: html.Nav, reader: Reader) -> list:
    return [
        html.A(_("Skip to content"), href="#main", className="skip-link"),
        html.Header(
            [
                html.Div(
                    [
                        dcc.Link(_("Family centre knowledge"), href="/", className="brand"),
                        html.Span(_("Pirkanmaa family centres"), className="brand-sub"),
                    ],
                    className="brand-box",
                ),
                language_switch(_, pathname, search),
                nav,
            ],
            className="site-header",
        ),
        html.Main(
            [b for b in [demo_banner(_, reader), *body, freshness_bar(_, reader)] if b is not None],
            id="main",
            tabIndex="-1",
        ),
        html.Footer(
            [
                html.P(
                    [
                        _("Source: THL, Sotkanet"),
                        " (",
                        html.A("sotkanet.fi", href="https://sotkanet.fi"),
                        "), ",
                        _(
                            "licence CC BY 4.0 for THL's own data; other producers' terms apply to their indicators."
                        ),
                    ]
                ),
            ],
            className="site-footer",
        ),
    ]
