"""The /osaaminen view kept in the URL (``?osaaminen=&paikka=&viikot=&taso=``): a link opens the page with
the choice it names (the router's answer, as the browser receives it), changing a control writes the
cleaned choice into the URL (the page's callback), and malformed values in either are dropped."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from capacity_views_world import (
    COMPETENCE,
    ORIGIN,
    call,
    component_values,
    controls,
    route,
    url_dependency,
)

from perhekeskus.plugins.capacity.analysis.places import AREA, Place
from perhekeskus.plugins.capacity.views import url

CONTROLS = ("capacity-competence", "capacity-place", "capacity-from", "capacity-to", "capacity-level")
# the page's default: the first competence, the province, the 12 weeks up to the newest week with data
DEFAULT = (COMPETENCE, "maakunta", "2026-W02", "2026-W13", 1)


def opened(world, search: str, who: str = "prov1") -> tuple:
    values = component_values(route(world.client(who), "/osaaminen", search))
    return tuple(values[c] for c in CONTROLS)


def written(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_json()["response"]["url"]["search"]


def test_a_link_opens_the_view_it_names(world):
    assert opened(
        world, "?lang=fi&osaaminen=child_development&paikka=alue-lantinen&viikot=2026-W11-2026-W12&taso=2"
    ) == ("child_development", "alue-lantinen", "2026-W11", "2026-W12", 2)
    # a reversed range is turned round; a municipality; the highest level
    assert opened(world, "?osaaminen=parenting_support&paikka=kunta-790&viikot=2026-W13-2026-W10&taso=3") == (
        COMPETENCE,
        "kunta-790",
        "2026-W10",
        "2026-W13",
        3,
    )


@pytest.mark.parametrize(
    "search",
    [
        "?osaaminen=<script>alert(1)</script>&paikka=kunta-999&viikot=2026-W99-2026-W13&taso=7",
        "?osaaminen=PARENTING_SUPPORT&paikka=alue-&viikot=2026-W10&taso=2.0",
        "?paikka=kunta-536%27--&viikot=2019-W01-2019-W05&taso=-1",  # weeks the page does not offer
        "?viikot=2026-W10-2026-W13-2026-W14&taso=x&paikka=Maakunta",
        "?viikot=2026-w10-2026-w13&taso=%EF%BC%92&osaaminen=%00",  # lower case; a full-width digit 2
        "?viikot=2026-W53-2026-W13",  # 2026 has no week 53
    ],
)
def test_malformed_values_in_a_link_are_dropped(world, search):
    assert opened(world, search) == DEFAULT


def test_each_value_of_a_link_is_judged_on_its_own(world):
    assert opened(world, "?osaaminen=child_development&paikka=kunta-999&viikot=nope&taso=3") == (
        "child_development",
        "maakunta",
        "2026-W02",
        "2026-W13",
        3,
    )


def test_changing_a_control_writes_the_choice_into_the_url_and_keeps_the_language(world):
    response = call(
        world.client("coord1"),
        url_dependency(world.app),
        controls(
            competence="child_development", place="alue-lantinen", level=2, **{"url.search": "?lang=sv"}
        ),
    )
    search = written(response)
    assert parse_qs(search.lstrip("?")) == {
        "lang": ["sv"],
        "osaaminen": ["child_development"],
        "paikka": ["alue-lantinen"],
        "viikot": ["2026-W10-2026-W13"],
        "taso": ["2"],
    }
    # the link written opens the same view
    assert opened(world, search) == ("child_development", "alue-lantinen", "2026-W10", "2026-W13", 2)


def test_what_the_browser_sends_is_cleaned_before_it_is_written(world):
    response = call(
        world.client("prov1"),
        url_dependency(world.app),
        controls(
            competence="<img src=x>",
            place="kunta-999",
            level="3; DROP TABLE capacity_week",
            **{"from": "2026-W13", "to": "2026-W10", "url.search": "?osaaminen=x&lang=en"},
        ),
    )
    search = written(response)
    assert "<img" not in search and "DROP" not in search and "999" not in search
    assert parse_qs(search.lstrip("?")) == {
        "lang": ["en"],
        "osaaminen": [COMPETENCE],
        "paikka": ["maakunta"],
        "viikot": ["2026-W10-2026-W13"],  # turned round
        "taso": ["1"],
    }


def test_the_url_is_not_written_when_the_router_draws_the_controls_or_for_others(world):
    dep = url_dependency(world.app)
    values = controls(place="alue-lantinen")

    def post(client, changed, **extra):
        body_values = {**values, **extra}
        inputs = [
            {"id": i["id"], "property": i["property"], "value": body_values.get(f"{i['id']}.{i['property']}")}
            for i in dep["inputs"]
        ]
        state = [
            {"id": i["id"], "property": i["property"], "value": body_values.get(f"{i['id']}.{i['property']}")}
            for i in dep["state"]
        ]
        component, _dot, prop = dep["output"].rpartition(".")
        body = {
            "output": dep["output"],
            "outputs": {"id": component, "property": prop},
            "inputs": inputs,
            "state": state,
            "changedPropIds": changed,
        }
        return client.post("/_dash-update-component", json=body, headers=ORIGIN)

    def writes(response) -> bool:
        assert response.status_code in (200, 204), response.status_code
        return response.status_code == 200 and "url" in response.get_json()["response"]

    every = [f"{c}.value" for c in CONTROLS]
    one = ["capacity-place.value"]
    assert writes(post(world.client("prov1"), one))  # the ordinary case, for contrast
    assert not writes(post(world.client("prov1"), every))  # the router inserted every control
    assert not writes(post(world.client(), one))  # anonymous
    assert not writes(post(world.client("prov1"), one, **{"url.pathname": "/maakunta"}))


def test_the_url_functions_alone():
    offered = {"2026-W10", "2026-W11"}
    assert url.parse_weeks("2026-W11-2026-W10", offered) == ("2026-W10", "2026-W11")
    assert url.parse_weeks("2026-W10-2026-W12", offered) is None  # W12 not offered
    assert url.parse_weeks(["2026-W10-2026-W11"], offered) is None
    assert (
        url.view_search("?lang=sv&taso=9", "x", Place(AREA, "lantinen"), "2026-W10", "2026-W11", 2)
        == "?lang=sv&taso=2&osaaminen=x&paikka=alue-lantinen&viikot=2026-W10-2026-W11"
    )
