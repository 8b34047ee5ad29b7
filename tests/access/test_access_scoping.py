"""The scoping matrix: crafted requests straight to Dash's callback endpoint and to every governance and
export route, for every role, with no session, with an expired session and with a tampered cookie.

Governance members with names, emails and phones are seeded into several bodies; the raw text of every
answer (and its decoded form) is searched for the seeded values that the principal must not see. Open
statistics (Sotkanet) stay readable by everyone; a signed-in user's own area only sets what they
compare with first.

The expected visibility is written out here by hand (not computed with the product's own permission
functions), following the table in ``perhekeskus.plugins.governance.permissions``:

- admin, province: names and contact details of every body
- region (one area): names of the provincial group, their area's coordination group and local groups;
  contact details of their area's groups only
- local (one municipality): names of their own local group and its coordination group; contact details
  of their own local group only
- a body's linked secretary: that body as for its editors
- engineer, moderator, anonymous (and expired or tampered sessions): no names, no contact details
"""

from __future__ import annotations

import csv
import hashlib
import html as htmllib
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from support import load_bundled_snapshot

from perhekeskus import registry
from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.dashboard.scope import scope_for_path
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
AREAS = load_areas()
ALL_BODIES = (
    "maakunta",
    "alue-lantinen",
    "alue-etelainen",
    "alue-pohjoinen",
    "kunta-536",  # Nokia, western area
    "kunta-790",  # Sastamala, western area
    "kunta-837",  # Tampere, northern area
    "kunta-020",  # Akaa, southern area
)
OPEN_PAGES = ("/maakunta", "/alue/etelainen", "/kunta/837")
PANELS = ("key-figures", "trend", "comparison", "about-indicator")


@dataclass(frozen=True)
class Principal:
    name: str
    username: str | None  # the account signed in (None: no session at all)
    roles: tuple[tuple[str, str | None], ...]
    names: frozenset[str]  # bodies whose member names may be seen
    contacts: frozenset[str]  # bodies whose members' emails and phones may be seen
    editable: frozenset[str] = frozenset()
    how: str = "signed-in"  # signed-in | none | expired | idle | tampered


EVERY = frozenset(ALL_BODIES)
NOTHING: frozenset[str] = frozenset()
PRINCIPALS = [
    Principal("admin", "admin1", (("admin", None),), EVERY, EVERY, EVERY),
    Principal("province", "prov1", (("province", None),), EVERY, EVERY),
    Principal(
        "region:lantinen",
        "west1",
        (("region", "lantinen"),),
        frozenset({"maakunta", "alue-lantinen", "kunta-536", "kunta-790"}),
        frozenset({"alue-lantinen", "kunta-536", "kunta-790"}),
    ),
    Principal(
        "local:837",
        "tre1",
        (("local", "837"),),
        frozenset({"kunta-837", "alue-pohjoinen"}),
        frozenset({"kunta-837"}),
    ),
    Principal(
        "secretary:kunta-020",
        "sec020",
        (("local", "020"),),
        frozenset({"kunta-020", "alue-etelainen"}),
        frozenset({"kunta-020"}),
        frozenset({"kunta-020"}),
    ),
    Principal("engineer", "eng1", (("engineer", None),), NOTHING, NOTHING),
    Principal("moderator", "mod1", (("moderator", None),), NOTHING, NOTHING),
    Principal("anonymous", None, (), NOTHING, NOTHING, how="none"),
    Principal("expired admin session", "admin1", (), NOTHING, NOTHING, how="expired"),
    Principal("idle admin session", "admin1", (), NOTHING, NOTHING, how="idle"),
    Principal("tampered admin cookie", "admin1", (), NOTHING, NOTHING, how="tampered"),
]
# the body the governance page opens on without ?body=: the user's own
HOME_BODY = {"region:lantinen": "alue-lantinen", "local:837": "kunta-837", "secretary:kunta-020": "kunta-020"}
ACCOUNTS = {p.username: p.roles for p in PRINCIPALS if p.how == "signed-in"}


@dataclass(frozen=True)
class Seeded:
    body_id: str
    name: str
    email: str
    phone: str
    organisation: str


def seeded_members() -> list[Seeded]:
    found = []
    for i, body_id in enumerate(ALL_BODIES, start=1):
        tag = body_id.replace("-", "")
        for j, first in enumerate(("Aune", "Veli"), start=1):
            found.append(
                Seeded(
                    body_id,
                    f"{first} Salainen{tag.capitalize()}",
                    f"{first.lower()}.{tag}@seed{i}.example",
                    f"040 {i:03d} {j:04d}",
                    f"Org{tag}",
                )
            )
    return found


SEEDED = seeded_members()
SECRETARY = Seeded(
    "kunta-020", "Sisko Sihteeri020", "sisko.sihteeri@seed-sec.example", "050 999 0202", "Akaa"
)


@dataclass
class World:
    app: object
    settings: Settings
    cookies: dict[str, str | None]  # principal name → session cookie value


def _token(text: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', text)
    assert match, text[:500]
    return match.group(1)


def _sign_in(app, username: str) -> str:
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": _token(form.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text[:300]
    return client.get_cookie(SESSION_COOKIE).value


def _tamper(value: str) -> str:
    i = 4
    return value[:i] + ("B" if value[i] != "B" else "C") + value[i + 1 :]


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    home = tmp_path_factory.mktemp("scoping") / "home"
    settings, _summary = load_bundled_snapshot(home)
    for username, roles in ACCOUNTS.items():
        users.add(settings, AREAS, username, PASSWORD, list(roles))
    model.ensure_default_bodies(settings, AREAS)
    admin = users.get(settings, "admin1")
    for m in SEEDED:
        model.add_member(
            settings,
            AREAS,
            admin,
            m.body_id,
            {
                "name": m.name,
                "organisation": m.organisation,
                "actor_type": "education" if "Aune" in m.name else "ngo",
                "role": "chair" if "Aune" in m.name else "member",
                "communication": "up,down,front_line" if "Aune" in m.name else "",
                "email": m.email,
                "phone": m.phone,
            },
        )
    model.add_member(
        settings,
        AREAS,
        admin,
        SECRETARY.body_id,
        {
            "name": SECRETARY.name,
            "organisation": SECRETARY.organisation,
            "actor_type": "social_services",
            "role": "secretary",
            "email": SECRETARY.email,
            "phone": SECRETARY.phone,
            "username": "sec020",
        },
    )
    app = create_app(settings)
    sessions = app.services.access.sessions
    cookies: dict[str, str | None] = {}
    for p in PRINCIPALS:
        if p.how == "none":
            cookies[p.name] = None
            continue
        cookie = _sign_in(app, p.username)
        digest = hashlib.sha256(sessions.token_of(cookie).encode()).hexdigest()
        now = datetime.now(UTC)
        stamp = (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with operational.transaction(settings) as con:
            if p.how == "expired":  # past its absolute lifetime
                con.execute("UPDATE app_session SET expires_at = ? WHERE session_id = ?", (stamp, digest))
            elif p.how == "idle":  # idle for longer than allowed
                con.execute("UPDATE app_session SET last_seen = ? WHERE session_id = ?", (stamp, digest))
        cookies[p.name] = _tamper(cookie) if p.how == "tampered" else cookie
    return World(app, settings, cookies)


def client_for(world: World, principal: Principal, lang: str | None = None):
    client = world.app.server.test_client()
    value = world.cookies[principal.name]
    if value is not None:
        client.set_cookie(SESSION_COOKIE, value)
    if lang:
        client.set_cookie(LANG_COOKIE, lang)
    return client


# --- crafted requests -----------------------------------------------------------------------------------


def router_request(world: World) -> dict:
    """The router callback's request as Dash's renderer sends it, from the app's own dependency list."""
    deps = world.app.server.test_client().get("/_dash-dependencies").get_json()
    (dep,) = [
        d
        for d in deps
        if [(i["id"], i["property"]) for i in d["inputs"]] == [("url", "pathname"), ("url", "search")]
    ]
    assert dep["output"] == "..app-root.children...page-meta.data.."
    return dep


def route(client, dep: dict, pathname: str, search: str = ""):
    outputs = []
    for part in dep["output"].strip(".").split("..."):
        cid, _dot, prop = part.rpartition(".")
        outputs.append({"id": cid, "property": prop})
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 200, (pathname, search, response.status_code, response.text[:300])
    return response


def texts_of(response) -> list[str]:
    """The raw answer and its decoded forms (JSON unescaped, HTML unescaped, XLSX cells)."""
    raw = response.get_data()
    if raw[:2] == b"PK":  # an XLSX
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        cells = [
            str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
        ]
        return [" | ".join(cells)]
    text = raw.decode("utf-8", errors="replace")
    found = [text, htmllib.unescape(text)]
    if response.mimetype == "application/json":
        found.append(json.dumps(response.get_json(), ensure_ascii=False))
    return found


def leaks(response, principal: Principal) -> list[str]:
    """Seeded names and contact details in ``response`` that ``principal`` must not see."""
    forbidden = []
    for m in [*SEEDED, SECRETARY]:
        if m.body_id not in principal.names:
            forbidden += [m.name, m.email, m.phone]
        elif m.body_id not in principal.contacts:
            forbidden += [m.email, m.phone]
    texts = texts_of(response)
    return sorted({value for value in forbidden if any(value in t for t in texts)})


def contains(response, value: str) -> bool:
    return any(value in t for t in texts_of(response))


def walk(node):
    """Every component dict in a Dash layout JSON."""
    if isinstance(node, list):
        for item in node:
            yield from walk(item)
    elif isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node
            props = node["props"] or {}
            for value in props.values():
                if isinstance(value, (list, dict)):
                    yield from walk(value)
        else:
            for value in node.values():
                yield from walk(value)


def components(response) -> list[dict]:
    return list(walk(response.get_json()["response"]["app-root"]["children"]))


def by_id(response, cid: str) -> dict | None:
    return next((c for c in components(response) if c["props"].get("id") == cid), None)


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(text_of(n) for n in node)
    if isinstance(node, dict) and "props" in node:
        return text_of(node["props"].get("children"))
    return ""


# --- the matrix -----------------------------------------------------------------------------------------


def principal_ids(p: Principal) -> str:
    return p.name


@pytest.mark.parametrize("principal", PRINCIPALS, ids=principal_ids)
def test_the_governance_page_through_dashs_callback_shows_only_the_scope(world, principal) -> None:
    """The router callback for /hallinto, asked for every body by id: names and contacts only within
    the scope, and the ones within it really shown."""
    client = client_for(world, principal, lang="en")
    dep = router_request(world)
    problems = []
    for search in ["", *[f"?body={b}" for b in ALL_BODIES], "?body=ei-tallaista", "?body=../maakunta"]:
        response = route(client, dep, "/hallinto", search)
        if found := leaks(response, principal):
            problems.append(f"/hallinto{search}: {found}")
        asked = search.removeprefix("?body=") or HOME_BODY.get(principal.name, "maakunta")
        if asked in ALL_BODIES:
            for m in SEEDED:
                if m.body_id != asked:
                    continue
                if asked in principal.names and not contains(response, m.name):
                    problems.append(f"/hallinto{search}: {m.name} (in scope) is not shown")
                if asked in principal.contacts and not (
                    contains(response, m.email) and contains(response, m.phone)
                ):
                    problems.append(
                        f"/hallinto{search}: contact details of {m.name} (in scope) are not shown"
                    )
            # the structure and the counts stay visible to everyone
            decoded = texts_of(response)[-1]
            if decoded.count("members: 2") < len(ALL_BODIES) - 1 or "members: 3" not in decoded:
                problems.append(f"/hallinto{search}: the member counts of the structure are not shown")
    assert not problems, f"{principal.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=principal_ids)
def test_governance_routes_show_only_the_scope(world, principal) -> None:
    client = client_for(world, principal, lang="en")
    anonymous = principal.how != "signed-in"
    problems = []

    def check(path: str, expected: set[int]):
        response = client.get(path)
        if response.status_code not in expected:
            problems.append(f"{path}: status {response.status_code}, expected {sorted(expected)}")
        if found := leaks(response, principal):
            problems.append(f"{path}: {found}")
        if anonymous and response.status_code == 303 and response.headers["Location"] != "/kirjaudu":
            problems.append(f"{path}: redirected to {response.headers['Location']}")
        return response

    for body_id in ALL_BODIES:
        editor = body_id in principal.editable
        refused = {303} if anonymous else ({200} if editor else {403})
        edit = check(f"/hallinto/muokkaa/{body_id}", refused)
        check(f"/hallinto/historia/{body_id}", refused)
        if editor and edit.status_code == 200:
            for m in SEEDED:
                if m.body_id == body_id and not contains(edit, m.name):
                    problems.append(f"editor does not see {m.name} on the edit page")
        exported = check(f"/hallinto/vienti.csv?body={body_id}", {303} if anonymous else {200})
        if exported.status_code == 200:
            for m in SEEDED:
                if m.body_id == body_id and (body_id in principal.names) != contains(exported, m.name):
                    problems.append(f"export of {body_id}: {m.name} shown = {contains(exported, m.name)}")
    check("/hallinto/muokkaa/ei-tallaista", {303} if anonymous else {404})
    check("/hallinto/vienti.csv?body=../../etc", {303} if anonymous else {404})
    full = check("/hallinto/vienti.csv", {303} if anonymous else {200})
    check("/hallinto/vienti.xlsx", {303} if anonymous else {200})
    check("/hallinto/tuonti", {303} if anonymous else ({200} if principal.editable else {403}))
    check("/yllapito/kayttajat", {303} if anonymous else ({200} if principal.name == "admin" else {403}))
    check("/yllapito/loki", {303} if anonymous else ({200} if principal.name == "admin" else {403}))
    if full.status_code == 200:
        shown = {m.name for m in SEEDED if contains(full, m.name)}
        expected = {m.name for m in SEEDED if m.body_id in principal.names}
        if shown != expected:
            problems.append(f"full export shows {sorted(shown)}, expected {sorted(expected)}")
    assert not problems, f"{principal.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("principal", [p for p in PRINCIPALS if p.editable != EVERY], ids=principal_ids)
def test_writes_outside_the_scope_are_refused(world, principal) -> None:
    """A valid CSRF token and a crafted form for a body the principal may not edit changes nothing."""
    client = client_for(world, principal)
    csrf = _token(client.get("/kirjaudu").text)
    target = next(m for m in SEEDED if m.body_id == "kunta-837")
    with operational.reading(world.settings) as con:
        before = [tuple(r) for r in con.execute("SELECT * FROM gov_member ORDER BY member_id")]
        member_id = con.execute("SELECT member_id FROM gov_member WHERE name = ?", (target.name,)).fetchone()[
            0
        ]
    anonymous = principal.how != "signed-in"
    for body_id in ("kunta-837", "alue-pohjoinen", "maakunta", "kunta-536"):
        for data in (
            {"action": "add", "name": "Intruder Added", "organisation": "X", "actor_type": "ngo"},
            {"action": "deactivate", "member_id": str(member_id)},
            {
                "action": "update",
                "member_id": str(member_id),
                "name": "Renamed",
                "organisation": "X",
                "actor_type": "ngo",
            },
        ):
            response = client.post(
                f"/hallinto/muokkaa/{body_id}", data={"csrf_token": csrf, **data}, headers=ORIGIN
            )
            expected = {303} if anonymous else {403, 404}
            assert response.status_code in expected, (body_id, data["action"], response.status_code)
            assert leaks(response, principal) == []
            if anonymous:
                assert response.headers["Location"] == "/kirjaudu"
    upload = {
        "csrf_token": csrf,
        "file": (
            io.BytesIO(b"body_id,name,organisation,actor_type\nkunta-837,Intruder Imported,X,ngo\n"),
            "m.csv",
        ),
    }
    response = client.post(
        "/hallinto/tuonti", data=upload, headers=ORIGIN, content_type="multipart/form-data"
    )
    if principal.editable:
        assert response.status_code == 400  # kunta-837 is not theirs: the row is refused
    else:
        assert response.status_code == (303 if anonymous else 403)
    with operational.reading(world.settings) as con:
        after = [tuple(r) for r in con.execute("SELECT * FROM gov_member ORDER BY member_id")]
    assert after == before


# --- open statistics ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def anonymous_pages(world) -> dict[str, object]:
    client = world.app.server.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    dep = router_request(world)
    return {path: route(client, dep, path) for path in OPEN_PAGES}


def panel_json(response, panel: str) -> str:
    node = by_id(response, f"{panel}-panel")
    assert node is not None, f"no {panel} panel"
    return json.dumps(node, sort_keys=True)


@pytest.mark.parametrize("principal", PRINCIPALS, ids=principal_ids)
def test_open_statistics_are_readable_by_everyone(world, anonymous_pages, principal) -> None:
    client = client_for(world, principal, lang="en")
    dep = router_request(world)
    for path in OPEN_PAGES:
        response = route(client, dep, path)
        heading = next(text_of(c) for c in components(response) if c["type"] == "H1")
        expected = text_of(next(c for c in components(anonymous_pages[path]) if c["type"] == "H1"))
        assert heading == expected and heading not in ("Page not found", "No data yet"), (path, heading)
        for panel in PANELS:
            assert by_id(response, f"{panel}-panel") is not None, (path, panel)
        assert not [c for c in components(response) if "error-card" in str(c["props"].get("className"))]
        # the numbers are the same for everyone: the key figures do not depend on who asks
        assert panel_json(response, "key-figures") == panel_json(anonymous_pages[path], "key-figures")
        graphs = [c for c in components(response) if c["type"] == "Graph"]
        assert any(
            any(
                trace.get("y") or trace.get("x") for trace in (g["props"].get("figure") or {}).get("data", [])
            )
            for g in graphs
        ), f"{path}: no chart has data"
        assert leaks(response, principal) == []
    # and the downloads of the panels
    anonymous_client = world.app.server.test_client()
    for panel in (p.id for p in registry.panels() if p.export is not None):
        for path in ("/kunta/837", "/alue/etelainen"):
            # with the comparison in the URL the download is the same for everyone (without it, a
            # signed-in user's download follows their default comparison, as their page does)
            url = f"/vienti/{panel}.csv?path={path}&lang=en&compare=536"
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get_data() == anonymous_client.get(url).get_data(), url
            assert len(response.text.splitlines()) > 1, url
            assert leaks(response, principal) == []


def compare_value(response) -> list[str]:
    node = by_id(response, "view-compare")
    assert node is not None, "no comparison control"
    return list(node["props"].get("value") or [])


def test_a_users_own_area_is_their_default_comparison(world) -> None:
    dep = router_request(world)
    by_name = {p.name: p for p in PRINCIPALS}
    west = client_for(world, by_name["region:lantinen"])
    tampere = client_for(world, by_name["local:837"])
    nobody = client_for(world, by_name["anonymous"])
    lantinen = list(AREAS.area("lantinen").municipalities)
    for path in ("/alue/lantinen", "/maakunta", "/kunta/536"):
        assert compare_value(route(west, dep, path)) == lantinen, path
    assert compare_value(route(tampere, dep, "/kunta/837")) == ["837"]
    assert compare_value(route(tampere, dep, "/alue/pohjoinen")) == ["837"]
    for who in ("anonymous", "expired admin session", "tampered admin cookie", "engineer", "province"):
        assert compare_value(route(client_for(world, by_name[who]), dep, "/alue/lantinen")) == [], who
    # what the URL says wins: a copied link opens the same view for everyone
    assert compare_value(route(west, dep, "/alue/lantinen", "?compare=020,837")) == ["020", "837"]
    assert compare_value(route(nobody, dep, "/alue/lantinen", "?compare=020,837")) == ["020", "837"]
    # the comparison chart of the region user's page holds their area's municipalities
    chart = json.dumps(by_id(route(west, dep, "/maakunta"), "comparison-panel"), ensure_ascii=False)
    assert "Sastamala" in chart and "Nokia" in chart


def test_the_scope_comes_from_the_user_not_the_url() -> None:
    west = users.User(1, "west1", None, False, [users.Role("region", "lantinen")])
    local = users.User(2, "tre1", None, False, [users.Role("local", "kunta-837")])
    scope = scope_for_path("/alue/etelainen", {}, "fi", AREAS, user=west)
    assert scope.area_id == "etelainen" and scope.municipalities == AREAS.area("etelainen").municipalities
    assert scope.compare == tuple(AREAS.area("lantinen").municipalities) and scope.user is west
    assert scope_for_path("/kunta/020", {}, "fi", AREAS, user=local).compare == ("837",)
    assert scope_for_path("/kunta/020", {}, "fi", AREAS).compare == ()
    # query parameters that look like identities are ignored
    crafted = {"user": "admin1", "role": "admin", "scope": "etelainen", "compare": "nonsense"}
    scope = scope_for_path("/kunta/020", crafted, "fi", AREAS)
    assert scope.user is None and scope.compare == ()


def test_a_region_user_on_another_areas_page(world) -> None:
    """Open statistics of another area render in full; that area's governance names do not."""
    principal = next(p for p in PRINCIPALS if p.name == "region:lantinen")
    client = client_for(world, principal, lang="en")
    dep = router_request(world)
    page = route(client, dep, "/alue/etelainen")
    headings = [text_of(c) for c in components(page) if c["type"] == "H1"]
    assert headings == [AREAS.area("etelainen").name("en")]
    for panel in PANELS:
        assert by_id(page, f"{panel}-panel") is not None
    governance = route(client, dep, "/hallinto", "?body=alue-etelainen")
    assert leaks(governance, principal) == []
    assert not any(contains(governance, m.name) for m in SEEDED if m.body_id == "alue-etelainen")
    assert "Active members: 2." in json.dumps(governance.get_json(), ensure_ascii=False)
    assert "not in your scope" in json.dumps(governance.get_json(), ensure_ascii=False)
    # and the same with identity-like parameters in the query string
    crafted = route(client, dep, "/hallinto", "?body=alue-etelainen&user=admin1&role=admin&scope=etelainen")
    assert leaks(crafted, principal) == []


def test_anonymous_sees_no_names_and_is_asked_to_sign_in(world) -> None:
    client = client_for(world, next(p for p in PRINCIPALS if p.how == "none"), lang="en")
    dep = router_request(world)
    for body_id in ALL_BODIES:
        response = route(client, dep, "/hallinto", f"?body={body_id}")
        assert not any(contains(response, m.name) for m in [*SEEDED, SECRETARY])
        assert "Sign in to see who sits in this body" in json.dumps(response.get_json())


def test_governance_exports_are_audited_with_the_user(world) -> None:
    principal = next(p for p in PRINCIPALS if p.name == "region:lantinen")
    client = client_for(world, principal)
    before = len(audit.entries(world.settings, action="export", actor="west1"))
    assert client.get("/hallinto/vienti.csv?body=alue-lantinen").status_code == 200
    entries = audit.entries(world.settings, action="export", actor="west1")
    assert len(entries) == before + 1
    assert (
        entries[0]["target"] == "governance" and json.loads(entries[0]["details"])["body"] == "alue-lantinen"
    )


def test_the_seeded_values_are_really_there(world) -> None:
    """Guard for the matrix: an administrator's full export holds every seeded name, email and phone."""
    client = client_for(world, PRINCIPALS[0])
    response = client.get("/hallinto/vienti.csv")
    for m in [*SEEDED, SECRETARY]:
        assert contains(response, m.name) and contains(response, m.email) and contains(response, m.phone), m


def test_a_download_follows_the_users_default_comparison(world) -> None:
    """The trend download of a region user without ?compare= holds their area's municipalities, as the page does."""
    region = next(p for p in PRINCIPALS if p.name == "region:lantinen")
    url = "/vienti/trend.csv?path=/maakunta&lang=en"
    mine = area_codes(client_for(world, region, lang="en").get(url).text)
    anonymous = area_codes(world.app.server.test_client().get(url).text)
    for code in ("536", "790", "143"):  # Nokia, Sastamala, Ikaalinen: the western area
        assert code in mine
        assert code not in anonymous


def area_codes(text: str) -> set[str]:
    """The "Area code" column of an English statistics download (below its citation lines)."""
    records = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    start = next(i for i, r in enumerate(records) if len(r) > 1)
    column = records[start].index("Area code")
    return {r[column] for r in records[start + 1 :]}
