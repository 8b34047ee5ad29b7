"""The national service catalogue (Palvelutietovaranto) against a local 127.0.0.1 server speaking its
paging format: every page read, missing fields tolerated, errors reported; services become proposals that
an editor reviews, never services on the map by themselves."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from service_map_helpers import ORIGIN, count, signed_in, token

from perhekeskus import PoliteSession, Services, SourceError
from perhekeskus.plugins.service_map.services import hooks, ptv, repository
from perhekeskus.warehouse.settings import Settings


def item(
    ident: str, name: str | None, *, classes=(), description="", organisation=None, languages=None
) -> dict:
    found: dict = {
        "id": ident,
        "serviceClasses": [{"name": [{"language": "fi", "value": c}]} for c in classes],
    }
    if name is not None:
        found["serviceNames"] = [
            {"language": "sv", "value": name + " (sv)", "type": "Name"},
            {"language": "fi", "value": name, "type": "Name"},
        ]
    if description:
        found["serviceDescriptions"] = [{"language": "fi", "value": description, "type": "Summary"}]
    if organisation:
        found["organizations"] = [{"roleType": "Responsible", "organization": {"name": organisation}}]
    if languages is not None:
        found["languages"] = languages
    return found


PAGES = {
    1: [
        item(
            "a1",
            "Lastenneuvola",
            classes=["Äitiys- ja lastenneuvolapalvelut"],
            description="Neuvola vauvaperheille",
            organisation="Pirkanmaan hyvinvointialue",
            languages=["fi", "sv"],
        ),
        item("a2", None),  # no name: skipped
    ],
    2: [item("a3", "Perhekahvila", description="Vertaistukea vanhemmille")],  # no organisation, no languages
    3: [item("a4", "Rakennuslupa", classes=["Rakentaminen"])],  # nothing to guess
}


class Catalogue(BaseHTTPRequestHandler):
    fail: str | None = None
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        Catalogue.seen.append(self.path)
        if Catalogue.fail == "500":
            self.send_response(500)
            self.end_headers()
            return
        if not parts.path.startswith("/api/v11/Service/list/area/Municipality/code/"):
            self.send_response(404)
            self.end_headers()
            return
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        body = (
            b"<html>oops"
            if Catalogue.fail == "html"
            else json.dumps(
                {"pageNumber": page, "pageCount": len(PAGES), "itemList": PAGES.get(page, [])}
            ).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def catalogue() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Catalogue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/v11"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _reset() -> Iterator[None]:
    Catalogue.fail, Catalogue.seen = None, []
    yield


def session() -> PoliteSession:
    return PoliteSession(user_agent="perhekeskus-tests", timeout=5, retries=1, backoff=0.01, max_wait=0.1)


def test_every_page_is_read_and_guesses_are_proposals_only(catalogue) -> None:
    found = ptv.fetch(catalogue, "536", session())
    assert [p.external_id for p in found] == ["a1", "a3", "a4"]
    assert [path.rsplit("?", 1)[1] for path in Catalogue.seen] == ["page=1", "page=2", "page=3"]
    clinic, cafe, permit = found
    assert clinic.name == "Lastenneuvola" and clinic.provider == "Pirkanmaan hyvinvointialue"
    assert clinic.languages == ("fi", "sv") and clinic.tasks == ("maternity_child_clinic",)
    assert "babies" in clinic.groups
    assert cafe.provider == "" and cafe.languages == ()  # missing fields are empty, not errors
    assert (
        set(cafe.tasks) == {"leisure_peer_groups", "open_meeting_places"} and "parents_carers" in cafe.groups
    )
    assert permit.tasks == () and permit.groups == ()


@pytest.mark.parametrize("fault", ["500", "html"])
def test_a_broken_answer_is_an_error_naming_it(catalogue, fault) -> None:
    Catalogue.fail = fault
    with pytest.raises(SourceError):
        ptv.fetch(catalogue, "536", session())


def test_the_command_stores_proposals_and_puts_nothing_on_the_map(
    catalogue, sm_settings, areas, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("PERHEKESKUS_SERVICE_MAP_PTV_URL", catalogue)
    monkeypatch.setenv("PERHEKESKUS_HTTP_RETRIES", "1")
    parser = argparse.ArgumentParser()
    hooks.add_arguments(parser)
    services = Services.create(Settings(home=sm_settings.home, http_retries=1, http_backoff=0.01))
    assert hooks.run(parser.parse_args(["ptv", "--municipality", "536"]), services) == 0
    assert "3 services of the catalogue are waiting for review" in capsys.readouterr().out
    assert count(sm_settings) == 0 and len(ptv.proposals(sm_settings)) == 3
    assert hooks.run(parser.parse_args(["ptv", "--municipality", "999"]), services) == 2
    Catalogue.fail = "500"
    assert hooks.run(parser.parse_args(["ptv", "--municipality", "536"]), services) == 1


def test_an_editor_adds_a_proposal_through_the_form_or_dismisses_it(catalogue, sm_settings, areas) -> None:
    import flask

    from perhekeskus.dashboard.access import web
    from perhekeskus.plugins.service_map.services import routes

    ptv.store(sm_settings, ptv.fetch(catalogue, "536", session()))
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(sm_settings, areas))
    server.register_blueprint(routes.blueprint)
    tampere = signed_in(server, "tampere1")
    assert "Lastenneuvola" not in tampere.get("/palvelukartta/ehdotukset").text  # Nokia's, not Tampere's
    client = signed_in(server, "nokia1")
    listed = client.get("/palvelukartta/ehdotukset")
    assert "Lastenneuvola" in listed.text and "Maternity and child health clinics" in listed.text
    clinic = next(p for p in ptv.proposals(sm_settings) if p["external_id"] == "a1")
    form = client.get(f"/palvelukartta/palvelut/uusi?ehdotus={clinic['proposal_id']}")
    assert 'value="maternity_child_clinic" checked' in form.text and "are guesses" in form.text
    saved = client.post(
        "/palvelukartta/palvelut/uusi",
        data={
            "csrf_token": token(form.text),
            "action": "save",
            "proposal": str(clinic["proposal_id"]),
            "name": "Lastenneuvola",
            "provider": "Pirkanmaan hyvinvointialue",
            "actor_type": "health_services",
            "municipalities": ["536"],
            "tasks": ["maternity_child_clinic"],
            "client_groups": ["babies"],
        },
        headers=ORIGIN,
    )
    assert saved.status_code == 303, saved.text[:400]
    (service,) = repository.services(sm_settings)
    assert ptv.get(sm_settings, clinic["proposal_id"])["status"] == "added"
    assert ptv.get(sm_settings, clinic["proposal_id"])["service_id"] == service.service_id
    cafe = next(p for p in ptv.proposals(sm_settings) if p["external_id"] == "a3")
    page = client.get("/palvelukartta/ehdotukset")
    dismissed = client.post(
        "/palvelukartta/ehdotukset",
        data={"csrf_token": token(page.text), "proposal": str(cafe["proposal_id"])},
        headers=ORIGIN,
    )
    assert dismissed.status_code == 303
    assert [p["external_id"] for p in ptv.proposals(sm_settings)] == ["a4"]
    assert count(sm_settings) == 1
