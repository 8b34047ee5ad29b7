"""Fixtures of the network view's tests: one warehouse with marker-named networks and three users, made
once for the folder (Argon2 is slow on purpose), and the Dash app over it; helpers to read the page and
call its callbacks as the browser does (``/_dash-update-component``)."""

from __future__ import annotations

import html as htmllib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from network_view_support import all_markers, publish_networks, standard_networks
from support import router_body

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.network.view import data
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
ACCOUNTS = {
    "west1": [("region", "lantinen")],  # may see names of the western area's rounds
    "north1": [("region", "pohjoinen")],  # another area: pseudonyms
}


@dataclass
class World:
    app: object
    settings: Settings
    networks: list
    markers: set[str]
    cookies: dict[str, str]

    def client(self, username: str | None = None, lang: str | None = None):
        client = self.app.server.test_client()
        if username:
            client.set_cookie(SESSION_COOKIE, self.cookies[username])
        if lang:
            client.set_cookie(LANG_COOKIE, lang)
        return client


def _sign_in(app, username: str) -> str:
    import re

    client = app.server.test_client()
    form = client.get("/kirjaudu")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/kirjaudu", data={"username": username, "password": PASSWORD, "csrf_token": token}, headers=ORIGIN
    )
    assert response.status_code == 303, response.text[:300]
    return client.get_cookie(SESSION_COOKIE).value


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    settings = Settings(home=tmp_path_factory.mktemp("network-view") / "home")
    networks = standard_networks()
    publish_networks(settings, networks)
    areas = load_areas()
    for username, roles in ACCOUNTS.items():
        users.add(settings, areas, username, PASSWORD, roles)
    app = create_app(settings)
    cookies = {name: _sign_in(app, name) for name in ACCOUNTS}
    return World(app, settings, networks, all_markers(networks), cookies)


@pytest.fixture(autouse=True)
def _fresh_audit_marks():
    data.forget_audit_marks()
    yield


# --- reading what the browser would receive -------------------------------------------------------------


def route(client, pathname: str, search: str = "") -> dict:
    response = client.post("/_dash-update-component", json=router_body(pathname, search), headers=ORIGIN)
    assert response.status_code == 200, response.text[:500]
    return response


def texts(response) -> list[str]:
    raw = response.get_data().decode("utf-8", errors="replace")
    found = [raw, htmllib.unescape(raw)]
    if response.mimetype == "application/json":
        found.append(json.dumps(response.get_json(), ensure_ascii=False))
    return found


MARKER = re.compile(r"zq[a-z]+\d{3}xj|zq-id-\d{3}-xj", re.IGNORECASE)


def leaked(response, markers: set[str]) -> list[str]:
    """The ``markers`` found in any form of the answer (raw, HTML-unescaped, JSON-decoded; any case)."""
    found = {m.upper() for t in texts(response) for m in MARKER.findall(t)}
    return sorted(m for m in markers if m.upper() in found)


def dependency(app, output_prefix: str, input_id: str | None = None) -> dict:
    """The callback whose output starts with ``output_prefix`` (and that takes ``input_id``)."""
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    found = [
        d
        for d in deps
        if d["output"].lstrip(".").startswith(output_prefix)
        and (input_id is None or any(i["id"] == input_id for i in d["inputs"]))
    ]
    assert found, [d["output"] for d in deps]
    return found[0]


def call(client, dep: dict, values: dict, changed: str | None = None):
    """Post ``dep``'s callback with ``values`` ({"component.property": value}) as Dash's renderer does."""
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        component, _dot, prop = part.rpartition(".")
        outputs.append({"id": component, "property": prop})

    def fill(items):
        return [
            {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
            for i in items
        ]

    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": fill(dep["inputs"]),
        "state": fill(dep["state"]),
        "changedPropIds": [changed or f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body, headers=ORIGIN)


def walk(node):
    """Every component dict in a Dash layout JSON."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node
            for value in (node["props"] or {}).values():
                if isinstance(value, (list, dict)):
                    yield from walk(value)
        else:
            for value in node.values():
                yield from walk(value)


def component(tree, component_id: str) -> dict:
    for node in walk(tree):
        if (node.get("props") or {}).get("id") == component_id:
            return node
    raise AssertionError(f"no component {component_id}")


def text_of(node) -> str:
    """All the visible text under a component JSON."""
    if isinstance(node, str):
        return node
    if isinstance(node, (int, float)):
        return str(node)
    if isinstance(node, list):
        return " ".join(text_of(n) for n in node)
    if isinstance(node, dict):
        if "props" in node:
            return text_of((node["props"] or {}).get("children"))
        return " ".join(text_of(v) for v in node.values())
    return ""
