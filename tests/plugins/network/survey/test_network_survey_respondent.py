"""The respondent's form through Flask: save, continue with the same link, edit, submit; the ties in
network_tie; invalid, revoked and guessed links; a closed round; bad bodies; names shown as text."""

from __future__ import annotations

import re

from network_survey_support import (
    ORIGIN,
    XSS,
    actor_id,
    english,
    post_answers,
    survey_round,
    ties,
    token,
)

from perhekeskus.plugins.network.survey import answers, rounds
from perhekeskus.plugins.network.survey.links import link_path


def link(tokens: dict, name: str) -> str:
    return link_path(tokens[name])


def contact_ids(html: str) -> list[str]:
    return re.findall(r'name="c\d+" value="([^"]+)"', html)


def test_save_continue_edit_and_submit(server, settings):
    opened, tokens = survey_round(settings)
    client = english(server)
    maija, ville = actor_id(settings, "Maija Meikäläinen"), actor_id(settings, "Ville Virtanen")
    me = link(tokens, "Liisa Laine")

    first = client.get(me)
    assert first.status_code == 200
    assert "Verkostokysely" in first.text and "Liisa Laine" in first.text
    assert "pseudonyms" in first.text  # how the answers are used
    assert first.headers["Cache-Control"] == "no-store"
    assert "Maija" not in first.text  # the roster is searched, not listed

    # search (saves first, then shows the matches on a GET with ?q=)
    searched = post_answers(client, me, {"action": "search", "q": "maij"})
    assert searched.status_code == 303 and "q=maij" in searched.headers["Location"]
    results = client.get(me, query_string={"q": "maij", "lang": "en"})
    assert f'name="add" value="{maija}"' in results.text
    assert "Ville" not in results.text and "Liisa Laine –" not in results.text  # only matches, never oneself

    added = post_answers(client, me, [("action", "add"), ("add", maija), ("add", ville)], page=results)
    assert added.status_code == 303
    page = client.get(me)
    assert contact_ids(page.text) == [maija, ville]
    assert ties(settings, opened.round_id) == []  # chosen, but nothing answered yet

    saved = post_answers(
        client,
        me,
        [
            ("action", "save"),
            ("c0", maija),
            ("f0", "4"),
            ("k0", "collaborates"),
            ("k0", "referral"),
            ("t0", "family_work"),
            ("c1", ville),
            ("f1", "2"),  # no kind yet: kept as a draft, no tie
            ("own_shown", "1"),
            ("own", "open_meeting_places"),
        ],
        page=page,
    )
    assert saved.status_code == 303 and "saved=1" in saved.headers["Location"]
    assert ties(settings, opened.round_id) == [
        ("Liisa Laine", "Maija Meikäläinen", "collaborates", 4, "family_work"),
        ("Liisa Laine", "Maija Meikäläinen", "referral", 4, "family_work"),
    ]
    assert answers.own_tasks(settings, actor_id(settings, "Liisa Laine")) == ("open_meeting_places",)

    # the same link again, in a fresh client: the saved answers are there to edit
    again = english(server).get(me)
    assert contact_ids(again.text) == [maija, ville]
    assert re.search(r'id="f0-4" name="f0" value="4" checked', again.text)
    assert re.search(r'id="f1-2" name="f1" value="2" checked', again.text)
    assert re.search(r'id="k0-referral" name="k0" value="referral" checked', again.text)
    assert re.search(
        r'id="own-open_meeting_places" name="own" value="open_meeting_places" checked', again.text
    )

    # submitting with Ville still incomplete keeps everything and says what is missing
    refused = post_answers(
        client,
        me,
        [("action", "submit"), ("c0", maija), ("f0", "5"), ("k0", "advice"), ("c1", ville), ("f1", "2")],
    )
    assert refused.status_code == 400
    assert "Choose how often and in what way you work with Ville Virtanen." in refused.text
    assert 'href="#contact-1"' in refused.text
    assert ties(settings, opened.round_id) == [("Liisa Laine", "Maija Meikäläinen", "advice", 5, "")]
    assert answers.find_respondent(settings, tokens["Liisa Laine"]).submitted_at is None

    sent = post_answers(
        client,
        me,
        [
            ("action", "submit"),
            ("c0", maija),
            ("f0", "5"),
            ("k0", "advice"),
            ("c1", ville),
            ("f1", "2"),
            ("k1", "information"),
            ("rm1", ""),
        ],
    )
    assert sent.status_code == 303 and "submitted=1" in sent.headers["Location"]
    assert ties(settings, opened.round_id) == [
        ("Liisa Laine", "Maija Meikäläinen", "advice", 5, ""),
        ("Liisa Laine", "Ville Virtanen", "information", 2, ""),
    ]
    assert answers.find_respondent(settings, tokens["Liisa Laine"]).submitted_at is not None
    assert "Thank you" in client.get(sent.headers["Location"]).text

    # removing someone removes their ties
    post_answers(
        client,
        me,
        [
            ("action", "save"),
            ("c0", maija),
            ("f0", "5"),
            ("k0", "advice"),
            ("c1", ville),
            ("f1", "2"),
            ("k1", "information"),
            ("rm1", "1"),
        ],
    )
    assert [t[1] for t in ties(settings, opened.round_id)] == ["Maija Meikäläinen"]


def test_someone_missing_is_added_to_the_roster_as_text(server, settings):
    _opened, tokens = survey_round(settings)
    client = english(server)
    me = link(tokens, "Maija Meikäläinen")
    response = post_answers(
        client,
        me,
        {
            "action": "new",
            "new_name": XSS,
            "new_org": "Perheneuvola <b>",
            "new_type": "health_services",
            "new_place": "536",
        },
    )
    assert response.status_code == 303
    with rounds.reading(settings) as con:
        row = con.execute(
            "SELECT a.actor_id, a.actor_type, ra.added_by_respondent FROM network_actor a JOIN network_round_actor ra USING (actor_id) WHERE a.name = ?",
            (XSS,),
        ).fetchone()
        place = con.execute(
            "SELECT municipality_code FROM network_actor_municipality WHERE actor_id = ?", (row[0],)
        ).fetchone()[0]
    assert (
        row[1] == "health_services" and row[2] == actor_id(settings, "Maija Meikäläinen") and place == "536"
    )
    page = client.get(me)
    assert contact_ids(page.text) == [row[0]]
    assert XSS not in page.text and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    assert "Perheneuvola &lt;b&gt;" in page.text

    # a bad entry keeps what was typed and names the field; the rest is saved
    bad = post_answers(
        client,
        me,
        [
            ("action", "new"),
            ("new_name", "Uusi Ihminen"),
            ("new_type", "nonsense"),
            ("c0", row[0]),
            ("f0", "3"),
        ],
    )
    assert bad.status_code == 400
    assert 'href="#new_type"' in bad.text and 'value="Uusi Ihminen"' in bad.text
    assert contact_ids(bad.text) == [row[0]]
    assert (
        answers.contacts(settings, answers.find_respondent(settings, tokens["Maija Meikäläinen"]))[
            0
        ].answer.frequency
        == 3
    )


def test_other_respondents_answers_are_never_shown(server, settings):
    opened, tokens = survey_round(settings)
    client = english(server)
    liisa = actor_id(settings, "Liisa Laine")
    post_answers(client, link(tokens, "Ville Virtanen"), [("action", "add"), ("add", liisa)])
    post_answers(
        client,
        link(tokens, "Ville Virtanen"),
        [("action", "save"), ("c0", liisa), ("f0", "5"), ("k0", "advice"), ("t0", "divorce_services")],
    )
    assert len(ties(settings, opened.round_id)) == 1
    liisa_page = client.get(link(tokens, "Liisa Laine"), query_string={"q": "ville"})
    assert "Ville Virtanen" in liisa_page.text  # a roster name, found by searching
    assert contact_ids(liisa_page.text) == []
    assert " checked" not in liisa_page.text.split('id="own-tasks"')[0]  # nothing of Ville's answer
    assert "Eroauttaminen" not in liisa_page.text.split('id="own-tasks"')[0].split('id="contacts"')[1]


def test_invalid_and_revoked_links_are_the_same_404(server, settings):
    opened, tokens = survey_round(settings)
    maija = actor_id(settings, "Maija Meikäläinen")
    old = tokens["Maija Meikäläinen"]
    new = rounds.issue_links(settings, opened.round_id, [maija], issued_by="west1")[0].token
    client = english(server, "10.0.0.1")
    never = client.get(link_path("A" * 43))
    revoked = client.get(link_path(old))
    assert never.status_code == revoked.status_code == 404
    assert "This link does not work" in revoked.text
    # no hint whether a link ever existed: the same page but for the path in the language links
    assert never.text.replace("A" * 43, "TOKEN") == revoked.text.replace(old, "TOKEN")
    assert english(server, "10.0.0.2").get(link_path(new)).status_code == 200
    swedish = english(server, "10.0.0.3").get(link_path("nonsense"), query_string={"lang": "sv"})
    assert (
        swedish.status_code == 404
        and 'lang="sv"' in swedish.text
        and "This link does not work" not in swedish.text
    )


def test_guessing_links_is_throttled_per_address(server, settings):
    _opened, tokens = survey_round(settings)
    guesser = english(server, "10.9.9.9")
    statuses = [guesser.get(link_path(f"{n}" * 43)).status_code for n in range(1, 5)]
    assert statuses[:3] == [404, 404, 404] and statuses[3] == 429
    # even a real link waits from that address; another address is not affected
    assert guesser.get(link(tokens, "Liisa Laine")).status_code == 429
    assert english(server, "10.9.9.8").get(link(tokens, "Liisa Laine")).status_code == 200


def test_closed_round_refuses_answers(server, settings):
    opened, tokens = survey_round(settings)
    client = english(server)
    me = link(tokens, "Liisa Laine")
    page = client.get(me)
    rounds.close_round(settings, opened.round_id, closed_by="west1")
    refused = client.post(
        me,
        data={"csrf_token": token(page.text), "action": "save", "own_shown": "1", "own": "family_work"},
        headers=ORIGIN,
    )
    assert refused.status_code == 410 and "This survey has closed" in refused.text
    assert client.get(me).status_code == 410
    assert answers.own_tasks(settings, actor_id(settings, "Liisa Laine")) == ()
    finnish = english(server).get(me, query_string={"lang": "fi"})
    assert finnish.status_code == 410 and "This survey has closed" not in finnish.text


def test_bad_bodies_are_400_or_413_and_change_nothing(server, settings):
    opened, tokens = survey_round(settings)
    client = english(server)
    me = link(tokens, "Liisa Laine")
    maija = actor_id(settings, "Maija Meikäläinen")
    huge = post_answers(client, me, {"action": "save", "q": "x" * 400_000})
    assert huge.status_code == 413 and "too large" in huge.text
    for data in (
        [("action", "save"), ("c0", maija), ("f0", "abc")],
        [("action", "save"), ("c0", maija), ("f0", "9"), ("k0", "advice")],
        [("action", "save"), ("c0", maija), ("f0", "3"), ("k0", "<script>")],
        [("action", "save"), ("c0", maija), ("f0", "3"), ("t0", "no_such_task")],
        [("action", "save"), ("c0", actor_id(settings, "Kalle Korhonen")), ("f0", "3")],  # not in the roster
        [("action", "save"), ("c0", actor_id(settings, "Liisa Laine")), ("f0", "3")],  # oneself
        [("action", "add"), ("add", "a-nonexistent")],
    ):
        response = post_answers(client, me, data)
        assert response.status_code == 400, (data, response.status_code)
        assert "Nothing was saved" in response.text
    no_csrf = client.post(me, data={"action": "save", "c0": maija, "f0": "3", "k0": "advice"}, headers=ORIGIN)
    assert no_csrf.status_code == 400
    assert ties(settings, opened.round_id) == []
    assert answers.find_respondent(settings, tokens["Liisa Laine"]).last_saved_at is None
