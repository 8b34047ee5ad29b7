"""The family-team pages (blueprint ``capacity_families``), server-rendered, no JavaScript needed.

- ``/osaaminen/perheet``: the coordinator's own families (code, municipality, team size, next meeting,
  pile-up warning) and the form that makes a new family (the store makes the code);
- ``/osaaminen/perheet/<family_id>``: one team: its workers and the meetings of the coming weeks; the
  family's coordinator also adds and removes workers, plans and removes anyone's meetings, closes the
  team; a worker of the team plans and removes their OWN meetings with the family;
- ``/osaaminen/omat``: a worker's families: the other workers of each team and the coming meetings, a
  form to plan one's own meeting, and the teams closed in the last :data:`RECENT_CLOSED_DAYS` days;
- ``/osaaminen/tyontekijat``: a coordinator links workers' sign-in accounts to network-map actors.

Who sees a team is decided by ``access.may_see_team`` only (its coordinator and its workers' accounts).
Anyone else, an administrator or a province user included, gets the same 404 as for a family that does
not exist, so that a page never tells that a family exists. Anonymous visitors are sent to sign in.
Planning a meeting takes two steps (seed 004: see who else meets the family before arranging a meeting):
the first POST only checks the meeting and shows the family's other meetings of that week, saying in
words when the new one would pile up (``pileup.py``); the meeting is saved by the second POST, with
``confirm=1``, which the check page's button sends. No JavaScript is needed.
Every POST carries the product's CSRF token and is at most :data:`FORM_LIMIT` bytes; every value a form
sends is chosen from a list, so there is no free text about a family anywhere.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import flask

from perhekeskus.plugins.capacity.access import FAMILIES, may, may_see_team, setting_int
from perhekeskus.plugins.capacity.families import repository as repo
from perhekeskus.plugins.capacity.families.hooks import FAMILIES_PATH, MINE_PATH
from perhekeskus.plugins.capacity.families.pileup import DAY, PileUp, pile_ups
from perhekeskus.plugins.capacity.model import MEETING_KINDS, Meeting, iso_week, word

FORM_LIMIT = 16 * 1024  # the largest form here is a few hundred bytes
WEEKS_AHEAD = 4  # "the coming weeks": meetings shown and checked for pile-ups
RECENT_CLOSED_DAYS = 28  # a worker's page lists teams closed this recently (as closed); older ones not
WORKERS_PATH = "/osaaminen/tyontekijat"
ACTOR_LIMIT = 300  # actors offered in one list; a search narrows it
BUTTON_STYLE = "padding:.35rem .9rem;font-size:1rem;min-height:2.75rem;margin:.2rem .4rem .2rem 0"
FIELD_STYLE = "display:block;padding:.4rem;font-size:1rem;min-height:2.5rem;max-width:100%;width:22rem"

blueprint = flask.Blueprint("capacity_families", __name__, template_folder="templates")


def make_blueprint() -> flask.Blueprint:
    return blueprint


def _services() -> Any:
    from perhekeskus import Services
    from perhekeskus.warehouse.read import Reader

    access = flask.current_app.extensions["perhekeskus_access"]
    return Services(access.settings, Reader(access.settings), access.areas, access)


def _translator() -> Any:
    from perhekeskus.ui import request_lang, translator

    return translator(request_lang())


def _message(title: str, text: str, status: int, back: str | None = None) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    return render_page(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=back,
        back_text=_("Back") if back else None,
    )


def _refused(kind: str, back: str | None = None) -> flask.Response:
    _ = _translator()
    texts = {
        "not_found": (_("Not found"), _("There is no such family team, or it is not yours to see."), 404),
        "forbidden": (_("Not allowed"), _("You do not have the right to keep family teams here."), 403),
        "expired": (_("The form had expired"), _("The form had expired. Please try again."), 400),
        "too_large": (_("Too large"), _("The form was too large."), 413),
        "unknown_action": (_("Unknown action"), _("The form asked for something unknown."), 400),
    }
    title, text, status = texts[kind]
    return _message(title, text, status, back)


def _reason_text(_: Any, reason: str) -> str:
    """A store refusal as a sentence the form shows."""
    return {
        "unknown_municipality": _("Choose a municipality from the list."),
        "no_code": _("A family code could not be made. Please try again."),
        "closed": _("The team is closed: it can no longer be changed."),
        "unknown_worker": _("Choose a worker from the list."),
        "already_in_team": _("The worker is already in the team."),
        "not_in_team": _("Choose a worker of the team."),
        "bad_date": _("Give a date from the retention time up to a year ahead (YYYY-MM-DD)."),
        "bad_kind": _("Choose a kind of meeting from the list."),
        "no_meeting": _("There is no such meeting."),
        "bad_username": _("A username has 2–64 letters, digits, dots, hyphens or @."),
        "no_user": _("There is no enabled account with that username."),
        "linked_elsewhere": _("That account is already linked to another worker: unlink it first."),
        "not_linked": _("The worker has no linked account."),
        "out_of_reach": _("That worker does not work in your area."),
        "confirm": _("Tick the box to confirm that the team is closed."),
        "not_yours": _("You may plan and remove only your own meetings with the family."),
    }.get(reason, _("The form asked for something unknown."))


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    """Runs ``view(services, user, **url_values)`` for a signed-in user; others are sent to sign in."""

    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Any:
        from perhekeskus.ui import current_user

        user = current_user()
        if user is None:
            return flask.redirect("/kirjaudu", code=303)
        return view(_services(), user, **kwargs)

    return wrapper


def _form() -> tuple[Any, flask.Response | None]:
    """The POSTed form after the size limit and the CSRF check, or the refusal to answer with."""
    from werkzeug.exceptions import RequestEntityTooLarge

    from perhekeskus.ui import csrf_ok

    flask.request.max_content_length = FORM_LIMIT
    try:
        form = flask.request.form
        if not csrf_ok():
            return None, _refused("expired")
    except RequestEntityTooLarge:
        return None, _refused("too_large")
    return form, None


def _reach(services: Any, user: Any) -> list[str]:
    """Municipalities where ``user`` may keep family teams."""
    return [m for m in services.areas.municipalities if may(services, user, FAMILIES, [m])]


def _municipality_name(services: Any, code: str, lang: str) -> str:
    names = services.areas.municipality_names().get(code, (code, code))
    return names[1] if lang == "sv" else names[0]


def _today() -> dt.date:
    return dt.date.today()


def _window(today: dt.date) -> tuple[dt.date, dt.date]:
    """From the Monday of this week to the end of the fourth week ahead: the weeks a worker plans in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(weeks=WEEKS_AHEAD, days=-1)


def _pile_up_text(_: Any, warning: PileUp, names: dict[str, str]) -> str:
    """A pile-up in words (never only a colour)."""
    who = ", ".join(names.get(a, a) for a in warning.workers)
    if warning.kind == DAY:
        return _(
            "Meetings pile up on {day}: {count} different workers meet the family on the same day ({who}).",
            day=warning.when,
            count=len(warning.workers),
            who=who,
        )
    return _(
        "Meetings pile up in week {week}: {count} different workers meet the family ({who}).",
        week=warning.when,
        count=len(warning.workers),
        who=who,
    )


def _visible(services: Any, con: Any, user: Any, family_id: int) -> repo.Family | None:
    """The family when ``user`` may see its team (the shared policy), else None (shown as 404)."""
    family = repo.get_family(con, family_id)
    if family is None:
        return None
    if not may_see_team(services, user, family.coordinator, repo.team_usernames(con, family_id)):
        return None
    return family


def _keeps(services: Any, user: Any, family: repo.Family) -> bool:
    """Whether ``user`` may change the family: its own coordinator, still a coordinator there."""
    return family.coordinator.casefold() == user.username.casefold() and may(
        services, user, FAMILIES, [family.municipality_code]
    )


# --- the coordinator's families -------------------------------------------------------------------------


@blueprint.get(FAMILIES_PATH, strict_slashes=False)
@signed_in
def families_page(services: Any, user: Any) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    reach = _reach(services, user)
    if not reach:
        return _refused("forbidden")
    today = _today()
    start, end = _window(today)
    limit = setting_int(services, "pile_up_meetings")
    with services.transaction() as con:
        rows = repo.families_of_coordinator(con, user.username, today=today)
        ids = [r.family.family_id for r in rows]
        coming = repo.meetings(con, ids, start, end)
        repo.record_view(services, con, ids, user.username, "families")
    warned = {w.family_id for w in pile_ups([m.as_meeting() for m in coming], limit)}
    return render_page(
        "capacity_families/families.html",
        title=_("Family teams"),
        rows=[
            {
                "row": r,
                "municipality": _municipality_name(services, r.family.municipality_code, _.lang),
                "warned": r.family.family_id in warned,
            }
            for r in rows
        ],
        municipalities=[(c, _municipality_name(services, c, _.lang)) for c in reach],
        message=_done(_, flask.request.args.get("done")),
        PATH=FAMILIES_PATH,
        WORKERS_PATH=WORKERS_PATH,
        BUTTON_STYLE=BUTTON_STYLE,
        FIELD_STYLE=FIELD_STYLE,
        weeks=WEEKS_AHEAD,
    )


@blueprint.post(FAMILIES_PATH, strict_slashes=False)
@signed_in
def create(services: Any, user: Any) -> flask.Response:
    form, refusal = _form()
    if refusal is not None:
        return refusal
    reach = _reach(services, user)
    if not reach:
        return _refused("forbidden")
    municipality = str(form.get("municipality", ""))
    if municipality not in reach:  # out of reach or unknown: refused alike
        return _bad(FAMILIES_PATH, "unknown_municipality")
    with services.transaction() as con:
        family = repo.create_family(services, con, user.username, municipality)
    return flask.redirect(f"{FAMILIES_PATH}/{family.family_id}?done=created", code=303)


def _bad(back: str, reason: str) -> flask.Response:
    _ = _translator()
    return _message(_("Not saved"), _reason_text(_, reason), 400, back)


def _done(_: Any, done: str | None) -> str:
    return {
        "created": _("The family team was made. Its code is shown at the top of the page."),
        "add_worker": _("The worker was added to the team."),
        "remove_worker": _("The worker was removed from the team."),
        "plan_meeting": _("The meeting was planned."),
        "remove_meeting": _("The meeting was removed."),
        "close": _("The team was closed."),
        "link": _("The account was linked."),
        "unlink": _("The account was unlinked."),
    }.get(done or "", "")


# --- one team ------------------------------------------------------------------------------------------------


@blueprint.get(f"{FAMILIES_PATH}/<int:family_id>")
@signed_in
def team_page(services: Any, user: Any, family_id: int) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    today = _today()
    start, end = _window(today)
    query = " ".join(flask.request.args.get("q", "").split())[:100]
    with services.transaction() as con:
        family = _visible(services, con, user, family_id)
        if family is None:
            return _refused("not_found")
        workers = repo.team(con, family_id)
        coming = repo.meetings(con, [family_id], start, end)
        keeps = _keeps(services, user, family) and not family.closed_on
        # a worker of the open team plans and removes their own meetings here too
        me = None if keeps or family.closed_on else _my_actor(con, user, family_id)
        candidates = []
        if keeps:
            in_team = {w.actor_id for w in workers}
            reach = _actor_reach(services, user)
            offered = [family.municipality_code] if not query else reach
            candidates = [
                w
                for w in repo.actors_in(con, offered, query=query, limit=ACTOR_LIMIT)
                if w.actor_id not in in_team
            ]
        repo.record_view(services, con, [family_id], user.username, "team")
    names = {w.actor_id: w.name for w in workers}
    warnings = pile_ups([m.as_meeting() for m in coming], setting_int(services, "pile_up_meetings"))
    return render_page(
        "capacity_families/team.html",
        title=_("Family team {code}", code=family.code),
        family=family,
        municipality=_municipality_name(services, family.municipality_code, _.lang),
        workers=workers,
        meetings=[
            {
                "m": m,
                "week": iso_week(dt.date.fromisoformat(m.meeting_date)),
                "worker": names.get(m.actor_id, m.actor_id),
                "kind": word(MEETING_KINDS, m.kind, _.lang),
                "removable": keeps or (me is not None and m.actor_id == me),
            }
            for m in coming
        ],
        warnings=[_pile_up_text(_, w, names) for w in warnings],
        keeps=keeps,
        me=me,
        me_name=names.get(me or "", ""),
        candidates=candidates,
        query=query,
        kinds=[(k, word(MEETING_KINDS, k, _.lang)) for k in MEETING_KINDS],
        today=today.isoformat(),
        start=start.isoformat(),
        end=end.isoformat(),
        message=_done(_, flask.request.args.get("done")),
        PATH=f"{FAMILIES_PATH}/{family_id}",
        back_path=FAMILIES_PATH if family.coordinator.casefold() == user.username.casefold() else MINE_PATH,
        BUTTON_STYLE=BUTTON_STYLE,
        FIELD_STYLE=FIELD_STYLE,
    )


def _actor_reach(services: Any, user: Any) -> list[str] | None:
    """Municipalities whose actors ``user`` may put in teams and link (None: everyone, province-wide)."""
    reach = _reach(services, user)
    return None if set(reach) == set(services.areas.municipalities) and _province_wide(user) else reach


def _province_wide(user: Any) -> bool:
    return any(r.role == "coordinator" and not r.scope for r in getattr(user, "roles", []))


def _in_actor_reach(services: Any, con: Any, user: Any, actor_id: str) -> bool:
    reach = _actor_reach(services, user)
    return reach is None or bool(repo.actor_municipalities(con, actor_id) & set(reach))


def _my_actor(con: Any, user: Any, family_id: int) -> str | None:
    """The user's network-map actor when it is in the family's team (then they may plan their own
    meetings with the family), else None."""
    me = repo.linked_actor(con, user.username)
    return me if repo.is_member(con, family_id, me) else None


def _back_of(form: Any, family_id: int) -> str:
    """Where a meeting form returns: the worker's own page when it was sent from there, else the team."""
    return MINE_PATH if form.get("back") == "mine" else f"{FAMILIES_PATH}/{family_id}"


@blueprint.post(f"{FAMILIES_PATH}/<int:family_id>")
@signed_in
def change(services: Any, user: Any, family_id: int) -> flask.Response:
    form, refusal = _form()
    if refusal is not None:
        return refusal
    back = f"{FAMILIES_PATH}/{family_id}"
    action = str(form.get("action", ""))
    check = None
    with services.transaction() as con:
        family = _visible(services, con, user, family_id)
        if family is None:
            return _refused("not_found")
        keeps = _keeps(services, user, family)
        me = None if keeps else _my_actor(con, user, family_id)
        if not keeps and (me is None or action not in ("plan_meeting", "remove_meeting")):
            return _refused("forbidden", back)
        actor_id = str(form.get("actor_id", ""))[:64]
        if me is not None and actor_id in ("", me):
            actor_id = me  # a worker plans their own meetings: the form need not name them
        elif me is not None:
            return _bad(back, "not_yours")
        try:
            if action == "add_worker":
                if not _in_actor_reach(services, con, user, actor_id):
                    raise repo.FamilyError("out_of_reach")
                repo.add_member(services, con, family, actor_id, user.username)
            elif action == "remove_worker":
                repo.remove_member(services, con, family, actor_id, user.username)
            elif action == "plan_meeting":
                retention = setting_int(services, "retention_days")
                kind = str(form.get("kind", ""))[:40]
                day = form.get("meeting_date", "")
                if form.get("confirm") != "1":
                    when = repo.check_meeting(con, family, day, actor_id, kind, retention_days=retention)
                    check = _check(services, con, user, family, when, actor_id, kind)
                else:
                    repo.plan_meeting(
                        services, con, family, day, actor_id, kind, user.username, retention_days=retention
                    )
                    back = _back_of(form, family_id)
            elif action == "remove_meeting":
                meeting_id = _int(form.get("meeting_id"))
                if me is not None:
                    found = repo.meeting(con, family_id, meeting_id)
                    if found is not None and found.actor_id != me:
                        return _bad(back, "not_yours")
                repo.remove_meeting(services, con, family, meeting_id, user.username)
                back = _back_of(form, family_id)
            elif action == "close":
                if form.get("confirm") != "1":
                    return _bad(back, "confirm")
                repo.close_family(services, con, family, user.username)
            else:
                return _refused("unknown_action", back)
        except repo.FamilyError as exc:
            return _bad(back, exc.reason)
    if check is not None:
        return _render_check(check, form, family_id)
    return flask.redirect(f"{back}?done={action}", code=303)


def _check(
    services: Any, con: Any, user: Any, family: repo.Family, when: dt.date, actor_id: str, kind: str
) -> dict:
    """What the check step shows: the family's other meetings of the new meeting's ISO week and the
    pile-ups (in words) that the week and the day would have with the new meeting."""
    monday = when - dt.timedelta(days=when.weekday())
    week = iso_week(when)
    others = repo.meetings(con, [family.family_id], monday, monday + dt.timedelta(days=6))
    names = {w.actor_id: w.name for w in repo.team(con, family.family_id)}
    new = Meeting(family.family_id, when.isoformat(), actor_id, kind)
    limit = setting_int(services, "pile_up_meetings")
    found = [
        w
        for w in pile_ups([*(m.as_meeting() for m in others), new], limit)
        if (w.kind == DAY and w.when == new.meeting_date) or (w.kind != DAY and w.when == week)
    ]
    repo.record_view(services, con, [family.family_id], user.username, "plan_check")
    return {
        "family": family,
        "when": when.isoformat(),
        "week": week,
        "actor_id": actor_id,
        "worker": names.get(actor_id, actor_id),
        "kind": kind,
        "others": others,
        "names": names,
        "pile_ups": found,
        "limit": limit,
    }


def _render_check(check: dict, form: Any, family_id: int) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    names = check["names"]
    return render_page(
        "capacity_families/check.html",
        title=_("Check the meeting before saving"),
        family=check["family"],
        when=check["when"],
        week=check["week"],
        actor_id=check["actor_id"],
        worker=check["worker"],
        kind=check["kind"],
        kind_name=word(MEETING_KINDS, check["kind"], _.lang),
        others=[
            {
                "m": m,
                "worker": names.get(m.actor_id, m.actor_id),
                "kind": word(MEETING_KINDS, m.kind, _.lang),
            }
            for m in check["others"]
        ],
        warnings=[_pile_up_text(_, w, names) for w in check["pile_ups"]],
        limit=check["limit"],
        back="mine" if form.get("back") == "mine" else "team",
        back_path=_back_of(form, family_id),
        PATH=f"{FAMILIES_PATH}/{family_id}",
        BUTTON_STYLE=BUTTON_STYLE,
    )


def _int(value: object) -> int:
    try:
        return int(str(value or ""))
    except ValueError:
        return 0


# --- a worker's own families -------------------------------------------------------------------------------


@blueprint.get(MINE_PATH, strict_slashes=False)
@signed_in
def mine_page(services: Any, user: Any) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    today = _today()
    end = today + dt.timedelta(weeks=WEEKS_AHEAD, days=-1)
    limit = setting_int(services, "pile_up_meetings")
    cards, closed = [], []
    with services.transaction() as con:
        me = repo.linked_actor(con, user.username)
        families = repo.families_of_actor(con, me) if me else []
        ended = (
            repo.closed_families_of_actor(con, me, today - dt.timedelta(days=RECENT_CLOSED_DAYS))
            if me
            else []
        )
        # the policy decides each team too: a link alone is not a right to see
        families, ended = (
            [
                f
                for f in group
                if may_see_team(services, user, f.coordinator, repo.team_usernames(con, f.family_id))
            ]
            for group in (families, ended)
        )
        for family in families:
            workers = repo.team(con, family.family_id)
            names = {w.actor_id: w.name for w in workers}
            coming = repo.meetings(con, [family.family_id], today, end)
            warnings = pile_ups([m.as_meeting() for m in coming], limit)
            cards.append(
                {
                    "family": family,
                    "municipality": _municipality_name(services, family.municipality_code, _.lang),
                    "others": [w for w in workers if w.actor_id != me],
                    "meetings": [
                        {
                            "m": m,
                            "week": iso_week(dt.date.fromisoformat(m.meeting_date)),
                            "worker": names.get(m.actor_id, m.actor_id),
                            "mine": m.actor_id == me,
                            "kind": word(MEETING_KINDS, m.kind, _.lang),
                        }
                        for m in coming
                    ],
                    "warnings": [_pile_up_text(_, w, names) for w in warnings],
                }
            )
        for family in ended:
            closed.append(
                {
                    "family": family,
                    "municipality": _municipality_name(services, family.municipality_code, _.lang),
                }
            )
        seen = [f.family_id for f in families] + [f.family_id for f in ended]
        repo.record_view(services, con, seen, user.username, "mine")
    return render_page(
        "capacity_families/mine.html",
        title=_("My family teams"),
        linked=me is not None,
        cards=cards,
        closed=closed,
        recent_days=RECENT_CLOSED_DAYS,
        start=today.isoformat(),
        end=end.isoformat(),
        today=today.isoformat(),
        kinds=[(k, word(MEETING_KINDS, k, _.lang)) for k in MEETING_KINDS],
        message=_done(_, flask.request.args.get("done")),
        FAMILIES_PATH=FAMILIES_PATH,
        BUTTON_STYLE=BUTTON_STYLE,
        FIELD_STYLE=FIELD_STYLE,
    )


# --- worker accounts -----------------------------------------------------------------------------------------


@blueprint.get(WORKERS_PATH, strict_slashes=False)
@signed_in
def workers_page(services: Any, user: Any) -> flask.Response:
    from perhekeskus.ui import render_page

    _ = _translator()
    if not _reach(services, user):
        return _refused("forbidden")
    query = " ".join(flask.request.args.get("q", "").split())[:100]
    with services.reading() as con:
        actors = repo.actors_in(con, _actor_reach(services, user), query=query, limit=ACTOR_LIMIT)
        linked = repo.accounts(con, [a.actor_id for a in actors])
    return render_page(
        "capacity_families/workers.html",
        title=_("Workers' accounts"),
        actors=actors,
        linked=linked,
        query=query,
        limited=len(actors) >= ACTOR_LIMIT,
        limit=ACTOR_LIMIT,
        message=_done(_, flask.request.args.get("done")),
        PATH=WORKERS_PATH,
        FAMILIES_PATH=FAMILIES_PATH,
        BUTTON_STYLE=BUTTON_STYLE,
        FIELD_STYLE=FIELD_STYLE,
    )


@blueprint.post(WORKERS_PATH, strict_slashes=False)
@signed_in
def link(services: Any, user: Any) -> flask.Response:
    form, refusal = _form()
    if refusal is not None:
        return refusal
    if not _reach(services, user):
        return _refused("forbidden")
    action = str(form.get("action", ""))
    actor_id = str(form.get("actor_id", ""))[:64]
    with services.transaction() as con:
        try:
            if repo.actor(con, actor_id) is None:
                raise repo.FamilyError("unknown_worker")
            if not _in_actor_reach(services, con, user, actor_id):
                raise repo.FamilyError("out_of_reach")
            if action == "link":
                repo.link_account(services, con, actor_id, str(form.get("username", ""))[:64], user.username)
            elif action == "unlink":
                repo.unlink_account(services, con, actor_id, user.username)
            else:
                return _refused("unknown_action", WORKERS_PATH)
        except repo.FamilyError as exc:
            return _bad(WORKERS_PATH, exc.reason)
    return flask.redirect(f"{WORKERS_PATH}?done={action}", code=303)
