"""The third-party example package in tests/plugin_example, installed with pip like any plugin.

It uses every hook and imports only from ``perhekeskus``: a source (``example_visits``, from a JSON API
served here on 127.0.0.1, its address a plugin setting), a panel (``example-visits``), a Dash page, a
server-rendered page from a template, navigation, its own table through operational migrations, a
command, a permission, an audit event, translations and ``after_publish``. Nothing in the core names it:
it is found through the ``perhekeskus`` entry-point group only, and its suite, catalogs, migrations and
templates ship inside the package (no environment variable points at them).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from perhekeskus import registry
from perhekeskus.dashboard.app import create_app, resolve_page
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.plugins.sotkanet.demo import DEMO_SNAPSHOT
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotServer
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = REPO / "tests" / "plugin_example"
DIST = "perhekeskus-example-plugin"
MODULE = "perhekeskus_example_plugin"
PLUGIN = SOURCE = "example_visits"  # entry-point name and source name
PANEL = "example-visits"
INDICATOR = "visits_per_100_families"  # a text id, as a source chooses it
VERSION = "0.4.0"
PAGE_PATH = "/example-visits"
NOTES_PATH = "/example-visits/notes"
URL_SETTING = "PERHEKESKUS_EXAMPLE_VISITS_URL"
ALL_HOOKS = (
    "perhekeskus_after_publish, perhekeskus_audit_events, perhekeskus_blueprints, perhekeskus_commands, "
    "perhekeskus_dash_pages, perhekeskus_navigation, perhekeskus_operational_migrations, "
    "perhekeskus_panels, perhekeskus_permissions, perhekeskus_settings, perhekeskus_sources, "
    "perhekeskus_translations"
)
CORE_DIRS = ("etl", "warehouse", "dashboard", "plugins", "expectations")

# What the visits API answers: three municipalities of two areas, two years, and one row whose
# municipality is a name instead of a code (the plugin's suite quarantines it).
API_ROWS = [
    {"municipality": "837", "year": 2022, "visits": 5020, "families": 2400},
    {"municipality": "837", "year": 2023, "visits": 5120, "families": 2410},
    {"municipality": "980", "year": 2022, "visits": 610, "families": 300},
    {"municipality": "980", "year": 2023, "visits": 655, "families": 310},
    {"municipality": "536", "year": 2022, "visits": 880, "families": 415},
    {"municipality": "536", "year": 2023, "visits": 903, "families": 420},
    {"municipality": "Tampere", "year": 2023, "visits": 1, "families": 1},
]
GOOD_ROWS = [r for r in API_ROWS if r["municipality"].isdigit()]


def expected_values() -> set[tuple]:
    return {
        (r["municipality"], r["year"], round(100 * r["visits"] / r["families"], 1), float(r["visits"]))
        for r in GOOD_ROWS
    }


# --- fixtures ---------------------------------------------------------------------------------------


def _pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )


def _forget_example() -> None:
    for name in [m for m in sys.modules if m == MODULE or m.startswith(MODULE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    registry.reset()


@dataclass
class Installed:
    site: Path  # the folder pip installed the package into
    suite_dir: Path  # the suite folder inside the installed package

    def pythonpath(self) -> str:
        return os.pathsep.join(filter(None, [str(self.site), os.environ.get("PYTHONPATH")]))


@pytest.fixture(scope="module")
def example_installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """pip-installs the example package (offline, no build isolation) for this module's tests only.

    pip builds the wheel and installs it into a folder of this test (``--target``) that goes on
    ``sys.path`` and on the CLI's ``PYTHONPATH``: entry points are found there exactly as in
    site-packages, while the shared virtual environment and any other test run using it never see the
    plugin (a test elsewhere that lists the enabled sources would otherwise see it). Built from a copy so
    that setuptools' build/ and egg-info never land in the source tree.
    """
    work = tmp_path_factory.mktemp("plugin-install")
    copy, site = work / "plugin_example", work / "site"
    shutil.copytree(EXAMPLE_DIR, copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    done = _pip(
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--target",
        str(site),
        str(copy),
    )
    if done.returncode != 0:
        pytest.fail(
            f"pip could not install {EXAMPLE_DIR} offline (setuptools>=70.1 must be in the environment, "
            f"see the dev extra in pyproject.toml):\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    assert list(site.glob("perhekeskus_example_plugin-*.dist-info/entry_points.txt")), sorted(site.iterdir())
    sys.path.insert(0, str(site))
    _forget_example()
    try:
        yield Installed(site, site / MODULE / "expectations")
    finally:
        sys.path.remove(str(site))
        _forget_example()
        shutil.rmtree(work, ignore_errors=True)


class VisitsHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        return

    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/visits":
            self.send_error(404)
            return
        body = json.dumps({"rows": API_ROWS}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def visits_api() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), VisitsHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="visits-api", daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("perhekeskus")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "perhekeskus.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=240, env=env, cwd=REPO)


def cli_env(home: Path, installed: Installed | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERHEKESKUS_", "PREFECT_API"))}
    env.update(
        PERHEKESKUS_HOME=str(home),
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    if installed is not None:
        env["PYTHONPATH"] = installed.pythonpath()
    env.update(extra)
    return env


@dataclass
class Loaded:
    settings: Settings
    run: subprocess.CompletedProcess
    sotkanet_rows: int


@pytest.fixture(scope="module")
def loaded(example_installed: Installed, visits_api: str, tmp_path_factory) -> Loaded:
    """A warehouse with Sotkanet (from the bundled snapshot on 127.0.0.1), then the example source run
    through the CLI as an operator would."""
    home = tmp_path_factory.mktemp("plugin-home") / "home"
    with SnapshotServer(DEMO_SNAPSHOT) as snapshot:
        settings = Settings(
            home=home, plugins={"sotkanet": {"url": snapshot.base_url}}, http_retries=1, http_backoff=0.01
        )
        summary = run_pipeline("sotkanet", settings)
    assert summary.status == "success", summary.message
    before = query(settings, "SELECT count(*) FROM indicator_value WHERE source = 'sotkanet'")[0][0]
    run = cli(
        "etl",
        "run",
        "--source",
        SOURCE,
        "--no-prefect",
        env=cli_env(home, example_installed, **{URL_SETTING: visits_api}),
    )
    return Loaded(settings, run, before)


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def components(node) -> Iterator:
    """Every Dash component in a layout tree."""
    if node is None or isinstance(node, (str, int, float)):
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from components(child)
        return
    yield node
    yield from components(getattr(node, "children", None))


def ids_on(services, path: str, lang: str = "fi") -> list[str]:
    _title, body = resolve_page(Translator(lang), services, path, "", [])
    return [str(c.id) for c in components(body) if getattr(c, "id", None) is not None]


def plugin_rows(output: str) -> dict[str, list[str]]:
    """``perhekeskus plugins list`` as {name: [version, enabled, hooks]}."""
    rows = {}
    for line in output.splitlines()[1:]:
        parts = line.split(None, 3)
        if len(parts) == 4:
            rows[parts[0]] = parts[1:]
    return rows


# --- tests ------------------------------------------------------------------------------------------


def test_installed_package_ships_its_suite_and_registers_its_entry_point(example_installed: Installed):
    assert (example_installed.suite_dir / f"{SOURCE}.indicator_value.json").is_file()
    module = importlib.import_module(MODULE)
    assert Path(module.__file__).parent == example_installed.site / MODULE  # not the source tree
    info = next(i for i in registry.plugin_infos() if i.name == PLUGIN)
    assert (info.version, info.enabled, info.module) == (VERSION, True, f"{MODULE}.plugin")


def test_plugins_list_shows_it_with_version_and_hooks(example_installed, tmp_path):
    done = cli("plugins", "list", env=cli_env(tmp_path / "home", example_installed))
    assert done.returncode == 0, done.stderr
    rows = plugin_rows(done.stdout)
    assert rows[PLUGIN] == [VERSION, "yes", ALL_HOOKS], done.stdout
    assert f"setting {URL_SETTING}=" in done.stdout, done.stdout
    assert rows["sotkanet"][1] == "yes" and rows["indicators"][1] == "yes"


def test_disable_plugins_switch_turns_it_off(example_installed, tmp_path, monkeypatch, loaded: Loaded):
    done = cli(
        "plugins",
        "list",
        env=cli_env(tmp_path / "home", example_installed, PERHEKESKUS_DISABLE_PLUGINS=PLUGIN),
    )
    assert done.returncode == 0, done.stderr
    rows = plugin_rows(done.stdout)
    assert rows[PLUGIN] == [VERSION, "no", "-"], done.stdout
    assert rows["sotkanet"][1] == "yes"

    monkeypatch.setenv("PERHEKESKUS_DISABLE_PLUGINS", PLUGIN)
    registry.reset()
    assert SOURCE not in registry.sources()
    assert PANEL not in [p.id for p in registry.panels()]
    info = next(i for i in registry.plugin_infos() if i.name == PLUGIN)
    assert not info.enabled and info.error is None
    services = create_app(loaded.settings).services
    assert f"{PANEL}-panel" not in ids_on(services, "/kunta/837")


def test_etl_run_loads_its_rows_through_the_pipeline(loaded: Loaded):
    run = loaded.run
    assert run.returncode == 0, run.stderr
    summary = f"{SOURCE} success: {len(API_ROWS)} rows fetched, {len(GOOD_ROWS)} loaded, 1 quarantined"
    assert run.stdout.strip().splitlines()[-1].startswith(summary), run.stdout
    settings = loaded.settings
    rows = query(
        settings,
        "SELECT region_code, year, value, abs_value, region_category, gender, indicator_id "
        "FROM indicator_value WHERE source = ?",
        [SOURCE],
    )
    assert {r[:4] for r in rows} == expected_values()
    assert {r[4:] for r in rows} == {("KUNTA", "total", INDICATOR)}
    # the run is recorded like any other; the bad row is in quarantine with the suite's reason
    status, loaded_rows, quarantined = query(
        settings, "SELECT status, rows_loaded, rows_quarantined FROM etl_run WHERE source = ?", [SOURCE]
    )[0]
    assert (status, loaded_rows, quarantined) == ("success", len(GOOD_ROWS), 1)
    reasons = query(
        settings,
        "SELECT q.reason, q.record FROM quarantine q JOIN etl_run r USING (run_id) WHERE r.source = ?",
        [SOURCE],
    )
    assert [(reason, json.loads(record)["municipality"]) for reason, record in reasons] == [
        ("municipality is not a three-digit code", "Tampere")
    ]
    # its raw answer is landed under its own name, and Sotkanet's data is untouched
    assert list((settings.raw_dir / SOURCE).glob("*/visits.json"))
    assert (
        query(settings, "SELECT count(*) FROM indicator_value WHERE source = 'sotkanet'")[0][0]
        == loaded.sotkanet_rows
    )


def test_panel_shows_on_area_and_municipality_pages_not_province(loaded: Loaded):
    assert loaded.run.returncode == 0, loaded.run.stderr
    registry.reset()
    services = create_app(loaded.settings).services
    area_of_tampere = load_areas(None).area_of("837").area_id
    for path in (f"/alue/{area_of_tampere}", "/kunta/837", "/kunta/536"):
        ids = ids_on(services, path)
        assert f"{PANEL}-panel" in ids, (path, ids)
        assert f"{PANEL}-body" in ids, f"{path}: the panel did not render its table"
        assert "key-figures-panel" in ids and "trend-panel" in ids  # the built-in panels are still there
    assert f"{PANEL}-panel" not in ids_on(services, "/maakunta")

    # it shows the municipality's own numbers, formatted for the page's language
    _title, body = resolve_page(Translator("fi"), services, "/kunta/837", "", [])
    panel = next(c for c in components(body) if getattr(c, "id", None) == f"{PANEL}-body")
    cells = [
        str(c.children).replace("\xa0", " ").replace("\u202f", " ")
        for c in components(panel)
        if type(c).__name__ == "Td"
    ]
    assert "212,4" in cells and "5 120" in cells, cells
    own_ids = [str(c.id) for c in components(panel) if getattr(c, "id", None) is not None]
    assert all(i.startswith(PANEL) for i in own_ids), own_ids


def test_no_core_file_names_the_example():
    names = (DIST, MODULE, SOURCE, PANEL, URL_SETTING, str(INDICATOR), "example_visits_note")
    found = []
    for folder in CORE_DIRS:
        for path in (REPO / folder).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".mo", ".pyc"):
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            found += [f"{path.relative_to(REPO)}: {name}" for name in names if name in text]
    assert not found, found


# --- every hook, through the public API only ----------------------------------------------------------

PACKAGE_DIR = EXAMPLE_DIR / MODULE
INTERNAL_IMPORT = re.compile(r"^\s*(?:from|import)\s+perhekeskus\.\w+", re.MULTILINE)


def test_example_imports_only_the_public_api():
    """Only ``from perhekeskus import ...``: nothing of perhekeskus.etl/.warehouse/.dashboard/.plugins."""
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(sources) >= 8, sources
    found = [
        f"{path.relative_to(EXAMPLE_DIR)}: {match.group(0).strip()}"
        for path in sources
        for match in INTERNAL_IMPORT.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
    for path in sources:  # and nothing that imports by name at run time
        assert "import_module" not in path.read_text(encoding="utf-8"), path


def test_the_internal_import_rule_sees_an_internal_import():
    assert INTERNAL_IMPORT.search("from perhekeskus.etl.http import PoliteSession\n")
    assert not INTERNAL_IMPORT.search("from perhekeskus import PoliteSession\n")


def test_nothing_points_at_the_suites_with_an_environment_variable():
    variable = "PERHEKESKUS_" + "SUITE_PATH"
    files = [p for p in EXAMPLE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert [p for p in files if variable in p.read_text(encoding="utf-8", errors="ignore")] == []
    assert variable not in Path(__file__).read_text(encoding="utf-8")


def test_installed_package_ships_its_data_files(example_installed: Installed):
    package = example_installed.site / MODULE
    for name in (
        "expectations/example_visits.indicator_value.json",
        "migrations/0001_notes.sql",
        "templates/example_visits/notes.html",
        "locale/fi/LC_MESSAGES/messages.po",
        "locale/sv/LC_MESSAGES/messages.po",
        "locale/en/LC_MESSAGES/messages.po",
    ):
        assert (package / name).is_file(), name


def test_plugins_check_finds_nothing_wrong_with_it(example_installed: Installed, tmp_path):
    done = cli("plugins", "check", env=cli_env(tmp_path / "home", example_installed))
    assert [line for line in done.stdout.splitlines() if line.startswith(f"{PLUGIN}:")] == [], done.stdout


def test_panel_speaks_swedish_from_its_own_catalog(loaded: Loaded):
    assert loaded.run.returncode == 0, loaded.run.stderr
    registry.reset()
    services = create_app(loaded.settings).services
    _title, body = resolve_page(Translator("sv"), services, "/kunta/837", "", [])
    panel = next(c for c in components(body) if getattr(c, "id", None) == f"{PANEL}-body")
    captions = [str(c.children) for c in components(panel) if type(c).__name__ == "Caption"]
    assert captions == ["Besök per 100 familjer och antal besök"], captions


def test_dash_page_is_served_in_the_shell(loaded: Loaded):
    registry.reset()
    app = create_app(loaded.settings)
    extra = app.server.extensions["perhekeskus_extra_pages"]
    assert PAGE_PATH in [p.path for p in extra]
    title, body = resolve_page(Translator("fi"), app.services, PAGE_PATH, "", extra)
    assert "Perhekeskuskäynnit" in title
    ids = [str(c.id) for c in components(body) if getattr(c, "id", None) is not None]
    assert f"{PANEL}-page" in ids, ids
    heading = next(c for c in components(body) if getattr(c, "id", None) == f"{PANEL}-page-title")
    assert heading.children == "Perhekeskuskäynnit"


def test_after_publish_saw_the_run(loaded: Loaded):
    assert loaded.run.returncode == 0, loaded.run.stderr
    record = json.loads((loaded.settings.home / PLUGIN / "last_publish.json").read_text(encoding="utf-8"))
    assert (record["source"], record["status"]) == (SOURCE, "success")


def test_navigation_offers_the_notes_page_to_signed_in_users(example_installed, loaded: Loaded):
    registry.reset()
    services = create_app(loaded.settings).services
    entries = registry.navigation(object(), "sv", services)
    assert [(e.path, e.label) for e in entries if e.path == NOTES_PATH] == [
        (NOTES_PATH, "Anteckningar om besök")
    ]
    assert NOTES_PATH not in [e.path for e in registry.navigation(None, "sv", services)]


def test_permission_and_audit_event_are_declared(example_installed):
    from perhekeskus.dashboard.access import audit, policy

    registry.reset()
    permission = policy.permissions()["example_visits.write_notes"]
    assert permission.roles == ("admin", "region", "local") and permission.scoped
    assert "example_visits.note_added" in audit.event_types()


def test_command_writes_its_own_table_and_the_audit_log(example_installed, loaded: Loaded):
    """``perhekeskus example-visits add-note`` writes the plugin's table (made by its migrations) and an
    audit entry; ``notes`` and the server-rendered page read it back."""
    env = cli_env(loaded.settings.home, example_installed)
    added = cli("example-visits", "add-note", "--municipality", "837", "--text", "Syyskampanja", env=env)
    assert added.returncode == 0, added.stderr
    listed = cli("example-visits", "notes", env=env)
    assert listed.returncode == 0 and "837  Syyskampanja" in listed.stdout, listed.stdout + listed.stderr
    refused = cli("example-visits", "add-note", "--municipality", "Tampere", "--text", "x", env=env)
    assert refused.returncode == 1 and "three-digit" in refused.stderr

    con = sqlite3.connect(loaded.settings.home / "operational.sqlite")
    try:
        notes = con.execute("SELECT municipality, text FROM example_visits_note").fetchall()
        events = con.execute(
            "SELECT target FROM audit_log WHERE action = 'example_visits.note_added'"
        ).fetchall()
    finally:
        con.close()
    assert notes == [("837", "Syyskampanja")] and events == [("837",)]

    registry.reset()
    client = create_app(loaded.settings).server.test_client()
    page = client.get(f"{NOTES_PATH}?lang=fi")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text[:500]
    assert "Käyntimuistiinpanot" in text and "Syyskampanja" in text
    assert 'class="skip-link"' in text  # the product's shell around the plugin's template
