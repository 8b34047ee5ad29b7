"""The coordinator's pages of the network survey (signed in, ``network.edit`` on the round's area).

- ``GET /verkosto/kyselyt``: the survey rounds the user may manage, with their answer counts, and the
  form to open a new round; ``POST`` opens it.
- ``GET /verkosto/kyselyt/<round_id>``: the roster and who has answered; ``POST`` adds existing actors or a
  pasted/uploaded roster CSV, issues links (all new ones, or a new one for one person, which revokes the
  old), or closes the round (then publishes the network to the warehouse).

Links are shown once, on the page that answers the POST that issued them, with a CSV of name, e-mail and
link to download; the store keeps only their hashes. Every POST checks the product's CSRF token.
"""

from __future__ import annotations

import functools
import logging
import threading
import urllib.parse
from collections.abc import Callable
from typing import Any

import flask
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from perhekeskus.plugins.network.access import EDIT, may
from perhekeskus.plugins.network.survey import rounds
from perhekeskus.plugins.network.survey.links import link_path
from perhekeskus.plugins.network.survey.pages import Words, access, message, read_form, render, vocabulary
from perhekeskus.plugins.network.survey.roster_csv import parse_roster

log = logging.getLogger(__name__)
PATH = "/verkosto/kyselyt"
FORM_LIMIT = 2 * 1024 * 1024  # a roster file of a few thousand rows
MAX_SHOWN_ERRORS = 200

blueprint = flask.Blueprint("network_survey_rounds", __name__, template_folder="templates", url_prefix=PATH)


def _translator():
    from perhekeskus.ui import request_lang, translator

    return translator(request_lang())


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(user, _, **url_values)`` for a signed-in user; anonymous visitors are sent to sign in
    (and brought back here afterwards)."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        from perhekeskus.ui import current_user

        user = current_user()
        if user is None:
            target = urllib.parse.quote(flask.request.full_path.rstrip("?"), safe="/?=&-_.")
            return flask.redirect(f"/kirjaudu?next={target}", code=303)
        return view(user, _translator(), **kwargs)

    return wrapper


def _forbidden(_) -> flask.Response:
    return message(
        _("Not allowed"),
        _("You do not have the right to do this."),
        403,
        back=PATH,
        back_text=_("Back to network surveys"),
    )


def _not_found(_) -> flask.Response:
    return message(
        _("Not found"),
        _("There is no such survey round."),
        404,
        back=PATH,
        back_text=_("Back to network surveys"),
    )


def _expired(_, back: str) -> flask.Response:
    return message(
        _("The form had expired"),
        _("The form had expired. Please try again."),
        400,
        back=back,
        back_text=_("Try again"),
    )


def _too_large(_, back: str) -> flask.Response:
    return message(
        _("Too large"), _("The form or file was too large."), 413, back=back, back_text=_("Try again")
    )


def editable_areas(user: Any) -> list[str | None]:
    """The areas (None: the whole province) where ``user`` may open and manage rounds."""
    a = access()
    return [area_id for area_id in (None, *(x.area_id for x in a.areas.areas)) if may(a, user, EDIT, area_id)]


def _posted(_, back: str) -> tuple[Any, flask.Response | None]:
    from perhekeskus.ui import csrf_ok

    try:
        form = read_form(FORM_LIMIT)
    except RequestEntityTooLarge:
        return None, _too_large(_, back)
    except BadRequest:
        return None, message(
            _("Bad request"), _("The form could not be read."), 400, back=back, back_text=_("Try again")
        )
    if not csrf_ok():
        return None, _expired(_, back)
    return form, None


# --- the list of rounds ----------------------------------------------------------------------------------


def _list_page(
    _, user: Any, *, status: int = 200, errors: list[str] | None = None, values: dict | None = None
):
    words = Words(_.lang, access().areas)
    areas = editable_areas(user)
    shown = [s for s in rounds.list_rounds(access().settings) if s.round.area_id in areas]
    return render(
        "network_survey/rounds.html",
        status,
        title=_("Network surveys"),
        PATH=PATH,
        summaries=shown,
        area_choices=[("" if a is None else a, words.area(a, _)) for a in areas],
        words=words,
        errors=errors or [],
        values=values or {},
        limits=rounds.LIMITS,
    )


@blueprint.route("", methods=["GET", "POST"])
@signed_in
def round_list(user: Any, _) -> flask.Response:
    """The rounds and the form to open one."""
    if not editable_areas(user):
        return _forbidden(_)
    if flask.request.method == "GET":
        return _list_page(_, user)
    form, refused = _posted(_, PATH)
    if refused is not None:
        return refused
    area_id = form.get("area", "") or None
    values = {
        "area": form.get("area", ""),
        "title": form.get("title", "")[:500],
        "date": form.get("date", "")[:40],
    }
    if area_id not in editable_areas(user):
        return _forbidden(_)
    errors = []
    title = rounds.clean(form.get("title", ""), rounds.LIMITS["title"])
    if not title:
        errors.append(_("Give the round a title."))
    elif len(title) > rounds.LIMITS["title"]:
        errors.append(_("The title is too long (at most {n} characters).", n=rounds.LIMITS["title"]))
    if not errors:
        try:
            opened = rounds.open_round(
                access().settings,
                area_id=area_id,
                round_date=values["date"],
                title=title,
                created_by=user.username,
            )
        except rounds.SurveyError as exc:
            errors.append(_("Give the date as a calendar date.") if exc.code == "bad_date" else str(exc))
        else:
            return flask.redirect(f"{PATH}/{opened.round_id}?opened=1", code=303)
    return _list_page(_, user, status=400, errors=errors, values=values)


# --- one round ---------------------------------------------------------------------------------------------

STATE_ORDER = ("submitted", "draft", "not_started", "no_link")


def state_labels(_) -> dict[str, str]:
    return {
        "submitted": _("Submitted"),
        "draft": _("Draft saved"),
        "not_started": _("Not started"),
        "no_link": _("No link yet"),
    }


def _round_page(
    _,
    found: rounds.SurveyRound,
    *,
    status: int = 200,
    notice: str = "",
    errors: list[str] | None = None,
    roster_text: str = "",
):
    a = access()
    words = Words(_.lang, a.areas)
    entries = rounds.roster(a.settings, found.round_id)
    area = a.areas.area(found.area_id) if found.area_id else None
    candidates = (
        rounds.actors_outside_roster(a.settings, found.round_id, area.municipalities if area else None)
        if found.is_open
        else []
    )
    counts = {state: sum(1 for e in entries if e.state == state) for state in STATE_ORDER}
    return render(
        "network_survey/round.html",
        status,
        title=found.title or found.round_id,
        PATH=PATH,
        round=found,
        area_name=words.area(found.area_id, _),
        entries=entries,
        candidates=candidates,
        counts=counts,
        states=state_labels(_),
        words=words,
        notice=notice,
        errors=errors or [],
        roster_text=roster_text,
    )


def _csv_errors(_, errors) -> list[str]:
    texts = {
        "missing_column": _("The column {column} is missing."),
        "empty": _("The roster is empty."),
        "too_many_rows": _("Too many rows (at most {value})."),
        "missing": _("Row {row}: the {column} is missing."),
        "too_long": _("Row {row}: the {column} is too long."),
        "unknown_type": _("Row {row}: unknown actor type '{value}'."),
        "unknown_municipality": _("Row {row}: unknown municipality '{value}'."),
        "bad_email": _("Row {row}: '{value}' is not an e-mail address."),
        "duplicate": _("Row {row}: the same person as on row {value}."),
    }
    return [
        texts[e.code].format(row=e.row, column=e.column, value=e.value) for e in errors[:MAX_SHOWN_ERRORS]
    ]


def _roster_text(form: Any) -> str:
    upload = flask.request.files.get("roster_file")
    if upload is not None and upload.filename:
        raw = upload.read(FORM_LIMIT + 1)
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return form.get("roster", "")


def _links_page(_, found: rounds.SurveyRound, issued: list[rounds.IssuedLink]) -> flask.Response:
    from perhekeskus.ui import to_csv

    base = flask.request.host_url.rstrip("/")
    rows = [{"name": i.name, "email": i.email, "link": base + link_path(i.token)} for i in issued]
    data = to_csv(rows, _.lang, columns=["name", "email", "link"]) if rows else b""
    href = "data:text/csv;charset=utf-8," + urllib.parse.quote(data.decode("utf-8"))
    return render(
        "network_survey/links.html",
        title=_("Personal links: {round}", round=found.title or found.round_id),
        PATH=PATH,
        round=found,
        rows=rows,
        csv_href=href,
        csv_name=f"{found.round_id}-links.csv",
    )


@blueprint.route("/<round_id>", methods=["GET", "POST"])
@signed_in
def round_page(user: Any, _, round_id: str) -> flask.Response:
    """A round's roster and answers; the POST changes the roster, issues links or closes the round."""
    a = access()
    here = f"{PATH}/{round_id}"
    form = None
    if flask.request.method == "POST":
        form, refused = _posted(_, here)
        if refused is not None:
            return refused
    found = rounds.get_round(a.settings, round_id[:200])
    if found is None:
        return _not_found(_)
    if not may(a, user, EDIT, found.area_id):
        return _forbidden(_)
    if form is None:
        notice = (
            _("The round was opened. Add its roster, then issue the links.")
            if flask.request.args.get("opened")
            else ""
        )
        if flask.request.args.get("closed"):
            notice = _("The round was closed; no more answers are accepted.")
        return _round_page(_, found, notice=notice)
    action = form.get("action", "")
    try:
        if action == "add_existing":
            area = a.areas.area(found.area_id) if found.area_id else None
            offered = {
                c.actor_id
                for c in rounds.actors_outside_roster(
                    a.settings, found.round_id, area.municipalities if area else None
                )
            }
            added = rounds.add_to_roster(a.settings, found.round_id, form.getlist("actor"), allowed=offered)
            return _round_page(_, found, notice=_("{n} added to the roster.", n=added))
        if action == "roster_csv":
            text = _roster_text(form)
            actors, errors = parse_roster(text, vocabulary(), a.areas)
            if errors:
                return _round_page(
                    _, found, status=400, errors=_csv_errors(_, errors), roster_text=text[:100_000]
                )
            added, made = rounds.add_new_actors(a.settings, found.round_id, actors)
            return _round_page(
                _, found, notice=_("{n} added to the roster ({m} new actors).", n=added, m=made)
            )
        if action == "issue":
            issued = rounds.issue_links(a.settings, found.round_id, issued_by=user.username)
            if not issued:
                return _round_page(_, found, notice=_("Everyone in the roster already has a link."))
            return _links_page(_, found, issued)
        if action == "reissue":
            issued = rounds.issue_links(
                a.settings, found.round_id, [form.get("actor", "")], issued_by=user.username
            )
            return _links_page(_, found, issued)
        if action == "close":
            rounds.close_round(a.settings, found.round_id, closed_by=user.username)
            return _after_close(_, found.round_id)
    except rounds.SurveyError as exc:
        if exc.code == "closed":
            return message(
                _("The round is closed"),
                _("This round has been closed; it can no longer be changed."),
                409,
                back=here,
                back_text=_("Back to the round"),
            )
        if exc.code == "unknown_actor":
            return message(
                _("Not found"),
                _("There is no such person in this round."),
                400,
                back=here,
                back_text=_("Back to the round"),
            )
        raise
    return message(
        _("Unknown action"),
        _("The form asked for something unknown."),
        400,
        back=here,
        back_text=_("Back to the round"),
    )


def publish_mode(settings: Any) -> str:
    """How a closed round reaches the warehouse: ``background`` (default: a thread runs the network
    source's flow, the page answers at once), ``now`` (the page waits for it) or ``off`` (the next
    scheduled publish carries it)."""
    from perhekeskus.services import plugin_settings

    mode = plugin_settings("network", settings).get("survey_publish", "background")
    return mode if mode in ("background", "now", "off") else "background"


def _publish(settings: Any, round_id: str) -> bool | None:
    try:
        ok, detail = rounds.publish(settings)
    except Exception:  # the close itself is kept; the next publish of the network source carries it
        log.exception("publishing the network after closing %s failed", round_id)
        return False
    if not ok:
        log.warning("round %s closed; not published: %s", round_id, detail)
    return ok


def _after_close(_, round_id: str) -> flask.Response:
    """Publish the closed round to the warehouse (the store part's flow, which takes a while), then say
    how it went or that it is under way."""
    settings = access().settings
    mode = publish_mode(settings)
    if mode == "now":
        ok = _publish(settings, round_id)
        notice = (
            _("The round was closed and the answers were copied to the network map.")
            if ok
            else _(
                "The round was closed. The network map will show it after the next update of the warehouse."
            )
        )
    elif mode == "background":
        threading.Thread(
            target=_publish, args=(settings, round_id), name=f"publish-{round_id}", daemon=True
        ).start()
        notice = _(
            "The round was closed. Its answers are being copied to the network map, which shows them in a few minutes."
        )
    else:
        notice = _(
            "The round was closed. The network map will show it after the next update of the warehouse."
        )
    return _round_page(_, rounds.get_round(settings, round_id), notice=notice)  # type: ignore[arg-type]
