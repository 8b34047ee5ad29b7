"""One operational store with actors, competences, a few weeks of capacity and queues (small counts among
them) and family teams whose codes must never reach a page of aggregates; users of several roles signed in
once for the folder; helpers to call the page's router and callback as the browser does."""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass

import pytest
from support import router_body

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.capacity.model import new_family_code
from perhekeskus.services import Services
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
ACCOUNTS = {
    "prov1": [("province", None)],
    "west1": [("region", "lantinen")],
    "coord1": [("coordinator", "lantinen")],
}
WEEKS = ("2026-W10", "2026-W11", "2026-W12", "2026-W13")
COMPETENCE = "parenting_support"
# (actor, name, organisation, type, municipalities, level)
ACTORS = [
    ("cv-a1", "Aino Actorname", "Nokian kaupunki", "municipality", ("536",), 2),
    ("cv-a2", "Bertta Actorname", "Perhekeskusjärjestö ry", "ngo", ("536", "790"), 3),
    ("cv-a3", "Celia Actorname", "Sastamalan seurakunta", "parish", ("790",), 1),
    ("cv-a4", "Daniel Actorname", "Pirkanmaan hyvinvointialue", "county", ("837",), 2),
]
DEMO_NAME = "Demo Actorname"
# queues per (municipality, week): Nokia grows 6 → 7 → 9 → 12; Sastamala stays small (3); Punkalaidun 5
# (hidden too, or the western area's total minus Nokia and Punkalaidun would give Sastamala's 3); Tampere 20
QUEUES = {
    "536": (6, 7, 9, 12),
    "790": (3, 3, 3, 3),
    "619": (5, 5, 5, 5),
    "837": (20, 20, 20, 20),
}


@dataclass
class World:
    app: object
    settings: Settings
    services: Services
    codes: list[str]
    cookies: dict[str, str]

    def client(self, username: str | None = None, lang: str | None = None):
        client = self.app.server.test_client()
        if username:
            client.set_cookie(SESSION_COOKIE, self.cookies[username])
        if lang:
            client.set_cookie(LANG_COOKIE, lang)
        return client


def _sign_in(app, username: str) -> str:
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/kirjaudu", data={"username": username, "password": PASSWORD, "csrf_token": token}, headers=ORIGIN
    )
    assert response.status_code == 303, response.text[:300]
    return client.get_cookie(SESSION_COOKIE).value


def fill(services: Services) -> list[str]:
    """The handmade data; returns the family codes written."""
    codes = []
    with services.transaction() as con:
        for actor_id, name, org, kind, munis, level in ACTORS:
            con.execute(
                "INSERT INTO network_actor (actor_id, name, organisation, actor_type, job_title, email) "
                "VALUES (?, ?, ?, ?, 'Perhetyöntekijä', ?)",
                (actor_id, name, org, kind, f"{actor_id}@example.invalid"),
            )
            con.executemany(
                "INSERT INTO network_actor_municipality VALUES (?, ?)", [(actor_id, m) for m in munis]
            )
            con.execute(
                "INSERT INTO capacity_competence (actor_id, competence, level) VALUES (?, ?, ?)",
                (actor_id, COMPETENCE, level),
            )
            for week in WEEKS:
                con.execute(
                    "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES (?, ?, 10, 4)",
                    (actor_id, week),
                )
        for code, counts in QUEUES.items():
            for week, count in zip(WEEKS, counts, strict=True):
                con.execute(
                    "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting, "
                    "waiting_since) VALUES (?, ?, ?, ?, '2026-01-05')",
                    (COMPETENCE, code, week, count),
                )
        # demo rows (the store marks them): child development is all demo, parenting support none
        con.execute(
            "INSERT INTO network_actor (actor_id, name, actor_type) VALUES ('cv-demo', 'Demo Actorname', 'ngo')"
        )
        con.execute("INSERT INTO network_actor_municipality VALUES ('cv-demo', '536')")
        con.execute(
            "INSERT INTO capacity_competence (actor_id, competence, level, is_demo) "
            "VALUES ('cv-demo', 'child_development', 1, 1)"
        )
        for i in range(6):
            code = new_family_code()
            codes.append(code)
            family = con.execute(
                "INSERT INTO capacity_family (code, municipality_code, coordinator) VALUES (?, ?, 'coord1')",
                (code, ("536", "790", "837")[i % 3]),
            ).lastrowid
            con.execute(
                "INSERT INTO capacity_team_member (family_id, actor_id) VALUES (?, 'cv-a1')", (family,)
            )
            con.execute(
                "INSERT INTO capacity_meeting (family_id, meeting_date, actor_id, kind) VALUES (?, '2026-03-20', 'cv-a1', 'home_visit')",
                (family,),
            )
    return codes


def make_world(home) -> World:
    """A world of its own in ``home`` (for tests that change the data: the shared one stays as made)."""
    settings = Settings(home=home)
    areas = load_areas()
    for username, roles in ACCOUNTS.items():
        users.add(settings, areas, username, PASSWORD, roles)
    services = Services.create(settings)
    codes = fill(services)
    app = create_app(settings)
    cookies = {name: _sign_in(app, name) for name in ACCOUNTS}
    return World(app, settings, services, codes, cookies)


@pytest.fixture(scope="session")
def world(tmp_path_factory) -> World:
    return make_world(tmp_path_factory.mktemp("capacity-views") / "home")


# --- reading what the browser would receive -------------------------------------------------------------


def route(client, pathname: str, search: str = ""):
    response = client.post("/_dash-update-component", json=router_body(pathname, search), headers=ORIGIN)
    assert response.status_code == 200, response.text[:500]
    return response


def texts(response) -> str:
    raw = response.get_data().decode("utf-8", errors="replace")
    found = [raw, htmllib.unescape(raw)]
    if response.mimetype == "application/json":
        found.append(json.dumps(response.get_json(), ensure_ascii=False))
    return "\n".join(found)


def dependency(app, output_prefix: str) -> dict:
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    found = [d for d in deps if d["output"].lstrip(".").startswith(output_prefix)]
    assert found, [d["output"] for d in deps]
    return found[0]


def call(client, dep: dict, values: dict):
    """Post ``dep``'s callback with ``values`` ({"component.property": value}) as Dash's renderer does."""
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        component, _dot, prop = part.rpartition(".")
        outputs.append({"id": component, "property": prop})

    def fill_in(items):
        return [
            {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
            for i in items
        ]

    body = {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": fill_in(dep["inputs"]),
        "state": fill_in(dep["state"]),
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
    return client.post("/_dash-update-component", json=body, headers=ORIGIN)


def controls(**chosen) -> dict:
    values = {
        "capacity-competence.value": COMPETENCE,
        "capacity-place.value": "maakunta",
        "capacity-from.value": WEEKS[0],
        "capacity-to.value": WEEKS[-1],
        "capacity-level.value": 1,
        "url.pathname": "/osaaminen",
        "url.search": "",
    }
    values.update({f"capacity-{k}.value" if "." not in k else k: v for k, v in chosen.items()})
    return values


def url_dependency(app) -> dict:
    """The page's callback that writes the choice into the URL (``url.search``, from the controls)."""
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    found = [
        d
        for d in deps
        if d["output"].startswith("url.search") and any(i["id"] == "capacity-competence" for i in d["inputs"])
    ]
    assert len(found) == 1, [d["output"] for d in deps]
    return found[0]


def component_values(response) -> dict[str, object]:
    """The ``value`` of every component with an id in a router answer (id → value)."""
    found: dict[str, object] = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and isinstance(props.get("id"), str) and "value" in props:
                found[props["id"]] = props["value"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(response.get_json())
    return found
