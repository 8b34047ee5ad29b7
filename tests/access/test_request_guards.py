"""Requests no browser of ours sends get a clear 4xx and one log line, not a 500 with a traceback;
answers that can carry personal data are never stored by a cache; the server does not tell its
versions; Dash's hot-reload poll is closed outside debug mode.

Through the real app (``create_app``) and Flask's test client, and for the Server header through the
real ``perhekeskus serve`` server on 127.0.0.1.
"""

from __future__ import annotations

import http.client
import logging
import re
import threading
from pathlib import Path

import pytest
from support import copy_of_home, router_body

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.server import _server
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
ROUTER_OUTPUT = "..app-root.children...page-meta.data.."
ROUTER_OUTPUTS = [{"id": "app-root", "property": "children"}, {"id": "page-meta", "property": "data"}]


@pytest.fixture(scope="module")
def template_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("guards") / "home"
    home.mkdir()
    settings = Settings(home=home)
    ensure_published(settings)
    users.add(settings, load_areas(), "admin1", PASSWORD, [("admin", None)])
    return home


@pytest.fixture
def settings(tmp_path: Path, template_home: Path) -> Settings:
    return copy_of_home(tmp_path, template_home)


@pytest.fixture
def client(settings: Settings):
    return create_app(settings).server.test_client()


def refused_once(caplog: pytest.LogCaptureFixture) -> logging.LogRecord:
    """The request was logged as exactly one line, without a traceback, and nothing else was logged."""
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage()[:200] for r in records]
    record = records[0]
    assert record.exc_info is None and "\n" not in record.getMessage()
    return record


# --- component files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/nope/x.js",
        "/_dash-component-suites/sys/x.js",
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/dash/../../etc/passwd",
        "/_dash-component-suites/dash/dcc/x%09forged.js",
    ],
)
def test_an_unknown_component_file_is_404_with_one_log_line(client, caplog, path: str):
    caplog.set_level(logging.INFO)
    response = client.get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.text and "registered" not in response.text
    record = refused_once(caplog)
    assert "404" in record.getMessage()
    # the files the page really loads are served as before
    index = client.get("/")
    real = next(p for p in index.text.split('"') if p.startswith("/_dash-component-suites/dash/"))
    assert client.get(real).status_code == 200


# --- callback bodies ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"not json", "application/json"),
        (b"x", "text/plain"),
        (b"[]", "application/json"),
        (b"{}", "application/json"),
        (b'{"output": 5}', "application/json"),
        (
            b'{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}',
            "application/json",
        ),
    ],
)
def test_a_malformed_callback_body_is_400_with_one_log_line(client, caplog, data: bytes, content_type: str):
    caplog.set_level(logging.INFO)
    response = client.post("/_dash-update-component", data=data, content_type=content_type, headers=ORIGIN)
    assert response.status_code == 400
    refused_once(caplog)


@pytest.mark.parametrize(
    "change",
    [
        {"inputs": []},  # too few inputs for the router
        {"inputs": [{"id": "url"}, {"id": "url"}]},  # not component properties
        {"outputs": []},  # a single list where the router has two outputs
        {"outputs": [{"id": "app-root", "property": "children"}]},
        {"state": [{"id": "url", "property": "search", "value": ""}]},  # the router has no state
        {"changedPropIds": "url.pathname"},
    ],
)
def test_a_callback_body_of_the_wrong_shape_is_400(client, caplog, change: dict):
    well_formed = client.post("/_dash-update-component", json=router_body("/laatu"), headers=ORIGIN)
    assert well_formed.status_code == 200
    assert "app-root" in well_formed.get_json()["response"]
    caplog.set_level(logging.INFO)
    body = {**router_body(), **change}
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 400
    refused_once(caplog)


def test_a_single_output_sent_as_a_list_is_400(client, caplog):
    caplog.set_level(logging.INFO)
    body = {
        "output": "url.search",
        "outputs": [],
        "inputs": [
            {"id": i, "property": "value", "value": None}
            for i in ("view-indicator", "view-year-from", "view-year-to", "view-compare", "view-gender")
        ],
        "state": [{"id": "url", "property": "search", "value": ""}],
        "changedPropIds": ["view-gender.value"],
    }
    assert client.post("/_dash-update-component", json=body, headers=ORIGIN).status_code == 400
    refused_once(caplog)


@pytest.mark.parametrize("value", [1, 1.5, True, [1, "a"], {"a": 1}])
def test_values_of_the_wrong_type_do_not_end_in_a_traceback(client, caplog, value):
    caplog.set_level(logging.INFO)
    router = client.post("/_dash-update-component", json=router_body(value, value), headers=ORIGIN)
    assert router.status_code == 200  # read as the start page
    view = {
        "output": "url.search",
        "outputs": {"id": "url", "property": "search"},
        "inputs": [
            {"id": i, "property": "value", "value": value}
            for i in ("view-indicator", "view-year-from", "view-year-to", "view-compare", "view-gender")
        ],
        "state": [{"id": "url", "property": "search", "value": value}],
        "changedPropIds": ["view-compare.value"],
    }
    assert client.post("/_dash-update-component", json=view, headers=ORIGIN).status_code in (200, 204)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# --- headers --------------------------------------------------------------------------------------------------


def test_reload_hash_is_closed_outside_debug_mode(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/_reload-hash")
    assert response.status_code == 404
    assert "packages" not in response.text
    refused_once(caplog)


def signed_in_admin(client):
    form = client.get("/kirjaudu")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    done = client.post(
        "/kirjaudu",
        data={"username": "admin1", "password": PASSWORD, "csrf_token": token},
        headers=ORIGIN,
    )
    assert done.status_code == 303
    return client


@pytest.mark.parametrize("path", ["/yllapito/kayttajat", "/yllapito/loki", "/yllapito/loki?format=csv"])
def test_admin_pages_are_not_stored(client, path: str):
    response = signed_in_admin(client).get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_sign_in_page_and_callback_answers_are_not_stored(client):
    assert client.get("/kirjaudu").headers["Cache-Control"] == "no-store"
    signed_in_admin(client)
    for pathname in ("/hallinto", "/", "/laatu"):
        response = client.post("/_dash-update-component", json=router_body(pathname), headers=ORIGIN)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store", pathname
    # the governance page's Dash shell too; open pages may still be cached
    assert client.get("/hallinto").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/laatu").headers.get("Cache-Control", "")


def test_the_server_header_names_no_versions(settings: Settings):
    server = _server(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        connection.close()
    finally:
        server.shutdown()
        server.server_close()
    assert response.status in (200, 503)
    header = response.getheader("Server")
    assert header == "perhekeskus", header
    assert "Werkzeug" not in header and "Python" not in header
