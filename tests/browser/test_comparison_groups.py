"""Comparison groups and three-year averages in Chromium (issue 14), on a phone and on a desktop: a user
searches the comparison control for a ready group, picks it, and finds its municipalities named in the
trend's table; a small municipality's page suggests three-year averages, the labelled control turns them
on, and the table's columns say "3-year average 2021–2023". The URL carries both, so a copied link
opens the same view.

Uses tests/browser/conftest.py's served app (a warehouse the real pipeline filled) and Chromium.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from browser.conftest import DESKTOP, PHONE, open_page, wait_rendered
from perhekeskus.plugins.indicators.comparison_groups import SIMILAR_COUNT, nearest

pytestmark = pytest.mark.browser

TAMPERE, JUUPAJOKI = "837", "177"  # the largest and the smallest municipality of the snapshot
RATE = "sotkanet:191"  # a share with numerators: averaged by recomputing it
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# Dash's renderer takes several seconds to reconcile a level page after a change of view (not of
# language), with or without these controls (measured ~8-12 s for a change of years or gender)
RERENDER_MS = 60_000


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def similar_names(served_app) -> list[str]:
    """The municipalities nearest to Tampere in population, computed here from the warehouse."""
    rows = served_app.query(
        "SELECT region_code, year, value FROM indicator_value WHERE source = 'sotkanet' AND indicator_id = '127' "
        "AND region_category = 'KUNTA' AND gender = 'total' AND value IS NOT NULL"
    )
    latest = max(year for _c, year, _v in rows)
    populations = {code: value for code, year, value in rows if year == latest}
    codes = nearest(populations, populations[TAMPERE], SIMILAR_COUNT, {TAMPERE})
    names = dict(served_app.query("SELECT region_code, name_en FROM region WHERE region_category = 'KUNTA'"))
    return [names[c] for c in codes]


def table_text(page, body_id: str) -> str:
    """Open the chart's table alternative and return its text."""
    details = page.locator(f"#{body_id} details").first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return page.locator(f"#{body_id} details table").first.inner_text()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_pick_a_ready_group_and_see_its_municipalities_in_the_trend_table(served_app, new_context, device):
    opened = open_page(new_context(VIEWPORTS[device]), served_app.url(f"/kunta/{TAMPERE}?lang=en"))
    page = opened.page
    # the control is named by its visible label
    control = page.get_by_role("button", name=re.compile("^Compare with municipalities, counties or a group"))
    assert control.count() == 1
    control.click()
    page.keyboard.type("similar population")  # searchable: ~330 options narrow to the group
    option = page.locator(".dash-dropdown-content [role=option]").filter(
        has=page.locator("input[value='group:similar']")
    )
    assert option.count() == 1
    assert "Group: municipalities of similar population size in Finland" in option.inner_text()
    option.click()
    page.wait_for_url(lambda url: query_of(url).get("compare") == "group:similar")
    page.keyboard.press("Escape")
    expect(page.locator("#trend-body .chart-key")).to_contain_text(
        "nearest in population", timeout=RERENDER_MS
    )
    wait_rendered(page)
    table = table_text(page, "trend-body")
    for name in similar_names(served_app):
        assert re.search(rf"^{re.escape(name)}\b", table, re.MULTILINE), (name, table[:400])
    caption = page.locator("#trend-body .chart-key").inner_text()
    assert f"the {SIMILAR_COUNT} municipalities of Finland nearest in population" in caption
    # the comparison's bars highlight the group; its table names them too
    comparison = table_text(page, "comparison-body")
    assert all(name in comparison for name in similar_names(served_app)[:3])
    # a copied link opens the same view
    copied = open_page(new_context(VIEWPORTS[device]), page.url).page
    assert "nearest in population" in copied.locator("#trend-body .chart-key").inner_text()
    assert opened.errors == []


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_small_municipality_is_offered_averages_and_the_toggle_labels_every_figure(
    served_app, new_context, device
):
    url = served_app.url(f"/kunta/{JUUPAJOKI}?lang=en&indicator={RATE}")
    opened = open_page(new_context(VIEWPORTS[device]), url)
    page = opened.page
    hint = page.locator("#trend-body .average-hint")
    assert "fewer than 5,000 inhabitants" in hint.inner_text()
    assert "3-year average" not in table_text(page, "trend-body")
    group = page.get_by_role("group", name="Figures")
    assert group.count() == 1
    assert "(chosen)" in group.get_by_role("link", name=re.compile("Yearly figures")).inner_text()
    group.get_by_role("link", name=re.compile("3-year averages")).click()
    page.wait_for_url(lambda u: query_of(u).get("avg") == "3")
    expect(page.locator("#trend-body .average-note")).to_be_visible(timeout=RERENDER_MS)
    wait_rendered(page)
    newest = max(y for (y,) in served_app.query("SELECT DISTINCT year FROM indicator_value"))
    label = f"3-year average {newest - 2}–{newest}"
    assert label in table_text(page, "trend-body")
    assert label in page.locator("#comparison-body details table caption").text_content()
    assert page.locator("#trend-body .average-hint").count() == 0  # nothing left to suggest
    assert "(chosen)" in group.get_by_role("link", name=re.compile("3-year averages")).inner_text()
    # the download carries the label too
    href = page.locator("#trend-panel .export-links a", has_text="CSV").get_attribute("href")
    assert "avg=3" in href
    response = page.request.get(served_app.url(href))
    assert response.ok and label in response.text()
    if device == "desktop":
        violations = [
            v for v in Axe().run(page).response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    else:  # the controls fit a 360 px phone: nothing scrolls sideways
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert opened.errors == []
