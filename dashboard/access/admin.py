"""Administrators' pages: users and roles, and the audit log (read, filter, export).

Server-rendered forms with CSRF tokens (templates ``perhekeskus/admin_*.html``); every change goes
through ``users`` (which audits it) and every export of the audit log is itself audited. The views are
module-level functions; :func:`register` adds their routes.
"""

from __future__ import annotations

import flask

from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.web import (
    Access,
    check_csrf,
    client_address,
    current_user,
    render_page,
    request_lang,
)
from perhekeskus.dashboard.i18n import Translator


def _access() -> Access:
    return flask.current_app.extensions["perhekeskus_access"]


def _require_admin(access: Access):
    user = current_user(access)
    if user is None:
        return None, flask.redirect("/kirjaudu", code=303)
    if not user.has("admin"):
        _ = Translator(request_lang())
        return None, render_page(
            "perhekeskus/message.html",
            403,
            title=_("Not allowed"),
            text=_("This page is for administrators."),
        )
    return user, None


def _roles_text(user: users.User) -> str:
    return ", ".join(f"{r.role}:{r.scope}" if r.scope else r.role for r in user.roles)


ROLES_TEXT_LIMIT = 500  # the roles field: a few comma-separated role:scope pairs


def _parse_roles(text: str) -> list[tuple[str, str | None]]:
    """'region:lantinen, engineer' → [('region', 'lantinen'), ('engineer', None)]."""
    if len(text or "") > ROLES_TEXT_LIMIT:
        raise users.UserError(f"the roles are longer than {ROLES_TEXT_LIMIT} characters")
    found = []
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        role, _sep, scope = part.partition(":")
        found.append((role.strip(), scope.strip() or None))
    return found


def _change(access: Access, admin: users.User, _: Translator) -> tuple[str, int]:
    """Carry out the posted change; (message, status)."""
    form = flask.request.form
    if not check_csrf(access):
        return _("The form had expired. Please try again."), 400
    try:
        action = form.get("action")
        name = (form.get("username") or "").strip()
        if action == "add":
            users.add(
                access.settings,
                access.areas,
                name,
                form.get("password") or "",
                _parse_roles(form.get("roles") or ""),
                display_name=form.get("display_name") or None,
                actor=admin.username,
                client=client_address(),
            )
            return _("User {name} added.", name=name), 200
        if action == "roles":
            users.set_roles(
                access.settings,
                access.areas,
                name,
                _parse_roles(form.get("roles") or ""),
                actor=admin.username,
                client=client_address(),
            )
            return _("Roles of {name} changed.", name=name), 200
        if action in ("disable", "enable"):
            # usernames compare without case in the store: "ADMIN1" is admin1
            if name.casefold() == admin.username.casefold() and action == "disable":
                raise users.UserError(_("You cannot disable yourself."))
            users.set_disabled(
                access.settings, name, action == "disable", actor=admin.username, client=client_address()
            )
            return _("User {name} updated.", name=name), 200
        return _("Unknown action."), 400
    except users.UserError as exc:
        return str(exc), 400


def admin_users() -> flask.Response:
    """Users and roles: change roles, disable or enable, add a user."""
    access = _access()
    admin, refusal = _require_admin(access)
    if refusal is not None:
        return refusal
    _ = Translator(request_lang())
    message, status = _change(access, admin, _) if flask.request.method == "POST" else ("", 200)
    return render_page(
        "perhekeskus/admin_users.html",
        status,
        message=message,
        accounts=users.list_users(access.settings),
        roles_text=_roles_text,
        example_area=access.areas.areas[0].area_id,
        example_municipality=access.areas.areas[0].municipalities[0],
        name_limit=users.DISPLAY_NAME_LIMIT,
        roles_limit=ROLES_TEXT_LIMIT,
        password_limit=users.MAX_PASSWORD,
    )


def admin_audit() -> flask.Response:
    """The audit log, filtered by user, action and dates; ``?format=csv`` downloads it (and is audited)."""
    access = _access()
    admin, refusal = _require_admin(access)
    if refusal is not None:
        return refusal
    args = flask.request.args
    filters = {k: (args.get(k) or "").strip()[:64] or None for k in ("actor", "action", "since", "until")}
    rows = audit.entries(access.settings, **filters, limit=1000)
    if args.get("format") == "csv":
        audit.record(
            access.settings,
            "export",
            actor=admin.username,
            target="audit_log",
            client=client_address(),
            details={"filters": filters, "rows": len(rows)},
        )
        # typed by anyone (a username in a failed sign-in): the one writer guards every text cell
        body = tabular.to_csv(
            rows, None, columns=["audit_id", "at", "actor", "action", "target", "details", "client"]
        )
        return flask.Response(
            body,
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
        )
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render_page("perhekeskus/admin_audit.html", rows=rows, filters=filters, query=query)


def register(server: flask.Flask, access: Access) -> None:
    """The administrators' pages on ``server``."""
    server.extensions.setdefault("perhekeskus_access", access)
    server.add_url_rule("/yllapito/kayttajat", "admin_users", admin_users, methods=["GET", "POST"])
    server.add_url_rule("/yllapito/loki", "admin_audit", admin_audit)
