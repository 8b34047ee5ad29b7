"""The Dash app factory.

One Location drives everything: the router renders the shell and the page for the path and query,
and the view controls write their values back into the query string, so the URL is always the view.
The dashboard never calls a source: it only reads the published warehouse.
"""

from __future__ import annotations

import logging
import os

import dash
import dash_cytoscape  # noqa: F401  (Dash refuses component libraries first imported inside a callback)
import flask
from dash import Input, Output, State, dcc, html
from werkzeug.middleware.proxy_fix import ProxyFix

from perhekeskus import registry
from perhekeskus.dashboard import guards, pages
from perhekeskus.dashboard.access import admin, web
from perhekeskus.dashboard.access.web import Access
from perhekeskus.dashboard.exports import register_exports
from perhekeskus.dashboard.i18n import COOKIE, DEFAULT_LANG, Translator, normalise_lang
from perhekeskus.dashboard.scope import build_query, compare_param, parse_query, scope_for_path
from perhekeskus.dashboard.shell import navigation, plugin_entries, shell
from perhekeskus.services import Services
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader, WarehouseUnavailable
from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)
BUILTIN_PATHS = (
    "/",
    "/maakunta",
    "/laatu",
    "/lisaosat",
    "/healthz",
    "/kirjaudu",
    "/kirjaudu-ulos",
)


def register_blueprints(server: flask.Flask, services) -> None:
    """Every plugin's server-rendered pages (``perhekeskus_blueprints``); a plugin whose hook raises is
    logged and left out, the others still register."""
    hook = registry.plugin_manager().hook.perhekeskus_blueprints
    for impl in hook.get_hookimpls():
        try:
            blueprints = impl.function(**{a: services for a in impl.argnames if a == "services"})
        except Exception:
            log.exception("plugin %s could not provide its blueprints", impl.plugin_name)
            continue
        for blueprint in blueprints or []:
            server.register_blueprint(blueprint)
            if blueprint.url_prefix:  # a plugin's pages (and its Dash page there) are never cached
                server.extensions.setdefault(web.PRIVATE_PREFIXES, []).append(blueprint.url_prefix)


INDEX = """<!DOCTYPE html>
<html lang="__LANG__">
<head>
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
<noscript>__NOSCRIPT__</noscript>
{%app_entry%}
<div class="dash-scripts">
{%config%}
{%scripts%}
{%renderer%}
</div>
</body>
</html>"""

NOSCRIPT = {
    "fi": "Tämä näkymä tarvitsee JavaScriptin. Ota JavaScript käyttöön selaimesi asetuksista.",
    "sv": "Den här vyn behöver JavaScript. Aktivera JavaScript i webbläsarens inställningar.",
    "en": "This view needs JavaScript. Please enable JavaScript in your browser's settings.",
}


def request_lang() -> str:
    """The language of the current HTTP request: ?lang=, then the cookie, then Finnish."""
    try:
        return (
            normalise_lang(flask.request.args.get("lang"))
            or normalise_lang(flask.request.cookies.get(COOKIE))
            or DEFAULT_LANG
        )
    except RuntimeError:  # outside a request
        return DEFAULT_LANG


class PerhekeskusDash(dash.Dash):
    """Dash with the page language in ``<html lang>`` from the first byte (WCAG 3.1.1)."""

    def interpolate_index(self, **kwargs) -> str:
        lang = request_lang()
        html_text = super().interpolate_index(**kwargs)
        return html_text.replace("__LANG__", lang).replace("__NOSCRIPT__", NOSCRIPT[lang])


def create_app(settings: Settings | None = None) -> dash.Dash:
    settings = settings or Settings.from_env()
    server = flask.Flask(__name__)
    app = PerhekeskusDash(
        __name__,
        server=server,
        title="Perhekeskus",
        update_title=None,
        suppress_callback_exceptions=True,
        index_string=INDEX,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    if os.environ.get("PERHEKESKUS_BEHIND_PROXY", "").lower() in ("1", "true", "yes"):
        # one trusted reverse proxy (TLS termination): client address, scheme and host from its headers,
        # so throttling and the audit log see the real client and the same-origin check the public host
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1)
    areas = load_areas(settings.areas_file)
    access = Access.create(settings, areas)
    # the public services object every hook receives (perhekeskus.services): one per app
    services = Services(settings, Reader(settings), areas, access)
    web.register(server, access)
    admin.register(server, access)
    guards.register(app)  # 404/400 and one log line for what Dash would answer with a traceback
    register_blueprints(server, services)
    app.layout = html.Div(
        [dcc.Location(id="url", refresh="callback-nav"), dcc.Store(id="page-meta"), html.Div(id="app-root")]
    )

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        lang = normalise_lang(flask.request.args.get("lang"))
        if lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response

    @server.route("/healthz")
    def _healthz():
        """Liveness plus what this worker reads: a deployment checks that every worker serves the newest publish."""
        try:
            rows = services.reader.rows(
                "SELECT run_id, finished_at FROM etl_run WHERE finished_at IS NOT NULL "
                "ORDER BY finished_at DESC, run_id DESC LIMIT 1"
            )
        except (WarehouseUnavailable, Exception) as exc:  # any failure to read means not healthy
            return flask.jsonify({"status": "unavailable", "reason": str(exc).splitlines()[0][:200]}), 503
        latest = rows[0] if rows else (None, None)
        response = flask.jsonify(
            {
                "status": "ok",
                "worker_pid": os.getpid(),
                "latest_run": latest[0],
                "latest_run_finished": latest[1].isoformat() if latest[1] else None,
            }
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    register_exports(server, services)
    extra_pages = _extra_pages(services, server)
    server.extensions["perhekeskus_extra_pages"] = extra_pages  # the server-rendered pages list them too
    server.extensions["perhekeskus_services"] = services  # and ask the navigation hook with the same services

    @app.callback(
        Output("app-root", "children"),
        Output("page-meta", "data"),
        Input("url", "pathname"),
        Input("url", "search"),
    )
    def route(pathname: str | None, search: str | None):
        # the browser sends strings; anything else in a hand-made request is read as the start page
        pathname = (pathname if isinstance(pathname, str) else "/").rstrip("/") or "/"
        search = search if isinstance(search, str) else ""
        query = parse_query(search)
        lang = (
            normalise_lang(query.get("lang"))
            or normalise_lang(flask.request.cookies.get(COOKIE))
            or DEFAULT_LANG
        )
        if normalise_lang(query.get("lang")):
            dash.ctx.response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        _ = Translator(lang)
        user = web.current_user(access)
        title, body = resolve_page(_, services, pathname, search, extra_pages, user)
        try:
            area_rows = [(a.area_id, a.name(lang)) for a in services.areas.areas]
        except Exception:
            area_rows = []
        nav = navigation(
            _, pathname, area_rows, plugin_entries(lang, user, services, extra_pages), user, search
        )
        return shell(_, pathname, search, body, nav, services.reader, services.areas), {
            "lang": lang,
            "title": f"{title} – {_('Family centre knowledge')}",
        }

    @app.callback(
        Output("url", "search"),
        Input("view-indicator", "value"),
        Input("view-year-from", "value"),
        Input("view-year-to", "value"),
        Input("view-compare", "value"),
        Input("view-gender", "value"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def sync_view(indicator, year_from, year_to, compare, gender, search):
        if len(dash.ctx.triggered) > 1:
            # The router inserting the controls fires this with every value at once (prevent_initial_call
            # does not hold when the output, url.search, was already in the layout). They were drawn from
            # the URL: writing them back would re-render the page and push extra history entries.
            return dash.no_update
        indicator, year_from, year_to, compare, gender = view_values(
            indicator, year_from, year_to, compare, gender
        )
        query = parse_query(search if isinstance(search, str) else "")
        triggered = dash.ctx.triggered_id
        new = dict(query)
        new["indicator"] = indicator
        if triggered == "view-indicator" and str(indicator) != query.get("indicator"):
            new.pop("years", None)  # another indicator has other years
        elif year_from and year_to:
            new["years"] = f"{min(year_from, year_to)}-{max(year_from, year_to)}"
        new["compare"] = compare_param(compare or [])  # municipalities, HVA:<county>, group:<name>
        new["gender"] = None if gender == "total" else gender
        result = build_query(new)
        return dash.no_update if result == (search or "") else result

    app.clientside_callback(
        """
        function(meta) {
            if (meta && meta.lang) { document.documentElement.lang = meta.lang; }
            if (meta && meta.title) { document.title = meta.title; }
            return window.dash_clientside.no_update;
        }
        """,
        Output("page-meta", "data", allow_duplicate=True),
        Input("page-meta", "data"),
        prevent_initial_call=True,
    )

    for panel in registry.panels(services):
        if panel.register_callbacks is not None:
            try:
                panel.register_callbacks(app, services)
            except Exception:
                log.exception("panel %s could not register its callbacks", panel.id)
    for page in registry.pages(services):
        if page.register_callbacks is not None:
            try:
                page.register_callbacks(app, services)
            except Exception:
                log.exception("page %s could not register its callbacks", page.path)
    app.services = services  # type: ignore[attr-defined]
    return app


def view_values(
    indicator: object, year_from: object, year_to: object, compare: object, gender: object
) -> tuple[str | None, int | None, int | None, list[str], str | None]:
    """The view controls' values as their dropdowns send them; anything else (a hand-made callback
    request) is dropped here, so that it cannot end the callback with a traceback."""

    def whole(value: object) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    # the comparison's items: "837", "HVA:05", "group:similar" (dashboard/scope.py cleans them further)
    chosen = [c for c in compare if isinstance(c, str) and len(c) <= 40] if isinstance(compare, list) else []
    gender = gender if isinstance(gender, str) else None
    # the indicator dropdown's values are the URL's form, "sotkanet:127" (dashboard/scope.py)
    indicator = indicator if isinstance(indicator, str) and len(indicator) <= 128 else None
    return indicator, whole(year_from), whole(year_to), chosen, gender


def _extra_pages(services: Services, server: flask.Flask | None = None) -> list:
    """The plugins' Dash pages; one whose path a built-in page, a server route (a plugin's blueprint
    included) or an earlier plugin page already uses is refused and logged."""
    routes = (
        {r.rule for r in server.url_map.iter_rules() if "<" not in r.rule} if server is not None else set()
    )
    found: list = []
    for page in registry.pages(services):
        if (
            not page.path.startswith("/")
            or page.path in BUILTIN_PATHS
            or page.path in routes
            or page.path in {p.path for p in found}
            or page.path.startswith(("/alue/", "/kunta/", "/vienti/", "/yllapito/"))
        ):
            log.error("plugin page %r refused: its path is taken by another page", page.path)
            continue
        found.append(page)
    return found


def resolve_page(
    _: Translator, services: Services, pathname: str, search: str, extra_pages: list, user=None
) -> tuple[str, list]:
    """(title, body) of the page at ``pathname`` for ``user`` (None: anonymous)."""
    from perhekeskus.panels import PanelContext, Scope

    if pathname == "/":
        return pages.start_page(_, services)
    if pathname == "/laatu":
        return pages.quality_page(_, services, search)
    if pathname == "/lisaosat":
        return pages.plugins_page(_, services)
    for page in extra_pages:
        if page.path == pathname:
            ctx = PanelContext(
                Scope("province", _.lang, user=user),
                services.reader,
                _,
                services.areas,
                {"search": search, "settings": services.settings},
            )
            try:
                return page.titles.get(_.lang) or page.path, [
                    html.H1(page.titles.get(_.lang) or page.path),
                    page.layout(ctx),
                ]
            except Exception as exc:
                log.exception("plugin page %s failed", page.path)
                return page.path, [
                    html.H1(page.titles.get(_.lang) or page.path),
                    html.P(str(exc)[:200], role="alert"),
                ]
    scope = scope_for_path(pathname, parse_query(search), _.lang, services.areas, user=user)
    if scope is None:
        return pages.not_found_page(_)
    try:
        return pages.level_page(_, services, scope, search, pathname)
    except WarehouseUnavailable:
        return _("No data yet"), [html.H1(_("No data yet")), html.P(_("No data has been loaded yet."))]
