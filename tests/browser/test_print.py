"""Printouts of demo values carry the demo mark on every printed sheet, in the page's language."""

from __future__ import annotations

import pytest

from browser.conftest import open_page
from perhekeskus.dashboard.i18n import Translator

MARK = "Demo data: invented values. Do not use them for decisions."


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_printing_demo_values_repeats_the_demo_mark_on_every_sheet(served_demo_app, new_context, lang):
    context = new_context()
    opened = open_page(context, served_demo_app.url(f"/kunta/837?lang={lang}"))
    page = opened.page
    page.emulate_media(media="print")
    mark = page.evaluate(
        """() => {
            const banner = document.querySelector('.demo-banner');
            if (!banner) return null;
            const after = getComputedStyle(banner, '::after');
            return {content: after.content, position: after.position, display: after.display};
        }"""
    )
    assert mark is not None, "no demo banner on a page of demo values"
    # a fixed element is repeated on each printed page by Chromium's print layout
    assert mark["position"] == "fixed" and mark["display"] != "none"
    assert mark["content"].strip('"') == Translator(lang)(MARK)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.browser
def test_a_printout_of_real_values_has_no_demo_mark(served_app, new_context):
    context = new_context()
    page = open_page(context, served_app.url("/kunta/837?lang=fi")).page
    page.emulate_media(media="print")
    assert page.locator(".demo-banner").count() == 0
