"""The moderation queue as server-rendered pages (one Flask blueprint at ``/palaute/moderointi``).

- ``GET /palaute/moderointi/``: the answers the user may moderate, filtered by status, municipality and
  theme, 25 a page, each with its actions; themes are suggested first for answers that have none.
- ``POST /palaute/moderointi/<answer_id>``: one action (approve, hide, publishable, themes); then back to
  the same page of the queue.

Anonymous visitors are sent to ``/kirjaudu``; a signed-in user without ``feedback.moderate`` anywhere gets
403; an answer outside the user's area or municipality gets 403 on every action, whatever id is posted.
Every POST must carry the product's CSRF token (``perhekeskus.ui.csrf_ok``). Answers are plain text shown
through Jinja's autoescaping: markup in an answer is shown as text, never run.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import flask

from perhekeskus.plugins.feedback.model import AGE_GROUPS, OTHER, RATINGS, word
from perhekeskus.plugins.feedback.moderation import queue
from perhekeskus.plugins.feedback.moderation.hooks import PATH
from perhekeskus.plugins.feedback.moderation.publish import request_publish
from perhekeskus.plugins.feedback.moderation.suggest import suggest_for_new, suggesting
from perhekeskus.plugins.feedback.moderation.themes import ThemeConfigError, load_themes

log = logging.getLogger(__name__)
FORM_LIMIT = 16 * 1024  # an action form is a few hundred bytes, the theme form a little more
SUGGEST_PER_VIEW = 300  # bound the work of one page view; the warehouse copy does the rest
DONE = ("approve", "hide", "publishable", "themes")
BUTTON_STYLE = "padding:.35rem .9rem;font-size:1rem;min-height:2.75rem;margin:.2rem .4rem .2rem 0"
SELECT_STYLE = "display:block;padding:.4rem;font-size:1rem;min-height:2.5rem;max-width:100%"

blueprint = flask.Blueprint("feedback_moderation", __name__, template_folder="templates", url_prefix=PATH)


def make_blueprint() -> flask.Blueprint:
    """The queue's blueprint (one object: Flask registers it on each app that asks)."""
    return blueprint


def _services():
    from perhekeskus import Services
    from perhekeskus.warehouse.read import Reader

    access = flask.current_app.extensions["perhekeskus_access"]
    return Services(access.settings, Reader(access.settings), access.areas, access)


def _translator():
    from perhekeskus.ui import request_lang, translator

    return translator(request_lang())


def _message(title: str, text: str, status: int) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    return render_page(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=PATH + "/",
        back_text=_("Back to the queue"),
    )


def _refused(kind: str) -> flask.Response:
    _ = _translator()
    texts = {
        "forbidden": (_("Not allowed"), _("You do not have the right to moderate this feedback."), 403),
        "not_found": (_("Not found"), _("There is no such answer."), 404),
        "expired": (_("The form had expired"), _("The form had expired. Please try again."), 400),
        "too_large": (_("Too large"), _("The form was too large."), 413),
        "not_approved": (
            _("Approve the answer first"),
            _("Only an approved answer can be marked publishable."),
            400,
        ),
        "unknown_theme": (_("Unknown theme"), _("The form named a theme that does not exist."), 400),
        "unknown_action": (_("Unknown action"), _("The form asked for something unknown."), 400),
    }
    title, text, status = texts[kind]
    return _message(title, text, status)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(services, user, **url_values)`` for a signed-in user; others are sent to sign in."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        from perhekeskus.ui import current_user

        user = current_user()
        if user is None:
            return flask.redirect("/kirjaudu", code=303)
        return view(_services(), user, **kwargs)

    return wrapper


def _filters(args: Any, codes: list[str], municipalities: list[str]) -> queue.Filters:
    """The queue's filters from the query; unknown values are ignored rather than refused (a bookmarked
    link to a removed theme still opens the queue)."""
    status = args.get("status", "new")
    municipality = args.get("municipality") or None
    theme = args.get("theme") or None
    try:
        page = max(1, min(int(args.get("page", "1")), 100000))
    except ValueError:
        page = 1
    return queue.Filters(
        status=status if status in queue.STATUSES else None if status == "all" else "new",
        municipality=municipality if municipality in municipalities else None,
        theme=theme if theme in codes else None,
        page=page,
    )


def _query(filters: queue.Filters, page: int | None = None) -> str:
    values = {
        "status": filters.status or "all",
        "municipality": filters.municipality or "",
        "theme": filters.theme or "",
        "page": page or filters.page,
    }
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _municipality_options(services: Any, reach: queue.Reach, _: Any) -> list[tuple[str, str]]:
    names = services.areas.municipality_names()
    codes = list(services.areas.municipalities) if reach.everything else list(reach.municipalities)
    lang_index = 1 if _.lang == "sv" else 0
    options = sorted(((c, names.get(c, (c, c))[lang_index]) for c in codes), key=lambda o: o[1])
    if reach.everything:
        options.append((OTHER, _("Other (outside the province)")))
    return options


def _answer_view(answer: queue.Answer, services: Any, dictionary: Any, _: Any) -> dict[str, Any]:
    from perhekeskus.vocabulary import load_vocabulary

    names = services.areas.municipality_names()
    lang_index = 1 if _.lang == "sv" else 0
    if answer.municipality == OTHER:
        municipality = _("Other (outside the province)")
    else:
        municipality = names.get(answer.municipality, (answer.municipality,) * 2)[lang_index]
    task = None
    if answer.task:
        term = load_vocabulary().term("task", answer.task)
        task = term.name(_.lang) if term else answer.task
    return {
        "answer": answer,
        "municipality": municipality,
        "task": task,
        "rating": f"{answer.rating} – {word(RATINGS, answer.rating, _.lang)}" if answer.rating else None,
        "age_group": word(AGE_GROUPS, answer.age_group, _.lang) if answer.age_group else None,
        "themes": [
            {"code": t.code, "name": t.name(_.lang), "origin": answer.themes.get(t.code)}
            for t in dictionary.themes
        ]
        + [
            {"code": code, "name": code, "origin": origin}
            for code, origin in sorted(answer.themes.items())
            if dictionary.theme(code) is None
        ],
    }


def _status_names(_: Any) -> dict[str, str]:
    return {"new": _("New"), "approved": _("Approved"), "hidden": _("Hidden"), "all": _("All")}


@blueprint.get("/", strict_slashes=False)
@signed_in
def queue_page(services: Any, user: Any) -> flask.Response:
    """The queue: filters, one page of answers, their actions and the pages."""
    from perhekeskus.ui import render_page

    _ = _translator()
    reach = queue.reach(services, user)
    if not reach.any:
        return _refused("forbidden")
    try:
        dictionary = load_themes(services.settings)
        suggest_for_new(services, limit=SUGGEST_PER_VIEW, dictionary=dictionary, wait=False)
    except ThemeConfigError:
        log.exception("the theme dictionary of families' feedback cannot be used")
        return _message(
            _("Themes unavailable"), _("The theme configuration cannot be read; see the log."), 503
        )
    municipalities = _municipality_options(services, reach, _)
    filters = _filters(flask.request.args, dictionary.codes(), [c for c, _n in municipalities])
    answers, total = queue.page_of(services.settings, filters, reach)
    pages = max(1, math.ceil(total / queue.PAGE_SIZE))
    done = flask.request.args.get("done")
    return render_page(
        "feedback_moderation/queue.html",
        title=_("Feedback moderation"),
        PATH=PATH,
        BUTTON_STYLE=BUTTON_STYLE,
        SELECT_STYLE=SELECT_STYLE,
        filters=filters,
        statuses=_status_names(_),
        municipalities=municipalities,
        theme_options=[(t.code, t.name(_.lang)) for t in dictionary.themes],
        rows=[_answer_view(a, services, dictionary, _) for a in answers],
        total=total,
        page=min(filters.page, pages),
        pages=pages,
        back=f"{PATH}/?{_query(filters)}",
        previous_href=f"{PATH}/?{_query(filters, filters.page - 1)}" if filters.page > 1 else None,
        next_href=f"{PATH}/?{_query(filters, filters.page + 1)}" if filters.page < pages else None,
        message=_done_message(_, done if done in DONE else None),
        suggesting=suggesting(services.settings),
    )


def _done_message(_: Any, done: str | None) -> str:
    return {
        "approve": _("The answer was approved."),
        "hide": _("The answer was hidden."),
        "publishable": _("The quotes were saved."),
        "themes": _("The themes were saved."),
    }.get(done or "", "")


def _back(value: str | None, answer_id: int, done: str) -> str:
    """Back to the page the action came from: only this queue's own address, with the action done."""
    target = value or ""
    if not target.startswith(f"{PATH}/?") and target != f"{PATH}/":
        target = f"{PATH}/?"
    query = target.split("?", 1)[1] if "?" in target else ""
    kept = "&".join(p for p in query.split("&") if p and not p.startswith("done="))
    return f"{PATH}/?{kept + '&' if kept else ''}done={done}#answer-{answer_id}"


def _publish_soon(services: Any) -> None:
    if services.plugin_settings("feedback").get("publish_after_moderation", "true").lower() != "false":
        request_publish(services.settings)


@blueprint.post("/<int:answer_id>")
@signed_in
def act(services: Any, user: Any, answer_id: int) -> flask.Response:
    """One moderation action on one answer, refused outside the user's reach whatever id is posted."""
    from werkzeug.exceptions import RequestEntityTooLarge

    from perhekeskus.ui import csrf_ok

    flask.request.max_content_length = FORM_LIMIT
    try:
        form = flask.request.form
        if not csrf_ok():
            return _refused("expired")
    except RequestEntityTooLarge:
        return _refused("too_large")
    answer = queue.get_answer(services.settings, answer_id)
    if answer is None:
        # the same answer as for an answer out of reach would hide nothing: ids are sequential
        return _refused("not_found") if queue.reach(services, user).any else _refused("forbidden")
    if not queue.may_moderate(services, user, answer.municipality):
        return _refused("forbidden")
    action = form.get("action", "")
    try:
        known = load_themes(services.settings).codes() + list(answer.themes)
        queue.moderate(
            services,
            user.username,
            answer_id,
            action,
            good_publishable=form.get("good_publishable") == "1",
            change_publishable=form.get("change_publishable") == "1",
            themes=form.getlist("theme"),
            known_themes=known,
        )
    except queue.ModerationError as exc:
        return _refused(exc.reason)
    _publish_soon(services)
    return flask.redirect(_back(form.get("back"), answer_id, action), code=303)
