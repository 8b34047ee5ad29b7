"""The leadership views in Chromium (issue 14), against the shared demo app: the province page compares the
areas (their own figures in the key figures), the overview matrix redraws when another theme is chosen,
the tile map has a square per municipality on a phone without scrolling the page sideways, printing
leaves out menus and controls, and the meeting pack link gives a PDF."""

from __future__ import annotations

import pytest
import requests

from browser.conftest import open_page
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

AREAS = load_areas(None)
PHONE = {"width": 360, "height": 740}


def test_the_province_page_shows_each_areas_figure_and_the_overview_redraws(served_demo_app, new_context):
    opened = open_page(new_context(), served_demo_app.url("/maakunta?lang=fi"))
    page = opened.page
    headers = page.locator("#key-figures-body th").all_inner_texts()
    for area in AREAS.areas:
        assert f"Alue: {area.name_fi}" in headers
    matrix = page.locator(".overview-matrix")
    assert matrix.locator("tbody tr").count() == len(AREAS.areas) + len(AREAS.municipalities)
    first_caption = matrix.locator("caption").inner_text()
    page.locator("#overview-theme").click()
    page.locator(".dash-dropdown-content [role=option]").nth(1).click()
    page.wait_for_function(
        "(before) => document.querySelector('.overview-matrix caption').innerText !== before",
        arg=first_caption,
    )
    assert matrix.locator("caption").inner_text() != first_caption
    assert matrix.locator("td a").first.get_attribute("href").startswith("/alue/")
    assert not opened.errors, opened.errors


def test_the_map_on_a_phone_and_the_page_in_print(served_demo_app, new_context):
    opened = open_page(
        new_context(PHONE), served_demo_app.url("/alue/pohjoinen?lang=sv&indicator=sotkanet:1086")
    )
    page = opened.page
    tiles = page.locator(".tile-grid a.tile")
    assert tiles.count() == len(AREAS.municipalities)
    own = page.locator(".tile-own")  # the area's own municipalities are outlined
    assert own.count() == len(AREAS.area("pohjoinen").municipalities)
    assert any("Tammerfors" in own.nth(i).get_attribute("aria-label") for i in range(own.count()))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.main-nav', '.view-controls'].map(s => {
            const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'none'; })"""
    )
    assert hidden == ["none", "none"]
    link = page.locator("a.pack-link").get_attribute("href")
    assert link == "/raportti/alue/pohjoinen.pdf?lang=sv"
    answer = requests.get(served_demo_app.url(link), timeout=120)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert not opened.errors, opened.errors
