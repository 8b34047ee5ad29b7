"""Server-rendered forms and files of the governance registry.

- ``GET/POST /hallinto/muokkaa/<body_id>``: a body's members; add, edit, deactivate and reactivate.
- ``GET/POST /hallinto/tuonti``: import members from CSV or XLSX (nothing saved when any row is wrong).
- ``GET /hallinto/vienti.csv`` and ``/hallinto/vienti.xlsx`` (``?body=`` optional): export what the user may see.
- ``GET /hallinto/historia/<body_id>``: the change history of a body, for those who may edit it.

Anonymous visitors are sent to ``/kirjaudu``; a signed-in user without the right gets 403. Every POST
carries a CSRF token (and passes the same-origin guard of :mod:`perhekeskus.dashboard.access.web`). Everything shown
is escaped by markupsafe: names may contain anything. Pages with personal data are not cached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import flask
from markupsafe import Markup
from werkzeug.exceptions import RequestEntityTooLarge

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import labels, model
from perhekeskus.plugins.governance.page import PATH, body_href

log = logging.getLogger(__name__)
FORM_LIMIT = 64 * 1024  # an edit form is a few hundred bytes
SAVED = ("add", "update", "deactivate", "reactivate")
# The shared style sheet styles Dash pages; these forms carry their own few rules inline.
INPUT_STYLE = "display:block;width:100%;max-width:32rem;padding:.4rem;font-size:1rem;margin-bottom:.75rem"
BUTTON_STYLE = "padding:.35rem .9rem;font-size:1rem;min-height:2.5rem"


def _join(parts: list) -> Markup:
    return Markup("").join(parts)


def _respond(access, title: str, body: Markup, lang: str, status: int = 200, cookie: str | None = None):
    response = web.page(title, body, lang, status)
    web.set_csrf_cookie(response, access, cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _message_page(access, _: Translator, title: str, text: str, status: int):
    body = Markup('<h1>{}</h1><p>{}</p><p><a href="{}">{}</a></p>').format(
        title, text, PATH, _("Back to governance")
    )
    return _respond(access, title, body, _.lang, status)


def _forbidden(access, _: Translator):
    return _message_page(access, _, _("Not allowed"), _("You do not have the right to do this."), 403)


def _not_found(access, _: Translator):
    return _message_page(access, _, _("Not found"), _("There is no such body or member."), 404)


def _expired(access, _: Translator):
    return _message_page(
        access, _, _("The form had expired"), _("The form had expired. Please try again."), 400
    )


def _signin():
    return flask.redirect("/kirjaudu", code=303)


# --- the edit page ---------------------------------------------------------------------------------------


def _errors_block(_: Translator, errors: list[model.FieldError], field_ids: dict[str, str]) -> Markup:
    if not errors:
        return Markup("")
    names = labels.field_labels(_)
    items = [
        Markup('<li><a href="#{}">{}: {}</a></li>').format(
            field_ids.get(e.column, "gov-form"), names.get(e.column, e.column), labels.error_text(_, e)
        )
        for e in errors
    ]
    return Markup('<div class="error-card" role="alert"><p>{}</p><ul>{}</ul></div>').format(
        _("Nothing was saved. Please correct these:"), _join(items)
    )


def _member_form(
    _: Translator,
    csrf: Markup,
    body: model.Body,
    user: Any,
    values: dict[str, Any],
    errors: list[model.FieldError],
    member_id: int | None,
) -> Markup:
    field_ids = {f: f"gov-{f}" for f in (*model.MEMBER_FIELDS, "username")}
    bad = {e.column for e in errors}
    names = labels.field_labels(_)
    roles = labels.role_labels(_)
    directions = labels.direction_labels(_)

    def attrs(column: str) -> Markup:
        return Markup(' aria-invalid="true"') if column in bad else Markup("")

    def text_input(column: str, kind: str = "text", required: bool = False, hint: str = "") -> Markup:
        value = str(values.get(column) or "")[:1000]
        return Markup(
            '<div class="control"><label for="{id}">{label}{req}</label>{hint}'
            '<input id="{id}" name="{name}" type="{kind}" maxlength="{limit}" value="{value}"{required}{invalid}'
            ' style="{style}"></div>'
        ).format(
            style=INPUT_STYLE,
            id=field_ids[column],
            label=names[column],
            req=Markup(" *") if required else "",
            hint=Markup('<span class="intro" style="display:block">{}</span>').format(hint) if hint else "",
            name=column,
            kind=kind,
            limit=model.LIMITS[column],
            value=value,
            required=Markup(" required") if required else "",
            invalid=attrs(column),
        )

    actor_value = values.get("actor_type") or ""
    actor_options = _join(
        [
            Markup('<option value="{}"{}>{}</option>').format(
                t.code, Markup(" selected") if t.code == actor_value else "", _.pick(*t.names())
            )
            for t in model.load_actor_types()
        ]
    )
    role_value = values.get("role") or "member"
    role_options = _join(
        [
            Markup('<option value="{}"{}>{}</option>').format(
                r, Markup(" selected") if r == role_value else "", roles[r]
            )
            for r in model.ROLES
        ]
    )
    chosen = values.get("communication") or ()
    needed = model.NEEDED_DIRECTIONS[body.kind]
    boxes = _join(
        [
            Markup('<label><input type="checkbox" name="communication" value="{}"{}> {}{}</label>').format(
                d,
                Markup(" checked") if d in chosen else "",
                directions[d],
                "" if d in needed else Markup(" ({})").format(_("not needed at this level")),
            )
            for d in model.DIRECTIONS
        ]
    )
    username = ""
    if user.has("admin"):
        username = text_input(
            "username", hint=_("Links the member to a user account; a linked secretary may edit this body.")
        )
    heading = _("Edit member") if member_id else _("Add a member")
    return Markup(
        '<section class="panel" id="gov-form"><h2>{heading}</h2>{errors}'
        '<form method="post" action="{action}" class="governance-form">{csrf}'
        '<input type="hidden" name="action" value="{op}"><input type="hidden" name="member_id" value="{member_id}">'
        "<p>{required_note}</p>{name}{organisation}"
        '<div class="control"><label for="gov-actor_type">{actor_label} *</label>'
        '<select id="gov-actor_type" name="actor_type" required{actor_invalid} style="{input_style}">{actor_options}</select></div>'
        '<div class="control"><label for="gov-role">{role_label}</label>'
        '<select id="gov-role" name="role"{role_invalid} style="{input_style}">{role_options}</select></div>'
        '<fieldset class="control" id="gov-communication"><legend>{comm_label}</legend>{boxes}</fieldset>'
        "{email}{phone}{username}"
        '<p><button type="submit" style="{button_style}">{save}</button> <a href="{cancel}">{cancel_text}</a></p></form></section>'
    ).format(
        heading=heading,
        errors=_errors_block(_, errors, field_ids),
        action=f"{PATH}/muokkaa/{body.body_id}",
        csrf=csrf,
        op="update" if member_id else "add",
        member_id=member_id or "",
        required_note=_("Fields marked with * are required."),
        name=text_input("name", required=True),
        organisation=text_input("organisation", required=True),
        input_style=INPUT_STYLE,
        actor_label=names["actor_type"],
        actor_invalid=attrs("actor_type"),
        actor_options=actor_options,
        role_label=names["role"],
        role_invalid=attrs("role"),
        role_options=role_options,
        comm_label=names["communication"],
        boxes=boxes,
        email=text_input("email", kind="email"),
        phone=text_input("phone", kind="tel"),
        username=username,
        button_style=BUTTON_STYLE,
        save=_("Save"),
        cancel=f"{PATH}/muokkaa/{body.body_id}",
        cancel_text=_("Cancel"),
    )


def _members_table(
    _: Translator, csrf: Markup, body: model.Body, user: Any, found: list[model.Member]
) -> Markup:
    roles = labels.role_labels(_)
    short = labels.direction_short(_)
    admin = user.has("admin")
    headers = [_("Name"), _("Organisation"), _("Actor type"), _("Role"), _("Communication responsibility")]
    headers += [_("Contact details")] + ([_("User account")] if admin else []) + [_("Actions")]
    edit_word = _("Edit")
    inactive = _("inactive")
    rows = []
    for m in found:
        op, label = ("deactivate", _("Deactivate")) if m.active else ("reactivate", _("Reactivate"))
        toggle = Markup(
            '<form method="post" action="{action}" style="display:inline">{csrf}'
            '<input type="hidden" name="action" value="{op}"><input type="hidden" name="member_id" value="{id}">'
            '<button type="submit" aria-label="{aria}" style="{style}">{label}</button></form>'
        ).format(
            action=f"{PATH}/muokkaa/{body.body_id}",
            csrf=csrf,
            op=op,
            id=m.member_id,
            aria=f"{label}: {m.name}",
            style=BUTTON_STYLE,
            label=label,
        )
        edit = Markup('<a href="{}" aria-label="{}">{}</a>').format(
            f"{PATH}/muokkaa/{body.body_id}?member={m.member_id}#gov-form",
            f"{edit_word}: {m.name}",
            edit_word,
        )
        contact = Markup("<br>").join([v for v in (m.email, m.phone) if v]) or "–"
        cells = [
            m.organisation,
            labels.actor_type_name(_, m.actor_type),
            roles.get(m.role, m.role),
            ", ".join(short[d] for d in m.communication) or "–",
            contact,
        ]
        if admin:
            cells.append(m.username or "–")
        name = (
            m.name if m.active else Markup('{} <span class="state-warn">({})</span>').format(m.name, inactive)
        )
        rows.append(
            Markup('<tr{}><th scope="row">{}</th>{}<td style="white-space:nowrap">{} {}</td></tr>').format(
                "" if m.active else Markup(' style="color:#4a4a4a"'),
                name,
                _join([Markup("<td>{}</td>").format(c) for c in cells]),
                edit,
                toggle,
            )
        )
    if not rows:
        return Markup("<p>{}</p>").format(_("No members have been recorded yet."))
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{cap}"><table class="data-table">'
        "<caption>{cap}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    ).format(
        cap=_("Members of {body}", body=labels.body_name(_, body)),
        head=_join([Markup('<th scope="col">{}</th>').format(h) for h in headers]),
        rows=_join(rows),
    )


def _edit_page(
    access,
    _: Translator,
    user: Any,
    body: model.Body,
    *,
    values: dict[str, Any] | None = None,
    errors: list[model.FieldError] | None = None,
    member_id: int | None = None,
    message: str = "",
    status: int = 200,
):
    csrf, cookie = web.csrf_field(access)
    found = model.visible_members(access.settings, user, body, include_inactive=True) or []
    if values is None and member_id is not None:
        current = next((m for m in found if m.member_id == member_id), None)
        if current is None:
            return _not_found(access, _)
        values = {**current.snapshot(), "communication": current.communication}
    title = _("Edit members: {body}", body=labels.body_name(_, body))
    body_html = Markup(
        '<p><a href="{back}">{back_text}</a> · <a href="{hist}">{hist_text}</a> · <a href="{imp}">{imp_text}</a></p>'
        "<h1>{title}</h1>{message}<h2>{members}</h2>{table}{form}"
    ).format(
        back=body_href(body.body_id),
        back_text=_("Back to governance"),
        hist=f"{PATH}/historia/{body.body_id}",
        hist_text=_("Change history"),
        imp=f"{PATH}/tuonti",
        imp_text=_("Import from a file"),
        title=title,
        message=Markup('<p class="state-ok" role="status">{}</p>').format(message) if message else "",
        members=_("Members"),
        table=_members_table(_, csrf, body, user, found),
        form=_member_form(_, csrf, body, user, values or {}, errors or [], member_id),
    )
    return _respond(access, title, body_html, _.lang, status, cookie)


def _form_data(user: Any) -> dict[str, Any]:
    form = flask.request.form
    data: dict[str, Any] = {f: form.get(f, "") for f in model.MEMBER_FIELDS if f != "communication"}
    data["communication"] = form.getlist("communication")[: len(model.DIRECTIONS) + 2]
    if user.has("admin") and "username" in form:
        data["username"] = form.get("username", "")
    return data


def _saved_message(_: Translator, op: str | None) -> str:
    return {
        "add": _("The member was added."),
        "update": _("The changes were saved."),
        "deactivate": _("The member was deactivated."),
        "reactivate": _("The member was reactivated."),
    }.get(op or "", "")


def _guarded(access, handler: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``handler(user, _)`` for a signed-in user; anonymous visitors are sent to sign in."""

    def view(**kwargs):
        _ = Translator(web.request_lang())
        user = web.current_user(access)
        if user is None:
            return _signin()
        return handler(user, _, **kwargs)

    view.__name__ = f"governance_{handler.__name__}"
    return view


def register(server: flask.Flask, access) -> None:
    """The governance registry's forms and files on ``server``."""
    settings, areas = access.settings, access.areas

    def edit(user, _: Translator, body_id: str):
        if flask.request.method == "POST":
            flask.request.max_content_length = FORM_LIMIT
            try:
                if not web.check_csrf(access):
                    return _expired(access, _)
            except RequestEntityTooLarge:
                return _message_page(access, _, _("Too large"), _("The form was too large."), 413)
        body = model.get_body(settings, areas, body_id)
        if body is None:
            return _not_found(access, _)
        if not model.can_edit(user, body):
            return _forbidden(access, _)
        if flask.request.method == "GET":
            member_arg = flask.request.args.get("member", "")
            member_id = int(member_arg) if member_arg.isdigit() and len(member_arg) < 12 else None
            if member_arg and member_id is None:
                return _not_found(access, _)
            saved = flask.request.args.get("saved")
            return _edit_page(
                access,
                _,
                user,
                body,
                member_id=member_id,
                message=_saved_message(_, saved if saved in SAVED else None),
            )
        form = flask.request.form
        op = form.get("action", "")
        member_arg = form.get("member_id", "")
        member_id = int(member_arg) if member_arg.isdigit() and len(member_arg) < 12 else None
        client = web.client_address()
        try:
            if op == "add":
                model.add_member(settings, areas, user, body.body_id, _form_data(user), client=client)
            elif op == "update" and member_id is not None:
                model.update_member(
                    settings, areas, user, member_id, _form_data(user), body_id=body.body_id, client=client
                )
            elif op in ("deactivate", "reactivate") and member_id is not None:
                model.set_member_active(
                    settings, areas, user, member_id, op == "reactivate", body_id=body.body_id, client=client
                )
            else:
                return _message_page(
                    access, _, _("Unknown action"), _("The form asked for something unknown."), 400
                )
        except model.ValidationFailed as exc:
            values = _form_data(user)
            return _edit_page(
                access,
                _,
                user,
                body,
                values=values,
                errors=exc.errors,
                member_id=member_id if op == "update" else None,
                status=400,
            )
        except model.NotFound:
            return _not_found(access, _)
        except model.PermissionDenied:
            return _forbidden(access, _)
        return flask.redirect(f"{PATH}/muokkaa/{body.body_id}?saved={op}", code=303)

    def import_view(user, _: Translator):
        all_bodies = model.bodies(settings, areas)
        editable = model.editable_bodies(user, all_bodies)
        if not editable:
            return _forbidden(access, _)
        result_html: Markup = Markup("")
        status = 200
        if flask.request.method == "POST":
            flask.request.max_content_length = gio.MAX_UPLOAD_BYTES + FORM_LIMIT
            try:
                if not web.check_csrf(access):
                    return _expired(access, _)
                upload = flask.request.files.get("file")
            except RequestEntityTooLarge:
                error = model.FieldError("", "too_large", limit=gio.MAX_UPLOAD_BYTES // 2**20)
                return _import_page(access, _, editable, _import_errors(_, [error]), 413)
            if upload is None or not upload.filename:
                error = model.FieldError("", "empty_file")
                result_html, status = _import_errors(_, [error]), 400
            else:
                data = upload.read(gio.MAX_UPLOAD_BYTES + 1)
                result = gio.import_members(
                    settings, areas, user, data, upload.filename or "", client=web.client_address()
                )
                if result.ok:
                    result_html = Markup('<p class="state-ok" role="status">{}</p>').format(
                        _(
                            "Imported {rows} rows: {added} added, {updated} updated, {unchanged} unchanged.",
                            rows=result.rows,
                            added=result.added,
                            updated=result.updated,
                            unchanged=result.unchanged,
                        )
                    )
                else:
                    result_html, status = _import_errors(_, result.errors), 400
        return _import_page(access, _, editable, result_html, status)

    def export_view(user, _: Translator, fmt: str):
        asked = flask.request.args.get("body")
        body_id = None
        if asked:
            body_id = model.valid_body_id(asked)
            if body_id is None or model.get_body(settings, areas, body_id) is None:
                return _not_found(access, _)
        data = gio.export(settings, areas, user, fmt, body_id, client=web.client_address())
        mimetype = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = flask.Response(data, mimetype=mimetype)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{gio.export_filename(fmt, body_id)}"'
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def history_view(user, _: Translator, body_id: str):
        body = model.get_body(settings, areas, body_id)
        if body is None:
            return _not_found(access, _)
        try:
            entries = model.history(settings, areas, user, body.body_id)
        except model.PermissionDenied:
            return _forbidden(access, _)
        return _history_page(access, _, body, entries)

    server.add_url_rule(
        f"{PATH}/muokkaa/<body_id>", "governance_edit", _guarded(access, edit), methods=["GET", "POST"]
    )
    server.add_url_rule(
        f"{PATH}/tuonti", "governance_import", _guarded(access, import_view), methods=["GET", "POST"]
    )
    server.add_url_rule(
        f"{PATH}/vienti.csv", "governance_export_csv", _guarded(access, export_view), defaults={"fmt": "csv"}
    )
    server.add_url_rule(
        f"{PATH}/vienti.xlsx",
        "governance_export_xlsx",
        _guarded(access, export_view),
        defaults={"fmt": "xlsx"},
    )
    server.add_url_rule(f"{PATH}/historia/<body_id>", "governance_history", _guarded(access, history_view))


# --- import and history pages --------------------------------------------------------------------------


def _import_errors(_: Translator, errors: list[model.FieldError]) -> Markup:
    names = labels.field_labels(_)
    rows = _join(
        [
            Markup('<tr><td class="num">{}</td><td>{}</td><td>{}</td></tr>').format(
                e.row if e.row is not None else "–", names.get(e.column, e.column), labels.error_text(_, e)
            )
            for e in errors[:500]
        ]
    )
    more = (
        Markup("<p>{}</p>").format(_("And {n} more problems.", n=len(errors) - 500))
        if len(errors) > 500
        else ""
    )
    return Markup(
        '<div class="error-card" role="alert"><p>{lead}</p></div>'
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{cap}"><table class="data-table">'
        '<caption>{cap}</caption><thead><tr><th scope="col" class="num">{row}</th><th scope="col">{col}</th>'
        '<th scope="col">{problem}</th></tr></thead><tbody>{rows}</tbody></table></div>{more}'
    ).format(
        lead=_("Nothing was imported. Correct these problems in the file and upload it again."),
        cap=_("Problems in the file"),
        row=_("Row"),
        col=_("Column"),
        problem=_("Problem"),
        rows=rows,
        more=more,
    )


def _import_page(access, _: Translator, editable: list[model.Body], result: Markup, status: int):
    csrf, cookie = web.csrf_field(access)
    title = _("Import members from a file")
    body_items = _join(
        [Markup("<li><code>{}</code> – {}</li>").format(b.body_id, labels.body_name(_, b)) for b in editable]
    )
    type_items = _join(
        [
            Markup("<li><code>{}</code> – {}</li>").format(t.code, _.pick(*t.names()))
            for t in model.load_actor_types()
        ]
    )
    body = Markup(
        '<p><a href="{back}">{back_text}</a></p><h1>{title}</h1>{result}'
        "<p>{explain}</p><p><code>{columns}</code></p><p>{rules}</p>"
        '<form method="post" action="{action}" enctype="multipart/form-data">{csrf}'
        '<div class="control"><label for="gov-file">{file_label}</label>'
        '<input id="gov-file" name="file" type="file" accept=".csv,.xlsx,text/csv,'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required style="{input_style}"></div>'
        '<p><button type="submit" style="{button_style}">{submit}</button></p></form>'
        "<details><summary>{bodies_title}</summary><ul>{bodies}</ul></details>"
        "<details><summary>{types_title}</summary><ul>{types}</ul></details>"
    ).format(
        back=PATH,
        back_text=_("Back to governance"),
        title=title,
        result=result,
        explain=_(
            "Upload a CSV or Excel (XLSX) file of at most 2 MB with a header row and these columns (an export is a ready template):"
        ),
        columns=",".join(gio.COLUMNS),
        rules=_(
            "A row adds a member, or updates the body's member with the same name and organisation. Role is chair, vice_chair, secretary, member or deputy; communication lists up, down and front_line. If any row is wrong, nothing is saved."
        ),
        action=f"{PATH}/tuonti",
        csrf=csrf,
        file_label=_("File"),
        input_style=INPUT_STYLE,
        button_style=BUTTON_STYLE,
        submit=_("Import"),
        bodies_title=_("Bodies you may import into"),
        bodies=body_items,
        types_title=_("Actor types"),
        types=type_items,
    )
    return _respond(access, title, body, _.lang, status, cookie)


def _history_page(access, _: Translator, body: model.Body, entries: list[model.HistoryEntry]):
    ops = labels.op_labels(_)
    names = labels.field_labels(_)
    title = _("Change history: {body}", body=labels.body_name(_, body))

    roles = labels.role_labels(_)
    short = labels.direction_short(_)
    kinds = labels.kind_labels(_)
    types = model.load_actor_types()

    def show(key: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if key == "role":
            return roles.get(value, value)
        if key == "kind":
            return kinds.get(value, value)
        if key == "actor_type":
            return labels.actor_type_name(_, value, types)
        if key == "communication":
            return ", ".join(short.get(d, d) for d in str(value).split(",") if d) or "–"
        return str(value)

    rows = []
    for e in entries:
        snap = e.after or e.before or {}
        subject = snap.get("name") if e.entity == "member" else labels.body_name(_, body)
        before, after = e.before or {}, e.after or {}
        if e.before is None:  # an addition: the values it was added with
            items = [
                Markup("<li>{}: {}</li>").format(names.get(k, k), show(k, after.get(k)))
                for k in after
                if k not in ("member_id", "body_id", "active") and after.get(k) not in (None, "", [])
            ]
        else:
            items = [
                Markup("<li>{}: {} → {}</li>").format(
                    names.get(k, k), show(k, before.get(k)), show(k, after.get(k))
                )
                for k in e.changed
                if k != "member_id"
            ]
        changes = _join(items)
        rows.append(
            Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td></tr>").format(
                e.at.replace("T", " ")[:19], e.actor, ops.get(e.op, e.op), subject or "–", changes
            )
        )
    table = (
        Markup(
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{cap}"><table class="data-table">'
            "<caption>{cap}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        ).format(
            cap=title,
            head=_join(
                [
                    Markup('<th scope="col">{}</th>').format(h)
                    for h in (_("When (UTC)"), _("Who"), _("What"), _("Whom"), _("Changes"))
                ]
            ),
            rows=_join(rows),
        )
        if rows
        else Markup("<p>{}</p>").format(_("No changes yet."))
    )
    page_body = Markup('<p><a href="{}">{}</a> · <a href="{}">{}</a></p><h1>{}</h1>{}').format(
        body_href(body.body_id),
        _("Back to governance"),
        f"{PATH}/muokkaa/{body.body_id}",
        _("Edit members"),
        title,
        table,
    )
    return _respond(access, title, page_body, _.lang)


__all__ = ["register"]
