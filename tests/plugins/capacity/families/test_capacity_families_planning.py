"""A worker arranging a meeting (seed 004): a worker of a family's team plans and removes their OWN
meetings with the family, from their own page or the team page. Before anything is saved, a check page
shows the family's other meetings of that week and says in words when the new meeting would pile up; the
worker may still save it (the check page's own form, no JavaScript). Coordinators plan anyone's meetings
through the same step. Audited with the integer family id only; families a worker is not in stay 404;
recently closed teams show as closed on the worker's page, older ones are said not to be listed."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from capacity_families_world import audit_rows, client_of, post, table

FAMILIES = "/osaaminen/perheet"
MINE = "/osaaminen/omat"


def next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def week_of(day: dt.date) -> str:
    return "{}-W{:02d}".format(*day.isocalendar()[:2])


def change(client, family_id: int, page: str | None = None, **data):
    path = f"{FAMILIES}/{family_id}"
    return post(client, path, data, page=page or path)


def meetings_of(settings, family_id: int) -> list[tuple]:
    return table(
        settings,
        "SELECT meeting_date, actor_id, kind, created_by FROM capacity_meeting WHERE family_id = ? "
        "ORDER BY meeting_date, actor_id",
        (family_id,),
    )


def confirm_form(page_html: str) -> tuple[str, dict]:
    """The check page's saving form as a browser would send it: its action and every field."""
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page_html, re.S)
    assert form, page_html
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(2)))
    return form.group(1), {k: html.unescape(v) for k, v in fields.items()}


@pytest.fixture
def family(server, settings):
    """A Nokia family of coord_nokia: worker_a (a-nokia1), worker_b (a-nokia2) and a-nokia3 (no account),
    meetings next Monday (a-nokia1), Wednesday (a-nokia2) and Thursday (a-nokia3)."""
    coordinator = client_of(server, "coord_nokia")
    response = post(coordinator, FAMILIES, {"municipality": "536"}, page=FAMILIES)
    family_id = int(re.search(r"/(\d+)\?done=created", response.headers["Location"]).group(1))
    for actor_id in ("a-nokia1", "a-nokia2", "a-nokia3"):
        assert change(coordinator, family_id, action="add_worker", actor_id=actor_id).status_code == 303
    monday = next_monday()
    for days, actor_id in ((0, "a-nokia1"), (2, "a-nokia2"), (3, "a-nokia3")):
        response = change(
            coordinator,
            family_id,
            action="plan_meeting",
            meeting_date=(monday + dt.timedelta(days=days)).isoformat(),
            actor_id=actor_id,
            kind="appointment",
            confirm="1",
        )
        assert response.status_code == 303, response.text
    code = table(settings, "SELECT code FROM capacity_family WHERE family_id = ?", (family_id,))[0][0]
    return family_id, code, coordinator


def test_a_worker_checks_the_week_then_saves_their_own_meeting(server, settings, family) -> None:
    family_id, code, _coordinator = family
    worker = client_of(server, "worker_a")
    mine = worker.get(MINE).text
    assert f'action="{FAMILIES}/{family_id}"' in mine and 'name="back" value="mine"' in mine
    tuesday = next_monday() + dt.timedelta(days=1)
    before = meetings_of(settings, family_id)

    check = change(
        worker,
        family_id,
        page=MINE,
        action="plan_meeting",
        meeting_date=tuesday.isoformat(),
        kind="home_visit",
        back="mine",
    )
    assert check.status_code == 200
    text = html.unescape(check.text)
    assert "Check the meeting before saving" in text and code in text
    assert f"The family's other meetings in week {week_of(tuesday)}" in text
    # the other meetings of that week, with their workers, are shown before saving
    for name in ("Liisa Perhetyö", "Pekka Psykologi", "Sanna Seurakunta"):
        assert name in text
    assert "The meeting does not pile up with the family's other meetings." in text
    assert "Save the meeting anyway" not in text
    assert meetings_of(settings, family_id) == before  # nothing saved yet

    action, fields = confirm_form(check.text)
    assert action == f"{FAMILIES}/{family_id}"
    assert fields["confirm"] == "1" and fields["actor_id"] == "a-nokia1"
    saved = worker.post(action, data=fields, headers={"Origin": "http://localhost"})
    assert saved.status_code == 303 and saved.headers["Location"] == f"{MINE}?done=plan_meeting"
    assert (tuesday.isoformat(), "a-nokia1", "home_visit", "worker_a") in meetings_of(settings, family_id)
    assert "The meeting was planned." in worker.get(saved.headers["Location"]).text

    planned = [
        r
        for r in audit_rows(settings)
        if r["actor"] == "worker_a" and r["action"] == "capacity_meeting_changed"
    ]
    assert len(planned) == 1
    assert planned[0]["target"] == f"capacity_family:{family_id}"
    assert set(planned[0]["details"]) == {"family_id", "op", "meeting_id"}
    assert planned[0]["details"]["family_id"] == family_id and planned[0]["details"]["op"] == "plan"
    assert isinstance(planned[0]["details"]["family_id"], int)
    everything = str(table(settings, "SELECT * FROM audit_log"))
    assert code not in everything and code.replace("-", "") not in everything


def test_the_check_says_in_words_when_the_new_meeting_would_pile_up(server, settings, family) -> None:
    family_id, _code, _coordinator = family
    worker = client_of(server, "worker_a")
    friday = next_monday() + dt.timedelta(days=4)
    wednesday = next_monday() + dt.timedelta(days=2)
    # worker_a already meets the family on Monday: one more meeting of theirs is no new worker that week
    same = change(
        worker, family_id, action="plan_meeting", meeting_date=friday.isoformat(), kind="appointment"
    )
    assert same.status_code == 200 and "does not pile up" in same.text

    # a fourth worker (limit 3) in the week: add a-nokia5, whose account is worker_out's
    coordinator = client_of(server, "coord_nokia")
    assert change(coordinator, family_id, action="add_worker", actor_id="a-nokia5").status_code == 303
    outsider_now_in = client_of(server, "worker_out")  # linked to a-nokia5
    check = change(
        outsider_now_in, family_id, action="plan_meeting", meeting_date=wednesday.isoformat(), kind="group"
    )
    assert check.status_code == 200
    text = html.unescape(check.text)
    assert "With this meeting, the family's meetings would pile up:" in text
    assert f"Meetings pile up in week {week_of(wednesday)}: 4 different workers meet the family" in text
    assert (
        f"Meetings pile up on {wednesday.isoformat()}: 2 different workers meet the family on the same day"
        in text
    )
    assert "Ville Valvoja" in text and "Pekka Psykologi" in text
    assert 'role="alert"' in check.text and "Save the meeting anyway" in text
    assert ("a-nokia5",) not in table(settings, "SELECT actor_id FROM capacity_meeting")

    # the worker may still save after seeing the warning
    action, fields = confirm_form(check.text)
    saved = outsider_now_in.post(action, data=fields, headers={"Origin": "http://localhost"})
    assert (
        saved.status_code == 303 and saved.headers["Location"] == f"{FAMILIES}/{family_id}?done=plan_meeting"
    )
    assert (wednesday.isoformat(), "a-nokia5", "group", "worker_out") in meetings_of(settings, family_id)
    assert f"Meetings pile up in week {week_of(wednesday)}" in client_of(server, "worker_a").get(MINE).text


def test_a_worker_changes_only_their_own_meetings(server, settings, family) -> None:
    family_id, _code, _coordinator = family
    worker = client_of(server, "worker_a")
    monday = next_monday()
    before = meetings_of(settings, family_id)
    other = change(
        worker,
        family_id,
        action="plan_meeting",
        meeting_date=monday.isoformat(),
        actor_id="a-nokia2",
        kind="appointment",
        confirm="1",
    )
    assert other.status_code == 400 and "only your own meetings" in other.text
    ids = dict(
        table(settings, "SELECT actor_id, meeting_id FROM capacity_meeting WHERE family_id = ?", (family_id,))
    )
    not_mine = change(worker, family_id, action="remove_meeting", meeting_id=str(ids["a-nokia2"]))
    assert not_mine.status_code == 400 and "only your own meetings" in not_mine.text
    for data in (
        {"action": "add_worker", "actor_id": "a-nokia4"},
        {"action": "close", "confirm": "1"},
        {"action": "remove_worker", "actor_id": "a-nokia1"},
    ):
        assert change(worker, family_id, **data).status_code == 403
    assert meetings_of(settings, family_id) == before

    # the team page offers worker_a the remove button of their own meeting only
    page = worker.get(f"{FAMILIES}/{family_id}").text
    assert re.findall(r'name="meeting_id" value="(\d+)"', page) == [str(ids["a-nokia1"])]
    assert 'id="ct-plan-mine"' in page and 'id="ct-worker"' not in page
    own = change(
        worker, family_id, page=MINE, action="remove_meeting", meeting_id=str(ids["a-nokia1"]), back="mine"
    )
    assert own.status_code == 303 and own.headers["Location"] == f"{MINE}?done=remove_meeting"
    assert [m[1] for m in meetings_of(settings, family_id)] == ["a-nokia2", "a-nokia3"]
    removed = [
        r
        for r in audit_rows(settings)
        if r["actor"] == "worker_a" and r["action"] == "capacity_meeting_changed"
    ]
    assert [r["details"] for r in removed] == [
        {"family_id": family_id, "op": "remove", "meeting_id": ids["a-nokia1"]}
    ]


def test_a_worker_outside_the_team_gets_404_and_sees_nothing(server, settings, family) -> None:
    family_id, code, _coordinator = family
    outsider = client_of(server, "worker_out")  # a-nokia5, not in this team
    for data in (
        {"action": "plan_meeting", "meeting_date": next_monday().isoformat(), "kind": "appointment"},
        {
            "action": "plan_meeting",
            "meeting_date": next_monday().isoformat(),
            "kind": "appointment",
            "confirm": "1",
        },
        {"action": "remove_meeting", "meeting_id": "1"},
    ):
        response = post(outsider, f"{FAMILIES}/{family_id}", data)
        assert response.status_code == 404 and code not in response.text
    assert code not in outsider.get(MINE).text
    assert ("a-nokia5",) not in table(settings, "SELECT actor_id FROM capacity_meeting")


def test_a_coordinator_plans_any_workers_meeting_through_the_check(server, settings, family) -> None:
    family_id, _code, coordinator = family
    wednesday = next_monday() + dt.timedelta(days=2)
    check = change(
        coordinator,
        family_id,
        action="plan_meeting",
        meeting_date=wednesday.isoformat(),
        actor_id="a-nokia3",
        kind="network_meeting",
    )
    assert check.status_code == 200
    text = html.unescape(check.text)
    assert f"Meetings pile up on {wednesday.isoformat()}: 2 different workers" in text
    action, fields = confirm_form(check.text)
    assert fields["actor_id"] == "a-nokia3" and fields["back"] == "team"
    saved = coordinator.post(action, data=fields, headers={"Origin": "http://localhost"})
    assert (
        saved.status_code == 303 and saved.headers["Location"] == f"{FAMILIES}/{family_id}?done=plan_meeting"
    )
    assert (wednesday.isoformat(), "a-nokia3", "network_meeting", "coord_nokia") in meetings_of(
        settings, family_id
    )
    # a bad date is refused at the check already
    bad = change(
        coordinator,
        family_id,
        action="plan_meeting",
        meeting_date="2026-02-30",
        actor_id="a-nokia3",
        kind="appointment",
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("lang", ("fi", "sv"))
def test_the_check_page_speaks_finnish_and_swedish(server, family, lang) -> None:
    family_id, _code, _coordinator = family
    worker = client_of(server, "worker_a", lang)
    check = change(
        worker, family_id, action="plan_meeting", meeting_date=next_monday().isoformat(), kind="appointment"
    )
    expected = {"fi": "Tarkista tapaaminen ennen tallentamista", "sv": "Kontrollera mötet innan du sparar"}
    assert f"<h1>{expected[lang]}</h1>" in check.text


def test_recently_closed_teams_show_as_closed_and_older_ones_are_explained(server, settings, family) -> None:
    family_id, code, coordinator = family
    # an older team of worker_a, closed 40 days ago
    older = post(coordinator, FAMILIES, {"municipality": "536"}, page=FAMILIES)
    older_id = int(re.search(r"/(\d+)\?done=created", older.headers["Location"]).group(1))
    assert change(coordinator, older_id, action="add_worker", actor_id="a-nokia1").status_code == 303
    old_code = table(settings, "SELECT code FROM capacity_family WHERE family_id = ?", (older_id,))[0][0]
    long_ago = (dt.date.today() - dt.timedelta(days=40)).isoformat()
    from perhekeskus.warehouse import operational

    with operational.transaction(settings) as con:
        con.execute("UPDATE capacity_family SET closed_on = ? WHERE family_id = ?", (long_ago, older_id))

    worker = client_of(server, "worker_a")
    assert "None of your teams was closed in the last 28 days." in html.unescape(worker.get(MINE).text)
    assert change(coordinator, family_id, action="close", confirm="1").status_code == 303
    page = html.unescape(worker.get(MINE).text)
    closed = re.search(r'<h2 id="cm-closed">.*?</ul>', page, re.S)
    assert closed, page
    today = dt.date.today().isoformat()
    assert (
        code in closed.group(0)
        and f"closed {today}" in closed.group(0)
        and "no meetings ahead." in closed.group(0)
    )
    assert old_code not in page  # closed 40 days ago: not listed, and the page says why
    assert "A team closed more than 28 days ago is not listed here" in page
    assert "You are not in any family's team." in page
    assert f'action="{FAMILIES}/{family_id}"' not in page  # no form for a closed team
    # the closed team opens read-only for the worker, and refuses new meetings
    team = worker.get(f"{FAMILIES}/{family_id}")
    assert team.status_code == 200 and 'name="action"' not in team.text
    refused = change(
        worker, family_id, page=MINE, action="plan_meeting", meeting_date=today, kind="appointment"
    )
    assert refused.status_code in (400, 403)
    # the view of the closed team is audited with its id
    views = [
        r
        for r in audit_rows(settings)
        if r["actor"] == "worker_a" and r["action"] == "capacity_family_viewed"
    ]
    assert any(r["details"]["family_id"] == family_id for r in views)
