"""Benchmark: the network map of a 300-actor network, served by the real app, in headless Chromium.

What is timed, per run, from the navigation to ``/verkosto`` in a fresh browser context (no cache):

- **rendered**: the map's cytoscape instance holds all the round's actors and ties, laid out (positions
  computed on the server, the default up to 800 actors) and drawn;
- **interactive**: after that, a tap on an actor is handled: the tap goes to the server, the ego view
  comes back and the map shows the neighbourhood (the status line says so). Reported as the time from
  the navigation, so it includes the render.

The network is the store's generated demo network (``load_demo(size=300)``: 300 invented actors and
their ties) imported and published through the real path (``publish_network``), served by
``perhekeskus.dashboard.server.start_in_thread`` on a loopback port. Target (issue 11): ≤ 3 s.

    .venv/bin/python bench/network_map_browser.py [--runs 7] [--actors 300]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
TARGET_SECONDS = 3.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(actors: int) -> tuple[object, str]:
    """A data folder with a published ``actors``-actor demo network; (settings, round id)."""
    from perhekeskus.plugins.network.store.demo import load_demo
    from perhekeskus.plugins.network.store.source import publish_network
    from perhekeskus.services import Services
    from perhekeskus.warehouse.settings import Settings

    settings = Settings(home=Path(tempfile.mkdtemp(prefix="bench-network-")) / "home")
    services = Services.create(settings)
    (result,) = load_demo(services, size=actors, rounds=1, registry_members_wanted=0)
    assert result.ok, result.problems
    summary = publish_network(settings)
    assert summary.status == "success", summary.message
    print(f"network: {result.actors} actors, {result.ties} ties (round {result.round_id})")
    return settings, result.round_id


RENDERED = """() => !!(window.cy && window.cy.nodes().length === %d && window.cy.edges().length > 0)"""
TAPPED = """() => {
    const s = document.getElementById('network-status');
    return !!(s && /Neighbourhood of/.test(s.textContent) && window.cy.nodes().length < %d);
}"""


def wait_until(page, predicate: str, timeout: float = 60.0) -> None:
    """Poll ``predicate`` every 20 ms with ``page.evaluate`` (Playwright's ``wait_for_function`` polled
    far too rarely while cytoscape kept the page busy, which timed a minute instead of seconds)."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate(predicate):
        if time.perf_counter() > deadline:
            raise TimeoutError(predicate)
        page.wait_for_timeout(20)


def one_run(browser, url: str, actors: int) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="commit")
        wait_until(page, RENDERED % actors)
        rendered = time.perf_counter() - start
        page.evaluate("() => { window.cy.nodes()[0].emit('tap'); return true; }")
        wait_until(page, TAPPED % actors)
        interactive = time.perf_counter() - start
        return rendered, interactive
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--actors", type=int, default=300)
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from perhekeskus.dashboard.server import start_in_thread

    settings, round_id = prepare(args.actors)
    port = free_port()
    server = start_in_thread(settings, host="127.0.0.1", port=port)
    url = f"http://127.0.0.1:{port}/verkosto?lang=en&round={round_id}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                one_run(browser, url, args.actors)  # warm-up: the server's first analysis and Python imports
                results = [one_run(browser, url, args.actors) for _ in range(args.runs)]
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    rendered = [r for r, _i in results]
    interactive = [i for _r, i in results]
    for name, values in (("rendered", rendered), ("interactive (tap handled)", interactive)):
        print(
            f"{name:28s} p50 {statistics.median(values):.2f} s  max {max(values):.2f} s  "
            f"runs: {', '.join(f'{v:.2f}' for v in values)}"
        )
    worst = max(interactive)
    print(
        f"target ≤ {TARGET_SECONDS:.0f} s: {'met' if worst <= TARGET_SECONDS else 'NOT met'} (max {worst:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
