"""Server-rendered forms and files of the governance registry, as one Flask blueprint.

- ``GET/POST /hallinto/muokkaa/<body_id>``: a body's members; add, edit, deactivate and reactivate.
- ``GET/POST /hallinto/tuonti``: import members from CSV or XLSX (nothing saved when any row is wrong).
- ``GET /hallinto/vienti.csv`` and ``/hallinto/vienti.xlsx`` (``?body=`` optional): export what the user may see.
- ``GET /hallinto/historia/<body_id>``: the change history of a body, for those who may edit it.

Anonymous visitors are sent to ``/kirjaudu``; a signed-in user without the right gets 403. Every POST
carries the product's CSRF token, checked by the WTForms forms of :mod:`.forms` (and passes the core's
same-origin guard). Pages are Jinja2 templates under ``templates/governance/`` extending the product's
shell (``perhekeskus/base.html``); autoescaping shows names as text, whatever they contain. Pages with
personal data are not cached.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import labels, model
from perhekeskus.plugins.governance.forms import ImportForm, MemberForm, member_id
from perhekeskus.plugins.governance.page import PATH, body_href

log = logging.getLogger(__name__)
FORM_LIMIT = 64 * 1024  # an edit form is a few hundred bytes
SAVED = ("add", "update", "deactivate", "reactivate")
# The shared style sheet styles Dash pages; these forms carry their own few rules inline.
INPUT_STYLE = "display:block;width:100%;max-width:32rem;padding:.4rem;font-size:1rem;margin-bottom:.75rem"
BUTTON_STYLE = "padding:.35rem .9rem;font-size:1rem;min-height:2.5rem"
MAX_SHOWN_ERRORS = 500

blueprint = flask.Blueprint("governance", __name__, template_folder="templates", url_prefix=PATH)


def _access():
    return flask.current_app.extensions["perhekeskus_access"]


def _render(template: str, status: int = 200, **context) -> flask.Response:
    return web.render(
        template, status, PATH=PATH, INPUT_STYLE=INPUT_STYLE, BUTTON_STYLE=BUTTON_STYLE, **context
    )


def _message(_: Translator, title: str, text: str, status: int) -> flask.Response:
    return _render(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=PATH,
        back_text=_("Back to governance"),
    )


def _forbidden(_: Translator) -> flask.Response:
    return _message(_, _("Not allowed"), _("You do not have the right to do this."), 403)


def _not_found(_: Translator) -> flask.Response:
    return _message(_, _("Not found"), _("There is no such body or member."), 404)


def _expired(_: Translator) -> flask.Response:
    return _message(_, _("The form had expired"), _("The form had expired. Please try again."), 400)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(user, _, **url_values)`` for a signed-in user; anonymous visitors are sent to sign in."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        user = web.current_user(_access())
        if user is None:
            return flask.redirect("/kirjaudu", code=303)
        return view(user, Translator(web.request_lang()), **kwargs)

    return wrapper


# --- the edit page ---------------------------------------------------------------------------------------


def _saved_message(_: Translator, op: str | None) -> str:
    return {
        "add": _("The member was added."),
        "update": _("The changes were saved."),
        "deactivate": _("The member was deactivated."),
        "reactivate": _("The member was reactivated."),
    }.get(op or "", "")


def _error_rows(_: Translator, errors: list[model.FieldError]) -> list[dict[str, Any]]:
    names = labels.field_labels(_)
    return [
        {
            "row": e.row if e.row is not None else "–",
            "field": f"gov-{e.column}" if e.column in (*model.MEMBER_FIELDS, "username") else "gov-form",
            "column": names.get(e.column, e.column),
            "text": labels.error_text(_, e),
        }
        for e in errors
    ]


def _member_rows(_: Translator, found: list[model.Member]) -> list[dict[str, Any]]:
    roles, short = labels.role_labels(_), labels.direction_short(_)
    types = model.load_actor_types()
    return [
        {
            "member": m,
            "actor_type": labels.actor_type_name(_, m.actor_type, types),
            "role": roles.get(m.role, m.role),
            "communication": ", ".join(short[d] for d in m.communication) or "–",
            "contacts": [v for v in (m.email, m.phone) if v],
            "toggle": ("deactivate", _("Deactivate")) if m.active else ("reactivate", _("Reactivate")),
        }
        for m in found
    ]


def _edit_page(
    _: Translator,
    user: Any,
    body: model.Body,
    form: MemberForm,
    *,
    errors: list[model.FieldError] | None = None,
    message: str = "",
    status: int = 200,
) -> flask.Response:
    access = _access()
    found = model.visible_members(access.settings, user, body, include_inactive=True) or []
    form.actor_type.choices = [(t.code, _.pick(*t.names())) for t in model.load_actor_types()]
    form.role.choices = list(labels.role_labels(_).items())
    form.role.data = form.role.data or "member"
    admin = user.has("admin")
    if not admin:
        del form.username  # only administrators link members to user accounts
    updating = form.action.data == "update" and form.member_id.data is not None
    return _render(
        "governance/edit.html",
        status,
        title=_("Edit members: {body}", body=labels.body_name(_, body)),
        body=body,
        body_href=body_href(body.body_id),
        message=message,
        rows=_member_rows(_, found),
        admin=admin,
        form=form,
        updating=updating,
        errors=_error_rows(_, errors or []),
        labels=labels.field_labels(_),
        bad={e.column for e in errors or []},
        limits=model.LIMITS,
        directions=labels.direction_labels(_),
        needed=model.NEEDED_DIRECTIONS[body.kind],
        chosen=set(form.communication.data or ()),
        body_name=labels.body_name(_, body),
    )


@blueprint.route("/muokkaa/<body_id>", methods=["GET", "POST"])
@signed_in
def edit(user: Any, _: Translator, body_id: str) -> flask.Response:
    """A body's members and the form to add or change one; the POST saves and redirects back."""
    access = _access()
    settings, areas = access.settings, access.areas
    form = None
    if flask.request.method == "POST":
        flask.request.max_content_length = FORM_LIMIT
        try:
            form = MemberForm()
        except RequestEntityTooLarge:
            return _message(_, _("Too large"), _("The form was too large."), 413)
        if not form.csrf_ok():
            return _expired(_)
    body = model.get_body(settings, areas, body_id)
    if body is None:
        return _not_found(_)
    if not model.can_edit(user, body):
        return _forbidden(_)
    if form is None:  # GET: the page, with a member's values when one is being edited
        member_arg = flask.request.args.get("member", "")
        chosen = member_id(member_arg)
        if member_arg and chosen is None:
            return _not_found(_)
        values: dict[str, Any] = {"action": "add"}
        if chosen is not None:
            visible = model.visible_members(settings, user, body, include_inactive=True) or []
            current = next((m for m in visible if m.member_id == chosen), None)
            if current is None:
                return _not_found(_)
            values = {**current.snapshot(), "communication": list(current.communication), "action": "update"}
        saved = flask.request.args.get("saved")
        return _edit_page(
            _,
            user,
            body,
            MemberForm(formdata=None, data=values),
            message=_saved_message(_, saved if saved in SAVED else None),
        )
    if not form.action.validate(form):
        return _message(_, _("Unknown action"), _("The form asked for something unknown."), 400)
    op, chosen, client = form.action.data, form.member_id.data, web.client_address()
    try:
        if op == "add":
            model.add_member(
                settings, areas, user, body.body_id, form.member_data(user.has("admin")), client=client
            )
        elif op == "update" and chosen is not None:
            model.update_member(
                settings,
                areas,
                user,
                chosen,
                form.member_data(user.has("admin")),
                body_id=body.body_id,
                client=client,
            )
        elif op in ("deactivate", "reactivate") and chosen is not None:
            model.set_member_active(
                settings, areas, user, chosen, op == "reactivate", body_id=body.body_id, client=client
            )
        else:
            return _message(_, _("Unknown action"), _("The form asked for something unknown."), 400)
    except model.ValidationFailed as exc:
        if op != "update":
            form.member_id.data = None
        return _edit_page(_, user, body, form, errors=exc.errors, status=400)
    except model.NotFound:
        return _not_found(_)
    except model.PermissionDenied:
        return _forbidden(_)
    return flask.redirect(f"{PATH}/muokkaa/{body.body_id}?saved={op}", code=303)


# --- import, export and history ----------------------------------------------------------------------------


def _import_page(
    _: Translator, editable: list[model.Body], status: int, *, done: str = "", errors=None
) -> flask.Response:
    errors = errors or []
    return _render(
        "governance/import.html",
        status,
        title=_("Import members from a file"),
        done=done,
        errors=_error_rows(_, errors[:MAX_SHOWN_ERRORS]),
        more=max(0, len(errors) - MAX_SHOWN_ERRORS),
        columns=",".join(gio.COLUMNS),
        bodies=[(b.body_id, labels.body_name(_, b)) for b in editable],
        actor_types=[(t.code, _.pick(*t.names())) for t in model.load_actor_types()],
    )


@blueprint.route("/tuonti", methods=["GET", "POST"])
@signed_in
def import_view(user: Any, _: Translator) -> flask.Response:
    """Upload a CSV or XLSX file of members into the bodies the user may edit: all rows or none."""
    access = _access()
    settings, areas = access.settings, access.areas
    editable = model.editable_bodies(user, model.bodies(settings, areas))
    if not editable:
        return _forbidden(_)
    if flask.request.method == "GET":
        return _import_page(_, editable, 200)
    flask.request.max_content_length = gio.MAX_UPLOAD_BYTES + FORM_LIMIT
    try:
        form = ImportForm()
    except RequestEntityTooLarge:
        error = model.FieldError("", "too_large", limit=gio.MAX_UPLOAD_BYTES // 2**20)
        return _import_page(_, editable, 413, errors=[error])
    if not form.csrf_ok():
        return _expired(_)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _import_page(_, editable, 400, errors=[model.FieldError("", "empty_file")])
    data = upload.read(gio.MAX_UPLOAD_BYTES + 1)
    result = gio.import_members(
        settings, areas, user, data, upload.filename or "", client=web.client_address()
    )
    if not result.ok:
        return _import_page(_, editable, 400, errors=result.errors)
    done = _(
        "Imported {rows} rows: {added} added, {updated} updated, {unchanged} unchanged.",
        rows=result.rows,
        added=result.added,
        updated=result.updated,
        unchanged=result.unchanged,
    )
    return _import_page(_, editable, 200, done=done)


def _export(user: Any, _: Translator, fmt: str) -> flask.Response:
    access = _access()
    settings, areas = access.settings, access.areas
    asked = flask.request.args.get("body")
    body_id = None
    if asked:
        body_id = model.valid_body_id(asked)
        if body_id is None or model.get_body(settings, areas, body_id) is None:
            return _not_found(_)
    data = gio.export(settings, areas, user, fmt, body_id, client=web.client_address())
    mimetype = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = flask.Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{gio.export_filename(fmt, body_id)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/vienti.csv")
@signed_in
def export_csv(user: Any, _: Translator) -> flask.Response:
    """The members the user may see, as CSV (contact details only where they may see them)."""
    return _export(user, _, "csv")


@blueprint.route("/vienti.xlsx")
@signed_in
def export_xlsx(user: Any, _: Translator) -> flask.Response:
    """The members the user may see, as an Excel workbook."""
    return _export(user, _, "xlsx")


def _history_rows(_: Translator, body: model.Body, entries: list[model.HistoryEntry]) -> list[dict]:
    """Each change as the page shows it: when, who, what, whom and the changed values in words."""
    ops, names = labels.op_labels(_), labels.field_labels(_)
    roles, short, kinds = labels.role_labels(_), labels.direction_short(_), labels.kind_labels(_)
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
        before, after = e.before or {}, e.after or {}
        if e.before is None:  # an addition: the values it was added with
            changes = [
                f"{names.get(k, k)}: {show(k, after.get(k))}"
                for k in after
                if k not in ("member_id", "body_id", "active") and after.get(k) not in (None, "", [])
            ]
        else:
            changes = [
                f"{names.get(k, k)}: {show(k, before.get(k))} → {show(k, after.get(k))}"
                for k in e.changed
                if k != "member_id"
            ]
        rows.append(
            {
                "at": e.at.replace("T", " ")[:19],
                "actor": e.actor,
                "op": ops.get(e.op, e.op),
                "subject": (snap.get("name") if e.entity == "member" else labels.body_name(_, body)) or "–",
                "changes": changes,
            }
        )
    return rows


@blueprint.route("/historia/<body_id>")
@signed_in
def history(user: Any, _: Translator, body_id: str) -> flask.Response:
    """A body's change history (who, when, before and after), for those who may edit the body."""
    access = _access()
    body = model.get_body(access.settings, access.areas, body_id)
    if body is None:
        return _not_found(_)
    try:
        entries = model.history(access.settings, access.areas, user, body.body_id)
    except model.PermissionDenied:
        return _forbidden(_)
    return _render(
        "governance/history.html",
        title=_("Change history: {body}", body=labels.body_name(_, body)),
        body=body,
        body_href=body_href(body.body_id),
        rows=_history_rows(_, body, entries),
    )


__all__ = ["blueprint", "edit", "export_csv", "export_xlsx", "history", "import_view"]
