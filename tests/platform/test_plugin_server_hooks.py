"""A third party's feature through the server-side hooks, as the governance registry uses them: a
blueprint page rendered from the plugin's own template in the product's shell with CSRF, its own table
through a migration (versions per owner: two plugins' 0001 both apply), a command, a permission checked
by the one policy, and an audit event type; an undeclared audit type is refused. Upgrading an
operational store made before versions were kept per owner keeps the governance tables and their rows.

The plugins are registered in-process through the same pluggy manager the entry points fill.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import flask
import pytest
from wtforms import StringField
from wtforms.validators import InputRequired

from perhekeskus import AuditEvent, Command, Migrations, Permission, hookimpl, registry
from perhekeskus.dashboard.access import audit, policy, users
from perhekeskus.dashboard.access.forms import ProtectedForm
from perhekeskus.dashboard.access.policy import ResourceScope, UnknownPermission
from perhekeskus.dashboard.access.sessions import CSRF_COOKIE
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.governance import model
from perhekeskus.plugins.governance import plugin as governance_plugin
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
AREAS = load_areas()
TEMPLATE = """{% extends "perhekeskus/base.html" %}
{% block title %}Palaute{% endblock %}
{% block content %}<h1 id="guestbook-title">{{ _("Sign in") }}</h1><p>{{ lang }}</p>
<form method="post" action="/vieraskirja">{{ csrf_field() }}<input name="text"></form>
{% if saved %}<p id="saved">{{ saved }}</p>{% endif %}{% endblock %}
"""
MIGRATION = "CREATE TABLE {table} (id INTEGER PRIMARY KEY, text TEXT NOT NULL);\n"


class GuestbookForm(ProtectedForm):
    text = StringField(validators=[InputRequired()])


def guestbook_view():
    """A module-level view: the plugin's form, CSRF-checked by WTForms with the product's token."""
    form = GuestbookForm()
    if flask.request.method == "POST":
        if not form.csrf_ok():
            return flask.Response("expired", status=400)
        if form.validate():
            return flask.render_template("guestbook/form.html", saved=form.text.data)
    return flask.render_template("guestbook/form.html", saved="")


class GuestbookPlugin:
    """A small guestbook feature: a page, a table, a command, a permission and an audit event type."""

    def __init__(self, root: Path, owner: str = "guestbook", table: str = "guestbook_entry") -> None:
        self.owner = owner
        (root / "templates" / "guestbook").mkdir(parents=True)
        (root / "templates" / "guestbook" / "form.html").write_text(TEMPLATE, encoding="utf-8")
        (root / "migrations").mkdir()
        (root / "migrations" / "0001_entries.sql").write_text(MIGRATION.format(table=table), encoding="utf-8")
        self.root = root
        self.ran: list = []

    @hookimpl
    def perhekeskus_blueprints(self, services) -> list:
        blueprint = flask.Blueprint("guestbook", __name__, template_folder=str(self.root / "templates"))
        blueprint.add_url_rule("/vieraskirja", view_func=guestbook_view, methods=["GET", "POST"])
        return [blueprint]

    @hookimpl
    def perhekeskus_operational_migrations(self) -> list[Migrations]:
        return [Migrations(self.owner, self.root / "migrations")]

    def run(self, args, services) -> int:
        self.ran.append((args.name, services.settings.home))
        return 3

    @hookimpl
    def perhekeskus_commands(self) -> list[Command]:
        return [
            Command(
                "guestbook",
                "guestbook",
                self.run,
                lambda parser: parser.add_argument("--name", required=True),
            )
        ]

    @hookimpl
    def perhekeskus_permissions(self) -> list[Permission]:
        return [Permission("guestbook.moderate", "Moderate guestbook.", ("admin", "local"), scoped=True)]

    @hookimpl
    def perhekeskus_audit_events(self) -> list[AuditEvent]:
        return [AuditEvent("guestbook_hidden", "A moderator hid a guestbook entry.")]


@pytest.fixture
def register() -> Iterator:
    """``register(plugin)`` adds a plugin to the manager; it is unregistered after the test."""
    added = []

    def _register(plugin, name: str = "guestbook-test"):
        registry.plugin_manager().register(plugin, name=name)
        added.append(plugin)
        return plugin

    try:
        yield _register
    finally:
        for plugin in added:
            registry.plugin_manager().unregister(plugin)
        registry.reset()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


def test_a_plugin_page_is_rendered_from_its_template_in_the_shell_with_csrf(tmp_path, settings, register):
    register(GuestbookPlugin(tmp_path / "plugin"))
    client = create_app(settings).server.test_client()
    client.set_cookie(LANG_COOKIE, "sv", domain="localhost")
    page = client.get("/vieraskirja")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="sv">' in html and "<p>sv</p>" in html
    assert 'id="guestbook-title">Logga in</h1>' in html  # the request's translator
    assert 'class="skip-link"' in html and "<header" in html and "site-footer" in html  # the shell
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert CSRF_COOKIE in page.headers.get("Set-Cookie", "")
    assert client.post("/vieraskirja", data={"text": "hei"}, headers=ORIGIN).status_code == 400
    other = create_app(settings).server.test_client()  # another browser: its cookie does not match
    assert (
        other.post("/vieraskirja", data={"text": "hei", "csrf_token": token}, headers=ORIGIN).status_code
        == 400
    )
    saved = client.post("/vieraskirja", data={"text": "<b>hei</b>", "csrf_token": token}, headers=ORIGIN)
    assert saved.status_code == 200 and '<p id="saved">&lt;b&gt;hei&lt;/b&gt;</p>' in saved.text
    cross = client.post(
        "/vieraskirja", data={"text": "x", "csrf_token": token}, headers={"Origin": "http://evil.example"}
    )
    assert cross.status_code == 403


def test_two_plugins_with_version_0001_both_get_their_tables(tmp_path, settings, register):
    register(GuestbookPlugin(tmp_path / "a", "guestbook", "guestbook_entry"), "guestbook-a")
    register(GuestbookPlugin(tmp_path / "b", "survey", "survey_answer"), "survey-b")
    with operational.transaction(settings) as con:
        con.execute("INSERT INTO guestbook_entry (text) VALUES ('hyvä')")
        con.execute("INSERT INTO survey_answer (text) VALUES ('5')")
    applied = operational.applied(settings)
    assert {("core", 1), ("governance", 1), ("governance", 2), ("guestbook", 1), ("survey", 1)} <= applied


def test_two_plugins_may_not_share_an_owner(tmp_path, settings, register):
    register(GuestbookPlugin(tmp_path / "a"), "guestbook-a")
    register(GuestbookPlugin(tmp_path / "b"), "guestbook-b")
    with pytest.raises(ValueError, match="owner 'guestbook'"):
        operational.connect(settings)


def test_a_plugin_command_runs_with_the_services(tmp_path, settings, register, monkeypatch):
    from perhekeskus import cli

    plugin = register(GuestbookPlugin(tmp_path / "plugin"))
    monkeypatch.setenv("PERHEKESKUS_HOME", str(settings.home))
    assert cli.main(["guestbook", "--name", "Aino"]) == 3
    assert plugin.ran and plugin.ran[0][0] == "Aino"


def test_the_governance_command_comes_from_its_plugin(settings, monkeypatch, capsys):
    from perhekeskus import cli

    monkeypatch.setenv("PERHEKESKUS_HOME", str(settings.home))
    assert cli.main(["governance", "sync-bodies"]) == 0
    assert "maakunta" in model.bodies(settings, AREAS)
    assert "changed" in capsys.readouterr().out


def test_a_plugin_permission_is_checked_by_the_policy(tmp_path, register):
    local = users.User(1, "tre1", None, False, [users.Role("local", "837")])
    with pytest.raises(UnknownPermission):
        policy.allows(local, "guestbook.moderate", ResourceScope(locals=frozenset({"837"})))
    register(GuestbookPlugin(tmp_path / "plugin"))
    assert policy.allows(local, "guestbook.moderate", ResourceScope(locals=frozenset({"837"})))
    assert not policy.allows(local, "guestbook.moderate", ResourceScope(locals=frozenset({"536"})))
    assert not policy.allows(None, "guestbook.moderate")
    province = users.User(2, "prov1", None, False, [users.Role("province", "")])
    assert not policy.allows(province, "guestbook.moderate")  # a role the permission does not list
    # the governance plugin's permissions sit in the same policy
    assert {"governance.view_names", "governance.view_contacts", "governance.edit"} <= set(
        policy.permissions()
    )


def test_audit_event_types_must_be_declared(tmp_path, settings, register):
    with pytest.raises(audit.UndeclaredAuditEvent):
        audit.record(settings, "guestbook_hidden", actor="mod1")
    register(GuestbookPlugin(tmp_path / "plugin"))
    audit.record(settings, "guestbook_hidden", actor="mod1", target="7")
    with pytest.raises(audit.UndeclaredAuditEvent):
        audit.record(settings, "guestbook_deleted", actor="mod1")
    assert [e["action"] for e in audit.entries(settings)] == ["guestbook_hidden"]
    assert {e.name for e in governance_plugin.AUDIT_EVENTS} <= set(audit.event_types())


def test_a_store_made_before_owners_keeps_its_governance_tables(settings):
    """The old code path: one ``schema_migrations(version)`` and the governance tables made by the core's
    migrations 0002 and 0003. After the upgrade, the core owns 0001, the governance plugin owns its two
    migrations (recorded, not run again) and the rows are still there."""
    path = operational.store_path(settings)
    path.parent.mkdir(parents=True)
    old = [
        (1, "0001_access.sql", operational.CORE_FOLDER / "0001_access.sql"),
        (2, "0002_governance.sql", governance_plugin.HERE / "migrations" / "0001_registry.sql"),
        (3, "0003_governance_users.sql", governance_plugin.HERE / "migrations" / "0002_member_username.sql"),
    ]
    con = sqlite3.connect(path)
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
    )
    for version, name, file in old:
        con.executescript(file.read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
    con.execute(
        "INSERT INTO gov_body (body_id, kind, name_fi) VALUES ('maakunta', 'provincial_steering_group', 'M')"
    )
    con.execute(
        "INSERT INTO gov_member (body_id, name, organisation, actor_type, role, username)"
        " VALUES ('maakunta', 'Aino', 'Kunta', 'education', 'chair', 'aino')"
    )
    con.commit()
    con.close()

    with operational.reading(settings) as con:
        rows = {(r[0], r[1], r[2]) for r in con.execute("SELECT owner, version, name FROM schema_migrations")}
        members = [tuple(r) for r in con.execute("SELECT name, username FROM gov_member")]
    old_owners = {r for r in rows if r[0] in ("core", "governance")}
    assert old_owners == {
        ("core", 1, "0001_access.sql"),
        ("core", 2, "0002_open_role_names.sql"),
        ("governance", 1, "0001_registry.sql"),
        ("governance", 2, "0002_member_username.sql"),
    }
    assert {r[0] for r in rows} - {"core", "governance"} <= {"network", "feedback", "service_map", "capacity"}
    assert members == [("Aino", "aino")]
    model.ensure_default_bodies(settings, AREAS)  # the registry works on the upgraded store
    assert len(model.bodies(settings, AREAS)) > 1
