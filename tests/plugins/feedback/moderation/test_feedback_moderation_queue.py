"""The moderation queue through Flask: sign-in, permissions by area, the actions and their audit entries,
CSRF, escaping and paging."""

from __future__ import annotations

import json
import re

import pytest
from feedback_moderation_world import (
    ORIGIN,
    add_answer,
    answer_row,
    answer_themes,
    audit_rows,
    client_of,
    token,
)

from perhekeskus.plugins.feedback.moderation import hooks, suggest
from perhekeskus.plugins.feedback.moderation import themes as themes_module
from perhekeskus.plugins.feedback.moderation.queue import PAGE_SIZE
from perhekeskus.plugins.feedback.moderation.suggest import suggest_for_new
from perhekeskus.plugins.feedback.moderation.themes import load_themes

QUEUE = "/palaute/moderointi/"
XSS = '<script>alert("x")</script>'


@pytest.fixture(scope="module", autouse=True)
def finnish_loaded() -> None:
    """The queue suggests synchronously once the Finnish dictionary is in memory (as in a running app)."""
    load_themes().suggest("jono", "fi")


def post(client, answer_id: int, **data):
    page = client.get(QUEUE + "?status=all")
    data.setdefault("csrf_token", token(page.text))
    return client.post(f"/palaute/moderointi/{answer_id}", data=data, headers=ORIGIN)


def shown_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'<article class="panel" id="answer-(\d+)"', html)}


def test_anonymous_visitors_are_sent_to_sign_in_and_a_local_user_is_refused(server, settings) -> None:
    answer = add_answer(settings, "536", "Hyvä")
    anonymous = client_of(server, None)
    response = anonymous.get(QUEUE)
    assert response.status_code == 303 and response.headers["Location"].endswith("/kirjaudu")
    assert (
        anonymous.post(
            f"/palaute/moderointi/{answer}", data={"action": "approve"}, headers=ORIGIN
        ).status_code
        == 303
    )
    local = client_of(server, "local_nokia", through_form=True)
    assert local.get(QUEUE).status_code == 403
    assert local.post(
        f"/palaute/moderointi/{answer}", data={"action": "approve", "csrf_token": "x"}, headers=ORIGIN
    ).status_code in (400, 403)
    assert answer_row(settings, answer)["status"] == "new"


def test_an_area_moderator_sees_and_acts_on_that_area_only(server, settings) -> None:
    nokia = add_answer(settings, "536", "Nokialla hyvä")  # Läntinen alue
    tampere = add_answer(settings, "837", "Tampereella hyvä")  # Pohjoinen alue
    other = add_answer(settings, "other", "Muualta")
    west = client_of(server, "mod_west")
    page = west.get(QUEUE)
    assert page.status_code == 200
    assert shown_ids(page.text) == {nokia}
    # filtering by another area's municipality shows nothing of it
    assert shown_ids(west.get(QUEUE + "?municipality=837").text) == {nokia}
    # posting the other area's answer id directly is refused and changes nothing
    for target in (tampere, other):
        response = post(west, target, action="approve")
        assert response.status_code == 403
        assert answer_row(settings, target)["status"] == "new"
    assert post(west, tampere, action="themes", theme="waiting").status_code == 403
    assert answer_themes(settings, tampere).get("waiting") != "confirmed"
    assert audit_rows(settings) == []
    # a moderator of one municipality sees that one
    assert shown_ids(client_of(server, "mod_tampere").get(QUEUE).text) == {tampere}
    # "other" only for moderators of the whole province and administrators
    assert shown_ids(client_of(server, "mod_all").get(QUEUE).text) == {nokia, tampere, other}
    admin = client_of(server, "admin1")
    assert shown_ids(admin.get(QUEUE + "?municipality=other").text) == {other}
    assert post(admin, other, action="approve").status_code == 303


def test_actions_change_the_answer_and_write_one_audit_entry_each(server, settings) -> None:
    answer = add_answer(settings, "536", "Työntekijä kuunteli meitä.", "Jonossa odotimme liian kauan.")
    west = client_of(server, "mod_west")
    # publishable before approval is refused
    assert post(west, answer, action="publishable", good_publishable="1").status_code == 400
    assert answer_row(settings, answer)["good_publishable"] == 0

    response = post(west, answer, action="approve", back="/palaute/moderointi/?status=new&page=1")
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/palaute/moderointi/?status=new&page=1&done=approve")
    row = answer_row(settings, answer)
    assert row["status"] == "approved" and row["moderated_by"] == "mod_west" and row["moderated_at"]

    assert post(west, answer, action="publishable", good_publishable="1").status_code == 303
    row = answer_row(settings, answer)
    assert (row["good_publishable"], row["change_publishable"]) == (1, 0)

    assert post(west, answer, action="themes", theme=["waiting", "cost"]).status_code == 303
    assert answer_themes(settings, answer) == {"waiting": "confirmed", "cost": "confirmed"}
    assert post(west, answer, action="themes", theme=["no_such_theme"]).status_code == 400

    assert post(west, answer, action="hide").status_code == 303
    row = answer_row(settings, answer)
    assert row["status"] == "hidden" and row["good_publishable"] == 0  # hidden is quoted nowhere

    entries = audit_rows(settings)
    assert [json.loads(e["details"])["action"] for e in entries] == [
        "approve",
        "publishable",
        "themes",
        "hide",
    ]
    assert all(e["actor"] == "mod_west" and e["target"] == f"feedback_answer:{answer}" for e in entries)
    assert json.loads(entries[2]["details"])["themes"] == ["cost", "waiting"]
    assert not any("Jonossa" in e["details"] or "kuunteli" in e["details"] for e in entries)  # never the text
    # a moderator's themes are never replaced by later suggestions
    suggest_for_new(settings)
    assert answer_themes(settings, answer) == {"waiting": "confirmed", "cost": "confirmed"}


def test_a_post_without_the_csrf_token_or_from_another_site_is_refused(server, settings) -> None:
    answer = add_answer(settings, "536", "Hyvä")
    west = client_of(server, "mod_west")
    assert post(west, answer, action="approve", csrf_token="forged").status_code == 400
    no_token = west.post(f"/palaute/moderointi/{answer}", data={"action": "approve"}, headers=ORIGIN)
    assert no_token.status_code == 400
    page = west.get(QUEUE)
    cross = west.post(
        f"/palaute/moderointi/{answer}",
        data={"action": "approve", "csrf_token": token(page.text)},
        headers={"Origin": "https://evil.example"},
    )
    assert cross.status_code == 403
    assert answer_row(settings, answer)["status"] == "new" and audit_rows(settings) == []


def test_texts_are_shown_as_text_and_suggested_themes_are_preselected(server, settings) -> None:
    answer = add_answer(settings, "536", XSS + " <b>lihava</b>", "Jonossa odotimme kauan.")
    html = client_of(server, "mod_west").get(QUEUE).text
    assert XSS not in html and "<b>lihava</b>" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;lihava&lt;/b&gt;" in html
    assert answer_themes(settings, answer) == {"waiting": "suggested"}  # suggested when the queue opened
    checkbox = re.search(rf'<input type="checkbox" id="answer-{answer}-theme-waiting"[^>]*>([^<]*)<em>', html)
    assert checkbox and "checked" in checkbox.group(0)
    assert "(suggested)" in html
    unchecked = re.search(rf'<input type="checkbox" id="answer-{answer}-theme-cost"[^>]*>', html)
    assert unchecked and "checked" not in unchecked.group(0)
    # quotes cannot be marked before approval
    good = re.search(rf'<input type="checkbox" id="answer-{answer}-good"[^>]*>', html)
    assert good and "disabled" in good.group(0)


def test_the_queue_pages_and_filters(server, settings) -> None:
    ids = [
        add_answer(settings, "790", f"Vastaus {i}", received_on=f"2026-10-{1 + i % 28:02d}")
        for i in range(PAGE_SIZE + 5)
    ]
    approved = add_answer(settings, "790", "Hyväksytty", status="approved")
    expensive = add_answer(settings, "790", "Asiakasmaksu on kallis.")
    west = client_of(server, "mod_west")
    first = west.get(QUEUE)
    assert len(shown_ids(first.text)) == PAGE_SIZE
    assert "page 1 of 2" in first.text and 'rel="next"' in first.text
    second = west.get(QUEUE + "?status=new&page=2")
    assert shown_ids(first.text) | shown_ids(second.text) == {*ids, expensive}
    assert shown_ids(west.get(QUEUE + "?status=approved").text) == {approved}
    assert shown_ids(west.get(QUEUE + "?status=all&theme=cost").text) == {expensive}
    assert west.get(QUEUE + "?page=banana&status=<x>").status_code == 200


def test_the_navigation_entry_is_for_those_who_may_moderate(settings) -> None:
    from perhekeskus import Services
    from perhekeskus.dashboard.access import users

    services = Services.create(settings)
    for name, shown in (("mod_west", True), ("admin1", True), ("local_nokia", False)):
        entries = hooks.navigation(users.get(settings, name), "fi", services)
        assert bool(entries) is shown, name
        if shown:
            assert entries[0].path == "/palaute/moderointi" and entries[0].label == "Palautteen moderointi"
    assert hooks.navigation(None, "fi", services) == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_queue_speaks_finnish_and_swedish(server, settings, lang: str) -> None:
    add_answer(settings, "536", "Hyvä")
    client = client_of(server, "mod_west")
    html = client.get(QUEUE + f"?lang={lang}").text
    assert {"fi": "Palautteen moderointi", "sv": "Moderering av respons"}[lang] in html
    assert {"fi": "Hyväksy", "sv": "Godkänn"}[lang] in html


def test_a_language_not_yet_loaded_is_suggested_in_the_background_while_the_page_says_so(
    server, settings, monkeypatch
) -> None:
    answer = add_answer(settings, "536", "", "Jonossa odotimme kauan.")
    monkeypatch.setattr(themes_module, "_LOADED", set())  # as in a fresh web worker
    html = client_of(server, "mod_west").get(QUEUE).text
    assert 'id="fm-suggesting"' in html and f'id="answer-{answer}"' in html
    thread = suggest._BACKGROUND.get(settings.home.resolve())
    if thread is not None:
        thread.join(60)
    assert answer_themes(settings, answer) == {"waiting": "suggested"}
    assert not suggest.suggesting(settings)
