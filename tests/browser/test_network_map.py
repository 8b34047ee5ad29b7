"""The network map (/verkosto) in Chromium: the map renders with the round's actors, a filter changes the
map, a tap opens the ego view, the page fits a 360 px phone, and no name reaches an anonymous reader in any
response the browser receives.

The network is the store's generated demo network, imported and published through the real path
(``load_demo`` + ``publish_network``) into the session's served warehouse.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from browser.conftest import PHONE, open_page
from perhekeskus.plugins.network.store.demo import load_demo
from perhekeskus.plugins.network.store.source import publish_network
from perhekeskus.services import Services
from perhekeskus.vocabulary import load_vocabulary

pytestmark = pytest.mark.browser

CY_NODES = "() => window.cy ? window.cy.nodes().length : -1"


@pytest.fixture(scope="module")
def network(served_app) -> dict:
    """Two demo rounds in the served warehouse; the newest round's id, size and its actors' names."""
    services = Services.create(served_app.settings)
    results = load_demo(services, size=40, rounds=2, registry_members_wanted=0, round_date="2026-11-15")
    assert all(r.ok for r in results), [r.problems for r in results]
    summary = publish_network(served_app.settings)
    assert summary.status == "success", summary.message
    newest = results[-1].round_id
    (count,) = served_app.query("SELECT count(*) FROM network_round_actor WHERE round_id = ?", [newest])[0]
    rows = served_app.query("SELECT name, organisation FROM network_actor")
    vocabulary = {n for t in load_vocabulary().actor_types for n in t.names()}
    secrets = {name for name, _o in rows if name} | {
        o for _n, o in rows if o and " " in o and o not in vocabulary and len(o) > 8
    }
    return {"round": newest, "actors": count, "secrets": secrets}


def wait_nodes(page, predicate: str) -> int:
    page.wait_for_function(f"() => window.cy && ({predicate})(window.cy.nodes().length)")
    return page.evaluate(CY_NODES)


def test_map_renders_filters_and_opens_the_ego_view(served_app, network, context):
    page = open_page(context, served_app.url(f"/verkosto?lang=en&round={network['round']}")).page
    total = wait_nodes(page, f"n => n === {network['actors']}")
    assert total == network["actors"]
    assert page.locator("#network-legend li").count() > 4
    page.wait_for_selector("#network-table table tbody tr")
    assert page.locator("#network-table table tbody tr").count() == total

    page.click("#network-f-type")
    page.keyboard.type("Kela")
    page.keyboard.press("Enter")
    fewer = wait_nodes(page, f"n => n > 0 && n < {total}")
    assert 0 < fewer < total

    page.click("#network-ego-clear")
    page.evaluate("() => { window.cy.nodes()[0].emit('tap'); return true; }")
    page.wait_for_function(
        "() => /Neighbourhood of/.test(document.getElementById('network-status').textContent)"
    )
    assert page.locator("#network-status").inner_text().startswith("The map shows")


def test_phone_map_above_table_and_nothing_wider_than_the_screen(served_app, network, new_context):
    context = new_context(PHONE)
    page = open_page(context, served_app.url(f"/verkosto?round={network['round']}")).page
    wait_nodes(page, "n => n > 0")
    page.wait_for_selector("#network-table table")
    map_box = page.locator("#network-map").bounding_box()
    table_box = page.locator("#network-table").bounding_box()
    assert map_box["y"] < table_box["y"]
    assert map_box["width"] <= PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert page.locator("details.network-controls summary").is_visible()


def test_no_name_in_any_response_an_anonymous_browser_receives(served_app, network, context):
    bodies: list[str] = []

    def keep(response) -> None:
        kind = response.headers.get("content-type", "")
        if any(k in kind for k in ("json", "html", "text", "xml")):
            with contextlib.suppress(Exception):  # a redirect or an aborted request has no body
                bodies.append(response.text())

    page = context.new_page()
    page.on("response", keep)
    older = served_app.query(
        "SELECT round_id FROM network_round WHERE round_id <> ? AND is_demo ORDER BY round_date DESC",
        [network["round"]],
    )[0][0]
    page.goto(served_app.url(f"/verkosto?round={network['round']}&compare={older}"))
    page.wait_for_function("() => window.cy && window.cy.nodes().length > 0")
    page.wait_for_selector("#network-table table")
    page.click("#network-f-kind")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.evaluate("() => { window.cy.nodes()[0].emit('tap'); return true; }")
    page.wait_for_function(
        "() => /Lähiverkosto|Toimijan/.test(document.getElementById('network-status').textContent)"
    )
    for fmt in ("graphml", "gexf", "csv"):  # the export links, fetched by the page itself
        page.evaluate("(url) => fetch(url).then(r => r.text())", f"/verkosto/vienti/{network['round']}.{fmt}")
    assert len(bodies) > 8
    text = "\n".join(bodies)
    decoded = text + json.dumps([text], ensure_ascii=False)
    found = sorted(s for s in network["secrets"] if s in decoded)
    assert found == [], found[:5]
    assert "Esittelyaineisto" in text  # the demo round says so
