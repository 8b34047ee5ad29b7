"""Administrators' pages: users and roles, and the audit log (read, filter, export).

Server-rendered forms with CSRF tokens; every change goes through ``users`` (which audits it) and
every export of the audit log is itself audited.
"""

from __future__ import annotations

import flask
from markupsafe import Markup

from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.web import (
    Access,
    check_csrf,
    client_address,
    csrf_field,
    current_user,
    page,
    request_lang,
    set_csrf_cookie,
)
from perhekeskus.dashboard.i18n import Translator


def _require_admin(access: Access):
    user = current_user(access)
    if user is None:
        return None, flask.redirect("/kirjaudu", code=303)
    if not user.has("admin"):
        _ = Translator(request_lang())
        return None, page(
            _("Not allowed"),
            Markup("<h1>{}</h1><p>{}</p>").format(_("Not allowed"), _("This page is for administrators.")),
            request_lang(),
            403,
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


def register(server: flask.Flask, access: Access) -> None:
    @server.route("/yllapito/kayttajat", methods=["GET", "POST"])
    def admin_users():
        admin, refusal = _require_admin(access)
        if refusal is not None:
            return refusal
        lang = request_lang()
        _ = Translator(lang)
        message, status = "", 200
        if flask.request.method == "POST":
            form = flask.request.form
            if not check_csrf(access):
                message, status = _("The form had expired. Please try again."), 400
            else:
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
                        message = _("User {name} added.", name=name)
                    elif action == "roles":
                        users.set_roles(
                            access.settings,
                            access.areas,
                            name,
                            _parse_roles(form.get("roles") or ""),
                            actor=admin.username,
                            client=client_address(),
                        )
                        message = _("Roles of {name} changed.", name=name)
                    elif action in ("disable", "enable"):
                        # usernames compare without case in the store: "ADMIN1" is admin1
                        if name.casefold() == admin.username.casefold() and action == "disable":
                            raise users.UserError(_("You cannot disable yourself."))
                        users.set_disabled(
                            access.settings,
                            name,
                            action == "disable",
                            actor=admin.username,
                            client=client_address(),
                        )
                        message = _("User {name} updated.", name=name)
                    else:
                        message, status = _("Unknown action."), 400
                except users.UserError as exc:
                    message, status = str(exc), 400
        field, new_cookie = csrf_field(access)
        rows = Markup("").join(
            Markup(
                '<tr><th scope="row">{u}</th><td>{d}</td><td>{r}</td><td>{s}</td><td>'
                '<form method="post" class="inline-form">{csrf}<input type="hidden" name="username" value="{u}">'
                '<label for="roles-{i}" class="visually-hidden">{rl}</label>'
                '<input id="roles-{i}" name="roles" value="{r}" maxlength="500"><button name="action" value="roles">{save}</button>'
                '<button name="action" value="{toggle}">{toggle_text}</button></form></td></tr>'
            ).format(
                u=u.username,
                d=u.display_name or "",
                r=_roles_text(u),
                s=_("account disabled") if u.disabled else _("account enabled"),
                csrf=field,
                i=i,
                rl=_("Roles of {name}", name=u.username),
                save=_("Save roles"),
                toggle="enable" if u.disabled else "disable",
                toggle_text=_("Enable") if u.disabled else _("Disable"),
            )
            for i, u in enumerate(users.list_users(access.settings))
        )
        body = Markup("""<h1>{h}</h1>{msg}
<div class="table-scroll" tabindex="0" role="region" aria-label="{h}"><table class="data-table"><caption>{cap}</caption>
<thead><tr><th scope="col">{c1}</th><th scope="col">{c2}</th><th scope="col">{c3}</th><th scope="col">{c4}</th><th scope="col">{c5}</th></tr></thead>
<tbody>{rows}</tbody></table></div>
<h2>{add}</h2><form method="post" class="admin-form">{csrf}<input type="hidden" name="action" value="add">
<div class="control"><label for="new-username">{c1}</label><input id="new-username" name="username" required maxlength="64"></div>
<div class="control"><label for="new-display">{c2}</label><input id="new-display" name="display_name" maxlength="{name_limit}"></div>
<div class="control"><label for="new-roles">{c3}</label><input id="new-roles" name="roles" required maxlength="{roles_limit}" aria-describedby="roles-help">
<p id="roles-help">{help}</p></div>
<div class="control"><label for="new-password">{pw}</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="{password_limit}"></div>
<button type="submit">{add}</button></form>""").format(
            h=_("Users"),
            msg=Markup('<p class="error-card" role="status">{}</p>').format(message) if message else "",
            cap=_("Users and their roles"),
            c1=_("Username"),
            c2=_("Name"),
            c3=_("Roles"),
            c4=_("Status"),
            c5=_("Actions"),
            rows=rows,
            add=_("Add a user"),
            csrf=field,
            pw=_("Password (at least 12 characters)"),
            help=_("Comma-separated, e.g. region:lantinen, local:837, province, engineer, moderator, admin."),
            name_limit=users.DISPLAY_NAME_LIMIT,
            roles_limit=ROLES_TEXT_LIMIT,
            password_limit=users.MAX_PASSWORD,
        )
        response = page(_("Users"), body, lang, status)
        set_csrf_cookie(response, access, new_cookie)
        return response

    @server.route("/yllapito/loki")
    def admin_audit():
        admin, refusal = _require_admin(access)
        if refusal is not None:
            return refusal
        lang = request_lang()
        _ = Translator(lang)
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
        table_rows = Markup("").join(
            Markup(
                "<tr><td>{at}</td><td>{actor}</td><td>{action}</td><td>{target}</td><td><code>{details}</code></td><td>{client}</td></tr>"
            ).format(
                at=r["at"],
                actor=r["actor"] or "–",
                action=r["action"],
                target=r["target"] or "",
                details=r["details"] or "",
                client=r["client"] or "",
            )
            for r in rows
        )
        inputs = Markup("").join(
            Markup(
                '<div class="control"><label for="f-{k}">{label}</label><input id="f-{k}" name="{k}" value="{v}"{extra}></div>'
            ).format(
                k=k,
                label=label,
                v=filters[k] or "",
                extra=Markup(' placeholder="2026-11-23"') if k in ("since", "until") else "",
            )
            for k, label in (
                ("actor", _("User")),
                ("action", _("Action")),
                ("since", _("From (date)")),
                ("until", _("Until (date)")),
            )
        )
        query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
        body = Markup("""<h1>{h}</h1><form method="get" class="view-controls" role="search">{inputs}<button type="submit">{filter}</button></form>
<p><a href="/yllapito/loki?format=csv&amp;{q}">{export}</a></p>
<div class="table-scroll" tabindex="0" role="region" aria-label="{h}"><table class="data-table"><caption>{cap}</caption>
<thead><tr><th scope="col">{c1}</th><th scope="col">{c2}</th><th scope="col">{c3}</th><th scope="col">{c4}</th><th scope="col">{c5}</th><th scope="col">{c6}</th></tr></thead>
<tbody>{rows}</tbody></table></div>""").format(
            h=_("Audit log"),
            inputs=inputs,
            filter=_("Filter"),
            q=query,
            export=_("Download as CSV"),
            cap=_("{n} entries, newest first", n=len(rows)),
            c1=_("When (UTC)"),
            c2=_("User"),
            c3=_("Action"),
            c4=_("Target"),
            c5=_("Details"),
            c6=_("IP address"),
            rows=table_rows,
        )
        return page(_("Audit log"), body, lang)
