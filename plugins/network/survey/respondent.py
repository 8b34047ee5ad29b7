"""The respondent's form at ``/verkosto/kysely/<token>``: no account, phone-first, no JavaScript needed.

One HTML form carries everything (the answers about the people chosen so far, the roster search, the
people to add, someone missing, the respondent's own tasks). Every button saves what the form holds
before it does its own thing (search, add, save, submit), so a respondent who searches in the middle of
answering loses nothing. The search itself is server-side: the search button saves and redirects to
``?q=...``, whose GET shows the matching roster names.

An unknown, malformed or revoked link gets the same 404 page (no hint whether it ever existed), and
guessing is slowed and then locked per client address by the product's sign-in throttle. A closed round
gets a page saying so (410). Oversized or malformed bodies get 413/400 pages; names are shown as text.
"""

from __future__ import annotations

import logging
from typing import Any

import flask
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

from perhekeskus.plugins.network.survey import answers, links
from perhekeskus.plugins.network.survey.pages import Words, access, message, read_form, render
from perhekeskus.plugins.network.survey.rounds import LIMITS, NewActor, SurveyError, clean

log = logging.getLogger(__name__)
FORM_LIMIT = 256 * 1024  # 300 people × 20 fields stays well below this
QUERY_LIMIT = 100
THROTTLE_PREFIX = "survey-link:"

blueprint = flask.Blueprint("network_survey", __name__, template_folder="templates", url_prefix=links.PATH)


def _translator():
    from perhekeskus.ui import request_lang, translator

    return translator(request_lang())


def _url(token: str, _, **query: str) -> str:
    from urllib.parse import urlencode

    params = {"lang": _.lang, **{k: v for k, v in query.items() if v}}
    return f"{links.link_path(token)}?{urlencode(params)}"


def _not_found(_) -> flask.Response:
    return message(
        _("This link does not work"),
        _(
            "The survey link is not valid. It may have been mistyped or replaced by a newer link. Ask the person who sent it for a new one."
        ),
        404,
    )


def _closed(_, respondent: answers.Respondent) -> flask.Response:
    return message(
        _("This survey has closed"),
        _(
            "The survey '{title}' has closed and no longer accepts answers. Thank you for your interest.",
            title=respondent.round.title,
        ),
        410,
    )


def _throttle_key() -> str:
    from perhekeskus.dashboard.access.web import client_address

    return THROTTLE_PREFIX + client_address()


def _respondent(token: str, _) -> tuple[answers.Respondent | None, flask.Response | None]:
    """The link's respondent, or the answer to give: throttled (429) or not found (404).

    Each lookup counts as a failure of the client's address until it turns out to be a real link (as
    sign-in does), so parallel guesses cannot all slip past the check."""
    a = access()
    key = _throttle_key()
    wait, _locked = a.throttle.attempt([key])
    if wait > 0:
        response = message(
            _("Too many attempts"),
            _("Too many wrong links were tried. Try again in {n} seconds.", n=wait),
            429,
        )
        response.headers["Retry-After"] = str(wait)
        return None, response
    found = answers.find_respondent(a.settings, token[:200])
    if found is None:
        return None, _not_found(_)
    a.throttle.succeeded(key + ":ok", key)  # a real link takes its own count back
    return found, None


def _page(
    _,
    token: str,
    respondent: answers.Respondent,
    *,
    status: int = 200,
    errors: list[dict] | None = None,
    notice: str = "",
    query: str = "",
    new: dict | None = None,
) -> flask.Response:
    a = access()
    words = Words(_.lang, a.areas)
    results, matched = answers.search_roster(a.settings, respondent, query) if query else ([], 0)
    chosen = answers.contacts(a.settings, respondent)
    chosen_ids = {c.person.actor_id for c in chosen}
    return render(
        "network_survey/form.html",
        status,
        title=respondent.round.title or _("Network survey"),
        respondent=respondent,
        action=_url(token, _),
        words=words,
        contacts=chosen,
        own=set(answers.own_tasks(a.settings, respondent.actor_id)),
        query=query,
        results=[p for p in results if p.actor_id not in chosen_ids],
        already=[p for p in results if p.actor_id in chosen_ids],
        matched=matched,
        search_limit=answers.SEARCH_LIMIT,
        errors=errors or [],
        bad={e["field"] for e in errors or []},
        notice=notice,
        new=new or {},
        limits={**LIMITS, "query": QUERY_LIMIT},
        area_name=words.area(respondent.round.area_id, _),
    )


@blueprint.route("/<token>", methods=["GET"])
def form(token: str) -> flask.Response:
    _ = _translator()
    respondent, refused = _respondent(token, _)
    if refused is not None:
        return refused
    assert respondent is not None
    if not respondent.round.is_open:
        return _closed(_, respondent)
    notices = {
        "saved": _("Your answers were saved. You can continue later with the same link."),
        "submitted": _(
            "Thank you! Your answers were sent. You can still change them with the same link until the survey closes."
        ),
        "added": _("Added. Answer the questions about them below."),
    }
    notice = next((text for key, text in notices.items() if flask.request.args.get(key)), "")
    query = clean(flask.request.args.get("q", ""), QUERY_LIMIT)[:QUERY_LIMIT]
    return _page(_, token, respondent, query=query, notice=notice)


# --- reading the POSTed form --------------------------------------------------------------------------------


class FormError(ValueError):
    """A value the form could not have sent (tampered or broken): 400."""


def _contacts(form: Any) -> list[answers.ContactAnswer]:
    found = []
    for n in range(answers.MAX_CONTACTS + 1):
        actor_id = form.get(f"c{n}")
        if actor_id is None:
            break
        if form.get(f"rm{n}"):
            continue
        raw = form.get(f"f{n}", "")
        if raw and not raw.isdigit():
            raise FormError("frequency")
        found.append(
            answers.ContactAnswer(
                actor_id[:100],
                int(raw) if raw else None,
                tuple(dict.fromkeys(form.getlist(f"k{n}")))[:10],
                tuple(dict.fromkeys(form.getlist(f"t{n}")))[:100],
            )
        )
    else:
        raise FormError("too many")
    return found


def _new_actor(
    form: Any, _, words: Words, area_municipalities: set[str]
) -> tuple[NewActor | None, list[dict], dict]:
    """Someone missing from the roster, when the form names one: (the actor, errors tied to fields, the
    values as typed to show again)."""
    typed = {k: form.get(k, "")[:1000] for k in ("new_name", "new_org", "new_type", "new_place")}
    if not (typed["new_name"].strip() or typed["new_org"].strip()):
        return None, [], {}
    name, org = clean(typed["new_name"], LIMITS["name"]), clean(typed["new_org"], LIMITS["organisation"])
    errors = []
    if not name:
        errors.append({"field": "new_name", "text": _("Give the person's name.")})
    elif len(name) > LIMITS["name"]:
        errors.append(
            {
                "field": "new_name",
                "text": _("The name is too long (at most {n} characters).", n=LIMITS["name"]),
            }
        )
    if len(org) > LIMITS["organisation"]:
        errors.append(
            {
                "field": "new_org",
                "text": _("The organisation is too long (at most {n} characters).", n=LIMITS["organisation"]),
            }
        )
    if typed["new_type"] not in {c for c, _n in words.actor_types()}:
        errors.append({"field": "new_type", "text": _("Choose the kind of organisation.")})
    if typed["new_place"] and typed["new_place"] not in area_municipalities:
        errors.append({"field": "new_place", "text": _("Choose a municipality from the list.")})
    if errors:
        return None, errors, typed
    places = (typed["new_place"],) if typed["new_place"] else ()
    return NewActor(name, org, typed["new_type"], places), [], {}


@blueprint.route("/<token>", methods=["POST"])
def save(token: str) -> flask.Response:
    """Save what the form holds, then search, add, submit or just come back to the saved form."""
    from perhekeskus.ui import csrf_ok

    _ = _translator()
    try:
        form = read_form(FORM_LIMIT)
    except RequestEntityTooLarge:
        return message(
            _("Too large"),
            _("The form was too large. Nothing was saved."),
            413,
            back=_url(token, _),
            back_text=_("Back to the survey"),
        )
    except BadRequest:
        return message(
            _("Bad request"),
            _("The form could not be read. Nothing was saved."),
            400,
            back=_url(token, _),
            back_text=_("Back to the survey"),
        )
    respondent, refused = _respondent(token, _)
    if refused is not None:
        return refused
    assert respondent is not None
    if not respondent.round.is_open:
        return _closed(_, respondent)
    if not csrf_ok():
        return message(
            _("The form had expired"),
            _(
                "The form had expired and nothing was saved. Please open the survey again and repeat your last change."
            ),
            400,
            back=_url(token, _),
            back_text=_("Back to the survey"),
        )
    a = access()
    words = Words(_.lang, a.areas)
    codes = set(words.vocabulary.codes("task"))
    action = form.get("action", "save")
    try:
        contacts = _contacts(form)
    except FormError:
        return message(
            _("Bad request"),
            _("The form could not be read. Nothing was saved."),
            400,
            back=_url(token, _),
            back_text=_("Back to the survey"),
        )
    # someone typed into "someone missing" is added whichever button was pressed (Enter in a text field
    # presses the form's first button, the search): what was typed is never dropped
    area = a.areas.area(respondent.round.area_id) if respondent.round.area_id else None
    places = set(area.municipalities if area else a.areas.municipalities)
    new_actor, errors, typed = _new_actor(form, _, words, places)
    if action == "new" and new_actor is None and not errors:
        errors = [{"field": "new_name", "text": _("Give the person's name.")}]
    draft = answers.Draft(
        contacts=contacts,
        additions=[x[:100] for x in form.getlist("add")][: answers.MAX_CONTACTS] if action == "add" else [],
        new_actor=new_actor,
        own_tasks=tuple(dict.fromkeys(form.getlist("own")))[:100] if form.get("own_shown") else None,
    )
    submit = action == "submit" and not errors
    try:
        answers.save(a.settings, respondent, draft, task_codes=codes, submit=submit)
    except SurveyError as exc:
        if exc.code == "closed":
            return _closed(_, respondent)
        if exc.code == "revoked":
            return _not_found(_)
        if exc.code == "incomplete":
            fresh = answers.find_respondent(a.settings, token) or respondent
            incomplete = [
                {
                    "field": f"contact-{n}",
                    "text": _("Choose how often and in what way you work with {name}.", name=c.person.name),
                }
                for n, c in enumerate(answers.contacts(a.settings, fresh))
                if not c.answer.complete
            ]
            return _page(
                _,
                token,
                fresh,
                status=400,
                errors=incomplete,
                notice=_("Your answers were saved as a draft, but not sent yet."),
            )
        if exc.code == "too_many":
            return message(
                _("Too many people"),
                _("You can name at most {n} people.", n=answers.MAX_CONTACTS),
                400,
                back=_url(token, _),
                back_text=_("Back to the survey"),
            )
        return message(
            _("Bad request"),
            _("The form could not be read. Nothing was saved."),
            400,
            back=_url(token, _),
            back_text=_("Back to the survey"),
        )
    if errors:  # the rest was saved; the person to add is shown again with what was wrong
        return _page(
            _,
            token,
            respondent,
            status=400,
            errors=errors,
            new=typed,
            notice=_("Your other answers were saved."),
        )
    if action == "search":
        query = clean(form.get("q", ""), QUERY_LIMIT)[:QUERY_LIMIT]
        return flask.redirect(_url(token, _, q=query) + "#search", code=303)
    if action in ("add", "new"):
        return flask.redirect(_url(token, _, added="1") + "#contacts", code=303)
    if submit:
        return flask.redirect(_url(token, _, submitted="1"), code=303)
    return flask.redirect(_url(token, _, saved="1"), code=303)
