"""The service map's server-rendered pages and files, as one Flask blueprint under ``/palvelukartta``.

Editors (``service_map.edit`` within the service's municipalities; anonymous visitors are sent to sign
in, others get 403):

- ``GET /palvelukartta/palvelut``: the services the user may edit, with links to add, edit and history;
- ``GET/POST /palvelukartta/palvelut/uusi`` and ``/palvelukartta/palvelut/<id>``: add, change,
  deactivate or reactivate a service;
- ``GET /palvelukartta/palvelut/<id>/historia``: the change history of a service;
- ``GET/POST /palvelukartta/tuonti``: import a CSV or XLSX file (all rows or none; every bad row named);
- ``GET/POST /palvelukartta/ehdotukset``: services read from the national catalogue (``perhekeskus
  services ptv``), to add through the form (their guessed tasks and groups pre-ticked) or dismiss.

Public (services are public information): the template ``/palvelukartta/pohja.xlsx|csv``, the
downloads of what the page shows, ``/palvelukartta/vienti/matriisi.csv|xlsx`` (the XLSX with a second
sheet of the related indicators), ``/palvelukartta/vienti/palvelut.csv|xlsx`` and
``/palvelukartta/vienti/indikaattorit.csv|xlsx`` (the related indicators of the place, a file of its own
for CSV, which holds one table), and the printout for a meeting, ``/palvelukartta/tuloste`` (HTML) and
``/palvelukartta/tuloste.pdf`` (same query parameters as the page).

Every POST carries the product's CSRF token (WTForms, :mod:`.forms`). Jinja2 autoescaping shows names
as text whatever they contain. After a change the map is published to the warehouse in the background
(the page shows the new state once the publish is done, typically in a few seconds).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.scope import parse_query
from perhekeskus.dashboard.tabular import rounded, to_csv, to_xlsx
from perhekeskus.plugins.service_map.services import (
    importer,
    labels,
    printout,
    ptv,
    repository,
    task_indicators,
    template,
    values,
)
from perhekeskus.plugins.service_map.services.forms import ImportForm, ProposalForm, ServiceForm
from perhekeskus.plugins.service_map.services.view import compute, expected_pairs, load_records, parse_view
from perhekeskus.vocabulary import load_vocabulary

log = logging.getLogger(__name__)
PATH = "/palvelukartta"
FORM_LIMIT = 64 * 1024
MAX_SHOWN_ERRORS = 500
INPUT_STYLE = "display:block;width:100%;max-width:32rem;padding:.4rem;font-size:1rem;margin-bottom:.75rem"
BUTTON_STYLE = "padding:.35rem .9rem;font-size:1rem;min-height:2.5rem"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blueprint = flask.Blueprint(
    "service_map",
    __name__,
    template_folder=str(Path(__file__).parent / "templates"),
    url_prefix=PATH,
)


def _access():
    return flask.current_app.extensions["perhekeskus_access"]


def _render(name: str, status: int = 200, **context) -> flask.Response:
    return web.render(name, status, PATH=PATH, INPUT_STYLE=INPUT_STYLE, BUTTON_STYLE=BUTTON_STYLE, **context)


def _message(_: Translator, title: str, text: str, status: int) -> flask.Response:
    return _render(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=PATH,
        back_text=_("Back to the service map"),
    )


def _forbidden(_: Translator) -> flask.Response:
    return _message(_, _("Not allowed"), _("You do not have the right to do this."), 403)


def _not_found(_: Translator) -> flask.Response:
    return _message(_, _("Not found"), _("There is no such service."), 404)


def _expired(_: Translator) -> flask.Response:
    return _message(_, _("The form had expired"), _("The form had expired. Please try again."), 400)


def editor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(user, _, **url_values)`` for a signed-in user who may edit services somewhere;
    anonymous visitors are sent to sign in, others get 403."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        user = web.current_user(_access())
        if user is None:
            return flask.redirect("/kirjaudu", code=303)
        _ = Translator(web.request_lang())
        if not repository.may_edit(user, _access().areas):
            return _forbidden(_)
        return view(user, _, **kwargs)

    return wrapper


# --- publishing after a change --------------------------------------------------------------------------------

_PUBLISH_LOCK = threading.Lock()
_RUNNING: set[str] = set()
_AGAIN: set[str] = set()


def publish_soon(settings: Any) -> None:
    """Publish the map in a background thread; changes made meanwhile are published by one more run.

    Off when the plugin setting ``publish_on_change`` is ``0`` (tests that read only the store)."""
    from perhekeskus.plugins.service_map.services.source import publish
    from perhekeskus.services import plugin_settings

    if plugin_settings("service_map", settings).get("publish_on_change", "1") in ("0", "false", "no"):
        return
    key = str(settings.home)
    with _PUBLISH_LOCK:
        if key in _RUNNING:
            _AGAIN.add(key)
            return
        _RUNNING.add(key)

    def work() -> None:
        while True:
            try:
                summary = publish(settings)
                if summary.status != "success":
                    log.warning("publishing the service map: %s", summary.message)
            except Exception:
                log.exception("publishing the service map failed")
            with _PUBLISH_LOCK:
                if key in _AGAIN:
                    _AGAIN.discard(key)
                    continue
                _RUNNING.discard(key)
                return

    threading.Thread(target=work, name="service-map-publish", daemon=True).start()


# --- the list and the form -------------------------------------------------------------------------------------


def _choices(_: Translator) -> dict[str, list[tuple[str, str]]]:
    vocabulary = load_vocabulary()
    areas = _access().areas
    names = areas.municipality_names()
    return {
        "actor_type": [(t.code, t.name(_.lang)) for t in vocabulary.actor_types],
        "tasks": [(t.code, t.name(_.lang)) for t in vocabulary.tasks],
        "client_groups": [(t.code, t.name(_.lang)) for t in vocabulary.client_groups],
        "forms": list(labels.form_names(_).items()),
        "areas": [
            (
                area.name(_.lang),
                [
                    (c, (names.get(c, (c, c))[1] if _.lang == "sv" else names.get(c, (c, c))[0]))
                    for c in area.municipalities
                ],
            )
            for area in areas.areas
        ],
    }


@blueprint.get("/palvelut")
@editor
def service_list(user: Any, _: Translator) -> flask.Response:
    """The services the user may edit (active and deactivated), newest changes visible."""
    areas = _access().areas
    found = [
        s
        for s in repository.services(_access().settings)
        if repository.may_edit(user, areas, s.municipalities)
    ]
    vocabulary = load_vocabulary()
    names = areas.municipality_names()
    rows = [
        {
            "service": s,
            "actor_type": vocabulary.label("actor_type", s.actor_type, _.lang),
            "municipalities": ", ".join(
                names.get(m, (m, m))[1 if _.lang == "sv" else 0] for m in s.municipalities
            ),
            "tasks": ", ".join(vocabulary.label("task", t, _.lang) for t in s.tasks),
        }
        for s in found
    ]
    saved = flask.request.args.get("saved", "")
    return _render(
        "service_map/list.html",
        title=_("Services of the service map"),
        rows=rows,
        saved=_saved_message(_, saved),
    )


def _saved_message(_: Translator, op: str) -> str:
    return {
        "add": _("The service was added."),
        "update": _("The changes were saved."),
        "deactivate": _("The service was deactivated."),
        "reactivate": _("The service was reactivated."),
    }.get(op, "")


def _error_rows(_: Translator, errors: list[values.FieldError]) -> list[dict[str, Any]]:
    names = labels.field_labels(_)
    return [
        {
            "row": e.row if e.row is not None else "–",
            "field": f"sm-{e.column}" if e.column in values.FIELDS else "sm-form",
            "column": names.get(e.column, e.column),
            "text": labels.error_text(_, e),
        }
        for e in errors
    ]


def _form_page(
    _: Translator,
    form: ServiceForm,
    service: repository.Service | None,
    *,
    errors: list[values.FieldError] | None = None,
    status: int = 200,
) -> flask.Response:
    choices = _choices(_)
    form.actor_type.choices = choices["actor_type"]
    title = _("Edit a service: {name}", name=service.name) if service else _("Add a service")
    return _render(
        "service_map/edit.html",
        status,
        title=title,
        form=form,
        service=service,
        choices=choices,
        chosen={
            "municipalities": set(form.municipalities.data or ()),
            "tasks": set(form.tasks.data or ()),
            "client_groups": set(form.client_groups.data or ()),
            "forms": set(form.forms.data or ()),
        },
        labels=labels.field_labels(_),
        errors=_error_rows(_, errors or []),
        bad={e.column for e in errors or []},
        limits=values.LIMITS,
    )


def _form_values(service: repository.Service) -> dict[str, Any]:
    return {
        "action": "save",
        "name": service.name,
        "description": service.description,
        "provider": service.provider,
        "actor_type": service.actor_type,
        "municipalities": list(service.municipalities),
        "tasks": list(service.tasks),
        "client_groups": list(service.client_groups),
        "forms": list(service.forms),
        "languages": "; ".join(service.languages),
        "referral_needed": service.referral_needed,
        "contact_url": service.contact_url,
        "actors": "; ".join(service.actors),
    }


def _read_form(_: Translator) -> ServiceForm | flask.Response:
    flask.request.max_content_length = FORM_LIMIT
    try:
        form = ServiceForm()
    except RequestEntityTooLarge:
        return _message(_, _("Too large"), _("The form was too large."), 413)
    if not form.csrf_ok():
        return _expired(_)
    if not form.action.validate(form):
        return _message(_, _("Unknown action"), _("The form asked for something unknown."), 400)
    return form


@blueprint.route("/palvelut/uusi", methods=["GET", "POST"])
@editor
def add(user: Any, _: Translator) -> flask.Response:
    """A new service; ``?ehdotus=<id>`` starts from a catalogue proposal (its guesses pre-ticked, to confirm)."""
    access = _access()
    if flask.request.method == "GET":
        start: dict[str, Any] = {"action": "save"}
        proposal = _proposal(user, flask.request.args.get("ehdotus", ""))
        if proposal is not None:
            start.update(
                {
                    "name": proposal["name"],
                    "description": proposal["description"],
                    "provider": proposal["provider"],
                    "municipalities": [proposal["municipality_code"]],
                    "tasks": [t for t in proposal["suggested_tasks"].split(",") if t],
                    "client_groups": [g for g in proposal["suggested_groups"].split(",") if g],
                    "languages": "; ".join(c for c in proposal["languages"].split(",") if c),
                    "proposal": str(proposal["proposal_id"]),
                }
            )
        return _form_page(_, ServiceForm(formdata=None, data=start), None)
    form = _read_form(_)
    if isinstance(form, flask.Response):
        return form
    try:
        created = repository.add_service(
            access.settings, access.areas, user, form.service_data(), client=web.client_address()
        )
    except repository.ValidationFailed as exc:
        return _form_page(_, form, None, errors=exc.errors, status=400)
    except repository.PermissionDenied:
        error = values.FieldError("municipalities", "outside_scope")
        return _form_page(_, form, None, errors=[error], status=403)
    proposal = _proposal(user, form.proposal.data or "")
    if proposal is not None:
        ptv.decide(access.settings, proposal["proposal_id"], "added", created.service_id)
    publish_soon(access.settings)
    return flask.redirect(f"{PATH}/palvelut?saved=add#service-{created.service_id}", code=303)


def _proposal(user: Any, given: str) -> dict[str, Any] | None:
    """An unreviewed catalogue proposal in the user's scope, by the id a URL or form gives (else None)."""
    if not given.isdigit() or len(given) > 12:
        return None
    found = ptv.get(_access().settings, int(given))
    if found is None or found["status"] != "new":
        return None
    return found if repository.may_edit(user, _access().areas, [found["municipality_code"]]) else None


@blueprint.route("/ehdotukset", methods=["GET", "POST"])
@editor
def proposals(user: Any, _: Translator) -> flask.Response:
    """The catalogue's services waiting for review (in the user's scope); dismiss one, or add it via the form."""
    access = _access()
    if flask.request.method == "POST":
        flask.request.max_content_length = FORM_LIMIT
        try:
            form = ProposalForm()
        except RequestEntityTooLarge:
            return _message(_, _("Too large"), _("The form was too large."), 413)
        if not form.csrf_ok():
            return _expired(_)
        chosen = _proposal(user, form.proposal.data or "")
        if chosen is None:
            return _not_found(_)
        ptv.decide(access.settings, chosen["proposal_id"], "dismissed")
        return flask.redirect(f"{PATH}/ehdotukset", code=303)
    vocabulary = load_vocabulary()
    names = access.areas.municipality_names()
    rows = [
        {
            **p,
            "municipality": names.get(p["municipality_code"], (p["municipality_code"],) * 2)[
                1 if _.lang == "sv" else 0
            ],
            "tasks": ", ".join(
                vocabulary.label("task", t, _.lang) for t in p["suggested_tasks"].split(",") if t
            )
            or "–",
            "groups": ", ".join(
                vocabulary.label("client_group", g, _.lang) for g in p["suggested_groups"].split(",") if g
            )
            or "–",
        }
        for p in ptv.proposals(access.settings)
        if repository.may_edit(user, access.areas, [p["municipality_code"]])
    ]
    return _render(
        "service_map/proposals.html", title=_("Services from the national service catalogue"), rows=rows
    )


@blueprint.route("/palvelut/<int:service_id>", methods=["GET", "POST"])
@editor
def edit(user: Any, _: Translator, service_id: int) -> flask.Response:
    access = _access()
    form = None
    if flask.request.method == "POST":
        form = _read_form(_)
        if isinstance(form, flask.Response):
            return form
    service = repository.get(access.settings, service_id)
    if service is None:
        return _not_found(_)
    if not repository.may_edit(user, access.areas, service.municipalities):
        return _forbidden(_)
    if form is None:
        return _form_page(_, ServiceForm(formdata=None, data=_form_values(service)), service)
    op = form.action.data
    try:
        if op == "save":
            repository.update_service(
                access.settings,
                access.areas,
                user,
                service_id,
                form.service_data(),
                client=web.client_address(),
            )
            op = "update"
        else:
            repository.set_active(
                access.settings,
                access.areas,
                user,
                service_id,
                op == "reactivate",
                client=web.client_address(),
            )
    except repository.ValidationFailed as exc:
        return _form_page(_, form, service, errors=exc.errors, status=400)
    except repository.PermissionDenied:
        error = values.FieldError("municipalities", "outside_scope")
        return _form_page(_, form, service, errors=[error], status=403)
    except repository.NotFound:
        return _not_found(_)
    publish_soon(access.settings)
    return flask.redirect(f"{PATH}/palvelut?saved={op}#service-{service_id}", code=303)


def _show(_: Translator, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    vocabulary = load_vocabulary()
    kinds = {"tasks": "task", "client_groups": "client_group", "actor_type": "actor_type"}
    if key in kinds:
        items = value if isinstance(value, list) else [value]
        return ", ".join(vocabulary.label(kinds[key], v, _.lang) for v in items)
    if key == "forms":
        names = labels.form_names(_)
        return ", ".join(names.get(v, v) for v in value)
    if key == "languages":
        return ", ".join(labels.language_name(_, v) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@blueprint.get("/palvelut/<int:service_id>/historia")
@editor
def history(user: Any, _: Translator, service_id: int) -> flask.Response:
    """Who changed the service, when, and what changed (before → after)."""
    access = _access()
    service = repository.get(access.settings, service_id)
    if service is None:
        return _not_found(_)
    if not repository.may_edit(user, access.areas, service.municipalities):
        return _forbidden(_)
    names, ops = labels.field_labels(_), labels.op_labels(_)
    hidden = {"service_id", "origin"}
    rows = []
    for e in repository.history(access.settings, service_id):
        if e.before is None:
            changes = [
                f"{names.get(k, k)}: {_show(_, k, v)}"
                for k, v in (e.after or {}).items()
                if k not in hidden and v not in (None, "", [])
            ]
        else:
            changes = [
                f"{names.get(k, k)}: {_show(_, k, (e.before or {}).get(k))} → {_show(_, k, (e.after or {}).get(k))}"
                for k in e.changed
                if k not in hidden
            ]
        rows.append(
            {
                "at": e.at.replace("T", " ")[:19],
                "actor": e.actor,
                "op": ops.get(e.op, e.op),
                "changes": changes,
            }
        )
    return _render(
        "service_map/history.html",
        title=_("Change history: {name}", name=service.name),
        service=service,
        rows=rows,
    )


# --- import and template ------------------------------------------------------------------------------------


def _import_page(_: Translator, status: int, *, done: str = "", errors=None, notices=None) -> flask.Response:
    errors, notices = errors or [], notices or []
    return _render(
        "service_map/import.html",
        status,
        title=_("Import services from a file"),
        done=done,
        errors=_error_rows(_, errors[:MAX_SHOWN_ERRORS]),
        more=max(0, len(errors) - MAX_SHOWN_ERRORS),
        notices=_error_rows(_, notices[:MAX_SHOWN_ERRORS]),
    )


@blueprint.route("/tuonti", methods=["GET", "POST"])
@editor
def import_view(user: Any, _: Translator) -> flask.Response:
    """Upload a CSV or XLSX file of services: all rows or none, every bad row named."""
    access = _access()
    if flask.request.method == "GET":
        return _import_page(_, 200)
    flask.request.max_content_length = importer.MAX_UPLOAD_BYTES + FORM_LIMIT
    try:
        form = ImportForm()
    except RequestEntityTooLarge:
        error = values.FieldError("", "too_large", limit=importer.MAX_UPLOAD_BYTES // 2**20)
        return _import_page(_, 413, errors=[error])
    if not form.csrf_ok():
        return _expired(_)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return _import_page(_, 400, errors=[values.FieldError("", "empty_file")])
    data = upload.read(importer.MAX_UPLOAD_BYTES + 1)
    result = importer.import_services(
        access.settings, access.areas, user, data, upload.filename or "", client=web.client_address()
    )
    if not result.ok:
        return _import_page(_, 400, errors=result.errors, notices=result.notices)
    publish_soon(access.settings)
    done = _(
        "Imported {rows} rows: {added} added, {updated} updated. The map is updated in a moment.",
        rows=result.rows,
        added=result.added,
        updated=result.updated,
    )
    return _import_page(_, 200, done=done, notices=result.notices)


def _file(data: bytes, fmt: str, filename: str) -> flask.Response:
    response = flask.Response(data, mimetype="text/csv; charset=utf-8" if fmt == "csv" else XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blueprint.get("/pohja.<fmt>")
def template_file(fmt: str) -> flask.Response:
    """The import template (public: it holds no data)."""
    if fmt not in ("csv", "xlsx"):
        flask.abort(404)
    lang = web.request_lang()
    return _file(template.template_bytes(fmt, _access().areas, lang), fmt, f"palvelukartta-pohja.{fmt}")


# --- downloads of what the page shows -----------------------------------------------------------------------


def _computed(lang: str):
    services = flask.current_app.extensions["perhekeskus_services"]
    view = parse_view(parse_query(flask.request.query_string.decode("utf-8", "replace")), services.areas)
    records = load_records(services.reader)
    return services, compute(view, records, services.areas, expected_pairs(services.settings))


@blueprint.get("/vienti/matriisi.<fmt>")
def export_matrix(fmt: str) -> flask.Response:
    """The matrix of the page's view: one row per cell, with counts, status and providers."""
    if fmt not in ("csv", "xlsx"):
        flask.abort(404)
    lang = web.request_lang()
    _ = Translator(lang)
    services, computed = _computed(lang)
    vocabulary = load_vocabulary()
    words = labels.status_labels(_)
    names = services.areas.municipality_names()
    groups_mode = computed.matrix.mode == "groups"
    demo = any(r.is_demo for r in computed.records)
    rows = []
    for (task, column), cell in computed.matrix.cells.items():
        row = {
            _("Task"): vocabulary.label("task", task, lang),
            (_("Client group") if groups_mode else _("Municipality")): (
                vocabulary.label("client_group", column, lang)
                if groups_mode
                else names.get(column, (column, column))[0]
            ),
            _("Services"): len(cell.services),
            _("Providers"): len(cell.providers),
            _("Status"): words[cell.status],
            _("Provider organisations"): "; ".join(cell.providers),
        }
        if demo:
            row[_("Demo")] = _("yes") if any(s.is_demo for s in cell.services) else _("no")
        rows.append(row)
    if fmt == "csv":  # one table per CSV: the indicators are vienti/indikaattorit.csv
        return _file(to_csv(rows, lang), fmt, "palvelukartta-matriisi.csv")
    sheets = {_("Related indicators"): _indicator_rows(_, services, computed)}
    data = to_xlsx(rows, sheet=_("Service map"), extra_sheets=sheets)
    return _file(data, fmt, f"palvelukartta-matriisi.{fmt}")


def _place(services: Any, view: Any, lang: str) -> str:
    if view.municipality:
        fi, sv = services.areas.municipality_names().get(view.municipality, (view.municipality,) * 2)
        return sv if lang == "sv" else fi
    if view.area_id:
        area = services.areas.area(view.area_id)
        return area.name(lang) if area else view.area_id
    return services.areas.province_name(lang)


def _indicator_rows(_: Translator, services: Any, computed: Any) -> list[dict[str, Any]]:
    """The related indicators of the tasks in view for the view's place: one row per task and indicator,
    numbers rounded as the page shows them, a missing value empty with the reason in words."""
    from perhekeskus.plugins.service_map.services.indicator_view import focus_tasks

    vocabulary = load_vocabulary()
    config = task_indicators.configured(services.settings)
    place = _place(services, computed.view, _.lang)
    found = task_indicators.related(
        services.reader, services.areas, computed.view, focus_tasks(computed), config
    )
    rows = []
    for task, figure in found:
        note = ""
        if not figure.known:
            note = _("This indicator is not in the warehouse.")
        elif figure.year is None:
            note = _("No values for this indicator yet.")
        elif figure.value is None:
            note = (
                _("cannot be combined")
                if figure.not_combinable
                else _("No value for {place}; the latest year of the comparisons is shown.", place=place)
            )
        rows.append(
            {
                _("Task"): vocabulary.label("task", task, _.lang),
                _("Indicator"): figure.title(_.lang) if figure.known else str(figure.key),
                _("Indicator key"): str(figure.key),
                _("Place"): place,
                _("Year"): figure.year,
                _("Value"): rounded(figure.value, figure.decimals),
                _("Wellbeing services county"): rounded(figure.county, figure.decimals),
                _("Finland"): rounded(figure.finland, figure.decimals),
                _("Demo"): _("yes") if figure.is_demo else _("no"),
                _("Note"): note,
            }
        )
    return rows


@blueprint.get("/vienti/indikaattorit.<fmt>")
def export_indicators(fmt: str) -> flask.Response:
    """The related indicators of the page's view (what the column beside the matrix shows)."""
    if fmt not in ("csv", "xlsx"):
        flask.abort(404)
    lang = web.request_lang()
    _ = Translator(lang)
    services, computed = _computed(lang)
    rows = _indicator_rows(_, services, computed)
    columns = [
        _("Task"),
        _("Indicator"),
        _("Indicator key"),
        _("Place"),
        _("Year"),
        _("Value"),
        _("Wellbeing services county"),
        _("Finland"),
        _("Demo"),
        _("Note"),
    ]
    data = (
        to_csv(rows, lang, columns=columns)
        if fmt == "csv"
        else to_xlsx(rows, sheet=_("Related indicators"), columns=columns)
    )
    return _file(data, fmt, f"palvelukartta-indikaattorit.{fmt}")


# --- the printout for a meeting --------------------------------------------------------------------------


@blueprint.get("/tuloste")
def print_view() -> flask.Response:
    """The view of the page as one print-friendly page for a steering group's meeting."""
    lang = web.request_lang()
    services, computed = _computed(lang)
    printed = printout.build(services, Translator(lang), computed)
    return flask.Response(printed.html, mimetype="text/html")


@blueprint.get("/tuloste.pdf")
def print_pdf() -> flask.Response:
    """The printout as a PDF (WeasyPrint); 503 in words when the library cannot load here."""
    lang = web.request_lang()
    _ = Translator(lang)
    services, computed = _computed(lang)
    printed = printout.build(services, _, computed)
    try:
        pdf = printout.render_pdf(printed.html)
    except printout.PdfUnavailable:
        log.exception("the service map PDF cannot be made: WeasyPrint did not load")
        return flask.Response(
            _("The PDF cannot be made on this server right now. Print the page instead."),
            status=503,
            mimetype="text/plain",
        )
    response = flask.Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'inline; filename="palvelukartta.pdf"'
    return response


@blueprint.get("/vienti/palvelut.<fmt>")
def export_services(fmt: str) -> flask.Response:
    """The services of the page's view (after its filters), names in the page's language."""
    if fmt not in ("csv", "xlsx"):
        flask.abort(404)
    lang = web.request_lang()
    _ = Translator(lang)
    services, computed = _computed(lang)
    vocabulary = load_vocabulary()
    names = services.areas.municipality_names()
    forms = labels.form_names(_)
    rows = [
        {
            _("Service name"): r.name,
            _("Provider organisation"): r.provider,
            _("Actor type"): vocabulary.label("actor_type", r.actor_type, lang),
            _("Municipalities"): "; ".join(names.get(m, (m, m))[0] for m in r.municipalities),
            _("Family-centre tasks"): "; ".join(vocabulary.label("task", t, lang) for t in r.tasks),
            _("Client groups"): "; ".join(vocabulary.label("client_group", g, lang) for g in r.client_groups),
            _("Forms"): "; ".join(forms.get(f, f) for f in r.forms),
            _("Languages"): "; ".join(labels.language_name(_, c) for c in r.languages),
            _("Referral needed"): _("yes") if r.referral_needed else _("no"),
            _("Contact page"): r.contact_url,
            _("Demo"): _("yes") if r.is_demo else _("no"),
        }
        for r in computed.records
    ]
    data = to_csv(rows, lang) if fmt == "csv" else to_xlsx(rows, sheet=_("Services"))
    return _file(data, fmt, f"palvelukartta-palvelut.{fmt}")
