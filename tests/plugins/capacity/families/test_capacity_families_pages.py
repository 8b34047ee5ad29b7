"""The family-team pages end to end through Flask: a coordinator makes a family, builds its team and
plans meetings; the team's worker sees the others and the meetings; nobody else learns that the family
exists (404, never 403, and no code in any body); every view and change is audited without the code;
hostile input and forms without a CSRF token change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from capacity_families_world import audit_rows, client_of, post, table

from perhekeskus.plugins.capacity.families import repository as repo
from perhekeskus.plugins.capacity.families.hooks import navigation
from perhekeskus.plugins.capacity.model import FAMILY_CODE

FAMILIES = "/osaaminen/perheet"


def next_monday() -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 - today.weekday())


def make_family(coordinator, municipality: str = "536") -> int:
    response = post(coordinator, FAMILIES, {"municipality": municipality}, page=FAMILIES)
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/osaaminen/perheet/(\d+)\?done=created", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def change(client, family_id: int, **data):
    path = f"{FAMILIES}/{family_id}"
    return post(client, path, data, page=path)


def code_of(settings, family_id: int) -> str:
    return table(settings, "SELECT code FROM capacity_family WHERE family_id = ?", (family_id,))[0][0]


@pytest.fixture
def team(server, settings):
    """A Nokia family of coord_nokia with worker_a (a-nokia1) and worker_b (a-nokia2) and two meetings."""
    coordinator = client_of(server, "coord_nokia")
    family_id = make_family(coordinator)
    for actor_id in ("a-nokia1", "a-nokia2"):
        assert change(coordinator, family_id, action="add_worker", actor_id=actor_id).status_code == 303
    monday = next_monday()
    for day, actor_id in ((monday, "a-nokia1"), (monday + dt.timedelta(days=2), "a-nokia2")):
        response = change(
            coordinator,
            family_id,
            action="plan_meeting",
            meeting_date=day.isoformat(),
            actor_id=actor_id,
            kind="home_visit",
            confirm="1",  # the check page's button (test_capacity_families_planning.py checks that step)
        )
        assert response.status_code == 303, response.text
    return family_id, code_of(settings, family_id), coordinator


def test_a_coordinator_makes_a_family_and_sees_its_team_and_meetings(server, settings, team) -> None:
    family_id, code, coordinator = team
    assert FAMILY_CODE.match(code)
    page = coordinator.get(f"{FAMILIES}/{family_id}")
    assert page.status_code == 200
    text = page.text
    assert code in text and "Nokia" in text
    assert "Liisa Perhetyö" in text and "Nokian kaupunki" in text and "perhetyöntekijä" in text
    assert "Pekka Psykologi" in text and "psykologi" in text
    assert next_monday().isoformat() in text and "Home visit" in text
    listing = coordinator.get(FAMILIES).text
    row = re.search(
        rf"<tr><th scope=\"row\"><a href=\"{FAMILIES}/{family_id}\">{code}</a>.*?</tr>", listing, re.S
    )
    assert row, listing
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.S)
    assert cells[:3] == ["Nokia", "2", next_monday().isoformat()]
    assert "Meetings pile up" not in row.group(0)
    # last activity follows the latest meeting, the retention clock
    [(last,)] = table(
        settings, "SELECT last_activity_on FROM capacity_family WHERE family_id = ?", (family_id,)
    )
    assert last == (next_monday() + dt.timedelta(days=2)).isoformat()


def test_a_worker_sees_the_other_workers_and_the_coming_meetings(server, settings, team) -> None:
    family_id, code, _coordinator = team
    text = client_of(server, "worker_a").get("/osaaminen/omat").text
    assert code in text
    others = re.search(r"Other workers of the team</h3>\s*<ul>(.*?)</ul>", text, re.S).group(1)
    assert "Pekka Psykologi" in others and "Liisa Perhetyö" not in others
    assert next_monday().isoformat() in text and "(you)" in text
    # worker_a may open the team, but may change only their own meetings (no team or other forms)
    page = client_of(server, "worker_a").get(f"{FAMILIES}/{family_id}")
    assert page.status_code == 200 and code in page.text
    actions = set(re.findall(r'name="action" value="([a-z_]+)"', page.text))
    assert actions == {"plan_meeting", "remove_meeting"}


def test_pile_ups_are_said_in_words_to_the_worker_and_the_coordinator(server, settings, team) -> None:
    family_id, _code, coordinator = team
    monday = next_monday()
    for actor_id in ("a-nokia3", "a-nokia4"):
        assert change(coordinator, family_id, action="add_worker", actor_id=actor_id).status_code == 303
    # two more workers the same week: four different workers (> 3), two of them on Wednesday
    for actor_id in ("a-nokia3", "a-nokia4"):
        change(
            coordinator,
            family_id,
            action="plan_meeting",
            meeting_date=(monday + dt.timedelta(days=2)).isoformat(),
            actor_id=actor_id,
            kind="appointment",
            confirm="1",
        )
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    mine = client_of(server, "worker_a").get("/osaaminen/omat").text
    assert f"Meetings pile up in week {week}: 4 different workers meet the family" in mine
    assert "3 different workers meet the family on the same day" in mine
    assert f"Meetings pile up in week {week}" in coordinator.get(f"{FAMILIES}/{family_id}").text
    assert "Meetings pile up" in coordinator.get(FAMILIES).text


OUTSIDERS = ("coord_tampere", "coord_west", "worker_out", "admin1", "province1", "region_west")


@pytest.mark.parametrize("username", OUTSIDERS)
def test_nobody_else_learns_that_the_family_exists(server, settings, team, username) -> None:
    family_id, code, _coordinator = team
    client = client_of(server, username)
    seen = client.get(f"{FAMILIES}/{family_id}")
    missing = client.get(f"{FAMILIES}/999999")
    assert seen.status_code == missing.status_code == 404
    # the same page, but for the address in the language links
    assert seen.text.replace(f"{FAMILIES}/{family_id}?", "?") == missing.text.replace(
        f"{FAMILIES}/999999?", "?"
    )
    bodies = [
        seen.text,
        client.get(FAMILIES).text,
        client.get("/osaaminen/omat").text,
        client.get("/osaaminen/tyontekijat").text,
    ]
    changed = post(client, f"{FAMILIES}/{family_id}", {"action": "remove_worker", "actor_id": "a-nokia1"})
    bodies.append(changed.text)
    assert changed.status_code == 404
    assert all(code not in body for body in bodies)
    assert len(table(settings, "SELECT * FROM capacity_team_member WHERE family_id = ?", (family_id,))) == 2


def test_anonymous_visitors_are_sent_to_sign_in(server, team) -> None:
    family_id, code, _coordinator = team
    client = client_of(server, None)
    for path in (FAMILIES, f"{FAMILIES}/{family_id}", "/osaaminen/omat", "/osaaminen/tyontekijat"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/kirjaudu"
        assert code not in response.text
    response = client.post(
        f"{FAMILIES}/{family_id}",
        data={"action": "close", "confirm": "1"},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code in (303, 400) and code not in response.text


def test_a_worker_of_the_team_may_not_change_it(server, settings, team) -> None:
    family_id, _code, _coordinator = team
    worker = client_of(server, "worker_a")
    response = change(worker, family_id, action="remove_worker", actor_id="a-nokia2")
    assert response.status_code == 403
    assert len(table(settings, "SELECT * FROM capacity_team_member WHERE family_id = ?", (family_id,))) == 2


def test_views_and_changes_are_audited_with_the_id_never_the_code(server, settings, team) -> None:
    family_id, code, coordinator = team
    coordinator.get(f"{FAMILIES}/{family_id}")
    client_of(server, "worker_b").get("/osaaminen/omat")
    change(coordinator, family_id, action="close", confirm="1")
    rows = audit_rows(settings)
    kinds = [(r["actor"], r["action"]) for r in rows]
    assert ("coord_nokia", "capacity_family_created") in kinds
    assert kinds.count(("coord_nokia", "capacity_team_changed")) == 2
    assert kinds.count(("coord_nokia", "capacity_meeting_changed")) == 2
    assert ("coord_nokia", "capacity_family_viewed") in kinds and (
        "worker_b",
        "capacity_family_viewed",
    ) in kinds
    assert ("coord_nokia", "capacity_family_closed") in kinds
    for row in rows:
        if row["action"] != "capacity_worker_linked":
            assert (
                row["details"]["family_id"] == family_id and row["target"] == f"capacity_family:{family_id}"
            )
    everything = str(table(settings, "SELECT * FROM audit_log"))
    assert code not in everything and code.replace("-", "") not in everything


def test_a_closed_team_keeps_its_past_and_refuses_changes(server, settings, team) -> None:
    family_id, _code, coordinator = team
    assert change(coordinator, family_id, action="close").status_code == 400  # not confirmed
    assert change(coordinator, family_id, action="close", confirm="1").status_code == 303
    [(closed_on,)] = table(
        settings, "SELECT closed_on FROM capacity_family WHERE family_id = ?", (family_id,)
    )
    assert closed_on == dt.date.today().isoformat()
    assert (
        table(settings, "SELECT * FROM capacity_meeting WHERE family_id = ?", (family_id,)) == []
    )  # all ahead
    response = change(coordinator, family_id, action="add_worker", actor_id="a-nokia3")
    assert response.status_code == 400 and "closed" in response.text


def test_forms_without_the_csrf_token_change_nothing(server, settings, team) -> None:
    family_id, _code, coordinator = team
    before = table(settings, "SELECT count(*) FROM capacity_family")
    for data in ({"municipality": "536"}, {"municipality": "536", "csrf_token": "forged"}):
        response = coordinator.post(FAMILIES, data=data, headers={"Origin": "http://localhost"})
        assert response.status_code == 400
    response = coordinator.post(
        f"{FAMILIES}/{family_id}",
        data={"action": "close", "confirm": "1"},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 400
    assert table(settings, "SELECT count(*) FROM capacity_family") == before
    assert table(settings, "SELECT closed_on FROM capacity_family WHERE family_id = ?", (family_id,)) == [
        (None,)
    ]


HETU = "131052-308T"  # the format of a Finnish identity code (the example of the Digital and Population Data Services Agency)
HOSTILE = ("<script>alert(1)</script>", HETU, "Matti Meikäläinen", "x" * 1_000_000)


def store_text(settings) -> str:
    parts = []
    for (name,) in table(settings, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        parts.append(str(table(settings, f'SELECT * FROM "{name}"')))
    return "\n".join(parts)


@pytest.mark.parametrize("value", HOSTILE, ids=("script", "hetu", "name", "megabyte"))
def test_hostile_values_in_every_field_are_refused_and_kept_nowhere(server, settings, team, value) -> None:
    family_id, _code, coordinator = team
    forms = [
        (FAMILIES, {"municipality": value}),
        (f"{FAMILIES}/{family_id}", {"action": "add_worker", "actor_id": value}),
        (f"{FAMILIES}/{family_id}", {"action": value}),
        (
            f"{FAMILIES}/{family_id}",
            {"action": "plan_meeting", "meeting_date": value, "actor_id": "a-nokia1", "kind": "appointment"},
        ),
        (
            f"{FAMILIES}/{family_id}",
            {
                "action": "plan_meeting",
                "meeting_date": next_monday().isoformat(),
                "actor_id": "a-nokia1",
                "kind": value,
            },
        ),
        (f"{FAMILIES}/{family_id}", {"action": "remove_meeting", "meeting_id": value}),
        ("/osaaminen/tyontekijat", {"action": "link", "actor_id": "a-nokia3", "username": value}),
    ]
    for path, data in forms:
        response = post(coordinator, path, data, page=path if path != "/osaaminen/tyontekijat" else None)
        assert response.status_code in (400, 413), (path, data.keys(), response.status_code)
        assert "<script>alert" not in response.text
    assert value not in store_text(settings)
    assert table(settings, "SELECT count(*) FROM capacity_meeting WHERE family_id = ?", (family_id,)) == [
        (2,)
    ]
    assert table(settings, "SELECT count(*) FROM capacity_family") == [(1,)]


def test_the_coordinator_gives_no_free_text_at_all(server, team) -> None:
    family_id, _code, coordinator = team
    pages = coordinator.get(FAMILIES).text + coordinator.get(f"{FAMILIES}/{family_id}").text
    assert "<textarea" not in pages
    # the only text inputs are the search of workers (GET, never stored) and the date
    inputs = re.findall(r"<input[^>]*>", pages)
    typed = [i for i in inputs if 'type="hidden"' not in i and 'type="checkbox"' not in i]
    assert all('type="search"' in i or 'type="date"' in i for i in typed), typed


def test_a_coordinator_links_worker_accounts_within_their_area(server, settings) -> None:
    nokia = client_of(server, "coord_nokia")
    assert (
        post(nokia, "/osaaminen/tyontekijat", {"action": "unlink", "actor_id": "a-nokia5"}).status_code == 303
    )
    response = post(
        nokia, "/osaaminen/tyontekijat", {"action": "link", "actor_id": "a-nokia3", "username": "worker_out"}
    )
    assert response.status_code == 303
    assert table(settings, "SELECT username FROM capacity_worker_account WHERE actor_id = 'a-nokia3'") == [
        ("worker_out",)
    ]
    # an account linked to another actor, an unknown account, an actor of another municipality: refused
    again = post(
        nokia, "/osaaminen/tyontekijat", {"action": "link", "actor_id": "a-nokia4", "username": "worker_a"}
    )
    assert again.status_code == 400 and "already linked" in again.text
    unknown = post(
        nokia, "/osaaminen/tyontekijat", {"action": "link", "actor_id": "a-nokia4", "username": "nobody"}
    )
    assert unknown.status_code == 400
    far = post(
        nokia, "/osaaminen/tyontekijat", {"action": "link", "actor_id": "a-tampere", "username": "worker_out"}
    )
    assert far.status_code == 400
    page = nokia.get("/osaaminen/tyontekijat").text
    assert "Sanna Seurakunta" in page and "Tiina Tampere" not in page
    linked = [r for r in audit_rows(settings) if r["action"] == "capacity_worker_linked"]
    assert [(r["details"]["op"], r["details"]["actor_id"]) for r in linked] == [
        ("unlink", "a-nokia5"),
        ("link", "a-nokia3"),
    ]
    # neither a worker nor an administrator keeps the links
    assert client_of(server, "worker_a").get("/osaaminen/tyontekijat").status_code == 403
    assert client_of(server, "admin1").get("/osaaminen/tyontekijat").status_code == 403


def test_the_store_draws_another_code_when_one_exists(services) -> None:
    codes = iter(["PK-2222-2222", "PK-2222-2222", "PK-3333-3333"])
    with services.transaction() as con:
        first = repo.create_family(services, con, "coord_nokia", "536", make_code=lambda: next(codes))
        second = repo.create_family(services, con, "coord_nokia", "536", make_code=lambda: next(codes))
    assert (first.code, second.code) == ("PK-2222-2222", "PK-3333-3333")


class _Role:
    def __init__(self, role: str, scope: str = "") -> None:
        self.role, self.scope = role, scope


class _User:
    def __init__(self, *roles: str) -> None:
        self.username, self.disabled, self.roles = "u", False, [_Role(r) for r in roles]


@pytest.mark.parametrize(
    ("lang", "label"), (("fi", "Perheiden tiimit"), ("sv", "Familjernas team"), ("en", "Family teams"))
)
def test_navigation_is_for_coordinators_and_workers_only(services, lang, label) -> None:
    [entry] = navigation(_User("coordinator"), lang, services)
    assert (entry.path, entry.label) == ("/osaaminen/perheet", label)
    [entry] = navigation(_User("worker"), lang, services)
    assert (entry.path, entry.label) == ("/osaaminen/omat", label)
    for user in (
        None,
        _User("admin"),
        _User("province"),
        _User("region"),
        _User("local"),
        _User("moderator"),
    ):
        assert navigation(user, lang, services) == []


@pytest.mark.parametrize(
    ("lang", "title", "warning"),
    (
        ("fi", "Perheiden tiimit", "Uusi perheen tiimi"),
        ("sv", "Familjernas team", "Nytt familjeteam"),
    ),
)
def test_the_pages_speak_finnish_and_swedish(server, team, lang, title, warning) -> None:
    family_id, _code, _coordinator = team
    client = client_of(server, "coord_nokia", lang)
    listing = client.get(FAMILIES).text
    assert f"<h1>{title}</h1>" in listing and warning in listing
    team_page = client.get(f"{FAMILIES}/{family_id}").text
    assert ("Tiimin työntekijät" if lang == "fi" else "Teamets arbetstagare") in team_page
    assert ("Kotikäynti" if lang == "fi" else "Hembesök") in team_page
