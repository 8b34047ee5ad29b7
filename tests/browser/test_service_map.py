"""The service map page in Chromium on a 360 px phone: the matrix, a cell opened with the keyboard, its
services (a name with markup shown as text), the filter form, no sideways scrolling, and axe-core.

Services are imported into the served app's operational store with the plugin's own importer and
published into its warehouse with the real pipeline (the ``service_map`` source), as an editor's import
would do; the running dashboard shows the new publish at its next request.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import RENDER_TIMEOUT_MS, wait_rendered
from perhekeskus.plugins.service_map.services import importer, source
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SLOW_MS = 3 * RENDER_TIMEOUT_MS  # a shared 2-core machine under load renders this page slowly
XSS = '<img src=x onerror="window.hacked=1">'
HEADER = "name,provider,actor_type,municipalities,tasks,client_groups"
ROWS = (
    '"Vauvaryhmä","MLL Nokia","ngo","536","leisure_peer_groups","babies"',
    '"Vauvakerho","Nokian seurakunta","parish","536","leisure_peer_groups","babies"',
    f'"{XSS.replace(chr(34), chr(34) * 2)}","Nokian kaupunki","youth_sports_culture","536","leisure_peer_groups","babies"',
)


@pytest.fixture(scope="module")
def service_map(served_app):
    settings = served_app.settings
    data = "\n".join([HEADER, *ROWS]).encode("utf-8")
    result = importer.import_services(settings, load_areas(settings.areas_file), None, data, "browser.csv")
    assert result.ok, result.errors
    summary = source.publish(settings)
    assert summary.status == "success", summary.message
    return served_app


def test_the_matrix_and_a_cell_on_a_phone_with_the_keyboard(service_map, browser) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(SLOW_MS)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(service_map.url("/palvelukartta?lang=en&kunta=536"))
        wait_rendered(page)
        assert page.locator("#main h1").inner_text() == "Service map"
        assert page.locator("#service-map-matrix").is_visible()
        assert "3 organisations offer" in page.locator("#service-map-overlaps").inner_text()
        # the page itself never scrolls sideways: the wide matrix scrolls inside its own region
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        cell = page.locator('a.service-map-cell[href*="cell=leisure_peer_groups:babies"]')
        cell.focus()
        page.keyboard.press("Enter")
        # interval polling: animation frames are not guaranteed to run on a busy headless page
        page.wait_for_function(
            "() => !!document.querySelector('#service-map-cell-services table')", polling=100, timeout=SLOW_MS
        )
        listed = page.locator("#service-map-cell-services").inner_text()
        assert "Vauvaryhmä" in listed and "Nokian seurakunta" in listed
        assert XSS in listed  # the name as text
        assert page.evaluate("window.hacked === undefined")
        assert "cell=leisure_peer_groups" in page.url

        # the filter form is a plain GET form: choose a task and show
        page.select_option("#service-map-task", "leisure_peer_groups")
        page.click("#service-map-show")
        page.wait_for_url("**task=leisure_peer_groups**")
        page.wait_for_function(
            "() => document.querySelectorAll('#service-map-matrix tbody tr').length === 1",
            polling=100,
            timeout=SLOW_MS,
        )
        assert not errors, errors
    finally:
        context.close()


def test_the_related_indicators_column_on_a_phone(service_map, browser) -> None:
    """Beside the matrix on a wide screen, below it on a phone: the chosen task's indicators for the
    municipality, each with its year and a link that opens it on the municipality's page."""
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(SLOW_MS)
    try:
        page = context.new_page()
        page.goto(service_map.url("/palvelukartta?lang=en&kunta=536&task=leisure_peer_groups"))
        wait_rendered(page)
        column = page.locator("#service-map-indicators")
        column.wait_for(state="visible")
        assert column.locator("h2").inner_text() == "Related indicators"
        box, width = column.bounding_box(), page.evaluate("window.innerWidth")
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        link = column.locator('a[href^="/kunta/536?indicator=sotkanet:"]').first
        assert link.is_visible()
        assert "Year" in column.inner_text() and "Finland" in column.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        link.click()
        page.wait_for_url("**/kunta/536?indicator=sotkanet:*")
    finally:
        context.close()


def test_axe_finds_no_serious_problems(service_map, browser) -> None:
    context = browser.new_context()
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(service_map.url("/palvelukartta?lang=fi&kunta=536&cell=leisure_peer_groups:babies"))
        wait_rendered(page)
        results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa"]})
        serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
        assert not serious, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in serious]
    finally:
        context.close()


def test_the_print_view_in_print_media_has_no_controls_and_repeats_the_table_headers(
    service_map, browser
) -> None:
    """The link on the page opens the printout of the same view; printed, it shows no links or menus,
    each cell says its status in words, and the matrix's header row is a repeating header group."""
    context = browser.new_context()
    context.set_default_timeout(SLOW_MS)
    try:
        page = context.new_page()
        page.goto(service_map.url("/palvelukartta?lang=en&kunta=536"))
        wait_rendered(page)
        page.locator("#service-map-print").click()
        page.wait_for_url("**/palvelukartta/tuloste?**")
        assert "kunta=536" in page.url
        page.emulate_media(media="print")
        assert page.locator("h1").inner_text() == "Service map: Nokia"
        assert not page.locator("#sm-print-links").is_visible()
        assert page.locator("nav, form, button, select, input").count() == 0
        header = page.evaluate("getComputedStyle(document.querySelector('.matrix thead')).display")
        assert header == "table-header-group"
        matrix = page.locator(".matrix").inner_text()
        assert "◫ Overlap" in matrix and "✖ Gap" in matrix
        assert "3 organisations offer" in page.locator("#sm-print-overlaps").inner_text()
        assert page.locator("#sm-print-demo-mark").count() == 0  # the served values are not demo
        pdf = page.pdf(format="A4", landscape=True)
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()


def test_a_printout_of_demo_values_has_the_demo_mark_on_every_sheet(served_demo_app, browser) -> None:
    from perhekeskus.dashboard.i18n import Translator

    context = browser.new_context()
    context.set_default_timeout(SLOW_MS)
    try:
        page = context.new_page()
        page.goto(served_demo_app.url("/palvelukartta/tuloste?lang=fi&kunta=837&task=family_social_work"))
        mark = page.locator("#sm-print-demo-mark")
        assert not mark.is_visible()  # on screen the demo note is in the text instead
        page.emulate_media(media="print")
        assert mark.is_visible()
        assert mark.inner_text() == Translator("fi")("DEMO: invented values, not real data")
        # a fixed element is repeated on each printed sheet by Chromium's print layout
        assert (
            page.evaluate("getComputedStyle(document.querySelector('#sm-print-demo-mark')).position")
            == "fixed"
        )
    finally:
        context.close()
