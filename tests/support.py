"""Shared test helpers (tests import them from here; conftest.py only exposes the fixtures): Sotkanet-shaped
snapshots built from the captured fixtures, a local server with
fault injection, settings pointing a run at both, and helpers to read the published warehouse.

Nothing here reaches the internet: every socket a test opens must go to the loopback interface (a
guard below refuses anything else), and the Sotkanet server is ``perhekeskus.plugins.sotkanet.snapshot_server`` on
127.0.0.1.
"""

from __future__ import annotations

import atexit
import copy
import hashlib
import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

# Set before anything imports Great Expectations or Prefect: no analytics, no phoning home.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
if not os.environ.get("PREFECT_HOME"):  # Prefect's profile and storage stay out of the user's home
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="perhekeskus-tests-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)
for _var in ("NO_PROXY", "no_proxy"):
    os.environ[_var] = ",".join(filter(None, [os.environ.get(_var), "127.0.0.1", "localhost"]))

from perhekeskus import registry  # noqa: E402
from perhekeskus.etl.pipeline import RunSummary, run_pipeline  # noqa: E402
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotHandler, SnapshotServer  # noqa: E402
from perhekeskus.warehouse.settings import Settings  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "sotkanet"  # captured THL answers, CC BY 4.0 (README there)
PYTHON = Path(sys.executable)  # the interpreter running the tests, with the project installed
CLI = PYTHON.parent / "perhekeskus"  # its console script

FIXTURE_FILES = (
    "regions_2015_oskari.json",
    "indicator_4_metadata_2016_oskari.json",
    "indicators_2015_subset_children_families.json",
    "csv_indicator127_year2009_total_oskari.csv",
    "json_indicator127_year2009_total_DERIVED_from_csv.json",
)

# Known facts of the captured 2015/2009 fixtures (docs/sotkanet-api.md).
TAMPERE_ID, KOKO_MAA_ID = 378, 658  # Sotkanet ids
UNKNOWN_REGION_IDS = {730, 455, 456}  # in the 2009 data, not in the 2015 /regions
ROWS_127_2009 = 466
# the 23 municipalities of Pirkanmaa's wellbeing services county (Statistics Finland codes)
PIRKANMAA_CODES = set(
    [
        "020",
        "108",
        "143",
        "177",
        "211",
        "250",
        "291",
        "418",
        "508",
        "536",
        "562",
        "581",
        "604",
        "619",
        "635",
        "702",
        "790",
        "837",
        "887",
        "908",
        "922",
        "936",
        "980",
    ]
)

PACKAGE_TOML = """\
first_year = 2009

[theme.population]
title_fi = "Väestö ja perheet"
title_sv = "Befolkning och familjer"
title_en = "Population and families"

[theme.mental_health]
title_fi = "Mielenterveys"
title_sv = "Psykisk hälsa"
title_en = "Mental health"

[theme.child_welfare]
title_fi = "Lastensuojelu"
title_sv = "Barnskydd"
title_en = "Child welfare"

[[indicator]]
id = 127
theme = "population"
polarity = "neutral"

[[indicator]]
id = 4
theme = "mental_health"
polarity = "lower_is_better"
"""


def pytest_configure(config: pytest.Config) -> None:
    # The product's suites use GX's string row conditions, deprecated since GX 1.9 (fine below GX 2)
    config.addinivalue_line("filterwarnings", "ignore:.*deprecated as of GX Core:DeprecationWarning")


# --- no internet ----------------------------------------------------------------------------------

_LOOPBACK = {"127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"}
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check_address(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else address
        if str(host) not in _LOOPBACK:
            raise OSError(f"tests may only connect to 127.0.0.1, not {host!r}")


def _guarded_connect(self, address):
    _check_address(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    """Refuse any connection that is not to the loopback interface, for the whole session."""
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    try:
        yield
    finally:
        socket.socket.connect = _real_connect
        socket.socket.connect_ex = _real_connect_ex


def _separately_installed_plugins() -> str:
    """Plugins of other distributions installed beside the product (e.g. perhekeskus-statfin, which
    ``make`` installs): the core's tests run with the product's own plugins only, as for a user who removed
    the others with pip, so that "the only source" and "every source" mean the same in every venv. Each
    such distribution has its own tests in its own folder."""
    import importlib.metadata as md

    return ",".join(
        sorted(
            ep.name
            for ep in md.entry_points(group="perhekeskus")
            if getattr(ep, "dist", None) is not None and ep.dist.name != "perhekeskus"
        )
    )


# PERHEKESKUS_TEST_DISABLE_PLUGINS: plugins left out of this test run too (e.g. one being rewritten while
# the rest of the suite is run); unset, every built-in plugin takes part, as CI runs it
SEPARATE_PLUGINS = ",".join(
    p for p in (_separately_installed_plugins(), os.environ.get("PERHEKESKUS_TEST_DISABLE_PLUGINS", "")) if p
)


@pytest.fixture(autouse=True)
def _clean_plugin_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with the product's own plugins and JSON format, and leaves them so."""
    for var in ("PERHEKESKUS_SOTKANET_FORMAT", "PERHEKESKUS_PLUGINS", "PERHEKESKUS_DISABLE_PLUGINS"):
        monkeypatch.delenv(var, raising=False)
    if SEPARATE_PLUGINS:
        monkeypatch.setenv("PERHEKESKUS_DISABLE_PLUGINS", SEPARATE_PLUGINS)
    registry.reset()
    yield
    registry.reset()


# --- captured fixtures -----------------------------------------------------------------------------


def fixture_path(name: str) -> Path:
    """A captured Sotkanet fixture from tests/fixtures/sotkanet; missing fixtures fail the test."""
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail(
            f"captured Sotkanet fixture {path} is missing: it belongs to the repository "
            "(tests/fixtures/sotkanet; see the README there)",
            pytrace=False,
        )
    return path


def load_fixture(name: str):
    return json.loads(fixture_path(name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    for name in FIXTURE_FILES:
        fixture_path(name)
    return FIXTURES


def metadata_127() -> dict:
    """/indicators/127 built from the verbatim 2015 list object plus the fields the list lacks."""
    listed = {i["id"]: i for i in load_fixture("indicators_2015_subset_children_families.json")}
    meta = copy.deepcopy(listed[127])
    meta.update({"decimals": 0, "range": {"start": 1990, "end": 2009}, "data-updated": "2015-03-20"})
    return meta


def metadata_from_list(indicator_id: int, **extra) -> dict:
    listed = {i["id"]: i for i in load_fixture("indicators_2015_subset_children_families.json")}
    meta = copy.deepcopy(listed[indicator_id])
    meta.update({"decimals": 1, "range": {"start": 2000, "end": 2009}, "data-updated": "2015-06-01"})
    meta.update(extra)
    return meta


def rows_127() -> list[dict]:
    """The 466 rows of indicator 127 for 2009 (derived /json shape of the verbatim CSV)."""
    return load_fixture("json_indicator127_year2009_total_DERIVED_from_csv.json")


def rows_like(indicator_id: int, value: Callable[[dict], object] | None = None) -> list[dict]:
    """Rows for another indicator on the same regions and year as the 2009 population rows."""
    out = []
    for row in rows_127():
        new = {**row, "indicator": indicator_id}
        new["value"] = value(row) if value else round((row["region"] % 97) / 10 + 1.0, 1)
        out.append(new)
    return out


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def make_snapshot(dest: Path) -> Path:
    """A snapshot folder: verbatim 2015 regions, indicators 127 and 4, 2009 data for both."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(fixture_path("regions_2015_oskari.json"), dest / "regions.json")
    write_json(dest / "indicators" / "127.json", metadata_127())
    shutil.copyfile(fixture_path("indicator_4_metadata_2016_oskari.json"), dest / "indicators" / "4.json")
    write_json(dest / "data" / "127.json", rows_127())
    write_json(dest / "data" / "4.json", rows_like(4))
    return dest


# --- the server ------------------------------------------------------------------------------------

Fault = Callable[[SnapshotHandler, str, dict], bool]


class FaultServer(SnapshotServer):
    """The product's snapshot server with faults: each fault may answer a request (return True)."""

    def __init__(self, snapshot: Path) -> None:
        super().__init__(snapshot)
        self.faults: list[Fault] = []

    def intercept(self, handler: SnapshotHandler, route: str, params: dict) -> bool:
        return any(fault(handler, route, params) for fault in list(self.faults))

    def start(self) -> FaultServer:
        """Like the product's start, with a short poll interval so that stopping takes no half second."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.02}, name="sotkanet-fault", daemon=True
        )
        self._thread.start()
        return self

    def handle_error(self, request, client_address) -> None:
        """A client that gave up (a timeout test) breaks the pipe of a slow answer: that is expected."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def reload(self) -> None:
        """Forget cached files, after a test changed the snapshot."""
        with self._lock:
            self._cache.clear()
            self._rows.clear()

    def routes(self) -> list[str]:
        return [route for route, _params, _agent in list(self.requests)]

    def data_requests(self) -> list[tuple[str, dict]]:
        return [(r, p) for r, p, _a in list(self.requests) if r in ("/json", "/csv")]


@pytest.fixture
def snapshot(tmp_path: Path, fixtures_dir: Path) -> Path:
    return make_snapshot(tmp_path / "snapshot")


@pytest.fixture
def server(snapshot: Path) -> Iterator[FaultServer]:
    srv = FaultServer(snapshot).start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def package_file(tmp_path: Path) -> Path:
    path = tmp_path / "package.toml"
    path.write_text(PACKAGE_TOML, encoding="utf-8")
    return path


@pytest.fixture
def settings(tmp_path: Path, server: FaultServer, package_file: Path) -> Settings:
    return Settings(
        home=tmp_path / "home",
        plugins={"sotkanet": {"url": server.base_url}},
        http_retries=2,
        http_backoff=0.01,
        http_timeout=2,
        indicator_package=package_file,
    )


RunFn = Callable[..., RunSummary]


@pytest.fixture
def run(settings: Settings) -> RunFn:
    """Run the Sotkanet pipeline for 2009 (indicators from the test package unless given)."""

    def _run(items: list[str] | None = None, *, years=(2009, 2009), settings_=None, **kw) -> RunSummary:
        return run_pipeline("sotkanet", settings_ or settings, items=items, years=years, **kw)

    return _run


@pytest.fixture(scope="session")
def published_template(
    tmp_path_factory: pytest.TempPathFactory, fixtures_dir: Path
) -> tuple[Path, RunSummary]:
    """One successful run of the test package (127 and 4, 2009), made once per session."""
    root = tmp_path_factory.mktemp("published")
    settings, summary = publish_snapshot(root, make_snapshot(root / "snapshot"), PACKAGE_TOML, (2009, 2009))
    return settings.warehouse_path, summary


@pytest.fixture
def published(settings: Settings, published_template: tuple[Path, RunSummary]) -> RunSummary:
    """This test's data folder starts with the published warehouse of a successful run (a copy)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(published_template[0], settings.warehouse_path)
    return published_template[1]


# --- reading the published warehouse ---------------------------------------------------------------


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


RECORD_TABLES = {"etl_run", "check_result", "quarantine"}


def data_digest(path: Path) -> str:
    """A digest of everything leaders can see: every table except the runs' own records."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = sorted(
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='main'"
            ).fetchall()
        )
        digest = hashlib.sha256()
        for table in tables:
            if table in RECORD_TABLES or table == "schema_migrations":
                continue
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()
            digest.update(table.encode())
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode())
        return digest.hexdigest()
    finally:
        con.close()


def last_run(settings: Settings) -> dict:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM etl_run ORDER BY started_at DESC, run_id DESC LIMIT 1")
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))
    finally:
        con.close()


def run_record(settings: Settings, run_id: str) -> dict:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        cur = con.execute("SELECT * FROM etl_run WHERE run_id = ?", [run_id])
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
        assert row is not None, f"no etl_run row for {run_id}"
        return dict(zip(names, row, strict=True))
    finally:
        con.close()


def value_of(settings: Settings, indicator_id: int, code: str, category: str = "KUNTA", year: int = 2009):
    rows = query(
        settings,
        "SELECT value FROM indicator_value WHERE indicator_id = ? AND region_code = ? AND region_category = ? "
        "AND year = ? AND gender = 'total'",
        [indicator_id, code, category, year],
    )
    return rows[0][0] if rows else None


def count_values(settings: Settings, indicator_id: int | None = None) -> int:
    """Values loaded from the sources (the coordination areas' figures, derived from them at every
    publish, are not counted: warehouse/area_figures.py)."""
    derived = "region_category <> 'KOORDINAATIOALUE'"
    if indicator_id is None:
        return query(settings, f"SELECT count(*) FROM indicator_value WHERE {derived}")[0][0]
    return query(
        settings, f"SELECT count(*) FROM indicator_value WHERE indicator_id = ? AND {derived}", [indicator_id]
    )[0][0]


def cli() -> Path:
    """The ``perhekeskus`` console script; a missing one fails the test (install the project)."""
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: install the project (pip install -e '.[dev]')", pytrace=False)
    return CLI


def cli_env(home: Path, url: str, **extra: str) -> dict[str, str]:
    """Environment for the CLI in a subprocess: this test's data folder and local server only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERHEKESKUS_", "PREFECT_API"))}
    env.update(
        PERHEKESKUS_HOME=str(home),
        PERHEKESKUS_SOTKANET_URL=url,
        PERHEKESKUS_HTTP_RETRIES="1",
        PERHEKESKUS_HTTP_BACKOFF="0.01",
        PERHEKESKUS_HTTP_TIMEOUT="5",
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    if SEPARATE_PLUGINS:
        env["PERHEKESKUS_DISABLE_PLUGINS"] = SEPARATE_PLUGINS
    env.update(extra)
    return env


# --- faults ----------------------------------------------------------------------------------------


def answer_times(
    route: str,
    status: int,
    times: int | None = None,
    body: bytes = b'{"error":"injected"}',
    headers: dict | None = None,
    content_type: str = "application/json;charset=UTF-8",
    indicator: int | None = None,
) -> Fault:
    """Answer ``route`` (a prefix) with ``status`` for the first ``times`` requests (all when None)."""
    seen = {"n": 0}
    lock = threading.Lock()

    def fault(handler: SnapshotHandler, got: str, params: dict) -> bool:
        if not got.startswith(route):
            return False
        if indicator is not None and params.get("indicator") != [str(indicator)]:
            return False
        with lock:
            seen["n"] += 1
            if times is not None and seen["n"] > times:
                return False
        handler.send_body(status, body, content_type, headers)
        return True

    return fault


def slow(route: str, seconds: float, times: int | None = None) -> Fault:
    """Delay the answer to ``route`` by ``seconds`` (then answer normally) for the first ``times`` requests."""
    seen = {"n": 0}
    lock = threading.Lock()

    def fault(handler: SnapshotHandler, got: str, params: dict) -> bool:
        if got.startswith(route):
            with lock:
                seen["n"] += 1
                n = seen["n"]
            if times is None or n <= times:
                time.sleep(seconds)
        return False

    return fault


def body_for(
    server: FaultServer, indicator: int, years=("2009",), genders=("total", "male", "female")
) -> bytes:
    rows = server.rows(indicator, list(years), list(genders))
    return json.dumps(rows, separators=(",", ":")).encode()


def truncated_json(server: FaultServer, indicator: int, times: int | None = None) -> Fault:
    """A /json body cut off in the middle of the array, sent with a Content-Length that matches it."""
    seen = {"n": 0}

    def fault(handler: SnapshotHandler, route: str, params: dict) -> bool:
        if route != "/json" or params.get("indicator") != [str(indicator)]:
            return False
        seen["n"] += 1
        if times is not None and seen["n"] > times:
            return False
        full = body_for(server, indicator, params.get("years", []), params.get("genders", []))
        cut = full[: len(full) // 2]
        assert not cut.rstrip().endswith(b"]")
        handler.send_body(200, cut)
        return True

    return fault


# --- Prefect -----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API (SQLite, local subprocess server) for the whole session."""
    from prefect.testing.utilities import prefect_test_harness

    # None: take the start-up timeout from PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS (120 above)
    with prefect_test_harness(server_startup_timeout=None):
        yield


# --- the Dash router callback ------------------------------------------------------------------------

ROUTER_OUTPUT = "..app-root.children...page-meta.data.."


def router_body(pathname: object = "/", search: object = "") -> dict:
    """The body Dash's renderer posts to ``/_dash-update-component`` when the URL changes (url → page):
    how tests read a page as the browser receives it, without a browser. Values are passed as given, so
    a test can also send malformed ones."""
    return {
        "output": ROUTER_OUTPUT,
        "outputs": [{"id": "app-root", "property": "children"}, {"id": "page-meta", "property": "data"}],
        "inputs": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }


# --- warehouses and data folders that several test modules start from ------------------------------


def publish_snapshot(
    root: Path, snapshot: Path, package_toml: str, years: tuple[int, int]
) -> tuple[Settings, RunSummary]:
    """Publish ``snapshot`` (a Sotkanet-shaped folder) through the real pipeline into ``root/home``, with
    ``package_toml`` as the indicator package; a failed run fails the test."""
    package = root / "package.toml"
    package.write_text(package_toml, encoding="utf-8")
    with FaultServer(snapshot) as srv:
        settings = Settings(
            home=root / "home",
            plugins={"sotkanet": {"url": srv.base_url}},
            http_retries=1,
            indicator_package=package,
        )
        summary = run_pipeline("sotkanet", settings, years=years)
    assert summary.status == "success", summary.message
    return settings, summary


def load_bundled_snapshot(home: Path, demo: bool = False, **settings: object) -> tuple[Settings, RunSummary]:
    """The product's bundled Sotkanet snapshot loaded into ``home`` through the real pipeline (as demo
    values when ``demo``), served over loopback HTTP as the demo load serves it; extra ``settings`` go to
    :class:`Settings` (e.g. ``areas_file``)."""
    from perhekeskus.plugins.sotkanet.demo import DEMO_SNAPSHOT

    with SnapshotServer(DEMO_SNAPSHOT) as snapshot:
        configured = Settings(
            home=home,
            plugins={"sotkanet": {"url": snapshot.base_url}},
            http_retries=1,
            http_backoff=0.01,
            http_timeout=10,
            **settings,
        )
        summary = run_pipeline("sotkanet", configured, demo=demo)
    assert summary.status == "success", f"the pipeline did not fill the warehouse: {summary.message}"
    return configured, summary


def copy_of_home(tmp_path: Path, template_home: Path) -> Settings:
    """Settings on a fresh copy of a data folder prepared once per module (users, bodies, warehouse)."""
    home = tmp_path / "home"
    shutil.copytree(template_home, home)
    return Settings(home=home)
