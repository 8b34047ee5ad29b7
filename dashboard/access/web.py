"""The web side of access: who is signed in, sign-in and sign-out pages, CSRF checks, headers.

Sign-in and every state-changing form are plain server-rendered HTML forms (they work without
JavaScript and carry a CSRF token); Dash callbacks only read. Every POST must also come from our own
origin (Origin/Referer), a second line against cross-site requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import flask
import jinja2
from markupsafe import Markup, escape

from perhekeskus.dashboard import attribution
from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.policy import Policy
from perhekeskus.dashboard.access.sessions import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    SessionPolicy,
    SessionStore,
    Throttle,
)
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.dashboard.i18n import DEFAULT_LANG, Translator, normalise_lang
from perhekeskus.dashboard.scope import build_query
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Access:
    """Access services of one app: sessions, throttle, settings, areas, and the one access policy
    (``services.access.policy.allows(user, permission, scope)``) that every feature's permissions share."""

    settings: Settings
    areas: AreaConfig
    sessions: SessionStore
    throttle: Throttle
    policy: Policy = field(default_factory=Policy)

    @classmethod
    def create(cls, settings: Settings, areas: AreaConfig) -> Access:
        policy = SessionPolicy.from_env()
        return cls(settings, areas, SessionStore(settings, policy), Throttle(settings, policy))


def client_address() -> str:
    return flask.request.remote_addr or "unknown"


def current_user(access: Access) -> users.User | None:
    """The signed-in user of this request, from the server-side session (None when anonymous)."""
    cached = flask.g.get("perhekeskus_user", False)
    if cached is not False:
        return cached
    user_id = access.sessions.user_id(flask.request.cookies.get(SESSION_COOKIE))
    user = users.get(access.settings, user_id=user_id) if user_id is not None else None
    if user is not None and user.disabled:
        user = None
    flask.g.perhekeskus_user = user
    return user


def home_path(user: users.User) -> str:
    """Where the dashboard opens after sign-in: the user's own level and area."""
    for role in user.roles:
        if role.role in ("province", "admin"):
            return "/maakunta"
    for role in user.roles:
        if role.role == "region":
            return f"/alue/{role.scope}"
        if role.role == "local" and role.scope.isdigit():
            return f"/kunta/{role.scope}"
        if role.role == "local" and role.scope.startswith("kunta-"):
            return f"/kunta/{role.scope.removeprefix('kunta-')}"
    if user.has("engineer"):
        return "/laatu"
    return "/"


def same_origin() -> bool:
    """True when a POST comes from a page of this site (Origin, else Referer, must match the host)."""
    source = flask.request.headers.get("Origin") or flask.request.headers.get("Referer")
    if not source:
        return False
    parts = urlsplit(source)
    return parts.netloc == flask.request.host


def csrf_field(access: Access) -> tuple[Markup, str | None]:
    """A hidden CSRF input and, when a new token pair was made, the cookie value to set.

    One token per request: every form of a page carries the same one, matching the one cookie."""
    cached = flask.g.get("perhekeskus_csrf")
    if cached is not None:
        return cached
    cookie = flask.request.cookies.get(CSRF_COOKIE)
    nonce = None
    if cookie:
        try:
            nonce = access.sessions._csrf_signer.loads(cookie)
        except Exception:
            nonce = None
    new_cookie = None
    if not isinstance(nonce, str):
        new_cookie, nonce = access.sessions.new_csrf()
    flask.g.perhekeskus_csrf_nonce = nonce
    flask.g.perhekeskus_csrf = (
        Markup('<input type="hidden" name="csrf_token" value="{}">').format(nonce),
        new_cookie,
    )
    return flask.g.perhekeskus_csrf


def csrf_nonce(access: Access) -> str:
    """This request's CSRF token (the value of the hidden field); its cookie is set on the answer."""
    csrf_field(access)
    flask.g.perhekeskus_csrf_cookie_due = True
    return flask.g.perhekeskus_csrf_nonce


def set_csrf_cookie(response: flask.Response, access: Access, value: str | None) -> None:
    if value:
        response.set_cookie(
            CSRF_COOKIE,
            value,
            httponly=True,
            samesite="Strict",
            secure=access.sessions.policy.secure_cookies,
            path="/",
        )


def check_csrf(access: Access) -> bool:
    return same_origin() and access.sessions.csrf_ok(
        flask.request.cookies.get(CSRF_COOKIE), flask.request.form.get("csrf_token")
    )


def request_lang() -> str:
    return (
        normalise_lang(flask.request.args.get("lang"))
        or normalise_lang(flask.request.cookies.get(LANG_COOKIE))
        or DEFAULT_LANG
    )


def page(title: str, body: Markup | str, lang: str, status: int = 200) -> flask.Response:
    """A server-rendered page (sign-in, sign-out, forms) in the app's look, with the same header,
    navigation and language choice as the Dash pages, so nobody is stranded on a bare form.
    ``body`` is already-escaped HTML; new pages extend ``perhekeskus/base.html`` instead."""
    html = flask.render_template(
        "perhekeskus/page.html", title=title, body=Markup(body), lang=lang, _=Translator(lang)
    )
    return flask.Response(html, status=status, mimetype="text/html")


def render_page(template: str, status: int = 200, **context) -> flask.Response:
    """A template that extends ``perhekeskus/base.html``, as an HTML answer."""
    return flask.Response(flask.render_template(template, **context), status=status, mimetype="text/html")


def render(template: str, status: int = 200, **context) -> flask.Response:
    """A template that extends ``perhekeskus/base.html``, as an answer that no cache keeps."""
    response = flask.Response(flask.render_template(template, **context), status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def register_templates(server: flask.Flask, access: Access) -> None:
    """The core templates (``perhekeskus/base.html``: the product's shell) on ``server``'s loader, and
    what every template gets: ``_`` (this request's translator), ``lang``, ``user`` and
    ``csrf_field()``, whose cookie is set on the answer."""
    loaders = [server.jinja_loader] if server.jinja_loader is not None else []
    server.jinja_loader = jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(TEMPLATES))])

    @server.context_processor
    def _template_context() -> dict:
        lang = request_lang()
        _ = Translator(lang)
        return {
            "_": _,
            "lang": lang,
            "user": current_user(access),
            "csrf_field": lambda: _template_csrf(access),
            "site_header": lambda: site_header(_),
            "source_credits": lambda: attribution.credits_line(_),
        }

    @server.after_request
    def _csrf_cookie(response: flask.Response) -> flask.Response:
        cached = flask.g.get("perhekeskus_csrf")
        if (
            cached is not None
            and flask.g.get("perhekeskus_csrf_cookie_due")
            and CSRF_COOKIE not in str(response.headers.getlist("Set-Cookie"))
        ):
            set_csrf_cookie(response, access, cached[1])
        return response


def _template_csrf(access: Access) -> Markup:
    field, _cookie = csrf_field(access)
    flask.g.perhekeskus_csrf_cookie_due = True
    return field


def site_header(_: Translator) -> Markup:
    """The Dash shell's own header (brand, language choice, navigation with the signed-in user's
    links) as static HTML for this request's path and query."""
    from perhekeskus.dashboard.components import to_html
    from perhekeskus.dashboard.shell import header, navigation, plugin_entries

    app = flask.current_app
    access: Access | None = app.extensions.get("perhekeskus_access")
    user = current_user(access) if access is not None else None
    area_rows = [(a.area_id, a.name(_.lang)) for a in access.areas.areas] if access is not None else []
    extra = plugin_entries(
        _.lang,
        user,
        app.extensions.get("perhekeskus_services"),
        app.extensions.get("perhekeskus_extra_pages", []),
    )
    query = flask.request.query_string.decode("ascii", "replace")
    search = "?" + query if query else ""
    path = flask.request.path
    nav = navigation(_, path, area_rows, extra, user, search)
    return to_html(header(_, path, search, nav, access.areas if access is not None else None))


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path of this site (``/kunta/837?indicator=127``), else None.

    Refused: anything not starting with exactly one ``/`` (``//evil.example`` is another host),
    a scheme or host, a backslash (browsers read ``/\\evil`` as ``//evil``), control characters, and
    the sign-in pages themselves. Only such a path may follow a sign-in, so the link cannot send a
    user to another site (an open redirect)."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "//" in parts.path:
        return None
    if parts.path in ("/kirjaudu", "/kirjaudu-ulos"):
        return None
    return target


# Answers under these paths can carry names, contact details or who is signed in: the administrators'
# pages, the sign-in pages and every Dash callback answer (the router renders plugins' pages and the
# signed-in user's name). Plugins' server-rendered pages are added by the app factory (the prefixes of
# their blueprints, ``PRIVATE_PREFIXES``). No browser or proxy may keep them.
PERSONAL_PATHS = ("/yllapito", "/kirjaudu", "/_dash-update-component")
PRIVATE_PREFIXES = "perhekeskus_private_prefixes"


def carries_personal_data(path: str, extra: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether the answer to ``path`` may hold personal data and so must not be stored by any cache."""
    return any(
        path == p or path.startswith(p + "/") or path.startswith(p + "-") for p in (*PERSONAL_PATHS, *extra)
    )


def register(server: flask.Flask, access: Access) -> None:
    """Sign-in and sign-out routes, and the response headers every answer gets."""

    server.extensions["perhekeskus_access"] = access  # the server-rendered pages' header reads it
    register_templates(server, access)

    @server.after_request
    def _security_headers(response: flask.Response) -> flask.Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        if carries_personal_data(flask.request.path, server.extensions.get(PRIVATE_PREFIXES, ())):
            response.headers["Cache-Control"] = "no-store"
        return response

    @server.before_request
    def _origin_guard():
        # Dash callbacks are POSTs too; none may come from another site's page.
        if flask.request.method == "POST" and not same_origin():
            return flask.Response("cross-site request refused", status=403, mimetype="text/plain")
        return None

    server.add_url_rule("/kirjaudu", "signin", signin, methods=["GET", "POST"])
    server.add_url_rule("/kirjaudu-ulos", "signout", signout, methods=["GET", "POST"])


def _access() -> Access:
    return flask.current_app.extensions["perhekeskus_access"]


def signin() -> flask.Response:
    """The sign-in form; a good username and password start a server-side session."""
    access = _access()
    lang = request_lang()
    _ = Translator(lang)
    message, status, username = "", 200, ""
    # a shared link opens again after signing in (only a path of this site: no open redirect)
    target = safe_next(flask.request.args.get("next"))
    if flask.request.method == "POST":
        username = (flask.request.form.get("username") or "").strip()[:64]
        password = flask.request.form.get("password") or ""
        account_key, address_key = f"user:{username.lower()}", f"addr:{client_address()}"
        keys = [account_key, address_key]
        if not check_csrf(access):
            message, status = _("The form had expired. Please try again."), 400
        # checked and counted in one transaction (parallel guesses cannot all pass the check);
        # a success below takes this attempt's count back
        elif (throttled := access.throttle.attempt(keys))[0] > 0:
            details = access.throttle.refused(address_key)
            if details is not None:  # one row per address per window, not one per refusal
                audit.record(
                    access.settings,
                    "signin_throttled",
                    actor=None,
                    target=username,
                    client=client_address(),
                    details=details,
                )
            message, status = (
                _("Too many failed attempts. Try again in {n} seconds.", n=throttled[0]),
                429,
            )
        else:
            user = users.verify(access.settings, username, password)
            if user is None:
                locked = throttled[1]
                audit.record(
                    access.settings,
                    "signin_failed",
                    actor=None,
                    target=username,
                    client=client_address(),
                    details={"locked": locked},
                )
                log.warning(
                    "failed sign-in for %r from %s%s",
                    username,
                    client_address(),
                    " (locked)" if locked else "",
                )
                message, status = _("The username or password is wrong."), 401
            else:
                access.throttle.succeeded(account_key, address_key)
                cookie = access.sessions.create(user.user_id, client_address())
                audit.record(access.settings, "signin", actor=user.username, client=client_address())
                response = flask.redirect(target or home_path(user), code=303)
                response.set_cookie(
                    SESSION_COOKIE,
                    cookie,
                    httponly=True,
                    samesite="Lax",
                    secure=access.sessions.policy.secure_cookies,
                    max_age=int(access.sessions.policy.lifetime.total_seconds()),
                    path="/",
                )
                return response
    return render_page(
        "perhekeskus/signin.html",
        status,
        action="/kirjaudu" + build_query({"next": target}),
        message=message,
        username=username,
    )


def signout() -> flask.Response:
    """Signing out (a POST with a CSRF token): the session ends on the server."""
    access = _access()
    lang = request_lang()
    _ = Translator(lang)
    if flask.request.method == "POST":
        if not check_csrf(access):
            return render_page(
                "perhekeskus/message.html",
                400,
                title=_("Sign out"),
                text=_("The form had expired. Please try again."),
            )
        user = current_user(access)
        access.sessions.end(flask.request.cookies.get(SESSION_COOKIE))
        flask.g.perhekeskus_user = None  # the page below already shows the signed-out navigation
        if user is not None:
            audit.record(access.settings, "signout", actor=user.username, client=client_address())
        response = render_page(
            "perhekeskus/message.html",
            title=_("Signed out"),
            heading=_("You have signed out."),
            back="/",
            back_text=_("Go to the start page"),
        )
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
    return render_page("perhekeskus/signout.html")


def escape_text(value: object) -> Markup:
    return escape(str(value))
