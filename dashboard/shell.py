"""The page shell shared by every page: skip link, header with navigation and language switch,
the freshness bar, the main landmark and the footer with attribution.
"""

from __future__ import annotations

import logging
import time
from zoneinfo import ZoneInfo

import pandas as pd
from dash import dcc, html

from perhekeskus import registry
from perhekeskus.contracts import NavEntry
from perhekeskus.dashboard import attribution, queries
from perhekeskus.dashboard.i18n import LANG_NAMES, LANGS, Translator, as_day
from perhekeskus.dashboard.scope import build_query, parse_query
from perhekeskus.warehouse.read import Reader, WarehouseUnavailable

log = logging.getLogger(__name__)


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


SIGNIN_PATH = "/kirjaudu"
SIGNOUT_PATH = "/kirjaudu-ulos"


def signin_href(pathname: str, search: str) -> str:
    """The sign-in link of a page: ``/kirjaudu?next=<this page and its query>``.

    On the sign-in page itself the link keeps the page's own ``next``; from the sign-out page (or the
    start page) it carries none, so signing in opens the user's own view.
    """
    if pathname == SIGNIN_PATH:
        target = parse_query(search).get("next")
    elif pathname in (SIGNOUT_PATH, "/"):
        target = None
    else:
        target = pathname + (search if search.startswith("?") or not search else "?" + search)
    return SIGNIN_PATH + build_query({"next": target})


def plugin_entries(lang: str, user, services, extra_pages: list) -> list[NavEntry]:
    """The plugins' menu entries for this user and language: their Dash pages that ask to be listed,
    and what their ``perhekeskus_navigation`` hooks return. A failing hook costs the menu its plugin
    entries, never the page."""
    entries = [NavEntry(p.path, p.titles.get(lang) or p.path) for p in extra_pages if p.in_navigation]
    try:
        entries += registry.navigation(user, lang, services)
    except Exception:
        log.exception("a perhekeskus_navigation hook failed")
    return entries


# where the built-in entries stand among the plugins' (``NavEntry.order``, smaller first)
BUILTIN_ORDER = {"/": 0, "/maakunta": 10, "/alue/": 20, "/laatu": 80, "/lisaosat": 90}


def menu_entries(
    _: Translator, area_rows: list[tuple[str, str]], plugin_entries: list[NavEntry]
) -> list[tuple[str, str]]:
    """(path, label) of the menu: the built-in pages and the entries plugins gave through
    ``perhekeskus_navigation`` (and their Dash pages), merged by order. Nothing here names a feature:
    a page that is not the product's own reaches the menu only through a plugin."""
    builtin = [
        NavEntry("/", _("Start"), BUILTIN_ORDER["/"]),
        NavEntry("/maakunta", _("Province"), BUILTIN_ORDER["/maakunta"]),
        *(NavEntry(f"/alue/{area_id}", name, BUILTIN_ORDER["/alue/"]) for area_id, name in area_rows),
        NavEntry("/laatu", _("Data quality"), BUILTIN_ORDER["/laatu"]),
        NavEntry("/lisaosat", _("Plugins"), BUILTIN_ORDER["/lisaosat"]),
    ]
    taken = {e.path for e in builtin}
    extra = [e for e in plugin_entries if e.path not in taken]
    # sorted() is stable: built-ins keep their own order, and come before plugins' entries of equal order
    return [(e.path, e.label) for e in sorted([*builtin, *extra], key=lambda e: e.order)]


def _dash_paths() -> set[str]:
    """Paths the Dash app renders itself (built-in pages and the plugins' Dash pages): their menu links
    are client-side; any other entry is a plain link."""
    paths = {"/", "/maakunta", "/laatu", "/lisaosat"}
    try:
        import flask

        paths |= {p.path for p in flask.current_app.extensions.get("perhekeskus_extra_pages", [])}
    except RuntimeError:  # outside an app (a unit test of the shell)
        pass
    return paths


def navigation(
    _: Translator,
    pathname: str,
    area_rows: list[tuple[str, str]],
    plugin_entries: list[NavEntry],
    user=None,
    search: str = "",
) -> html.Nav:
    """The main navigation; signed-in users also get their own area, sign-out and (admins) admin pages.

    Sign-in, sign-out and admin pages are server-rendered, so they are plain links (full page loads).
    The sign-in link carries the page being read, so a shared link opens again after signing in.
    """
    entries = menu_entries(_, area_rows, plugin_entries)
    dash_paths = _dash_paths()
    items = [
        html.Li(
            _link(href, text, pathname == href, _("current page"))
            if href in dash_paths or href.startswith(("/alue/", "/kunta/"))
            # a plugin's server-rendered page (a blueprint) needs a full page load, as sign-in does
            else html.A(
                text,
                href=href,
                className="nav-link" + (" current" if pathname == href else ""),
                **({"aria-current": "page"} if pathname == href else {}),
            )
        )
        for href, text in entries
    ]
    if user is None:
        items.append(html.Li(html.A(_("Sign in"), href=signin_href(pathname, search), className="nav-link")))
    else:
        from perhekeskus.dashboard.access.web import home_path

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
    updates = queries.source_updates(reader)
    rows["source_updated"] = [updates.get(source) for source in rows["source"]]
    _FRESHNESS["value"] = (version, rows)
    return rows


_FRESHNESS: dict = {}


def loaded_text(_: Translator, row, timezone: str = "Europe/Helsinki") -> str:
    """When the warehouse was last loaded from the source (not when the source changed its data), in
    the product's local time, and the source's own newest data-updated date when its metadata give one."""
    if row.last_success_at is None or row.last_success_at != row.last_success_at:
        loaded = _("never loaded")
    else:
        hours = int(row.age_hours or 0)
        if hours < 1:
            age = _("less than an hour ago")
        else:
            age = _("{n} h ago", n=hours) if hours < 48 else _("{n} days ago", n=hours // 24)
        stamp = pd.Timestamp(row.last_success_at)  # TIMESTAMPTZ: UTC; a naive one is taken as UTC
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
        local = stamp.tz_convert(ZoneInfo(timezone)).to_pydatetime()
        loaded = _("data loaded {when}", when=f"{_.date(local)} ({age})")
    newest = as_day(getattr(row, "source_updated", None))
    if newest is None:
        return loaded
    return loaded + " · " + _("newest update at the source {date}", date=_.date(newest))


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
        updated = loaded_text(_, row, getattr(reader.settings, "schedule_timezone", "Europe/Helsinki"))
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
        # printed on every sheet by the print style sheet, so no printout of demo values loses the mark
        **{"data-print-mark": _("Demo data: invented values. Do not use them for decisions.")},
    )


def source_line(_: Translator, reader: Reader) -> str:
    """The footer's attribution: each source's credit and the producers of its package with their licences
    (cached per published warehouse and language); a generic line while nothing is published."""
    try:
        key = (reader.version, _.lang)
    except WarehouseUnavailable:
        return attribution.credits_line(_)
    cached = _SOURCE_LINE.get(key)
    if cached is None:
        try:
            cached = attribution.producers_line(_, reader)
        except WarehouseUnavailable:
            return attribution.credits_line(_)
        if any(k[0] != key[0] for k in _SOURCE_LINE):  # a new warehouse was published
            _SOURCE_LINE.clear()
        _SOURCE_LINE[key] = cached
    return cached


_SOURCE_LINE: dict = {}


def header(_: Translator, pathname: str, search: str, nav: html.Nav, areas=None) -> html.Header:
    """The site header (brand, language choice, navigation): the Dash pages and the server-rendered
    pages (sign-in, sign-out, forms) show the same one. ``areas`` (the province configuration) names
    the province under the brand."""
    province = []
    if areas is not None:
        subtitle = _("{province_genitive} family centres", province_genitive=areas.province_genitive(_.lang))
        province = [html.Span(subtitle, className="brand-sub")]
    return html.Header(
        [
            html.Div(
                [
                    dcc.Link(_("Family centre knowledge"), href="/", className="brand"),
                    *province,
                ],
                className="brand-box",
            ),
            language_switch(_, pathname, search),
            nav,
        ],
        className="site-header",
    )


def shell(
    _: Translator, pathname: str, search: str, body: list, nav: html.Nav, reader: Reader, areas=None
) -> list:
    return [
        html.A(_("Skip to content"), href="#main", className="skip-link"),
        header(_, pathname, search, nav, areas),
        html.Main(
            [b for b in [demo_banner(_, reader), *body, freshness_bar(_, reader)] if b is not None],
            id="main",
            tabIndex="-1",
        ),
        html.Footer(
            [
                html.P(
                    [source_line(_, reader)],
                    className="source-line",
                ),
            ],
            className="site-footer",
        ),
    ]
