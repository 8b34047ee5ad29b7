"""The editors' pages through Flask: sign-in, scope, CSRF, add / edit / deactivate, history, import with
row errors shown as text, the template and the downloads."""

from __future__ import annotations

import io
import re

import flask
import pytest
from service_map_helpers import ORIGIN, audit_actions, count, csv_file, signed_in, token

from perhekeskus.dashboard.access import web
from perhekeskus.plugins.service_map.services import importer, repository, routes

XSS = '<script>alert("x")</script>'


@pytest.fixture
def server(sm_settings, areas) -> flask.Flask:
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(sm_settings, areas))
    server.register_blueprint(routes.blueprint)
    return server


def service_form(**values) -> dict:
    data = {
        "action": "save",
        "name": "Perhekahvila",
        "description": "Avoin kahvila",
        "provider": "Nokian seurakunta",
        "actor_type": "parish",
        "municipalities": ["536"],
        "tasks": ["open_meeting_places"],
        "client_groups": ["babies", "parents_carers"],
        "forms": ["group"],
        "languages": "fi; sv",
        "referral_needed": "",
        "contact_url": "https://example.org/kahvila",
        "actors": "",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v != ""}


def post_form(client, path: str, **values):
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return client.post(path, data={"csrf_token": token(page.text), **service_form(**values)}, headers=ORIGIN)


def seed(settings, areas, municipality: str = "837", name: str = "Tampereen perhetyö") -> int:
    data = csv_file(
        f'"{name}","Pirkanmaan hyvinvointialue","social_services","{municipality}","family_work","babies","","","",""'
    )
    result = importer.import_services(settings, areas, None, data)
    assert result.ok, result.errors
    return result.service_ids[0]


@pytest.mark.parametrize(
    "path",
    [
        "/palvelukartta/palvelut",
        "/palvelukartta/palvelut/uusi",
        "/palvelukartta/tuonti",
        "/palvelukartta/palvelut/1/historia",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(server, path) -> None:
    response = server.test_client().get(path)
    assert response.status_code == 303 and response.headers["Location"].endswith("/kirjaudu")


def test_a_user_without_the_right_gets_403(server) -> None:
    client = signed_in(server, "eng1")
    assert client.get("/palvelukartta/palvelut").status_code == 403
    assert client.get("/palvelukartta/tuonti").status_code == 403


def test_a_local_editor_adds_a_service_of_their_municipality_with_its_history(server, sm_settings) -> None:
    client = signed_in(server, "nokia1")
    response = post_form(client, "/palvelukartta/palvelut/uusi")
    assert response.status_code == 303, response.text[:500]
    (service,) = repository.services(sm_settings)
    assert service.updated_by == "nokia1" and service.languages == ("fi", "sv")
    listed = client.get("/palvelukartta/palvelut?saved=add")
    assert "Perhekahvila" in listed.text and "The service was added." in listed.text
    (entry,) = repository.history(sm_settings, service.service_id)
    assert entry.op == "add" and entry.actor == "nokia1" and entry.before is None
    # adding one for Tampere is outside Nokia's scope: refused, nothing saved
    refused = post_form(client, "/palvelukartta/palvelut/uusi", name="Muu", municipalities=["837"])
    assert refused.status_code == 403 and count(sm_settings) == 1


def test_a_local_user_of_nokia_cannot_edit_a_tampere_only_service(server, sm_settings, areas) -> None:
    service_id = seed(sm_settings, areas, "837")
    nokia = signed_in(server, "nokia1")
    assert nokia.get(f"/palvelukartta/palvelut/{service_id}").status_code == 403
    assert nokia.get(f"/palvelukartta/palvelut/{service_id}/historia").status_code == 403
    page = nokia.get("/palvelukartta/palvelut/uusi")
    forged = nokia.post(
        f"/palvelukartta/palvelut/{service_id}",
        data={"csrf_token": token(page.text), "action": "deactivate"},
        headers=ORIGIN,
    )
    assert forged.status_code == 403
    assert repository.get(sm_settings, service_id).active
    assert "Tampereen perhetyö" not in nokia.get("/palvelukartta/palvelut").text
    tampere = signed_in(server, "tampere1")
    assert tampere.get(f"/palvelukartta/palvelut/{service_id}").status_code == 200


def test_editing_and_deactivating_are_recorded_before_and_after(server, sm_settings, areas) -> None:
    service_id = seed(sm_settings, areas, "837")
    client = signed_in(server, "tampere1")
    path = f"/palvelukartta/palvelut/{service_id}"
    changed = post_form(
        client,
        path,
        name="Tampereen perhetyö",
        municipalities=["837", "980"],
        tasks=["family_work"],
        client_groups=["babies"],
        provider="Pirkanmaan hyvinvointialue",
        actor_type="social_services",
    )
    assert changed.status_code == 303, changed.text[:500]
    page = client.get(path)
    off = client.post(path, data={"csrf_token": token(page.text), "action": "deactivate"}, headers=ORIGIN)
    assert off.status_code == 303
    assert not repository.get(sm_settings, service_id).active
    history = repository.history(sm_settings, service_id)
    assert [h.op for h in history] == ["deactivate", "update", "import"]
    assert history[1].before["municipalities"] == ["837"] and history[1].after["municipalities"] == [
        "837",
        "980",
    ]
    shown = client.get(f"{path}/historia")
    assert shown.status_code == 200
    assert "tampere1" in shown.text and "Deactivated" in shown.text and "Changed" in shown.text
    actions = [a for a in audit_actions(sm_settings) if a.startswith("service")]
    assert actions == ["service_import", "service_edit", "service_edit"]


def test_form_errors_are_tied_to_fields_and_names_are_shown_as_text(server, sm_settings) -> None:
    client = signed_in(server, "admin1")
    response = post_form(client, "/palvelukartta/palvelut/uusi", name="", contact_url=XSS, languages="")
    assert response.status_code == 400
    assert 'href="#sm-name"' in response.text and 'href="#sm-contact_url"' in response.text
    assert XSS not in response.text and "&lt;script&gt;" in response.text
    assert count(sm_settings) == 0
    saved = post_form(client, "/palvelukartta/palvelut/uusi", name=XSS)
    assert saved.status_code == 303
    listed = client.get("/palvelukartta/palvelut")
    assert XSS not in listed.text and "&lt;script&gt;alert" in listed.text


def test_a_post_without_the_csrf_token_changes_nothing(server, sm_settings) -> None:
    client = signed_in(server, "admin1")
    client.get("/palvelukartta/palvelut/uusi")
    response = client.post("/palvelukartta/palvelut/uusi", data=service_form(), headers=ORIGIN)
    assert response.status_code == 400 and count(sm_settings) == 0


def test_the_import_page_shows_every_bad_row_escaped_and_saves_nothing(server, sm_settings) -> None:
    client = signed_in(server, "admin1")
    page = client.get("/palvelukartta/tuonti")
    bad = csv_file(
        f'"Ryhmä","MLL","ngo","{XSS}","family_work","babies","","","",""',
        '"","MLL","ngo","536","family_work","babies","","","",""',
    )
    response = client.post(
        "/palvelukartta/tuonti",
        data={"csrf_token": token(page.text), "file": (io.BytesIO(bad), "bad.csv")},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert XSS not in response.text and "Unknown value: &lt;script&gt;" in response.text
    rows = re.findall(r'<tr><td class="num">(\d+)</td>', response.text)
    assert rows == ["2", "3"]
    assert count(sm_settings) == 0
    good = client.post(
        "/palvelukartta/tuonti",
        data={
            "csrf_token": token(page.text),
            "file": (
                io.BytesIO(csv_file('"Ryhmä","MLL","ngo","536","family_work","babies","","","",""')),
                "ok.csv",
            ),
        },
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert good.status_code == 200 and "Imported 1 rows: 1 added" in good.text
    assert count(sm_settings) == 1


def test_the_template_is_public_in_both_formats(server) -> None:
    client = server.test_client()
    xlsx = client.get("/palvelukartta/pohja.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv = client.get("/palvelukartta/pohja.csv?lang=sv")
    assert csv.status_code == 200 and "Tjänstens namn" in csv.data.decode("utf-8-sig")
    assert client.get("/palvelukartta/pohja.exe").status_code == 404
