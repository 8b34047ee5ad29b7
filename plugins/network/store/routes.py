"""The import page and template downloads for signed-in editors, as one Flask blueprint:

- ``GET/POST /verkosto/tuonti``: upload a network (XLSX, or CSV) as one round; every problem is listed
  with its sheet and row (escaped: a name like ``<script>`` is shown as text) and nothing is saved; a
  good file is saved in one transaction and published to the warehouse in a background thread (the map
  updates a moment later; the page says so);
- ``GET /verkosto/malli.xlsx`` and ``/verkosto/malli.csv``: the import template in the page's language.

Who may: a signed-in user holding ``network.edit`` for the round's area (or the whole province), by
the shared policy (:func:`perhekeskus.plugins.network.access.may`); anonymous visitors are sent to sign
in, others get 403. Every POST carries the product's CSRF token (:class:`ProtectedForm`).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

import flask
from flask_wtf.file import FileField
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import DateField, SelectField, StringField

from perhekeskus.plugins.network.access import EDIT, may
from perhekeskus.plugins.network.store import codes, importer, problems, sheets, template
from perhekeskus.ui import ProtectedForm, render_page, translator

PATH = "/verkosto"
IMPORT_PATH = f"{PATH}/tuonti"
FORM_LIMIT = 64 * 1024
MAX_SHOWN = 500
PROVINCE = "_province"  # the area choice "the whole province" (an area id never starts with _)

blueprint = flask.Blueprint("network_store", __name__, template_folder="templates", url_prefix=PATH)
log = logging.getLogger(__name__)
# the background publishes started by imports (tests and a shutdown may wait for them)
PUBLISHING: list[threading.Thread] = []


class ImportForm(ProtectedForm):
    """Uploading a network file (or an elements CSV plus a connections CSV) as one round."""

    file = FileField()
    connections = FileField()
    round_date = DateField(format="%Y-%m-%d")
    area = SelectField(validate_choice=False, choices=[])
    title = StringField()


def _access():
    return flask.current_app.extensions["perhekeskus_access"]


def _services():
    """The platform's services for this app (kept on the app by the first request)."""
    app = flask.current_app
    services = app.extensions.get("network_store_services")
    if services is None:
        from perhekeskus.services import Services
        from perhekeskus.warehouse.read import Reader

        access = _access()
        services = Services(access.settings, Reader(access.settings), access.areas, access)
        app.extensions["network_store_services"] = services
    return services


def _lang() -> str:
    from perhekeskus.ui import request_lang

    return request_lang()


def _editable_areas(services: Any, user: Any, _: Any) -> list[tuple[str, str]]:
    """(choice value, label) of the places the user may import a round into: the whole province, then
    the coordination areas."""
    choices = []
    if may(services, user, EDIT, None):
        choices.append((PROVINCE, _("The whole province")))
    for area in services.areas.areas:
        if may(services, user, EDIT, area.area_id):
            choices.append((area.area_id, area.name(_lang())))
    return choices


def editor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(user, _, services, areas, **url_values)`` for a signed-in user who may import
    somewhere; anonymous visitors go to sign in (303), others get 403."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        from perhekeskus.ui import current_user

        user = current_user()
        if user is None:
            return flask.redirect(f"/kirjaudu?next={IMPORT_PATH}", code=303)
        _ = translator(_lang())
        services = _services()
        areas = _editable_areas(services, user, _)
        if not areas:
            return _message(_, _("Not allowed"), _("You do not have the right to import networks."), 403)
        return view(user, _, services, areas, **kwargs)

    return wrapper


def _message(_: Any, title: str, text: str, status: int) -> flask.Response:
    return render_page(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=PATH,
        back_text=_("Back to the network map"),
    )


def _problem_rows(_: Any, found: list[problems.Problem]) -> list[dict[str, Any]]:
    return [
        {
            "sheet": problems.sheet_name(_, p.sheet),
            "row": p.row if p.row is not None else "–",
            "column": problems.column_name(_, p),
            "text": problems.message(_, p),
        }
        for p in found[:MAX_SHOWN]
    ]


def _date_value(form: ImportForm) -> str:
    """What the date field shows: what was sent (even when it was not a date), else today."""
    if form.round_date.raw_data and form.round_date.raw_data[0]:
        return str(form.round_date.raw_data[0])[:40]
    return (form.round_date.data or date.today()).isoformat()


def _page(
    _: Any,
    form: ImportForm,
    areas: list[tuple[str, str]],
    status: int = 200,
    *,
    found: list[problems.Problem] | None = None,
    done: str = "",
) -> flask.Response:
    found = found or []
    lookups = codes.Lookups.load(_services().areas)
    return render_page(
        "network_store/import.html",
        status,
        title=_("Import a network"),
        form=form,
        areas=areas,
        chosen_area=form.area.data or areas[0][0],
        round_date=_date_value(form),
        problems=_problem_rows(_, found),
        more=max(0, len(found) - MAX_SHOWN),
        done=done,
        PATH=PATH,
        IMPORT_PATH=IMPORT_PATH,
        max_mb=sheets.MAX_FILE_BYTES // 2**20,
        max_rows=sheets.MAX_ROWS,
        element_headers=template.headers(codes.ELEMENTS, _lang()),
        connection_headers=template.headers(codes.CONNECTIONS, _lang()),
        instructions=template.instructions(lookups, _lang())[5:],
    )


def _publish_later(settings: Any) -> None:
    """Publish the import to the warehouse in the background (the pipeline takes a few seconds)."""
    from perhekeskus.plugins.network.store.source import publish_network

    def run() -> None:
        try:
            summary = publish_network(settings)
            if summary.status != "success":
                log.warning("network publish after an import: %s %s", summary.status, summary.message)
        except Exception:  # a background thread has nobody to answer to: log it
            log.exception("network publish after an import failed")

    thread = threading.Thread(target=run, name="network-publish", daemon=True)
    PUBLISHING[:] = [t for t in PUBLISHING if t.is_alive()]
    PUBLISHING.append(thread)
    thread.start()


def _upload(field: Any) -> tuple[str, bytes] | None:
    upload = field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return (upload.filename or "", upload.read(sheets.MAX_FILE_BYTES + 1))


@blueprint.route("/tuonti", methods=["GET", "POST"])
@editor
def import_view(user: Any, _: Any, services: Any, areas: list[tuple[str, str]]) -> flask.Response:
    """Upload a network as one round: all rows or none."""
    if flask.request.method == "GET":
        return _page(_, ImportForm(formdata=None), areas)
    flask.request.max_content_length = 2 * sheets.MAX_FILE_BYTES + FORM_LIMIT
    try:
        form = ImportForm()
    except RequestEntityTooLarge:
        tiny = ImportForm(formdata=None)
        big = problems.Problem("", None, "", "too_large", extra={"mb": sheets.MAX_FILE_BYTES // 2**20})
        return _page(_, tiny, areas, 413, found=[big])
    if not form.csrf_ok():
        return _message(_, _("The form had expired"), _("The form had expired. Please try again."), 400)
    area = form.area.data or areas[0][0]
    if area not in dict(areas):
        return _message(_, _("Not allowed"), _("You do not have the right to import networks."), 403)
    files = [f for f in (_upload(form.file), _upload(form.connections)) if f is not None]
    if not files:
        return _page(_, form, areas, 400, found=[problems.Problem("", None, "", "empty_file")])
    round_date = form.round_date.data.isoformat() if form.round_date.data else None
    if round_date is None and form.round_date.raw_data and form.round_date.raw_data[0]:
        bad = problems.Problem("", None, "", "bad_date", problems.shown(form.round_date.raw_data[0]))
        return _page(_, form, areas, 400, found=[bad])
    result = importer.import_network(
        services,
        files,
        round_date=round_date,
        area_id=None if area == PROVINCE else area,
        title=(form.title.data or "").strip()[:200],
        username=user.username,
    )
    if not result.ok:
        return _page(_, form, areas, 400, found=result.problems)
    _publish_later(services.settings)
    done = _(
        "Imported round {round}: {actors} actors ({added} new, {updated} known) and {ties} connections; {members} matched to the governance registry. The network map updates in a moment.",
        round=result.round_id,
        actors=result.actors,
        added=result.added,
        updated=result.updated,
        ties=result.ties,
        members=result.matched_members,
    )
    return _page(_, ImportForm(formdata=None), areas, 200, done=done)


def _download(data: bytes, filename: str, mimetype: str) -> flask.Response:
    response = flask.Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/malli.xlsx")
@editor
def template_xlsx(user: Any, _: Any, services: Any, areas: Any) -> flask.Response:
    """The import template as an Excel workbook (elements, connections, instructions)."""
    data = template.template_xlsx(codes.Lookups.load(services.areas), _lang())
    return _download(
        data,
        "verkosto-malli.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@blueprint.route("/malli.csv")
@editor
def template_csv(user: Any, _: Any, services: Any, areas: Any) -> flask.Response:
    """The import template as one CSV file with a sheet column."""
    return _download(template.template_csv(_lang()), "verkosto-malli.csv", "text/csv; charset=utf-8")


__all__ = ["IMPORT_PATH", "PUBLISHING", "blueprint", "import_view", "template_csv", "template_xlsx"]
