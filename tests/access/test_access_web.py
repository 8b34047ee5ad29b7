"""Sign-in, sessions, CSRF, throttling, response headers and the administrators' pages, through the real
app (``perhekeskus.dashboard.app.create_app``) and Flask's test client.

Every POST carries ``Origin: http://localhost`` (the test client's host) unless the test is about the
same-origin guard. Client addresses are set per request (``REMOTE_ADDR``) to tell clients apart for
the per-address throttle; nothing opens a socket.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support import copy_of_home

from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.sessions import CSRF_COOKIE, SESSION_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
WRONG = "wrong horse battery"
AREAS = load_areas()
USERS = {
    "admin1": [("admin", None)],
    "prov1": [("province", None)],
    "west1": [("region", "lantinen")],
    "tre1": [("local", "837")],
    "trekunta1": [("local", "kunta-837")],
    "eng1": [("engineer", None)],
    "mod1": [("moderator", None)],
}
HOMES = {
    "admin1": "/maakunta",
    "prov1": "/maakunta",
    "west1": "/alue/lantinen",
    "tre1": "/kunta/837",
    "trekunta1": "/kunta/837",
    "eng1": "/laatu",
}
ROUTER_OUTPUT = "..app-root.children...page-meta.data.."


@pytest.fixture(autouse=True)
def _no_access_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in (
        "PERHEKESKUS_SECRET_KEY",
        "PERHEKESKUS_SECURE_COOKIES",
        "PERHEKESKUS_SESSION_IDLE_MINUTES",
        "PERHEKESKUS_SESSION_HOURS",
    ):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def template_home(tmp_path_factory) -> Path:
    """An (empty) published warehouse and the users, made once: Argon2 is slow on purpose."""
    home = tmp_path_factory.mktemp("access-web") / "home"
    home.mkdir()
    settings = Settings(home=home)
    ensure_published(settings)
    for name, roles in USERS.items():
        users.add(settings, AREAS, name, PASSWORD, roles)
    return home


@pytest.fixture
def settings(tmp_path: Path, template_home: Path) -> Settings:
    return copy_of_home(tmp_path, template_home)


@pytest.fixture
def app(settings: Settings):
    return create_app(settings)


# --- helpers --------------------------------------------------------------------------------------------


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:800]
    return match.group(1)


def attempt(client, username: str, password: str, addr: str = "127.0.0.1", headers=None):
    """One sign-in through the form (a fresh CSRF token each time), from ``addr``."""
    form = client.get("/kirjaudu", environ_base={"REMOTE_ADDR": addr})
    assert form.status_code == 200
    return client.post(
        "/kirjaudu",
        data={"username": username, "password": password, "csrf_token": token(form.text)},
        headers=ORIGIN if headers is None else headers,
        environ_base={"REMOTE_ADDR": addr},
    )


def signed_in(app, username: str, addr: str = "127.0.0.1"):
    client = app.server.test_client()
    response = attempt(client, username, PASSWORD, addr)
    assert response.status_code == 303, response.text[:500]
    return client


def session_cookie(client) -> str | None:
    cookie = client.get_cookie(SESSION_COOKIE)
    return cookie.value if cookie else None


def with_cookie(app, value: str | None):
    client = app.server.test_client()
    if value is not None:
        client.set_cookie(SESSION_COOKIE, value)
    return client


def set_cookie_header(response, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert len(found) == 1, response.headers.getlist("Set-Cookie")
    return found[0]


def cookie_flags(header: str) -> dict[str, str]:
    flags = {}
    for part in header.split(";")[1:]:
        key, _sep, value = part.strip().partition("=")
        flags[key.lower()] = value
    return flags


def router(client, pathname: str, search: str = ""):
    body = {
        "output": ROUTER_OUTPUT,
        "outputs": [{"id": "app-root", "property": "children"}, {"id": "page-meta", "property": "data"}],
        "inputs": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }
    return client.post("/_dash-update-component", json=body, headers=ORIGIN)


def nav_links(response) -> dict[str, str]:
    """href → text of the plain links (html.A) of the rendered shell's navigation."""
    found: dict[str, str] = {}

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict):
                if node.get("type") == "A" and isinstance(props.get("children"), str):
                    found[props.get("href")] = props["children"]
                walk(props.get("children"))

    walk(response.get_json()["response"]["app-root"]["children"])
    return found


def who(app, client) -> str | None:
    """The user the server sees for this client (from the router's navigation), None when anonymous."""
    client.set_cookie(LANG_COOKIE, "en")
    response = router(client, "/")
    assert response.status_code == 200
    links = nav_links(response)
    signout = links.get("/kirjaudu-ulos")
    if signout is None:
        assert "/kirjaudu" in links, links
        return None
    match = re.fullmatch(r"Sign out \((.+)\)", signout)
    assert match, signout
    return match.group(1)


def session_rows(settings: Settings, username: str) -> list:
    with operational.reading(settings) as con:
        return con.execute(
            "SELECT s.* FROM app_session s JOIN app_user u USING (user_id) WHERE u.username = ?", (username,)
        ).fetchall()


def sql(settings: Settings, statement: str, params: tuple = ()) -> None:
    with operational.transaction(settings) as con:
        con.execute(statement, params)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


# --- sign-in --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(HOMES))
def test_sign_in_lands_on_the_users_own_level(app, username: str) -> None:
    client = app.server.test_client()
    response = attempt(client, username, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == HOMES[username]
    assert session_cookie(client)
    assert who(app, client) == username
    entry = audit.entries(app.services.settings, action="signin")[0]
    assert (entry["actor"], entry["client"]) == (username, "127.0.0.1")


def test_a_moderator_lands_on_the_start_page(app) -> None:
    response = attempt(app.server.test_client(), "mod1", PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_wrong_or_unknown_credentials_give_no_session(app, settings) -> None:
    tries = (("west1", WRONG), ("west1", ""), ("nobody", PASSWORD), ("WEST1 ", WRONG))
    for i, (name, password) in enumerate(tries):
        client = app.server.test_client()
        response = attempt(client, name, password, addr=f"127.0.5.{i}")
        assert response.status_code == 401, (name, response.status_code)
        assert SESSION_COOKIE not in " ".join(response.headers.getlist("Set-Cookie"))
        assert session_cookie(client) is None
        assert who(app, client) is None
    assert session_rows(settings, "west1") == []
    failed = audit.entries(settings, action="signin_failed")
    assert len(failed) == 4 and all(e["actor"] is None for e in failed)
    assert PASSWORD not in json.dumps(failed) and WRONG not in json.dumps(failed)


def test_session_cookie_flags(app) -> None:
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    csrf = cookie_flags(set_cookie_header(form, CSRF_COOKIE))
    assert "httponly" in csrf and csrf["samesite"] == "Strict" and csrf["path"] == "/"
    assert "secure" not in csrf
    response = client.post(
        "/kirjaudu",
        data={"username": "west1", "password": PASSWORD, "csrf_token": token(form.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    flags = cookie_flags(set_cookie_header(response, SESSION_COOKIE))
    assert "httponly" in flags
    assert flags["samesite"] == "Lax"
    assert flags["path"] == "/"
    assert "secure" not in flags  # plain HTTP unless PERHEKESKUS_SECURE_COOKIES says otherwise
    assert flags["max-age"] == str(8 * 3600)
    assert "domain" not in flags


def test_secure_cookies_when_served_over_https(settings, monkeypatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_SECURE_COOKIES", "1")
    monkeypatch.setenv("PERHEKESKUS_SESSION_HOURS", "2")
    app = create_app(settings)
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    assert "secure" in cookie_flags(set_cookie_header(form, CSRF_COOKIE))
    response = client.post(
        "/kirjaudu",
        data={"username": "west1", "password": PASSWORD, "csrf_token": token(form.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    flags = cookie_flags(set_cookie_header(response, SESSION_COOKIE))
    assert "secure" in flags and "httponly" in flags and flags["samesite"] == "Lax"
    assert flags["max-age"] == str(2 * 3600)
    (row,) = session_rows(settings, "west1")
    lifetime = parse_iso(row["expires_at"]) - parse_iso(row["created_at"])
    assert lifetime == timedelta(hours=2)


def test_the_session_cookie_holds_no_user_data(app, settings) -> None:
    client = signed_in(app, "west1")
    value = session_cookie(client)
    assert "west1" not in value and "lantinen" not in value and "region" not in value
    (row,) = session_rows(settings, "west1")
    assert row["session_id"] not in value  # the server keeps only the token's digest
    assert re.fullmatch(r"[0-9a-f]{64}", row["session_id"])


# --- CSRF and the same-origin guard ---------------------------------------------------------------------


def test_sign_in_without_or_with_a_wrong_csrf_token_is_refused(app, settings) -> None:
    client = app.server.test_client()
    good = token(client.get("/kirjaudu").text)
    other = token(app.server.test_client().get("/kirjaudu").text)  # another browser's token
    for extra in ({}, {"csrf_token": ""}, {"csrf_token": "x" + good[1:]}, {"csrf_token": other}):
        response = client.post(
            "/kirjaudu", data={"username": "west1", "password": PASSWORD, **extra}, headers=ORIGIN
        )
        assert response.status_code == 400, extra
        assert session_cookie(client) is None
    # without the CSRF cookie the form value alone is not enough
    bare = app.server.test_client()
    response = bare.post(
        "/kirjaudu", data={"username": "west1", "password": PASSWORD, "csrf_token": good}, headers=ORIGIN
    )
    assert response.status_code == 400 and session_cookie(bare) is None
    assert session_rows(settings, "west1") == []
    # a refused form is not a failed password: nothing counts towards a lock
    assert audit.entries(settings, action="signin_failed") == []
    with operational.reading(settings) as con:
        assert con.execute("SELECT count(*) FROM signin_throttle").fetchone()[0] == 0
    # and the right token works
    assert (
        client.post(
            "/kirjaudu", data={"username": "west1", "password": PASSWORD, "csrf_token": good}, headers=ORIGIN
        ).status_code
        == 303
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "http://evil.example"},
        {"Origin": "http://localhost.evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/kirjaudu"},
        {"Origin": "http://evil.example", "Referer": "http://localhost/kirjaudu"},
    ],
)
def test_posts_from_another_origin_are_refused(app, settings, headers) -> None:
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": "west1", "password": PASSWORD, "csrf_token": token(form.text)},
        headers=headers,
    )
    assert response.status_code == 403
    assert session_cookie(client) is None and session_rows(settings, "west1") == []
    # Dash's callback endpoint too
    body = {"output": ROUTER_OUTPUT, "inputs": [], "changedPropIds": []}
    assert client.post("/_dash-update-component", json=body, headers=headers).status_code == 403


def test_a_same_origin_referer_is_enough_without_origin(app) -> None:
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": "west1", "password": PASSWORD, "csrf_token": token(form.text)},
        headers={"Referer": "http://localhost/kirjaudu"},
    )
    assert response.status_code == 303


# --- throttling -----------------------------------------------------------------------------------------


def throttle_row(settings: Settings, key: str):
    with operational.reading(settings) as con:
        return con.execute("SELECT * FROM signin_throttle WHERE key = ?", (key,)).fetchone()


def time_passes_beyond_slowdown(settings: Settings) -> None:
    """The short waits of the slowing phase are over (the failures stay counted in their window)."""
    sql(settings, "UPDATE signin_throttle SET locked_until = NULL")


def seconds_until(value: str) -> float:
    return (parse_iso(value) - datetime.now(UTC)).total_seconds()


def test_failed_sign_ins_are_slowed_then_lock_the_account(app, settings) -> None:
    client = app.server.test_client()
    for failure in range(1, 9):
        time_passes_beyond_slowdown(settings)
        # each from another address: only the account's count grows
        before = datetime.now(UTC)
        response = attempt(client, "west1", WRONG, addr=f"127.0.1.{failure}")
        after = datetime.now(UTC)
        assert response.status_code == 401, failure
        row = throttle_row(settings, "user:west1")
        assert row["failures"] == failure
        if failure < 3:
            assert row["locked_until"] is None, failure
        elif failure < 8:  # slowed: a wait that doubles
            wait = timedelta(seconds=2 ** (failure - 3))
            assert before + wait <= parse_iso(row["locked_until"]) <= after + wait, failure
        if failure == 6:
            # while slowed, even the right password is refused without being tried
            refused = attempt(client, "west1", PASSWORD, addr="127.0.1.100")
            assert refused.status_code == 429 and session_cookie(client) is None
    # locked for a quarter of an hour, whatever the address and whatever the password
    assert 14 * 60 < seconds_until(throttle_row(settings, "user:west1")["locked_until"]) <= 15 * 60
    for addr in ("127.0.1.101", "127.0.1.102"):
        response = attempt(client, "west1", PASSWORD, addr=addr)
        assert response.status_code == 429
        assert session_cookie(client) is None
        waits = [int(n) for n in re.findall(r"\b(\d+)\b", response.text) if 800 < int(n) <= 900]
        assert waits, "the refusal tells how long to wait"
    assert session_rows(settings, "west1") == []
    # other accounts are not affected
    assert attempt(app.server.test_client(), "prov1", PASSWORD, addr="127.0.1.1").status_code == 303

    failed = audit.entries(settings, action="signin_failed")
    assert len(failed) == 8
    assert all(e["target"] == "west1" for e in failed)
    assert {e["client"] for e in failed} == {f"127.0.1.{i}" for i in range(1, 9)}
    assert json.loads(failed[0]["details"]) == {"locked": True}
    assert all(json.loads(e["details"]) == {"locked": False} for e in failed[1:])
    throttled = audit.entries(settings, action="signin_throttled")
    assert [(e["target"], e["client"]) for e in reversed(throttled)] == [
        ("west1", "127.0.1.100"),
        ("west1", "127.0.1.101"),
        ("west1", "127.0.1.102"),
    ]

    # the lock is for a while: once it has passed, the right password works and clears the count
    past = iso(datetime.now(UTC) - timedelta(minutes=16))
    sql(settings, "UPDATE signin_throttle SET locked_until = ?, first_at = ?", (past, past))
    assert attempt(client, "west1", PASSWORD, addr="127.0.1.103").status_code == 303
    assert throttle_row(settings, "user:west1") is None


def test_failed_sign_ins_from_one_address_lock_that_address(app, settings) -> None:
    client = app.server.test_client()
    for failure in range(1, 9):
        time_passes_beyond_slowdown(settings)
        # a different (unknown) account each time: only the address's count grows
        assert attempt(client, f"guess{failure}", WRONG, addr="127.0.2.1").status_code == 401
    row = throttle_row(settings, "addr:127.0.2.1")
    assert row["failures"] == 8 and seconds_until(row["locked_until"]) > 14 * 60
    assert throttle_row(settings, "user:prov1") is None
    # the right password of a real account is refused from that address …
    refused = attempt(client, "prov1", PASSWORD, addr="127.0.2.1")
    assert refused.status_code == 429 and session_cookie(client) is None
    (entry,) = audit.entries(settings, action="signin_throttled")
    assert (entry["target"], entry["client"], entry["actor"]) == ("prov1", "127.0.2.1", None)
    # … and accepted from another
    other = app.server.test_client()
    assert attempt(other, "prov1", PASSWORD, addr="127.0.2.2").status_code == 303
    assert who(app, other) == "prov1"


def test_parallel_guesses_cannot_slip_past_the_lock(app, settings) -> None:
    """Guesses sent at the same moment are checked and counted one by one: no more of them reach the
    password check than the lock allows."""
    tries = 24
    ready = threading.Barrier(tries)
    codes: list[int] = []

    def guess(i: int) -> None:
        client = app.server.test_client()
        csrf = token(client.get("/kirjaudu").text)
        ready.wait()
        response = client.post(
            "/kirjaudu",
            data={"username": "west1", "password": f"{WRONG} {i}", "csrf_token": csrf},
            headers=ORIGIN,
            environ_base={"REMOTE_ADDR": f"127.0.6.{i}"},
        )
        codes.append(response.status_code)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(codes) == tries and set(codes) <= {401, 429}
    tried = codes.count(401)
    assert 1 <= tried <= 8, f"{tried} parallel guesses were checked against the password"
    assert len(audit.entries(settings, action="signin_failed")) == tried
    assert len(audit.entries(settings, action="signin_throttled")) == tries - tried
    assert throttle_row(settings, "user:west1")["failures"] == tried


def test_a_success_clears_the_accounts_own_failures(app, settings) -> None:
    client = app.server.test_client()
    for _ in range(2):
        assert attempt(client, "eng1", WRONG, addr="127.0.3.1").status_code == 401
    assert throttle_row(settings, "user:eng1")["failures"] == 2
    assert attempt(client, "eng1", PASSWORD, addr="127.0.3.1").status_code == 303
    assert throttle_row(settings, "user:eng1") is None
    # the address keeps its failures; the success itself is not counted against it
    assert throttle_row(settings, "addr:127.0.3.1")["failures"] == 2


# --- sign-out, expiry, tampering ------------------------------------------------------------------------


def sign_out(client, with_token: bool = True):
    form = client.get("/kirjaudu-ulos")
    assert form.status_code == 200
    data = {"csrf_token": token(form.text)} if with_token else {}
    return client.post("/kirjaudu-ulos", data=data, headers=ORIGIN)


def test_sign_out_ends_the_session_on_the_server(app, settings) -> None:
    client = signed_in(app, "admin1")
    old = session_cookie(client)
    assert who(app, client) == "admin1"
    # without the CSRF token nothing happens
    assert sign_out(client, with_token=False).status_code == 400
    assert who(app, client) == "admin1"
    response = sign_out(client)
    assert response.status_code == 200
    removed = set_cookie_header(response, SESSION_COOKIE)
    assert removed.startswith(f"{SESSION_COOKIE}=;") and "max-age=0" in removed.lower()
    assert who(app, client) is None
    (row,) = session_rows(settings, "admin1")
    assert row["revoked"] == 1
    # the old cookie, kept by an attacker, no longer works
    replay = with_cookie(app, old)
    assert who(app, replay) is None
    assert replay.get("/yllapito/kayttajat").status_code == 303
    assert [e["actor"] for e in audit.entries(settings, action="signout")] == ["admin1"]


def test_a_sign_out_link_from_another_site_does_nothing(app) -> None:
    client = signed_in(app, "west1")
    assert client.get("/kirjaudu-ulos").status_code == 200  # a GET only shows the form
    assert who(app, client) == "west1"
    form = client.get("/kirjaudu-ulos")
    response = client.post(
        "/kirjaudu-ulos", data={"csrf_token": token(form.text)}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403
    assert who(app, client) == "west1"


def test_an_idle_session_expires(app, settings) -> None:
    client = signed_in(app, "west1")
    assert who(app, client) == "west1"
    # half an hour idle: still valid, and the visit moves last_seen
    sql(settings, "UPDATE app_session SET last_seen = ?", (iso(datetime.now(UTC) - timedelta(minutes=30)),))
    assert who(app, client) == "west1"
    (row,) = session_rows(settings, "west1")
    assert seconds_until(row["last_seen"]) > -60
    # past the idle limit (60 min): anonymous
    sql(settings, "UPDATE app_session SET last_seen = ?", (iso(datetime.now(UTC) - timedelta(minutes=61)),))
    assert who(app, client) is None
    assert client.get("/hallinto/vienti.csv").status_code == 303


def test_a_session_expires_after_its_lifetime_even_when_active(app, settings) -> None:
    client = signed_in(app, "admin1")
    assert client.get("/yllapito/kayttajat").status_code == 200
    sql(settings, "UPDATE app_session SET expires_at = ?", (iso(datetime.now(UTC) - timedelta(seconds=1)),))
    assert client.get("/yllapito/kayttajat").status_code == 303
    assert who(app, client) is None


def test_the_idle_limit_comes_from_the_environment(settings, monkeypatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_SESSION_IDLE_MINUTES", "0.05")  # 3 seconds
    app = create_app(settings)
    client = signed_in(app, "admin1")
    assert client.get("/yllapito/kayttajat").status_code == 200
    time.sleep(3.5)
    assert client.get("/yllapito/kayttajat").status_code == 303
    assert who(app, client) is None


def tampered(value: str, position: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    old = value[position]
    new = alphabet[(alphabet.index(old) + 1) % len(alphabet)] if old in alphabet else "A"
    return value[:position] + new + value[position + 1 :]


def test_a_tampered_cookie_is_anonymous(app) -> None:
    client = signed_in(app, "admin1")
    good = session_cookie(client)
    payload, _dot, signature = good.rpartition(".")
    for changed in (
        tampered(good, 3),  # in the token
        tampered(good, len(payload) // 2),
        tampered(good, len(payload) + 1 + len(signature) // 2),  # in the signature
        good + "x",
        good[:-2],
        payload,
        "." + signature,
        "",
    ):
        assert changed != good
        forged = with_cookie(app, changed)
        assert who(app, forged) is None, changed
        assert forged.get("/yllapito/kayttajat").status_code == 303
    # the original still works
    assert who(app, with_cookie(app, good)) == "admin1"


def test_a_well_signed_cookie_for_no_session_is_anonymous(app, settings) -> None:
    signer = app.services.access.sessions._signer
    assert who(app, with_cookie(app, signer.dumps("made-up-token"))) is None
    assert who(app, with_cookie(app, signer.dumps({"user_id": 1}))) is None
    other_app = create_app(Settings(home=settings.home.parent / "other-home"))
    foreign = other_app.services.access.sessions._signer.dumps("made-up-token")
    assert who(app, with_cookie(app, foreign)) is None


def test_a_disabled_users_session_ends(app, settings) -> None:
    client = signed_in(app, "eng1")
    assert who(app, client) == "eng1"
    users.set_disabled(settings, "eng1", True, actor="admin1")
    assert who(app, client) is None


# --- response headers -----------------------------------------------------------------------------------


def check_headers(response, what: str) -> None:
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert "frame-ancestors 'none'" in headers.get("Content-Security-Policy", ""), what
    assert headers.get("Referrer-Policy") in ("same-origin", "strict-origin", "no-referrer"), what


def test_security_headers_on_every_kind_of_answer(app) -> None:
    client = app.server.test_client()
    for path in (
        "/",
        "/maakunta",
        "/alue/lantinen",
        "/hallinto",
        "/kirjaudu",
        "/kirjaudu-ulos",
        "/yllapito/kayttajat",
        "/hallinto/vienti.csv",
        "/healthz",
        "/_dash-layout",
        "/_dash-dependencies",
        "/ei-tallaista",
        "/assets/style.css",
    ):
        check_headers(client.get(path), path)
    check_headers(router(client, "/maakunta"), "router callback")
    check_headers(
        client.post("/kirjaudu", data={}, headers={"Origin": "http://evil.example"}), "refused POST"
    )
    check_headers(client.post("/kirjaudu", data={}, headers=ORIGIN), "CSRF refusal")
    admin = signed_in(app, "admin1")
    for path in (
        "/yllapito/kayttajat",
        "/yllapito/loki",
        "/yllapito/loki?format=csv",
        "/hallinto/vienti.csv",
    ):
        check_headers(admin.get(path), path)
    check_headers(router(admin, "/hallinto"), "router callback, signed in")


# --- administrators' pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/yllapito/kayttajat", "/yllapito/loki", "/yllapito/loki?format=csv"])
def test_admin_pages_send_anonymous_visitors_to_sign_in(app, path) -> None:
    client = app.server.test_client()
    response = client.get(path)
    assert response.status_code == 303 and response.headers["Location"] == "/kirjaudu"
    assert "admin1" not in response.text
    if path == "/yllapito/kayttajat":
        posted = client.post(path, data={"action": "add", "username": "sneaky"}, headers=ORIGIN)
        assert posted.status_code == 303


@pytest.mark.parametrize("username", ["prov1", "west1", "tre1", "eng1", "mod1"])
def test_admin_pages_refuse_other_roles(app, settings, username) -> None:
    client = signed_in(app, username)
    for path in ("/yllapito/kayttajat", "/yllapito/loki", "/yllapito/loki?format=csv&action=signin"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "admin1" not in response.text and "audit-log.csv" not in response.headers.get(
            "Content-Disposition", ""
        )
    # a POST with a valid token is refused too
    form = client.get("/kirjaudu")
    response = client.post(
        "/yllapito/kayttajat",
        data={
            "csrf_token": token(form.text),
            "action": "roles",
            "username": username,
            "roles": "admin",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 403
    assert not users.get(settings, username).has("admin")
    assert audit.entries(settings, action="export") == []


def admin_post(client, **data):
    form = client.get("/yllapito/kayttajat")
    assert form.status_code == 200
    return client.post("/yllapito/kayttajat", data={"csrf_token": token(form.text), **data}, headers=ORIGIN)


def test_admin_adds_a_user_changes_roles_and_disables(app, settings) -> None:
    admin = signed_in(app, "admin1")
    page = admin.get("/yllapito/kayttajat")
    assert page.status_code == 200 and "west1" in page.text and "region:lantinen" in page.text
    assert "$argon2" not in page.text

    # without the token: refused, nothing added
    refused = admin.post(
        "/yllapito/kayttajat",
        data={"action": "add", "username": "south1", "roles": "region:etelainen", "password": PASSWORD},
        headers=ORIGIN,
    )
    assert refused.status_code == 400 and users.get(settings, "south1") is None
    # a bad role: refused with the reason, nothing added
    bad = admin_post(admin, action="add", username="south1", roles="region:nowhere", password=PASSWORD)
    assert bad.status_code == 400 and users.get(settings, "south1") is None
    added = admin_post(
        admin,
        action="add",
        username="south1",
        display_name="<b>Etelä</b>",
        roles="region:etelainen, engineer",
        password=PASSWORD,
    )
    assert added.status_code == 200, added.text[:500]
    assert "<b>Etelä</b>" not in added.text and "&lt;b&gt;Etelä&lt;/b&gt;" in added.text
    south = users.get(settings, "south1")
    assert {(r.role, r.scope) for r in south.roles} == {("region", "etelainen"), ("engineer", "")}
    south_client = app.server.test_client()
    landed = attempt(south_client, "south1", PASSWORD)
    assert (landed.status_code, landed.headers["Location"]) == (303, "/alue/etelainen")

    changed = admin_post(admin, action="roles", username="south1", roles="local:020")
    assert changed.status_code == 200
    assert [(r.role, r.scope) for r in users.get(settings, "south1").roles] == [("local", "020")]
    bad_roles = admin_post(admin, action="roles", username="south1", roles="local:999")
    assert bad_roles.status_code == 400
    assert [(r.role, r.scope) for r in users.get(settings, "south1").roles] == [("local", "020")]

    # disabling ends the user's sessions at once and stops sign-in
    assert who(app, south_client) == "<b>Etelä</b>"
    disabled = admin_post(admin, action="disable", username="south1")
    assert disabled.status_code == 200 and users.get(settings, "south1").disabled
    assert who(app, south_client) is None
    assert attempt(app.server.test_client(), "south1", PASSWORD).status_code == 401
    # an administrator cannot lock themselves out
    for myself in ("admin1", "ADMIN1", "Admin1"):  # usernames are compared without case
        assert admin_post(admin, action="disable", username=myself).status_code == 400, myself
        assert not users.get(settings, "admin1").disabled, myself
    enabled = admin_post(admin, action="enable", username="south1")
    assert enabled.status_code == 200 and not users.get(settings, "south1").disabled
    assert admin_post(admin, action="launch", username="south1").status_code == 400

    actions = [(e["actor"], e["action"], e["target"]) for e in reversed(audit.entries(settings))]
    assert [a for a in actions if a[1].startswith("user_") and a[0] == "admin1"] == [
        ("admin1", "user_add", "south1"),
        ("admin1", "user_roles", "south1"),
        ("admin1", "user_disable", "south1"),
        ("admin1", "user_enable", "south1"),
    ]
    assert PASSWORD not in json.dumps(audit.entries(settings))


def audit_table(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_audit_log_page_filters_and_exports(app, settings) -> None:
    attempt(app.server.test_client(), "west1", WRONG, addr="127.0.4.1")
    signed_in(app, "west1", addr="127.0.4.2")
    admin = signed_in(app, "admin1", addr="127.0.4.3")
    admin_post(admin, action="roles", username="eng1", roles="engineer, moderator")

    everything = audit_table(admin.get("/yllapito/loki").text)
    assert {r[2] for r in everything} >= {"user_add", "signin", "signin_failed", "user_roles"}

    by_actor = audit_table(admin.get("/yllapito/loki?actor=west1").text)
    assert by_actor and {r[1] for r in by_actor} == {"west1"}
    by_action = audit_table(admin.get("/yllapito/loki?action=signin_failed").text)
    assert len(by_action) == 1 and by_action[0][3] == "west1" and by_action[0][5] == "127.0.4.1"
    both = audit_table(admin.get("/yllapito/loki?actor=admin1&action=user_roles").text)
    assert len(both) == 1 and both[0][3] == "eng1"
    assert audit_table(admin.get("/yllapito/loki?action=nothing-like-this").text) == []
    # hostile filter values are shown escaped, never as markup
    hostile = admin.get('/yllapito/loki?actor="><script>x</script>')
    assert hostile.status_code == 200 and "<script>x" not in hostile.text

    exported = admin.get("/yllapito/loki?format=csv&action=signin")
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert table and {r["action"] for r in table} == {"signin"}
    assert {r["actor"] for r in table} == {"west1", "admin1"}
    # the export is itself audited, with its filters
    (entry,) = audit.entries(settings, action="export")
    assert (entry["actor"], entry["target"]) == ("admin1", "audit_log")
    details = json.loads(entry["details"])
    assert details["filters"]["action"] == "signin" and details["rows"] == len(table)
    # and shows up in the next export
    again = list(csv.DictReader(io.StringIO(admin.get("/yllapito/loki?format=csv").text.lstrip("\ufeff"))))
    assert any(r["action"] == "export" and r["target"] == "audit_log" for r in again)


def test_the_audit_export_holds_no_spreadsheet_formulas(app, settings) -> None:
    """Failed sign-ins log whatever was typed as the username; the export must not turn it into a formula."""
    typed = ['=HYPERLINK("http://evil.example";"x")', "+1+1", "-2+3", "@SUM(A1)"]
    for i, name in enumerate(typed):
        assert attempt(app.server.test_client(), name, WRONG, addr=f"127.0.7.{i}").status_code == 401
    admin = signed_in(app, "admin1")
    exported = admin.get("/yllapito/loki?format=csv&action=signin_failed")
    table = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert sorted(r["target"] for r in table) == sorted("'" + name for name in typed)
    for row in table:
        assert not any(str(v).startswith(("=", "+", "-", "@")) for v in row.values()), row
    # the page shows them as typed (escaped)
    page = admin.get("/yllapito/loki?action=signin_failed")
    assert "+1+1" in page.text and "=HYPERLINK(&#34;http://evil.example&#34;" in page.text


def test_the_audit_export_link_keeps_the_filters(app) -> None:
    admin = signed_in(app, "admin1")
    page = admin.get("/yllapito/loki?actor=west1&action=signin")
    links = re.findall(r'href="(/yllapito/loki\?format=csv[^"]*)"', page.text)
    assert len(links) == 1
    link = links[0].replace("&amp;", "&")
    assert "actor=west1" in link and "action=signin" in link


# --- a success clears only the account; refusals are logged once per address and window ---------------


def test_one_valid_account_cannot_reset_an_address_spraying_guesses(app, settings) -> None:
    """Guesses spread over many accounts from one address lock the address, even when the attacker signs
    in with an account of their own in between (a success used to wipe the address's count)."""
    client = app.server.test_client()
    addr = "127.0.8.1"
    for failure in range(1, 5):
        time_passes_beyond_slowdown(settings)
        assert attempt(client, f"spray{failure}", WRONG, addr=addr).status_code == 401
    time_passes_beyond_slowdown(settings)
    assert attempt(app.server.test_client(), "prov1", PASSWORD, addr=addr).status_code == 303
    assert throttle_row(settings, "addr:" + addr)["failures"] == 4  # neither wiped nor grown by it
    for failure in range(5, 9):
        time_passes_beyond_slowdown(settings)
        assert attempt(client, f"spray{failure}", WRONG, addr=addr).status_code == 401
    row = throttle_row(settings, "addr:" + addr)
    assert row["failures"] == 8 and seconds_until(row["locked_until"]) > 14 * 60
    # locked: even the attacker's own valid account is refused from that address
    refused = app.server.test_client()
    assert attempt(refused, "prov1", PASSWORD, addr=addr).status_code == 429
    assert session_cookie(refused) is None


def test_refused_sign_ins_write_one_audit_row_per_address_and_window(app, settings) -> None:
    client = app.server.test_client()
    addr = "127.0.9.1"
    for failure in range(1, 9):
        time_passes_beyond_slowdown(settings)
        assert attempt(client, f"flood{failure}", WRONG, addr=addr).status_code == 401
    for i in range(50):
        assert attempt(client, f"flood{i % 3}", WRONG, addr=addr).status_code == 429
    (entry,) = audit.entries(settings, action="signin_throttled")
    assert (entry["client"], entry["actor"], entry["target"]) == (addr, None, "flood0")
    assert json.loads(entry["details"]) == {"refused_in_window": 1, "window_minutes": 15}
    assert throttle_row(settings, "refused:addr:" + addr)["failures"] == 50  # counted, not logged
    # another address gets its own row
    # flood1's third failure (its first was from the first address) slows the account down
    codes = [attempt(client, "flood1", WRONG, addr="127.0.9.2").status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    assert [e["client"] for e in audit.entries(settings, action="signin_throttled")] == ["127.0.9.2", addr]
    # once the window has passed, the next refusal starts a new row that tells the previous window's count
    past = iso(datetime.now(UTC) - timedelta(minutes=16))
    sql(settings, "UPDATE signin_throttle SET first_at = ? WHERE key = ?", (past, "refused:addr:" + addr))
    assert attempt(client, "flood9", WRONG, addr=addr).status_code == 429
    newest = audit.entries(settings, action="signin_throttled")[0]
    assert newest["client"] == addr
    assert json.loads(newest["details"]) == {
        "refused_in_window": 1,
        "window_minutes": 15,
        "previous_window": {"from": past, "refused": 50},
    }
    assert len(audit.entries(settings, action="signin_throttled")) == 3


# --- sign-in from a shared link, and the shell of the sign-in pages -------------------------------------


def attempt_from(client, next_value: str, username: str = "tre1", addr: str = "127.0.10.1"):
    """Sign in through the form reached by ``/kirjaudu?next=<next_value>`` (the form posts it back)."""
    form = client.get("/kirjaudu", query_string={"next": next_value}, environ_base={"REMOTE_ADDR": addr})
    assert form.status_code == 200
    action = re.search(r'<form method="post" action="([^"]+)" class="signin-form"', form.text).group(1)
    return client.post(
        action.replace("&amp;", "&"),
        data={"username": username, "password": PASSWORD, "csrf_token": token(form.text)},
        headers=ORIGIN,
        environ_base={"REMOTE_ADDR": addr},
    )


def test_the_sign_in_link_carries_the_page_and_signing_in_returns_there(app) -> None:
    client = app.server.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    links = nav_links(router(client, "/kunta/837", "?indicator=127"))
    (href,) = [h for h, text in links.items() if text == "Sign in"]
    assert href == "/kirjaudu?next=%2Fkunta%2F837%3Findicator%3D127"
    # west1 would land on /alue/lantinen; from a shared link it lands on that link
    response = attempt_from(app.server.test_client(), "/kunta/837?indicator=127", username="west1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/kunta/837?indicator=127"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "//evil.example/kunta/837",
        "https://evil.example/",
        "http:/evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/kunta//evil.example",
        "/\tevil",
        "/kirjaudu-ulos",
        "",
    ],
)
def test_signing_in_follows_only_paths_of_this_site(app, target: str) -> None:
    """A path of this site is followed; anything that could lead elsewhere (an open redirect) or back to
    the sign-in pages is ignored and the user lands on their own home."""
    local = "/maakunta?indicator=127&years=2015-2020"
    followed = attempt_from(app.server.test_client(), local, username="tre1", addr="127.0.11.1")
    assert (followed.status_code, followed.headers["Location"]) == (303, local)
    response = attempt_from(app.server.test_client(), target, username="tre1", addr="127.0.11.1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/kunta/837"  # the user's own home, not the given target


def test_sign_in_and_sign_out_pages_carry_the_header_navigation_and_language_choice(app) -> None:
    client = app.server.test_client()
    page = client.get("/kirjaudu?next=%2Fmaakunta&lang=sv").text
    nav = re.search(r'<nav class="main-nav" aria-label="[^"]+">(.*?)</nav>', page, re.S)
    assert nav, page[:1500]
    for href in ("/", "/maakunta", "/alue/lantinen", "/hallinto", "/laatu"):
        assert f'href="{href}"' in nav.group(1)
    languages = re.search(r'<nav class="lang-switch" aria-label="[^"]+">(.*?)</nav>', page, re.S).group(1)
    hrefs = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', languages)]
    assert sorted(hrefs) == sorted(f"/kirjaudu?next=%2Fmaakunta&lang={lang}" for lang in ("fi", "sv", "en"))
    assert '<html lang="sv">' in page
    # signed in, the sign-out page shows the user's navigation; after signing out, the anonymous one
    admin = signed_in(app, "admin1")
    form = admin.get("/kirjaudu-ulos").text
    assert 'href="/kirjaudu-ulos"' in form and 'href="/yllapito/kayttajat"' in form
    done = admin.post("/kirjaudu-ulos", data={"csrf_token": token(form)}, headers=ORIGIN).text
    nav = re.search(r'<nav class="main-nav" aria-label="[^"]+">(.*?)</nav>', done, re.S).group(1)
    assert 'href="/kirjaudu"' in nav and "/kirjaudu-ulos" not in nav and "/yllapito" not in nav
