"""The /verkosto page through the Dash app: rounds, the map, filters, ego view, suggestions, comparison,
table order, and what happens with values no browser would send."""

from __future__ import annotations

import pytest
from network_view_support import ROUND_DEMO, ROUND_NEW, ROUND_OLD, publish_networks
from network_view_world import ORIGIN, call, component, dependency, route, text_of

from perhekeskus.dashboard.app import create_app
from perhekeskus.warehouse.settings import Settings

MAP = "network-map.elements"
DATA = "network-table.children"


def page_tree(response) -> dict:
    return response.get_json()["response"]["app-root"]["children"]


def controls(**overrides) -> dict:
    values = {
        "network-layout.value": "cose",
        "network-colour.value": "actor_type",
        "network-size.value": "degree",
        "network-f-municipality.value": None,
        "network-f-type.value": None,
        "network-f-task.value": None,
        "network-f-kind.value": None,
        "network-f-frequency.value": 1,
        "network-ego.value": None,
        "network-ego-steps.value": 1,
        "network-suggestion.value": None,
        "network-sort.value": "label",
        "network-order.value": "asc",
        "url.pathname": "/verkosto",
        "url.search": "",
    }
    values.update(
        {f"network-{k.replace('_', '-')}.value" if "." not in k else k: v for k, v in overrides.items()}
    )
    return values


def update(world, client=None, parts=(MAP, DATA), **overrides):
    """The answers of the map's and the data's callbacks for these control values, merged."""
    merged = {}
    for part in parts:
        response = call(client or world.client(), dependency(world.app, part), controls(**overrides))
        assert response.status_code == 200, response.text[:500]
        merged.update(response.get_json()["response"])
    return merged


def nodes(answer) -> list[dict]:
    return [e for e in answer["network-map"]["elements"] if "source" not in e["data"]]


def edges(answer) -> list[dict]:
    return [e for e in answer["network-map"]["elements"] if "source" in e["data"]]


def test_page_opens_on_the_newest_round_with_map_table_and_figures(world):
    tree = page_tree(route(world.client(lang="en"), "/verkosto"))
    chosen = component(tree, "network-round")["props"]
    assert chosen["value"] == ROUND_NEW.round_id
    assert [o["value"] for o in chosen["options"]] == [
        ROUND_NEW.round_id,
        ROUND_DEMO.round_id,
        ROUND_OLD.round_id,
    ]
    assert "Demo data" in chosen["options"][1]["label"]
    cy = component(tree, "network-map")["props"]
    assert len([e for e in cy["elements"] if "source" not in e["data"]]) == 35
    # the table, the figures and the answers arrive through the data callback the page fires on load
    answer = update(world, client=world.client(lang="en"), parts=(DATA,))
    assert "Actors and their metrics (35)" in text_of(answer["network-table"]["children"])
    figures = text_of(answer["network-figures"]["children"])
    for figure in (
        "Density",
        "Reciprocity",
        "Isolates",
        "Communities",
        "Ties across actor types",
        "Ties across municipal borders",
    ):
        assert figure in figures
    answers = text_of(answer["network-answers"]["children"])
    assert "Coordination-group candidates" in answers and "Development groups" in answers
    assert "Western area" in text_of(tree) or "Läntinen" in text_of(tree)


def test_the_demo_round_is_labelled_on_the_page(world):
    text = text_of(page_tree(route(world.client(lang="en"), "/verkosto", f"?round={ROUND_DEMO.round_id}")))
    assert "Demo data" in text and "describes no real people" in text
    assert "The whole province" in text


def test_an_unknown_round_falls_back_to_the_newest(world):
    tree = page_tree(route(world.client(lang="en"), "/verkosto", "?round=nope"))
    assert component(tree, "network-round")["props"]["value"] == ROUND_NEW.round_id
    assert "No such round" in text_of(tree)


def test_filters_change_the_map_on_the_server(world):
    everything = update(world)
    only_ngo = update(world, f_type=["ngo"])
    assert 0 < len(nodes(only_ngo)) < len(nodes(everything))
    frequent = update(world, f_frequency=5)
    assert len(edges(frequent)) < len(edges(everything))
    west = update(world, f_municipality=["536"])
    assert 0 < len(nodes(west)) < len(nodes(everything))
    advice = update(world, f_kind=["advice"])
    assert 0 < len(edges(advice)) < len(edges(everything))
    task = update(world, f_task=["family_work"])
    assert 0 < len(nodes(task)) < len(nodes(everything))


def test_ego_view_shows_the_neighbourhood(world):
    everything = update(world)
    centre = nodes(everything)[0]["data"]["id"]
    one = update(world, ego=centre, ego_steps=1)
    two = update(world, ego=centre, ego_steps=2)
    assert centre in {n["data"]["id"] for n in nodes(one)}
    assert len(nodes(one)) <= len(nodes(two)) <= len(nodes(everything))
    assert len(nodes(one)) < len(nodes(everything))
    centre_node = next(n for n in nodes(one) if n["data"]["id"] == centre)
    assert "centre" in centre_node["classes"]


def test_a_tap_on_the_map_chooses_the_ego_actor_in_the_same_answer(world):
    dep = dependency(world.app, MAP)
    values = controls(**{"network-map.tapNodeData": {"id": "n3", "label": "x"}})
    answer = call(world.client(), dep, values, changed="network-map.tapNodeData").get_json()["response"]
    assert answer["network-ego"]["value"] == "n3"
    assert "centre" in next(n for n in nodes(answer) if n["data"]["id"] == "n3")["classes"]
    cleared = call(
        world.client(),
        dep,
        {**values, "network-ego.value": "n3", "network-ego-clear.n_clicks": 1},
        changed="network-ego-clear.n_clicks",
    )
    assert cleared.get_json()["response"]["network-ego"]["value"] is None


def test_each_suggestion_can_be_highlighted(world):
    first = update(world)
    options = first["network-suggestion"]["options"]
    assert options, "the analysis proposes something for a 35-actor network"
    for option in options[:3]:
        answer = update(world, suggestion=option["value"])
        highlighted = [n for n in nodes(answer) if " hl" in f" {n['classes']}"]
        assert highlighted, option
        assert (
            "Highlighted" in answer["network-status"]["children"]
            or "Korostettu" in answer["network-status"]["children"]
        )


def test_comparison_lists_added_and_lost_ties_and_marks_them(world):
    answer = update(world, **{"url.search": f"?round={ROUND_NEW.round_id}&compare={ROUND_OLD.round_id}"})
    classes = [e["classes"] for e in answer["network-map"]["elements"]]
    assert any("added" in c for c in classes) and any("lost" in c for c in classes)
    assert any("new" in c.split() for c in classes) and any("gone" in c.split() for c in classes)
    text = text_of(answer["network-comparison"]["children"])
    assert "(" in text
    # actors 0-4 are gone, 30-39 are new
    gone = [e for e in nodes(answer) if "gone" in e["classes"].split()]
    new = [e for e in nodes(answer) if "new" in e["classes"].split()]
    assert (len(gone), len(new)) == (5, 10)


def test_the_table_sorts_by_a_metric(world):
    ascending = update(world, sort="degree", order="asc")
    descending = update(world, sort="degree", order="desc")
    assert text_of(ascending["network-table"]["children"]) != text_of(descending["network-table"]["children"])
    assert "descending" in text_of(descending["network-table"]["children"]) or "laskeva" in text_of(
        descending["network-table"]["children"]
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"f_type": "ngo'; DROP TABLE x"},
        {"f_frequency": "many"},
        {"f_municipality": [{"a": 1}]},
        {"ego": ["n1"]},
        {"ego_steps": 99},
        {"suggestion": 12},
        {"sort": {"x": 1}},
        {"layout": "<script>"},
        {"url.search": "?round=%00"},
    ],
)
def test_values_no_browser_sends_are_ignored(world, bad):
    answer = update(world, **bad)
    assert len(nodes(answer)) > 0


def test_round_choice_goes_into_the_url(world):
    dep = dependency(world.app, "url.search", "network-round")
    values = {
        "network-round.value": ROUND_OLD.round_id,
        "network-compare.value": "",
        "url.pathname": "/verkosto",
        "url.search": "?lang=en",
    }
    response = call(world.client(), dep, values, changed="network-round.value")
    assert response.get_json()["response"]["url"]["search"] == f"?lang=en&round={ROUND_OLD.round_id}"


def test_empty_state_tells_how_to_import(tmp_path):
    settings = Settings(home=tmp_path / "home")
    publish_networks(settings, [])
    app = create_app(settings)
    client = app.server.test_client()
    client.set_cookie("lang", "en")
    response = client.post(
        "/_dash-update-component",
        json=__import__("support").router_body("/verkosto", "?lang=en"),
        headers=ORIGIN,
    )
    text = text_of(response.get_json()["response"]["app-root"]["children"])
    assert "No network map has been published yet" in text
    assert "perhekeskus network import" in text and "perhekeskus network demo" in text
