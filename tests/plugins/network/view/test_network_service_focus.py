"""From a service-map suggestion to the actors behind it: the service map links ``/verkosto?palvelu=<ids>``
(service ids only), and the network view highlights the actors who run those services, resolved on the
server from the service map's published ``service_map_service_actor``; by name for a reader allowed
``network.view_names`` on the round's area, by pseudonym otherwise, with no store id or name anywhere in an
anonymous answer.

One warehouse holds the marker-named networks of the view's other tests and a small service map, written
as the two sources' tables through the platform's staging and atomic publish.
"""

from __future__ import annotations

import json
import re
import uuid

import pandas as pd
import pytest
from network_view_support import ROUND_NEW, all_markers, frames, standard_networks
from network_view_world import _sign_in, call, component, dependency, leaked, route, text_of

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.network.store.source import TABLES as NETWORK_TABLES
from perhekeskus.plugins.network.view.shown import node_ids
from perhekeskus.plugins.service_map.services.source import TABLES as SERVICE_TABLES
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.load import replace_source_table
from perhekeskus.warehouse.publish import Staging, run_lock
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"
RUNNER_A, RUNNER_B, ELSEWHERE = "zq-id-010-xj", "zq-id-011-xj", "zq-id-300-xj"  # 300: in no round
SERVICES = (  # id, name, provider, type, municipality, task, group, actors
    (1, "Vauvaryhmä", "MLL Nokia", "ngo", "536", "leisure_peer_groups", "babies", (RUNNER_A,)),
    (
        2,
        "Vauvakerho",
        "Nokian seurakunta",
        "parish",
        "536",
        "leisure_peer_groups",
        "babies",
        (RUNNER_B, ELSEWHERE),
    ),
    (3, "Eroryhmä", "Sastamalan seurakunta", "parish", "790", "divorce_services", "babies", ()),
    (4, "Perhetyö", "Perhepalvelu Oy", "other", "536", "family_work", "whole_families", (ELSEWHERE,)),
)
MAP = "network-map.elements"


def service_frames() -> dict[str, pd.DataFrame]:
    services = pd.DataFrame(
        [
            {
                "service_id": sid,
                "name": name,
                "description": "",
                "provider": provider,
                "actor_type": kind,
                "forms": "group",
                "languages": "fi",
                "referral_needed": False,
                "contact_url": "",
                "is_demo": False,
                "origin": "manual",
                "updated_at": "2026-01-01T00:00:00",
            }
            for sid, name, provider, kind, *_rest in SERVICES
        ]
    )
    links = {
        "service_map_service_municipality": [(s[0], s[4]) for s in SERVICES],
        "service_map_service_task": [(s[0], s[5]) for s in SERVICES],
        "service_map_service_client_group": [(s[0], s[6]) for s in SERVICES],
        "service_map_service_actor": [(s[0], a) for s in SERVICES for a in s[7]],
    }
    found = {"service_map_service": services}
    for table, rows in links.items():
        found[table] = pd.DataFrame(rows, columns=list(SERVICE_TABLES[table]))
    return found


class FocusWorld:
    def __init__(self, app, cookie: str, markers: set[str]) -> None:
        self.app, self.cookie, self.markers = app, cookie, markers

    def client(self, named: bool = False):
        client = self.app.server.test_client()
        if named:
            client.set_cookie(SESSION_COOKIE, self.cookie)
        return client


@pytest.fixture(scope="module")
def focus(tmp_path_factory) -> FocusWorld:
    settings = Settings(home=tmp_path_factory.mktemp("network-service-focus") / "home")
    networks = standard_networks()
    with run_lock(settings):
        staging = Staging(settings, f"network-focus-{uuid.uuid4().hex[:8]}")
        try:
            con = staging.open()
            for table, frame in frames(networks).items():
                replace_source_table(con, table, frame, NETWORK_TABLES[table])
            for table, frame in service_frames().items():
                replace_source_table(con, table, frame, SERVICE_TABLES[table])
            staging.publish()
        finally:
            staging.discard()
    users.add(settings, load_areas(), "west1", PASSWORD, [("region", "lantinen")])
    app = create_app(settings)
    markers = all_markers(networks) | {ELSEWHERE}
    return FocusWorld(app, _sign_in(app, "west1"), markers)


def expected_nodes(*actor_ids: str) -> set[str]:
    """The node ids the view gives these actors of the newest round (the one the page opens on)."""
    net = next(n for n in standard_networks() if n.round == ROUND_NEW)
    ids = node_ids(ROUND_NEW.round_id, {a.actor_id for a in net.actors})
    return {ids[a] for a in actor_ids}


def highlighted(elements: list[dict]) -> dict[str, str]:
    """Node id → label of the highlighted actors on the map."""
    return {
        e["data"]["id"]: e["data"]["label"]
        for e in elements
        if "source" not in e["data"] and "hl" in e["classes"].split()
    }


def network_page(client, search: str):
    response = route(client, "/verkosto", search)
    tree = response.get_json()["response"]["app-root"]["children"]
    return response, tree


# --- the service map's links -------------------------------------------------------------------------------


def test_suggestions_link_service_ids_only_and_say_when_no_actor_is_linked(focus) -> None:
    response = route(focus.client(), "/palvelukartta", "?lang=en&kunta=536")
    raw = json.dumps(response.get_json())
    links = set(re.findall(r'"href":\s*"(/verkosto\?[^"]+)"', raw))
    assert links == {"/verkosto?palvelu=1,2"}  # the overlap and the chance to collaborate
    assert "Show the actors in the network map" in raw
    # the neighbour's divorce group has no linked actor: words, not a dead link
    assert "No actor of the network map is linked to these services." in raw
    assert leaked(response, focus.markers) == []
    assert "zq-id" not in raw.lower()


# --- the network view ----------------------------------------------------------------------------------------


def test_anonymous_readers_see_the_runners_highlighted_by_pseudonym(focus) -> None:
    response, tree = network_page(focus.client(), "?palvelu=1,2&lang=en")
    shown = highlighted(component(tree, "network-map")["props"]["elements"])
    assert set(shown) == expected_nodes(RUNNER_A, RUNNER_B)
    status = text_of(component(tree, "network-status"))
    assert "Highlighted: the actors who run the chosen services:" in status
    for label in shown.values():
        assert label in status and "ZQ" not in label.upper()
    note = text_of(component(tree, "network-services"))
    assert "Services from the service map: Vauvakerho, Vauvaryhmä." in note
    assert leaked(response, focus.markers) == []


def test_a_names_user_sees_the_runners_by_name(focus) -> None:
    response, tree = network_page(focus.client(named=True), "?palvelu=1,2&lang=en")
    shown = highlighted(component(tree, "network-map")["props"]["elements"])
    assert set(shown) == expected_nodes(RUNNER_A, RUNNER_B)
    assert sorted(shown.values()) == ["ZQNAME010XJ", "ZQNAME011XJ"]
    status = text_of(component(tree, "network-status"))
    assert "ZQNAME010XJ" in status and "ZQNAME011XJ" in status
    assert "zq-id-010-xj" not in response.get_data(as_text=True)  # store ids never, even when named


def test_a_filter_change_keeps_the_highlight(focus) -> None:
    values = {
        "network-layout.value": "cose",
        "network-colour.value": "municipality",
        "network-size.value": "degree",
        "network-f-frequency.value": 1,
        "network-ego-steps.value": 1,
        "url.pathname": "/verkosto",
        "url.search": "?palvelu=2&lang=en",
    }
    response = call(focus.client(), dependency(focus.app, MAP), values, changed="network-colour.value")
    assert response.status_code == 200, response.text[:300]
    answer = response.get_json()["response"]
    assert set(highlighted(answer["network-map"]["elements"])) == expected_nodes(RUNNER_B)
    assert "the actors who run the chosen services" in answer["network-status"]["children"]
    assert leaked(response, focus.markers) == []


def test_services_whose_actors_are_not_on_the_map_are_said_in_words(focus) -> None:
    _response, tree = network_page(focus.client(), "?palvelu=4&lang=en")
    assert highlighted(component(tree, "network-map")["props"]["elements"]) == {}
    assert "No actor on this map runs the chosen services." in text_of(component(tree, "network-status"))
    _response, tree = network_page(focus.client(), "?palvelu=3&lang=en")
    assert "No actor of the network map is linked to them." in text_of(component(tree, "network-services"))
    _response, tree = network_page(focus.client(), "?palvelu=999&lang=en")
    assert "The chosen services are not on the service map." in text_of(component(tree, "network-services"))


def test_malformed_service_ids_are_dropped(focus) -> None:
    response, tree = network_page(focus.client(), "?palvelu=x,1;DROP,-2,1&lang=en")
    assert response.status_code == 200
    assert set(highlighted(component(tree, "network-map")["props"]["elements"])) == expected_nodes(RUNNER_A)
    _response, tree = network_page(focus.client(), "?lang=en")
    assert highlighted(component(tree, "network-map")["props"]["elements"]) == {}
    with pytest.raises(AssertionError):
        component(tree, "network-services")
