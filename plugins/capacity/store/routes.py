"""The coordinators' data-entry pages, server-rendered (they work without JavaScript), as the Flask
blueprint ``capacity_store``:

- ``GET/POST /osaaminen/tuonti``: upload a CSV or XLSX file; every problem is listed with its sheet, row
  and column (escaped: a name like ``<script>`` is shown as text) and nothing is saved; warnings (booked
  above available) are listed after a good import;
- ``GET /osaaminen/malli.xlsx`` and ``/osaaminen/malli.csv?laji=weeks|competences|queues``: the template;
- ``GET/POST /osaaminen/kirjaus``: enter one week's available and booked hours of the actors in scope, one
  actor's competences and levels, and a queue figure (each its own form; a refused form comes back with
  what was typed and each problem beside its field, status 400);
- ``GET /osaaminen/historia``: the change history of what the user may edit, filterable.

Who may: a signed-in holder of ``capacity.edit`` (admin; a coordinator within their area or
municipality, every change checked against the actor's or the queue's municipalities); anonymous visitors
are sent to sign in, others get 403. Every POST carries the product's CSRF token and is checked before
anything is read into the store. After a change the aggregates are published in the background.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import flask
from werkzeug.exceptions import RequestEntityTooLarge

from perhekeskus.plugins.capacity import model
from perhekeskus.plugins.capacity.store import importer, problems, repository, sheets, template
from perhekeskus.ui import csrf_ok, current_user, render_page, request_lang, translator

log = logging.getLogger(__name__)
PATH = "/osaaminen"
IMPORT_PATH = f"{PATH}/tuonti"
ENTRY_PATH = f"{PATH}/kirjaus"
HISTORY_PATH = f"{PATH}/historia"
FORM_LIMIT = 512 * 1024  # bytes of an entry form (a few hundred actors' hours fit many times over)
MAX_TEXT = 200
MAX_SHOWN = 500
MAX_ACTORS_SHOWN = 300
HISTORY_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

blueprint = flask.Blueprint(
    "capacity_store", __name__, template_folder=str(Path(__file__).parent / "templates"), url_prefix=PATH
)


# --- the app's services, the gate and the messages -----------------------------------------------------------


def _services():
    """The platform's services for this app (kept on the app by the first request)."""
    app = flask.current_app
    services = app.extensions.get("capacity_store_services")
    if services is None:
        from perhekeskus import Services
        from perhekeskus.warehouse.read import Reader

        access = app.extensions["perhekeskus_access"]
        services = Services(access.settings, Reader(access.settings), access.areas, access)
        app.extensions["capacity_store_services"] = services
    return services


def editor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(user, _, services, **url_values)`` for a signed-in holder of ``capacity.edit``;
    anonymous visitors go to sign in (303), others get 403."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        user = current_user()
        if user is None:
            return flask.redirect(f"/kirjaudu?next={flask.request.path}", code=303)
        _ = translator(request_lang())
        services = _services()
        if not repository.may_edit_somewhere(services, user):
            return _message(
                _,
                _("Not allowed"),
                _("You do not have the right to enter competences, capacity or queues."),
                403,
            )
        return view(user, _, services, **kwargs)

    return wrapper


def _message(_: Any, title: str, text: str, status: int) -> flask.Response:
    return render_page(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=PATH,
        back_text=_("Back to competence and capacity"),
    )


def _expired(_: Any) -> flask.Response:
    return _message(_, _("The form had expired"), _("The form had expired. Please try again."), 400)


def _too_large(_: Any) -> flask.Response:
    _drain()
    return _message(
        _,
        _("The form was too large"),
        _("The form was too large to receive. Nothing was saved. Go back and send fewer or shorter values."),
        413,
    )


def _drain(limit: int = 4 * 1024 * 1024) -> None:
    """Read and discard a refused body, so that a browser still uploading sees the page."""
    stream = flask.request.environ.get("wsgi.input")
    remaining = min(flask.request.content_length or 0, limit)
    try:
        while stream is not None and remaining > 0:
            chunk = stream.read(min(64 * 1024, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
    except (OSError, ValueError):
        return


# --- publishing after a change --------------------------------------------------------------------------------

_LOCK = threading.Lock()
_RUNNING: set[str] = set()
_AGAIN: set[str] = set()
PUBLISHING: list[threading.Thread] = []


def publish_soon(services: Any) -> None:
    """Publish the aggregates in a background thread; changes made meanwhile get one more run. Off when
    the plugin setting ``publish_on_change`` is ``0``."""
    from perhekeskus.plugins.capacity.store.source import publish

    if services.plugin_settings("capacity").get("publish_on_change", "1") in ("0", "false", "no"):
        return
    settings = services.settings
    key = str(settings.home)
    with _LOCK:
        if key in _RUNNING:
            _AGAIN.add(key)
            return
        _RUNNING.add(key)

    def work() -> None:
        while True:
            try:
                summary = publish(settings)
                if summary.status != "success":
                    log.warning("publishing the capacity aggregates: %s", summary.message)
            except Exception:  # a background thread has nobody to answer to: log it
                log.exception("publishing the capacity aggregates failed")
            with _LOCK:
                if key in _AGAIN:
                    _AGAIN.discard(key)
                    continue
                _RUNNING.discard(key)
                return

    thread = threading.Thread(target=work, name="capacity-publish", daemon=True)
    PUBLISHING[:] = [t for t in PUBLISHING if t.is_alive()]
    PUBLISHING.append(thread)
    thread.start()


# --- import and template ----------------------------------------------------------------------------------------


def _problem_rows(_: Any, found: list[problems.Problem]) -> list[dict[str, Any]]:
    return [
        {
            "sheet": problems.sheet_name(_, p.sheet),
            "row": p.row if p.row is not None else "–",
            "column": problems.column_name(_, p.column) if p.column else "–",
            "text": problems.message(_, p),
        }
        for p in found[:MAX_SHOWN]
    ]


def _import_page(_: Any, status: int = 200, *, found=(), warnings=(), done: str = "") -> flask.Response:
    lang = request_lang()
    return render_page(
        "capacity_store/import.html",
        status,
        title=_("Import competences, capacity and queues"),
        problems=_problem_rows(_, list(found)),
        more=max(0, len(found) - MAX_SHOWN),
        warnings=_problem_rows(_, list(warnings)),
        done=done,
        PATH=PATH,
        IMPORT_PATH=IMPORT_PATH,
        max_mb=sheets.MAX_FILE_BYTES // 2**20,
        max_rows=sheets.MAX_ROWS,
        columns=[(problems.sheet_name(_, s), template.headers(s, lang)) for s in problems.SHEETS],
    )


@blueprint.route("/tuonti", methods=["GET", "POST"])
@editor
def import_view(user: Any, _: Any, services: Any) -> flask.Response:
    """Upload a file: all rows or none."""
    if flask.request.method == "GET":
        return _import_page(_)
    flask.request.max_content_length = sheets.MAX_FILE_BYTES + 64 * 1024
    try:
        upload = flask.request.files.get("file")
    except RequestEntityTooLarge:
        _drain()
        big = problems.Problem("", None, "", "too_large", extra={"mb": sheets.MAX_FILE_BYTES // 2**20})
        return _import_page(_, 413, found=[big])
    if not csrf_ok():
        return _expired(_)
    if upload is None or not upload.filename:
        return _import_page(_, 400, found=[problems.Problem("", None, "", "empty_file")])
    data = upload.read(sheets.MAX_FILE_BYTES + 1)
    result = importer.import_file(services, upload.filename, data, user=user)
    if not result.ok:
        return _import_page(_, 400, found=result.problems)
    if result.changes.total:
        publish_soon(services)
    counts = result.changes.counts
    done = _(
        "Imported {rows} rows: {changed} changes ({competences} competences, {weeks} weeks, {queues} queue figures). Rows that already said the same were left as they were.",
        rows=sum(result.rows.values()),
        changed=result.changes.total,
        competences=sum(counts["competence"].values()),
        weeks=sum(counts["week"].values()),
        queues=sum(counts["queue"].values()),
    )
    return _import_page(_, 200, warnings=result.warnings, done=done)


def _download(data: bytes, filename: str, mimetype: str) -> flask.Response:
    response = flask.Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/malli.xlsx")
@editor
def template_xlsx(user: Any, _: Any, services: Any) -> flask.Response:
    """The template workbook, listing the actors this user may enter figures for."""
    scope = repository.EditScope(services, user)
    with services.reading() as con:
        actors = [a for a in repository.load_actors(con).values() if scope.actor(a)]
    data = template.template_xlsx(_, model.competences_for(services), services.areas, actors, request_lang())
    return _download(data, "osaaminen-malli.xlsx", XLSX)


@blueprint.route("/malli.csv")
@editor
def template_csv(user: Any, _: Any, services: Any) -> flask.Response:
    kind = template.KIND_OPTIONS.get(flask.request.args.get("laji", "weeks"), problems.WEEKS)
    return _download(
        template.template_csv(kind, request_lang()), f"osaaminen-malli-{kind}.csv", "text/csv; charset=utf-8"
    )


# --- entering figures in forms ----------------------------------------------------------------------------------


def _current_week() -> str:
    return model.iso_week(dt.date.today())


def _clip(value: object) -> str:
    return str(value or "")[:MAX_TEXT]


def _entry_state(services: Any, user: Any) -> dict[str, Any]:
    """What the entry page offers this user: the actors and municipalities in scope."""
    scope = repository.EditScope(services, user)
    with services.reading() as con:
        actors = [a for a in repository.load_actors(con).values() if scope.actor(a)]
    return {"scope": scope, "actors": actors, "municipalities": scope.municipalities()}


def _entry_page(
    _: Any,
    services: Any,
    user: Any,
    status: int = 200,
    *,
    week_text: str = "",
    municipality: str = "",
    actor_id: str = "",
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> flask.Response:
    lang = request_lang()
    state = _entry_state(services, user)
    places = repository.Municipalities(services.areas)
    competences = model.competences_for(services)
    week = model.parse_week(week_text) or _current_week()
    shown_actors = [a for a in state["actors"] if not municipality or municipality in a.municipalities]
    more = max(0, len(shown_actors) - MAX_ACTORS_SHOWN)
    shown_actors = shown_actors[:MAX_ACTORS_SHOWN]
    with services.reading() as con:
        hours = repository.weeks_of(con, [a.actor_id for a in shown_actors], week)
        demo_weeks = {
            r[0]
            for r in con.execute("SELECT actor_id FROM capacity_week WHERE week = ? AND is_demo = 1", (week,))
        }
        chosen = next((a for a in state["actors"] if a.actor_id == actor_id), None)
        levels = repository.competences_of(con, [chosen.actor_id])[chosen.actor_id] if chosen else {}
        queues = repository.queues_of(con, state["municipalities"], week)
    typed = typed or {}
    rows = []
    for actor in shown_actors:
        available, booked = hours.get(actor.actor_id, (None, None))
        rows.append(
            {
                "actor": actor,
                "places": ", ".join(places.name(m, lang) for m in actor.municipalities),
                "available": typed.get(f"available-{actor.actor_id}", _hours(available)),
                "booked": typed.get(f"booked-{actor.actor_id}", _hours(booked)),
                "demo": actor.actor_id in demo_weeks,
            }
        )
    return render_page(
        "capacity_store/entry.html",
        status,
        title=_("Enter competences, capacity and queues"),
        PATH=PATH,
        ENTRY_PATH=ENTRY_PATH,
        week=week,
        week_text=_clip(week_text) or week,
        municipality=municipality,
        municipality_choices=[(m, places.name(m, lang)) for m in state["municipalities"]],
        rows=rows,
        more=more,
        actors=[(a.actor_id, a.label) for a in state["actors"]],
        chosen=chosen,
        competence_rows=[
            {
                "code": c.code,
                "name": c.name(lang),
                "level": str(typed.get(f"level-{c.code}", levels.get(c.code, ""))),
            }
            for c in competences.items
        ],
        levels=[(str(k), model.word(model.LEVELS, k, lang)) for k in model.LEVELS],
        competence_choices=[(c.code, c.name(lang)) for c in competences.items],
        queues=[
            {
                "competence": competences.label(c, lang),
                "municipality": places.name(m, lang),
                "families": n,
                "since": since or "",
            }
            for c, m, n, since in queues
        ],
        queue=typed.get("queue", {}),
        errors=errors or {},
        notice=notice,
        saved=flask.request.args.get("tallennettu", ""),
    )


def _hours(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@blueprint.route("/kirjaus", methods=["GET", "POST"])
@editor
def entry_view(user: Any, _: Any, services: Any) -> flask.Response:
    """Enter a week's hours, an actor's competences or a queue figure."""
    args = flask.request.args
    if flask.request.method == "GET":
        return _entry_page(
            _,
            services,
            user,
            week_text=_clip(args.get("viikko", "")),
            municipality=_clip(args.get("kunta", "")),
            actor_id=_clip(args.get("toimija", "")),
        )
    flask.request.max_content_length = FORM_LIMIT
    try:
        form = flask.request.form
    except RequestEntityTooLarge:
        return _too_large(_)
    if not csrf_ok():
        return _expired(_)
    what = form.get("what", "")
    handler = {"weeks": _save_weeks, "competences": _save_competences, "queue": _save_queue}.get(what)
    if handler is None:
        return _message(_, _("Bad request"), _("The form was not understood."), 400)
    return handler(user, _, services, form)


def _redirect_saved(changes: repository.Changes, **query: str) -> flask.Response:
    params = {k: v for k, v in query.items() if v}
    params["tallennettu"] = str(changes.total)
    return flask.redirect(f"{ENTRY_PATH}?{urlencode(params)}", code=303)


def _audit_edit(
    services: Any, con: Any, user: Any, what: str, target: str, changes: repository.Changes
) -> None:
    services.audit(
        "capacity_edit",
        actor=user.username,
        target=target[:200],
        details={"form": what, **changes.as_details()},
        con=con,
    )


def _save_weeks(user: Any, _: Any, services: Any, form: Any) -> flask.Response:
    """One week's hours of the actors in the form; an actor with both cells empty loses the week's row."""
    week_text = _clip(form.get("week", ""))
    municipality = _clip(form.get("kunta", ""))
    state = _entry_state(services, user)
    by_id = {a.actor_id: a for a in state["actors"]}
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    week = model.parse_week(week_text)
    if week is None:
        errors["week"] = problems.message(
            _, problems.Problem("", None, "week", "bad_week", problems.shown(week_text))
        )
    planned = []
    for actor_id in form.getlist("actor")[: MAX_ACTORS_SHOWN + 10]:
        actor = by_id.get(actor_id)
        if actor is None:
            return _message(_, _("Not allowed"), _("You may not change this actor's figures."), 403)
        cells = [_clip(form.get(f"{name}-{actor_id}", "")).strip() for name in ("available", "booked")]
        typed[f"available-{actor_id}"], typed[f"booked-{actor_id}"] = cells
        if not any(cells):
            planned.append((actor_id, None, None))
            continue
        values = []
        for name, cell in zip(("available", "booked"), cells, strict=True):
            value, code = repository.check_hours(cell or ("0" if name == "booked" else ""))
            if code:
                errors[f"{name}-{actor_id}"] = problems.message(
                    _, problems.Problem("", None, "", code, problems.shown(cell))
                )
            values.append(value)
        planned.append((actor_id, *values))
    if errors:
        return _entry_page(
            _,
            services,
            user,
            400,
            week_text=week_text,
            municipality=municipality,
            typed=typed,
            errors=errors,
            notice=_("Nothing was saved. Correct the marked fields and save again."),
        )
    changes = repository.Changes()
    with services.transaction() as con:
        for actor_id, available, booked in planned:
            changes.add("week", repository.put_week(con, actor_id, week, available, booked, by=user.username))
        if changes.total:
            _audit_edit(services, con, user, "weeks", week, changes)
    if changes.total:
        publish_soon(services)
    return _redirect_saved(changes, viikko=week, kunta=municipality)


def _save_competences(user: Any, _: Any, services: Any, form: Any) -> flask.Response:
    """One actor's competences: each competence's level, or none (removed)."""
    actor_id = _clip(form.get("actor_id", ""))
    state = _entry_state(services, user)
    if actor_id not in {a.actor_id for a in state["actors"]}:
        return _message(_, _("Not allowed"), _("You may not change this actor's figures."), 403)
    competences = model.competences_for(services)
    errors: dict[str, str] = {}
    typed: dict[str, Any] = {}
    planned = []
    for item in competences.items:
        raw = _clip(form.get(f"level-{item.code}", "")).strip()
        typed[f"level-{item.code}"] = raw
        if not raw:
            planned.append((item.code, None))
            continue
        level, code = repository.check_level(raw)
        if code:
            errors[f"level-{item.code}"] = problems.message(
                _, problems.Problem("", None, "", code, problems.shown(raw))
            )
        planned.append((item.code, level))
    if errors:
        return _entry_page(
            _,
            services,
            user,
            400,
            actor_id=actor_id,
            typed=typed,
            errors=errors,
            notice=_("Nothing was saved. Correct the marked fields and save again."),
        )
    changes = repository.Changes()
    with services.transaction() as con:
        for competence, level in planned:
            changes.add(
                "competence", repository.put_competence(con, actor_id, competence, level, by=user.username)
            )
        if changes.total:
            _audit_edit(services, con, user, "competences", actor_id, changes)
    if changes.total:
        publish_soon(services)
    return _redirect_saved(changes, toimija=actor_id)


def _save_queue(user: Any, _: Any, services: Any, form: Any) -> flask.Response:
    """One queue figure: competence, municipality, week, families waiting and since when."""
    typed_queue = {
        k: _clip(form.get(k, "")).strip() for k in ("competence", "municipality", "week", "families", "since")
    }
    errors: dict[str, str] = {}
    competences = model.competences_for(services)
    competence = competences.resolve(typed_queue["competence"])
    if competence is None:
        errors["queue-competence"] = problems.message(
            _, problems.Problem("", None, "", "unknown_competence", problems.shown(typed_queue["competence"]))
        )
    municipality = repository.Municipalities(services.areas).resolve(typed_queue["municipality"])
    if municipality is None:
        errors["queue-municipality"] = problems.message(
            _,
            problems.Problem(
                "", None, "", "unknown_municipality", problems.shown(typed_queue["municipality"])
            ),
        )
    elif not repository.EditScope(services, user).municipality(municipality):
        return _message(_, _("Not allowed"), _("You may not change the queues of this municipality."), 403)
    week = model.parse_week(typed_queue["week"])
    if week is None:
        errors["queue-week"] = problems.message(
            _, problems.Problem("", None, "", "bad_week", problems.shown(typed_queue["week"]))
        )
    families, code = repository.check_families(typed_queue["families"])
    if code:
        errors["queue-families"] = problems.message(
            _, problems.Problem("", None, "", code, problems.shown(typed_queue["families"]))
        )
    since, code = repository.check_since(typed_queue["since"])
    if code:
        errors["queue-since"] = problems.message(
            _, problems.Problem("", None, "", code, problems.shown(typed_queue["since"]))
        )
    if errors:
        return _entry_page(
            _,
            services,
            user,
            400,
            week_text=typed_queue["week"],
            typed={"queue": typed_queue},
            errors=errors,
            notice=_("Nothing was saved. Correct the marked fields and save again."),
        )
    changes = repository.Changes()
    with services.transaction() as con:
        changes.add(
            "queue",
            repository.put_queue(con, competence, municipality, week, families, since, by=user.username),
        )
        if changes.total:
            _audit_edit(services, con, user, "queue", f"{competence}|{municipality}|{week}", changes)
    if changes.total:
        publish_soon(services)
    return _redirect_saved(changes, viikko=week)


# --- the history ------------------------------------------------------------------------------------------------


def _describe(_: Any, kind: str, values: dict | None) -> str:
    if not values:
        return "–"
    if kind == "competence":
        return _("level {level}", level=values.get("level"))
    if kind == "week":
        return _(
            "{available} h available, {booked} h booked",
            available=_hours(values.get("available_hours")),
            booked=_hours(values.get("booked_hours")),
        )
    since = values.get("waiting_since")
    text = _("{n} families waiting", n=values.get("families_waiting"))
    return f"{text}, {_('since {date}', date=since)}" if since else text


@blueprint.route("/historia")
@editor
def history_view(user: Any, _: Any, services: Any) -> flask.Response:
    """The change history of the items this user may edit, newest first."""
    lang = request_lang()
    args = flask.request.args
    filters = {
        "kind": args.get("laji", "") if args.get("laji", "") in repository.KINDS else "",
        "origin": args.get("alkupera", "") if args.get("alkupera", "") in repository.ORIGINS else "",
        "contains": _clip(args.get("haku", "")).strip(),
        "changed_by": _clip(args.get("kuka", "")).strip(),
        "since": _clip(args.get("alkaen", "")).strip(),
        "until": _clip(args.get("asti", "")).strip(),
    }
    try:
        page = max(1, min(10_000, int(args.get("sivu", "1"))))
    except ValueError:
        page = 1
    errors = {}
    dates = {}
    for name in ("since", "until"):
        day, code = repository.check_since(filters[name], today=dt.date.max)
        if code:
            errors[name] = problems.message(
                _, problems.Problem("", None, "", code, problems.shown(filters[name]))
            )
        dates[name] = day
    scope = repository.EditScope(services, user)
    places = repository.Municipalities(services.areas)
    competences = model.competences_for(services)
    with services.reading() as con:
        actors = repository.load_actors(con)
        keys = None
        if not scope.allows(()):  # not province-wide: only their actors and municipalities
            keys = [a for a, actor in actors.items() if scope.actor(actor)] + scope.municipalities()
        until = None
        if dates["until"]:
            until = (dt.date.fromisoformat(dates["until"]) + dt.timedelta(days=1)).isoformat()
        rows, total = repository.history(
            con,
            kind=filters["kind"] or None,
            contains=filters["contains"],
            changed_by=filters["changed_by"],
            origin=filters["origin"] or None,
            since=dates["since"],
            until=until,
            keys=keys,
            limit=HISTORY_PAGE,
            offset=(page - 1) * HISTORY_PAGE,
        )
    kinds = {"competence": _("Competence"), "week": _("Weekly capacity"), "queue": _("Queue")}
    ops = {"insert": _("added"), "update": _("changed"), "delete": _("removed")}
    origins = {"app": _("form"), "import": _("import"), "demo": _("demo")}
    shown = []
    for row in rows:
        parts = row.item_key.split("|")
        if row.kind == "queue" and len(parts) == 3:
            item = f"{competences.label(parts[0], lang)} · {places.name(parts[1], lang)} · {parts[2]}"
        else:
            actor = actors.get(parts[0])
            who = actor.label if actor else parts[0]
            rest = (
                competences.label(parts[1], lang)
                if row.kind == "competence" and len(parts) > 1
                else "|".join(parts[1:])
            )
            item = f"{who} · {rest}"
        shown.append(
            {
                "when": row.changed_at[:19].replace("T", " "),
                "kind": kinds.get(row.kind, row.kind),
                "item": item,
                "op": ops.get(row.op, row.op),
                "before": _describe(_, row.kind, row.before),
                "after": _describe(_, row.kind, row.after),
                "by": row.changed_by or "–",
                "origin": origins.get(row.origin, row.origin),
            }
        )
    query = {
        k: v
        for k, v in (
            ("laji", filters["kind"]),
            ("alkupera", filters["origin"]),
            ("haku", filters["contains"]),
            ("kuka", filters["changed_by"]),
            ("alkaen", filters["since"]),
            ("asti", filters["until"]),
        )
        if v
    }
    return render_page(
        "capacity_store/history.html",
        400 if errors else 200,
        title=_("Change history of competences, capacity and queues"),
        PATH=PATH,
        HISTORY_PATH=HISTORY_PATH,
        rows=shown,
        total=total,
        page=page,
        pages=max(1, -(-total // HISTORY_PAGE)),
        previous=f"{HISTORY_PATH}?{urlencode({**query, 'sivu': page - 1})}" if page > 1 else "",
        next=f"{HISTORY_PATH}?{urlencode({**query, 'sivu': page + 1})}"
        if page * HISTORY_PAGE < total
        else "",
        filters=filters,
        errors=errors,
        kinds=list(kinds.items()),
        origins=list(origins.items()),
    )


__all__ = ["ENTRY_PATH", "HISTORY_PATH", "IMPORT_PATH", "PUBLISHING", "blueprint", "publish_soon"]
