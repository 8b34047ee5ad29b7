"""Browser fixtures: one warehouse filled by the real pipeline, one served dashboard and one Chromium
for the whole session.

The warehouse is loaded by ``perhekeskus.etl.pipeline.run_pipeline("sotkanet", ...)`` (not demo mode) from the
product's Sotkanet-shaped snapshot server on 127.0.0.1, serving the bundled snapshot (regions and the
28 package indicators). The dashboard is served by ``perhekeskus.dashboard.server.start_in_thread`` on a free
loopback port. Chromium is Debian's (/usr/bin/chromium), driven by Playwright; a missing browser fails
the tests with a clear message rather than skipping them.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from support import load_bundled_snapshot

from perhekeskus.dashboard.server import start_in_thread
from perhekeskus.etl.pipeline import RunSummary
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

CHROMIUM = Path(os.environ.get("PERHEKESKUS_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RENDER_TIMEOUT_MS = 20_000


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServedApp:
    """The dashboard serving a warehouse the real pipeline filled."""

    settings: Settings
    base_url: str
    summary: RunSummary
    area_ids: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        """Read the published warehouse, read-only, as the dashboard does."""
        con = duckdb.connect(str(self.settings.warehouse_path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def _serve_snapshot(home: Path, demo: bool) -> Iterator[ServedApp]:
    """Fill a warehouse from the bundled Sotkanet snapshot through the real pipeline (as demo data or as
    a live run), then serve the dashboard on a free loopback port until the session ends."""
    settings, summary = load_bundled_snapshot(home, demo=demo)
    assert summary.rows_loaded > 0 and summary.items_fetched == 28, summary.line()
    port = free_port()
    server = start_in_thread(settings, host="127.0.0.1", port=port)
    try:
        yield ServedApp(
            settings,
            f"http://127.0.0.1:{port}",
            summary,
            [a.area_id for a in load_areas(settings.areas_file).areas],
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The dashboard serving the bundled snapshot loaded as a live run (values not marked demo)."""
    yield from _serve_snapshot(tmp_path_factory.mktemp("browser") / "home", demo=False)


@pytest.fixture(scope="session")
def served_demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The dashboard serving the bundled snapshot loaded as demo data (as ``perhekeskus demo load`` does)."""
    yield from _serve_snapshot(tmp_path_factory.mktemp("browser-demo") / "home", demo=True)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session; its absence is a failure, not a skip."""
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the browser tests need Debian's chromium package "
            "(apt-get install chromium) or PERHEKESKUS_TEST_CHROMIUM pointing at a Chromium binary",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the dev extra installs it
        pytest.fail(f"playwright is not installed ({exc}); pip install -e '.[dev]'", pytrace=False)
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as exc:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture
def new_context(browser):
    """``new_context(viewport)`` → a fresh browser context (own cookies), closed after the test."""
    made = []

    def _new(viewport: dict | None = None):
        ctx = browser.new_context(viewport=viewport or DESKTOP, accept_downloads=True)
        ctx.set_default_timeout(RENDER_TIMEOUT_MS)
        made.append(ctx)
        return ctx

    try:
        yield _new
    finally:
        for ctx in made:
            ctx.close()


@pytest.fixture
def context(new_context):
    """A fresh desktop-sized browser context for this test."""
    return new_context(DESKTOP)


@dataclass
class OpenedPage:
    """A page with the console errors and uncaught page errors seen since it was opened."""

    page: object  # playwright.sync_api.Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [*self.console_errors, *self.page_errors]


def wait_rendered(page) -> None:
    """Wait until Dash has rendered the routed page: a heading in main, charts drawn, nothing loading."""
    page.wait_for_selector("#main h1", state="visible")
    page.wait_for_function(
        """() => {
            if (document.querySelector('._dash-loading, ._dash-loading-callback')) return false;
            const graphs = document.querySelectorAll('.dash-graph, [id$="-graph"]');
            for (const g of graphs) { if (!g.querySelector('.main-svg')) return false; }
            return true;
        }"""
    )
    page.wait_for_load_state("networkidle")


def open_page(context, url: str, wait: bool = True) -> OpenedPage:
    """Open ``url`` in a new page of ``context``, recording console and page errors, and wait for Dash."""
    page = context.new_page()
    opened = OpenedPage(page)

    def on_console(msg) -> None:
        if msg.type == "error":
            opened.console_errors.append(f"console error: {msg.text} ({msg.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: opened.page_errors.append(f"page error: {exc}"))
    page.goto(url)
    if wait:
        wait_rendered(page)
    return opened


@pytest.fixture
def open_url(context):
    """``open_url(url)`` → OpenedPage in this test's context."""

    def _open(url: str, wait: bool = True) -> OpenedPage:
        return open_page(context, url, wait)

    return _open
