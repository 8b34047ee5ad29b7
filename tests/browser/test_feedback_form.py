"""The public feedback form in Chromium on a 360 × 740 phone: each language, with JavaScript on and off,
a real answer sent and found (scrubbed) in the served app's operational store, axe-core finding no
serious problem, and hostile input typed into the browser (a script tag, a 1 MB paste, a text over the
limit, an empty form)."""

from __future__ import annotations

import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import RENDER_TIMEOUT_MS
from perhekeskus.warehouse import operational

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TEXTS = {
    "fi": ("Palaute perhekeskukselle", "Kiitos palautteestasi", "Vastaus oli liian pitkä", "Lähetä palaute"),
    "sv": ("Respons till familjecentralen", "Tack för din respons", "Svaret var för långt", "Skicka respons"),
    "en": (
        "Feedback to the family centre",
        "Thank you for your feedback",
        "The answer was too long",
        "Send feedback",
    ),
}


@pytest.fixture
def phone(browser):
    """``phone(javascript=True)`` → a fresh 360 × 740 context (own cookies), closed after the test."""
    made = []

    def _new(javascript: bool = True):
        ctx = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
        ctx.set_default_timeout(RENDER_TIMEOUT_MS)
        made.append(ctx)
        return ctx

    yield _new
    for ctx in made:
        ctx.close()


def stored_with(settings, marker: str) -> list[dict]:
    with operational.reading(settings) as con:
        return [
            dict(r)
            for r in con.execute(
                "SELECT * FROM feedback_answer WHERE good_text LIKE ? OR change_text LIKE ?",
                (f"%{marker}%", f"%{marker}%"),
            )
        ]


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_family_sends_an_answer_on_a_phone(served_app, phone, lang, javascript):
    heading, thanks, _too_long, button = TEXTS[lang]
    page = phone(javascript).new_page()
    page.goto(served_app.url(f"/palaute?kunta=418&lang={lang}"))
    assert page.locator("h1").first.text_content() == heading
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#fb-municipality").input_value() == "418"
    assert fits_the_phone(page)
    if javascript:
        assert serious(page) == []
    marker = uuid.uuid4().hex[:10]
    page.select_option("#fb-task", "family_work")
    page.locator("#fb-rating label").nth(4).click()  # "5 – ..." by its label: a big target
    page.fill("#fb-good_text", f"Perhetyö auttoi {marker} 😀 <script>alert(1)</script> soita 040 123 4567")
    page.fill("#fb-change_text", "Nimeni on Maija Meikäläinen")
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator("h1").first.text_content() == thanks
    assert page.locator("#fb-saved-good script").count() == 0  # shown as text
    assert "<script>alert(1)</script>" in page.locator("#fb-saved-good").text_content()
    assert fits_the_phone(page)
    (row,) = stored_with(served_app.settings, marker)
    assert row["municipality"] == "418" and row["task"] == "family_work" and row["rating"] == 5
    assert row["lang"] == lang and row["status"] == "new" and row["scrubbed"] == 2
    assert "040 123 4567" not in row["good_text"] and "Maija" not in row["change_text"]
    # the language is kept for the next visit
    page.goto(served_app.url("/palaute"))
    assert page.locator("h1").first.text_content() == heading


def test_hostile_input_through_the_browser(served_app, phone):
    page = phone(True).new_page()
    page.goto(served_app.url("/palaute?lang=en"))
    # an empty form: errors tied to the fields, and the summary takes the focus
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "fb-errors"
    assert page.locator("#fb-municipality").get_attribute("aria-invalid") == "true"
    assert page.locator("#fb-rating").get_attribute("aria-describedby") == "fb-rating-error"
    assert serious(page) == []
    # a text over the limit: 400, the text is kept in the form
    marker = uuid.uuid4().hex[:10]
    long_text = f"{marker} " + "pitkä teksti " * 360
    page.select_option("#fb-municipality", "837")
    page.fill("#fb-change_text", long_text)
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    assert page.locator("#fb-change_text-error").is_visible()
    assert page.locator("#fb-change_text").input_value() == long_text.strip()
    assert stored_with(served_app.settings, marker) == []
    # a 1 MB paste: a clear 413 page in the form's language, nothing stored
    # put there as a paste would (typing a megabyte key by key takes minutes); Chromium itself then needs
    # about ten seconds to encode and send it, most of this test's time
    page.evaluate(
        "m => { document.querySelector('#fb-change_text').value = m + 'x'.repeat(1000000); }", marker
    )
    page.get_by_role("button", name="Send feedback").click()
    page.wait_for_load_state()
    assert page.locator("h1").first.text_content() == "The answer was too long"
    assert stored_with(served_app.settings, marker) == []
