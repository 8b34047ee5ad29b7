"""THE anonymity test: names, organisations, titles, store ids and registry links of a network whose every
such field is a unique marker string never reach a reader who may not see names — not in the page, not in
any callback answer the page can trigger (every filter, the ego view on every actor, every suggestion,
the comparison, the table orders), not in the exports, not on the leadership pages' summary panel. A
signed-in user allowed names in the round's area sees them, and that is written to the audit log (once
per user and round in the audit interval); a region user of another area gets pseudonyms.
"""

from __future__ import annotations

import itertools

import pytest
from network_view_support import ROUND_DEMO, ROUND_NEW, ROUND_OLD
from network_view_world import call, dependency, leaked, route
from test_network_view_page import controls

from perhekeskus.dashboard.access import audit

ROUNDS = (ROUND_NEW, ROUND_OLD, ROUND_DEMO)
SEARCHES = [
    "",
    *(f"?round={r.round_id}" for r in ROUNDS),
    *(f"?round={a.round_id}&compare={b.round_id}" for a, b in itertools.permutations(ROUNDS, 2)),
]
FILTERS = [
    {},
    {"f_type": ["ngo", "parish"]},
    {"f_municipality": ["536"]},
    {"f_task": ["family_work"]},
    {"f_kind": ["advice", "referral"]},
    {"f_frequency": 4},
    {"colour": "municipality", "size": "betweenness", "layout": "concentric"},
    {"colour": "community", "sort": "degree", "order": "desc"},
    {"sort": "municipality"},
]


def everything_the_page_answers(world, client, thorough: bool = True) -> list:
    """Every kind of answer a browser can get from the page: the routes (every round and comparison, in
    three languages), the map callback with every filter on every view, the ego view on every actor and
    every suggestion highlighted (the newest round and a comparison), the tap and round callbacks, the
    exports of every round and format, and the leadership pages with the summary panel."""
    searches = SEARCHES if thorough else SEARCHES[:5]
    answers = [client.get(path) for path in ("/verkosto", "/maakunta", "/alue/lantinen")]
    for search in searches:
        answers.append(route(client, "/verkosto", search))
    for lang in ("sv", "en") if thorough else ("sv",):
        answers.append(route(client, "/verkosto", f"?lang={lang}"))
        answers.append(
            route(
                client, "/verkosto", f"?round={ROUND_NEW.round_id}&compare={ROUND_OLD.round_id}&lang={lang}"
            )
        )
    answers += [route(client, "/maakunta"), route(client, "/alue/lantinen")] if thorough else []
    answers += [client.get("/_dash-layout"), client.get("/_dash-dependencies")]
    update = dependency(world.app, "network-map.elements")
    tables = dependency(world.app, "network-table.children")
    for search in searches:
        # every filter on the newest round and on a comparison; every other view as it opens
        every = thorough and search in ("", f"?round={ROUND_NEW.round_id}&compare={ROUND_OLD.round_id}")
        for chosen in FILTERS if every else FILTERS[:1]:
            answers.append(call(client, update, controls(**chosen, **{"url.search": search})))
            answers.append(call(client, tables, controls(**chosen, **{"url.search": search})))
    for search in ("", f"?round={ROUND_NEW.round_id}&compare={ROUND_OLD.round_id}") if thorough else ("",):
        first = call(client, update, controls(**{"url.search": search})).get_json()["response"]
        first.update(call(client, tables, controls(**{"url.search": search})).get_json()["response"])
        node_ids = [e["data"]["id"] for e in first["network-map"]["elements"] if "source" not in e["data"]]
        for node in node_ids if thorough else node_ids[:5]:
            answers.append(call(client, update, controls(ego=node, ego_steps=2, **{"url.search": search})))
        for node in node_ids[:5]:
            answers.append(call(client, update, controls(ego=node, ego_steps=1, **{"url.search": search})))
        for option in first["network-suggestion"]["options"]:
            answers.append(
                call(client, update, controls(suggestion=option["value"], **{"url.search": search}))
            )
    tapped = controls(**{"network-map.tapNodeData": {"id": "n1", "label": "n1"}})
    answers.append(call(client, update, tapped, changed="network-map.tapNodeData"))
    url = dependency(world.app, "url.search", "network-round")
    answers.append(
        call(
            client,
            url,
            {"network-round.value": ROUND_OLD.round_id, "url.pathname": "/verkosto"},
            "network-round.value",
        )
    )
    for r in ROUNDS:
        for fmt in ("graphml", "gexf", "csv"):
            for query in ("", "?type=ngo,parish&min_frequency=2") if thorough else ("",):
                response = client.get(f"/verkosto/vienti/{r.round_id}.{fmt}{query}")
                assert response.status_code == 200, (r.round_id, fmt, response.status_code)
                answers.append(response)
    for response in answers:
        assert response.status_code == 200, response.request.path
    return answers


def named_entries(world, username: str) -> list[dict]:
    return audit.entries(world.settings, actor=username, action="network_names_viewed")


@pytest.mark.parametrize(("who", "thorough"), [(None, True), ("north1", False)])
def test_no_name_reaches_a_reader_without_the_right(world, who, thorough):
    """Anonymous: every kind of answer; a region user of another area: each kind at least once."""
    client = world.client(who)
    answers = everything_the_page_answers(world, client, thorough)
    assert len(answers) > (200 if thorough else 40)
    found = sorted({m for response in answers for m in leaked(response, world.markers)})
    assert found == [], found[:10]
    texts = " ".join(r.get_data(as_text=True) for r in answers[:20])
    assert "Järjestö" in texts  # the pseudonyms are there instead
    if who is not None:
        assert named_entries(world, who) == []


def test_a_permitted_user_sees_names_and_it_is_audited_once(world):
    before = len(named_entries(world, "west1"))
    client = world.client("west1")
    page = route(client, "/verkosto")
    assert leaked(page, {"ZQNAME005XJ", "ZQNAME039XJ"}) == ["ZQNAME005XJ", "ZQNAME039XJ"]
    assert (
        leaked(page, {"zq-id-005-xj", "ZQMEMBER005XJ"}) == []
    )  # store ids and registry links stay on the server
    update = dependency(world.app, "network-map.elements")
    for chosen in FILTERS[:4]:
        assert call(client, update, controls(**chosen)).status_code == 200
    export = client.get(f"/verkosto/vienti/{ROUND_NEW.round_id}.csv")
    assert "ZQORG005XJ" in export.get_data(as_text=True)
    entries = named_entries(world, "west1")
    assert len(entries) == before + 1  # one entry for the burst of page, callbacks and export
    assert entries[0]["target"] == ROUND_NEW.round_id


def test_a_permitted_user_of_the_area_gets_pseudonyms_for_a_province_wide_round(world):
    client = world.client("west1")
    page = route(client, "/verkosto", f"?round={ROUND_DEMO.round_id}")
    assert leaked(page, world.markers) == []


def test_pseudonyms_are_stable_within_a_round_and_differ_between_rounds(world):
    client = world.client()
    update = dependency(world.app, "network-map.elements")

    def labels(search):
        answer = call(client, update, controls(**{"url.search": search})).get_json()["response"]
        return {
            e["data"]["id"]: e["data"]["label"]
            for e in answer["network-map"]["elements"]
            if "source" not in e["data"]
        }

    new = labels(f"?round={ROUND_NEW.round_id}")
    assert new == labels(f"?round={ROUND_NEW.round_id}")
    assert len(set(new.values())) == len(new)
    compared = labels(f"?round={ROUND_NEW.round_id}&compare={ROUND_OLD.round_id}")
    assert all(compared[n] == label for n, label in new.items())  # one labelling in the comparison
    assert len(set(compared.values())) == len(compared)
    old = labels(f"?round={ROUND_OLD.round_id}")
    assert old != {n: new.get(n) for n in old}
