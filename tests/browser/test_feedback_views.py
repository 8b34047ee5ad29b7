"""The families' voice panel and the public summary in Chromium, against the shared served app
(tests/browser/conftest.py): on a 360 px phone the panel is on the municipality page with its links to
the form and the summary, and neither page scrolls sideways. (The shared app's warehouse has whatever
feedback the session published, often none: what the panel shows then is its empty state; the numbers
themselves are tested in tests/plugins/feedback/views/.)"""

from __future__ import annotations

import pytest

from browser.conftest import open_page, wait_rendered

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
SIZE_JS = "() => ({scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, scrollHeight: document.documentElement.scrollHeight})"


def test_the_panel_on_a_phone_links_to_the_form_and_the_summary(served_app, new_context) -> None:
    opened = open_page(new_context(PHONE), served_app.url("/kunta/837?lang=fi"))
    page = opened.page
    wait_rendered(page)
    heading = page.locator("#families-voice-heading")
    assert heading.is_visible() and heading.inner_text() == "Perheiden ääni"
    assert page.locator("#families-voice-form-link").get_attribute("href") == "/palaute?kunta=837"
    assert (
        page.locator("#families-voice-summary-link").get_attribute("href") == "/palaute/yhteenveto/pohjoinen"
    )
    size = page.evaluate(SIZE_JS)
    assert size["scrollWidth"] <= size["clientWidth"], size
    print("municipality page height on a phone:", size["scrollHeight"])
    assert not opened.page_errors


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_public_summary_on_a_phone(served_app, new_context, lang) -> None:
    context = new_context(PHONE)
    page = context.new_page()
    response = page.goto(served_app.url(f"/palaute/yhteenveto?lang={lang}"))
    assert response.status == 200
    title = {"fi": "Mitä perheet kertoivat", "sv": "Vad familjerna berättade", "en": "What families told us"}
    assert page.locator("h1").inner_text().startswith(title[lang])
    assert page.locator("html").get_attribute("lang") == lang
    size = page.evaluate(SIZE_JS)
    assert size["scrollWidth"] <= size["clientWidth"], size
    page.locator("a[href='/palaute/yhteenveto/lantinen']").click()
    assert page.url.endswith("/palaute/yhteenveto/lantinen")
