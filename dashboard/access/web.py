"""The web side of access: who is signed in, sign-in and sign-out pages, CSRF checks, headers.

Sign-in and every state-changing form are plain server-rendered HTML forms (they work without
JavaScript and carry a CSRF token); Dash callbacks only read. Every POST must also come from our own
origin (Origin/Referer), a second line against cross-site requests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import flask
from markupsafe import Markup, escape

from dashboard.access import audit, users
from dashboard.access.sessions import CSRF_COOKIE, SESSION_COOKIE, SessionPolicy, SessionStore, Throttle
from dashboard.i18n import COOKIE as LANG_COOKIE
from dashboard.i18n import DEFAULT_LANG, Translator, normalise_lang
from warehouse.areas import AreaConfig
from warehouse.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Access:
    """Access services of one app: sessions, throttle, settings, areas."""

    settings: Settings
    areas: AreaConfig
    sessions: SessionStore
    throttle: Throttle

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
    """A hidden CSRF input and, when a new token pair was made, the cookie value to set."""
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
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(nonce), new_cookie


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
    """A small server-rendered page in the app's look (sign-in, sign-out, form results)."""
    _ = Translator(lang)
    html = Markup("""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – {brand}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><a class="skip-link" href="#main">{skip}</a>
<header class="site-header"><div class="brand-box"><a class="brand" href="/">{brand}</a></div></header>
<main id="main" tabindex="-1">{body}</main>
<footer class="site-footer"><p>{source}</p></footer></body></html>""").format(
        lang=lang,
        title=title,
        brand=_("Family centre knowledge"),
        skip=_("Skip to content"),
        body=body,
        source=_("Source: THL, Sotkanet"),
    )
    return flask.Response(html, status=status, mimetype="text/html")


def register(server: flask.Flask, access: Access) -> None:
    """Sign-in and sign-out routes, and the response headers every answer gets."""

    @server.after_request
    def _security_headers(response: flask.Response) -> flask.Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        return response

    @server.before_request
    def _origin_guard():
        # Dash callbacks are POSTs too; none may come from another site's page.
        if flask.request.method == "POST" and not same_origin():
            return flask.Response("cross-site request refused", status=403, mimetype="text/plain")
        return None

    @server.route("/kirjaudu", methods=["GET", "POST"])
    def signin():
        lang = request_lang()
        _ = Translator(lang)
        message, status, username = "", 200, ""
        if flask.request.method == "POST":
            username = (flask.request.form.get("username") or "").strip()[:64]
            password = flask.request.form.get("password") or ""
            keys = [f"user:{username.lower()}", f"addr:{client_address()}"]
            if not check_csrf(access):
                message, status = _("The form had expired. Please try again."), 400
            # checked and counted in one transaction (parallel guesses cannot all pass the check);
            # a success below clears the count again
            elif (throttled := access.throttle.attempt(keys))[0] > 0:
                audit.record(
                    access.settings, "signin_throttled", actor=None, target=username, client=client_address()
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
                    access.throttle.succeeded(keys)
                    cookie = access.sessions.create(user.user_id, client_address())
                    audit.record(access.settings, "signin", actor=user.username, client=client_address())
                    response = flask.redirect(home_path(user), code=303)
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
        field, new_cookie = csrf_field(access)
        body = Markup("""<h1>{h}</h1>{msg}
<form method="post" action="/kirjaudu" class="signin-form">{csrf}
<div class="control"><label for="username">{u}</label><input id="username" name="username" autocomplete="username" required value="{uv}"></div>
<div class="control"><label for="password">{p}</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
<button type="submit">{b}</button></form>
<p>{public}</p>""").format(
            h=_("Sign in"),
            msg=Markup('<p class="error-card" role="alert">{}</p>').format(message) if message else "",
            csrf=field,
            u=_("Username"),
            uv=username,
            p=_("Password"),
            b=_("Sign in"),
            public=_("Open statistics can be read without signing in."),
        )
        response = page(_("Sign in"), body, lang, status)
        set_csrf_cookie(response, access, new_cookie)
        return response

    @server.route("/kirjaudu-ulos", methods=["GET", "POST"])
    def signout():
        lang = request_lang()
        _ = Translator(lang)
        if flask.request.method == "POST":
            if not check_csrf(access):
                return page(
                    _("Sign out"),
                    Markup("<h1>{}</h1><p>{}</p>").format(
                        _("Sign out"), _("The form had expired. Please try again.")
                    ),
                    lang,
                    400,
                )
            user = current_user(access)
            access.sessions.end(flask.request.cookies.get(SESSION_COOKIE))
            if user is not None:
                audit.record(access.settings, "signout", actor=user.username, client=client_address())
            response = page(
                _("Signed out"),
                Markup('<h1>{}</h1><p><a href="/">{}</a></p>').format(
                    _("You have signed out."), _("Go to the start page")
                ),
                lang,
            )
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        field, new_cookie = csrf_field(access)
        body = Markup(
            '<h1>{h}</h1><form method="post" action="/kirjaudu-ulos">{csrf}<button type="submit">{b}</button></form>'
        ).format(h=_("Sign out"), csrf=field, b=_("Sign out"))
        response = page(_("Sign out"), body, lang)
        set_csrf_cookie(response, access, new_cookie)
        return response


def escape_text(value: object) -> Markup:
    return escape(str(value))
