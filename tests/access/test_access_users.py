"""Users, passwords, roles, the secret key, the operational store's permissions and the audit log.

``perhekeskus.dashboard.access.users`` directly, and the ``perhekeskus users …`` CLI in a subprocess with its own
``PERHEKESKUS_HOME``.
"""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer
from support import cli, cli_env

from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.sessions import SessionPolicy, SessionStore, secret_key
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"
NEW_PASSWORD = "another long passphrase"
AREAS = load_areas()


@pytest.fixture(autouse=True)
def _no_access_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("PERHEKESKUS_SECRET_KEY", "PERHEKESKUS_SECURE_COOKIES", "PERHEKESKUS_SESSION_IDLE_MINUTES"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def rows(settings: Settings, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    with operational.reading(settings) as con:
        return con.execute(sql, params).fetchall()


def store_bytes(settings: Settings) -> bytes:
    """Everything SQLite keeps on disk for the store (the main file and its write-ahead log)."""
    path = operational.store_path(settings)
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- users ----------------------------------------------------------------------------------------------


def test_add_stores_an_argon2id_hash_never_the_password(settings: Settings) -> None:
    user = users.add(
        settings, AREAS, "west1", PASSWORD, [("region", "lantinen"), ("engineer", None)], display_name="W"
    )
    assert user.username == "west1" and user.display_name == "W" and not user.disabled
    assert {(r.role, r.scope) for r in user.roles} == {("region", "lantinen"), ("engineer", "")}
    (row,) = rows(settings, "SELECT password_hash FROM app_user WHERE username = 'west1'")
    assert row["password_hash"].startswith("$argon2id$"), row["password_hash"]
    assert PASSWORD not in row["password_hash"]
    # not in any column, table or the write-ahead log, nor in the audit entry of the addition
    assert PASSWORD.encode() not in store_bytes(settings)
    (entry,) = audit.entries(settings, action="user_add")
    assert entry["target"] == "west1" and PASSWORD not in json.dumps(entry)
    assert json.loads(entry["details"]) == {"roles": ["region:lantinen", "engineer"]}


def test_verify_accepts_the_password_only(settings: Settings) -> None:
    users.add(settings, AREAS, "nokia1", PASSWORD, [("local", "536")])
    found = users.verify(settings, "nokia1", PASSWORD)
    assert found is not None and found.username == "nokia1" and found.scopes("local") == ["536"]
    assert users.verify(settings, "nokia1", PASSWORD + "x") is None
    assert users.verify(settings, "nokia1", PASSWORD.upper()) is None
    assert users.verify(settings, "nokia1", "") is None
    assert users.verify(settings, "nobody", PASSWORD) is None
    assert users.verify(settings, "", "") is None


def test_a_disabled_user_cannot_sign_in_until_enabled(settings: Settings) -> None:
    users.add(settings, AREAS, "prov1", PASSWORD, [("province", None)])
    users.set_disabled(settings, "prov1", True, actor="admin1")
    assert users.get(settings, "prov1").disabled
    assert users.verify(settings, "prov1", PASSWORD) is None
    users.set_disabled(settings, "prov1", False, actor="admin1")
    assert users.verify(settings, "prov1", PASSWORD) is not None
    with pytest.raises(users.UserError, match="no user"):
        users.set_disabled(settings, "nobody", True, actor="admin1")


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ([("region", None)], "role region needs --scope"),
        ([("region", "")], "role region needs --scope"),
        ([("region", "itainen")], "role region needs --scope"),
        ([("region", "837")], "role region needs --scope"),
        ([("local", None)], "role local needs --scope"),
        ([("local", "999")], "role local needs --scope"),  # not a municipality of the province
        ([("local", "091")], "role local needs --scope"),  # Helsinki: not in Pirkanmaa
        ([("local", "lantinen")], "role local needs --scope"),
        ([("local", "kunta-12")], "role local needs --scope"),
        ([("province", "lantinen")], "takes no scope"),
        ([("admin", "837")], "takes no scope"),
        ([("superuser", None)], "unknown role"),
        ([], "at least one role"),
    ],
)
def test_roles_and_scopes_are_validated(settings: Settings, roles, message: str) -> None:
    with pytest.raises(users.UserError, match=message):
        users.add(settings, AREAS, "someone", PASSWORD, roles)
    assert users.get(settings, "someone") is None


def test_valid_local_scopes(settings: Settings) -> None:
    for name, scope in (("tre", "837"), ("tre2", "kunta-837"), ("fc", "perhekeskus-etela")):
        assert users.add(settings, AREAS, name, PASSWORD, [("local", scope)]).scopes("local") == [scope]


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("x", PASSWORD, "username"),
        ("has space", PASSWORD, "username"),
        ("a" * 65, PASSWORD, "username"),
        ("<script>", PASSWORD, "username"),
        ("shortpw", "eleven char", "at least 12"),
        ("nopw", "", "at least 12"),
    ],
)
def test_usernames_and_passwords_are_checked(settings: Settings, username, password, message) -> None:
    with pytest.raises(users.UserError, match=message):
        users.add(settings, AREAS, username, password, [("engineer", None)])
    assert users.list_users(settings) == []


def test_a_username_is_taken_once_whatever_its_case(settings: Settings) -> None:
    users.add(settings, AREAS, "admin1", PASSWORD, [("admin", None)])
    for name in ("admin1", "ADMIN1", "Admin1"):
        with pytest.raises(users.UserError, match="exists already"):
            users.add(settings, AREAS, name, NEW_PASSWORD, [("engineer", None)])
    assert [u.username for u in users.list_users(settings)] == ["admin1"]
    # the first account is untouched
    assert users.verify(settings, "admin1", PASSWORD).has("admin")
    assert users.verify(settings, "admin1", NEW_PASSWORD) is None


def test_set_roles_replaces_the_roles_and_is_audited(settings: Settings) -> None:
    users.add(settings, AREAS, "west1", PASSWORD, [("region", "lantinen")])
    changed = users.set_roles(
        settings, AREAS, "west1", [("local", "536"), ("moderator", None)], actor="admin1", client="127.0.0.1"
    )
    assert {(r.role, r.scope) for r in changed.roles} == {("local", "536"), ("moderator", "")}
    assert not changed.has("region")
    (entry,) = audit.entries(settings, action="user_roles")
    details = json.loads(entry["details"])
    assert (entry["actor"], entry["target"], entry["client"]) == ("admin1", "west1", "127.0.0.1")
    assert details["before"] == ["region:lantinen"]
    assert sorted(details["after"]) == ["local:536", "moderator:"]
    # a bad role changes nothing
    with pytest.raises(users.UserError):
        users.set_roles(settings, AREAS, "west1", [("region", "nowhere")], actor="admin1")
    with pytest.raises(users.UserError):
        users.set_roles(settings, AREAS, "west1", [], actor="admin1")
    assert {(r.role, r.scope) for r in users.get(settings, "west1").roles} == {
        ("local", "536"),
        ("moderator", ""),
    }
    with pytest.raises(users.UserError, match="no user"):
        users.set_roles(settings, AREAS, "nobody", [("engineer", None)], actor="admin1")


def test_set_password_changes_it_and_ends_sessions(settings: Settings) -> None:
    user = users.add(settings, AREAS, "eng1", PASSWORD, [("engineer", None)])
    store = SessionStore(settings, SessionPolicy())
    cookie = store.create(user.user_id, "127.0.0.1")
    assert store.user_id(cookie) == user.user_id
    with pytest.raises(users.UserError, match="at least 12"):
        users.set_password(settings, "eng1", "short", actor="admin1")
    assert users.verify(settings, "eng1", PASSWORD) is not None and store.user_id(cookie) == user.user_id
    users.set_password(settings, "eng1", NEW_PASSWORD, actor="admin1")
    assert users.verify(settings, "eng1", PASSWORD) is None
    assert users.verify(settings, "eng1", NEW_PASSWORD) is not None
    assert store.user_id(cookie) is None
    assert NEW_PASSWORD.encode() not in store_bytes(settings)
    (entry,) = audit.entries(settings, action="user_password")
    assert entry["target"] == "eng1" and NEW_PASSWORD not in json.dumps(entry)
    with pytest.raises(users.UserError, match="no user"):
        users.set_password(settings, "nobody", NEW_PASSWORD, actor="admin1")


def test_disabling_ends_sessions_for_good(settings: Settings) -> None:
    user = users.add(settings, AREAS, "mod1", PASSWORD, [("moderator", None)])
    store = SessionStore(settings, SessionPolicy())
    cookies = [store.create(user.user_id, "127.0.0.1") for _ in range(2)]
    assert all(store.user_id(c) == user.user_id for c in cookies)
    users.set_disabled(settings, "mod1", True, actor="admin1")
    assert [store.user_id(c) for c in cookies] == [None, None]
    users.set_disabled(settings, "mod1", False, actor="admin1")
    assert [store.user_id(c) for c in cookies] == [None, None]  # enabling does not revive them
    assert store.user_id(store.create(user.user_id, "127.0.0.1")) == user.user_id


# --- the audit log --------------------------------------------------------------------------------------


def test_the_audit_log_records_user_changes_and_refuses_rewrites(settings: Settings) -> None:
    users.add(settings, AREAS, "admin1", PASSWORD, [("admin", None)], actor="cli:root")
    users.add(settings, AREAS, "west1", PASSWORD, [("region", "lantinen")], actor="admin1", client="10.1.2.3")
    users.set_roles(settings, AREAS, "west1", [("province", None)], actor="admin1")
    users.set_disabled(settings, "west1", True, actor="admin1")
    users.set_disabled(settings, "west1", False, actor="admin1")
    users.set_password(settings, "west1", NEW_PASSWORD, actor="admin1")
    found = [(e["actor"], e["action"], e["target"]) for e in reversed(audit.entries(settings))]
    assert found == [
        ("cli:root", "user_add", "admin1"),
        ("admin1", "user_add", "west1"),
        ("admin1", "user_roles", "west1"),
        ("admin1", "user_disable", "west1"),
        ("admin1", "user_enable", "west1"),
        ("admin1", "user_password", "west1"),
    ]
    assert audit.entries(settings, action="user_add", actor="admin1")[0]["client"] == "10.1.2.3"
    assert all(e["at"] for e in audit.entries(settings))
    # filters
    assert [e["action"] for e in audit.entries(settings, actor="cli:root")] == ["user_add"]
    assert audit.entries(settings, since="2999-01-01") == []

    before = [tuple(r) for r in rows(settings, "SELECT * FROM audit_log ORDER BY audit_id")]
    con = operational.connect(settings)
    try:
        for sql in (
            "UPDATE audit_log SET actor = 'someone else'",
            "UPDATE audit_log SET details = NULL WHERE action = 'user_password'",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE action = 'user_disable'",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                con.execute(sql)
    finally:
        con.close()
    assert [tuple(r) for r in rows(settings, "SELECT * FROM audit_log ORDER BY audit_id")] == before


def test_a_failed_change_leaves_no_audit_entry(settings: Settings) -> None:
    users.add(settings, AREAS, "west1", PASSWORD, [("region", "lantinen")])
    with pytest.raises(users.UserError):
        users.add(settings, AREAS, "west1", PASSWORD, [("region", "lantinen")])
    with pytest.raises(users.UserError):
        users.set_roles(settings, AREAS, "nobody", [("engineer", None)], actor="admin1")
    assert [e["action"] for e in audit.entries(settings)] == ["user_add"]


# --- the secret key and file permissions -----------------------------------------------------------------


def test_the_secret_key_is_generated_once_owner_only_and_reused(settings: Settings) -> None:
    path = settings.home / "secret_key"
    assert not path.exists()
    key = secret_key(settings)
    assert len(key) >= 32
    assert mode(path) == 0o600
    assert path.read_bytes().strip() == key
    assert secret_key(settings) == key  # reused, not regenerated
    # a session made by one app instance is valid in the next (the key survives a restart)
    user = users.add(settings, AREAS, "prov1", PASSWORD, [("province", None)])
    cookie = SessionStore(settings, SessionPolicy()).create(user.user_id, "127.0.0.1")
    assert SessionStore(settings, SessionPolicy()).user_id(cookie) == user.user_id
    # another data folder gets another key
    other = Settings(home=settings.home.parent / "other")
    assert secret_key(other) != key


def test_a_broken_key_file_is_refused(settings: Settings) -> None:
    settings.home.mkdir(parents=True)
    (settings.home / "secret_key").write_bytes(b"short")
    with pytest.raises(ValueError, match="no usable secret key"):
        secret_key(settings)


def test_perhekeskus_secret_key_is_used_when_set(settings: Settings, monkeypatch) -> None:
    configured = "k" * 20 + "-configured-secret-key-0123456789"
    monkeypatch.setenv("PERHEKESKUS_SECRET_KEY", configured)
    assert secret_key(settings) == configured.encode()
    assert not (settings.home / "secret_key").exists()
    user = users.add(settings, AREAS, "prov1", PASSWORD, [("province", None)])
    store = SessionStore(settings, SessionPolicy())
    cookie = store.create(user.user_id, "127.0.0.1")
    # the cookie is signed with the configured key (and with no other)
    token = URLSafeSerializer(configured.encode(), salt="perhekeskus-session").loads(cookie)
    assert isinstance(token, str) and len(token) >= 32
    monkeypatch.setenv("PERHEKESKUS_SECRET_KEY", "z" * 20 + "-another-configured-key-0123456789")
    assert SessionStore(settings, SessionPolicy()).user_id(cookie) is None
    monkeypatch.setenv("PERHEKESKUS_SECRET_KEY", "too-short")
    with pytest.raises(ValueError, match="at least 32"):
        secret_key(settings)


def test_the_operational_store_is_owner_only(settings: Settings) -> None:
    users.add(settings, AREAS, "prov1", PASSWORD, [("province", None)])
    path = operational.store_path(settings)
    assert mode(path) == 0o600
    # the write-ahead log and its index hold the same data while a connection is open
    con = operational.connect(settings)
    try:
        audit.record(settings, "signin", actor="tester", con=con)
        for part in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            assert part.exists(), part
            assert mode(part) == 0o600, part
    finally:
        con.close()


# --- the CLI --------------------------------------------------------------------------------------------


def run_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = cli_env(home, "http://127.0.0.1:9")
    env["USER"] = "tester"
    return subprocess.run(
        [str(cli()), "users", *args], input=stdin, env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_users_add_list_disable_enable_set_password(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = Settings(home=home)
    done = run_cli(
        home,
        "add",
        "--username",
        "west1",
        "--role",
        "region",
        "--scope",
        "lantinen",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert "west1" in done.stdout and "region:lantinen" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr
    assert users.verify(settings, "west1", PASSWORD).scopes("region") == ["lantinen"]
    assert mode(operational.store_path(settings)) == 0o600

    done = run_cli(
        home,
        "add",
        "--username",
        "multi1",
        "--role",
        "local",
        "--scope",
        "837",
        "--role",
        "engineer",
        "--display-name",
        "Multi Role",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert done.returncode == 0, done.stderr
    multi = users.get(settings, "multi1")
    assert {(r.role, r.scope) for r in multi.roles} == {("local", "837"), ("engineer", "")}
    assert multi.display_name == "Multi Role"

    listed = run_cli(home, "list")
    assert listed.returncode == 0, listed.stderr
    lines = {line.split()[0]: line for line in listed.stdout.splitlines() if line.strip()}
    assert set(lines) == {"west1", "multi1"}
    assert "enabled" in lines["west1"] and "region:lantinen" in lines["west1"]
    assert "local:837" in lines["multi1"] and "engineer" in lines["multi1"]
    assert "argon2" not in listed.stdout

    done = run_cli(home, "disable", "--username", "west1")
    assert done.returncode == 0, done.stderr
    assert users.verify(settings, "west1", PASSWORD) is None
    listed = {line.split()[0]: line.split()[1] for line in run_cli(home, "list").stdout.splitlines()}
    assert listed == {"west1": "disabled", "multi1": "enabled"}
    done = run_cli(home, "enable", "--username", "west1")
    assert done.returncode == 0, done.stderr
    assert users.verify(settings, "west1", PASSWORD) is not None

    done = run_cli(home, "set-password", "--username", "west1", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert users.verify(settings, "west1", PASSWORD) is None
    assert users.verify(settings, "west1", NEW_PASSWORD) is not None

    done = run_cli(home, "set-roles", "--username", "west1", "--role", "province")
    assert done.returncode == 0, done.stderr
    assert [(r.role, r.scope) for r in users.get(settings, "west1").roles] == [("province", "")]

    actions = [(e["actor"], e["action"], e["target"]) for e in reversed(audit.entries(settings))]
    assert actions == [
        ("cli:tester", "user_add", "west1"),
        ("cli:tester", "user_add", "multi1"),
        ("cli:tester", "user_disable", "west1"),
        ("cli:tester", "user_enable", "west1"),
        ("cli:tester", "user_password", "west1"),
        ("cli:tester", "user_roles", "west1"),
    ]
    assert PASSWORD.encode() not in store_bytes(settings)
    assert NEW_PASSWORD.encode() not in store_bytes(settings)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "--username", "bad1", "--role", "superuser", "--password-stdin"], PASSWORD, "unknown role"),
        (
            ["add", "--username", "bad1", "--role", "region", "--scope", "nowhere", "--password-stdin"],
            PASSWORD,
            "role region needs --scope",
        ),
        (["add", "--username", "bad1", "--role", "region", "--password-stdin"], PASSWORD, "role region"),
        (
            ["add", "--username", "bad1", "--role", "local", "--scope", "999", "--password-stdin"],
            PASSWORD,
            "role local needs --scope",
        ),
        (["add", "--username", "bad1", "--role", "engineer"], PASSWORD, "--password-stdin"),
        (["add", "--username", "bad1", "--role", "engineer", "--password-stdin"], "short", "at least 12"),
        (["disable", "--username", "nobody"], None, "no user"),
        (["set-password", "--username", "nobody", "--password-stdin"], PASSWORD, "no user"),
    ],
)
def test_cli_errors_are_one_line_and_fail(tmp_path: Path, args, stdin, message) -> None:
    home = tmp_path / "home"
    done = run_cli(home, *args, stdin=(stdin + "\n") if stdin is not None else "")
    assert done.returncode != 0
    err = done.stderr.strip()
    assert len(err.splitlines()) == 1, done.stderr
    assert err.startswith("error: ") and message in err, err
    assert "Traceback" not in done.stderr
    assert users.list_users(Settings(home=home)) == []


def test_cli_duplicate_username_fails(tmp_path: Path) -> None:
    home = tmp_path / "home"
    args = ["add", "--username", "dup1", "--role", "engineer", "--password-stdin"]
    assert run_cli(home, *args, stdin=PASSWORD + "\n").returncode == 0
    done = run_cli(home, *args, stdin=NEW_PASSWORD + "\n")
    assert done.returncode != 0
    assert done.stderr.strip() == "error: user 'dup1' exists already"
    assert users.verify(Settings(home=home), "dup1", PASSWORD) is not None


def test_cli_password_on_the_command_line_is_refused(tmp_path: Path) -> None:
    done = run_cli(
        tmp_path / "home", "add", "--username", "pw1", "--role", "engineer", "--password", PASSWORD
    )
    assert done.returncode != 0
    assert users.list_users(Settings(home=tmp_path / "home")) == []


def _key_of(home: str) -> bytes:
    return secret_key(Settings(home=Path(home)))


def test_workers_starting_together_all_get_the_same_whole_key(tmp_path: Path) -> None:
    """gunicorn's workers start at once: none may read a key file that another is still writing."""
    import concurrent.futures
    import multiprocessing

    for attempt in range(5):
        home = tmp_path / f"home{attempt}"
        with concurrent.futures.ProcessPoolExecutor(
            8, mp_context=multiprocessing.get_context("fork")
        ) as pool:
            keys = list(pool.map(_key_of, [str(home)] * 16))
        assert len(set(keys)) == 1 and len(keys[0]) >= 32
        assert (home / "secret_key").stat().st_mode & 0o777 == 0o600
        assert [p.name for p in home.iterdir()] == ["secret_key"]  # no temporary files left
