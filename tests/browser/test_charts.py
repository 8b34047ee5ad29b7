"""The charts as a Finnish reader sees them in Chromium: a toolbar with only "download as image" (in
Finnish, nothing that offers to upload the chart to Plotly's cloud), a decimal comma on the value axis,
whole years on the year axis, and an image download that works.

Uses tests/browser/conftest.py's served app (a warehouse the real pipeline filled) and Chromium.
"""

from __future__ import annotations

import re

import pytest

from browser.conftest import DESKTOP, PHONE, open_page

pytestmark = pytest.mark.browser

GRAPHS = ("trend-graph", "comparison-graph")


def tick_texts(page, graph_id: str, axis: str) -> list[str]:
    return page.eval_on_selector_all(f"#{graph_id} .{axis}tick text", "els => els.map(e => e.textContent)")


def test_finnish_charts_offer_only_an_image_download_and_use_a_decimal_comma(served_app, new_context) -> None:
    opened = open_page(new_context(DESKTOP), served_app.url("/kunta/837?lang=fi"))
    page = opened.page
    for graph_id in GRAPHS:
        buttons = page.eval_on_selector_all(
            f"#{graph_id} .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
        )
        assert buttons == ["Lataa kaavio kuvana (PNG)"], f"{graph_id}: {buttons}"
        for selector in (
            'a[data-title*="Chart Studio"]',
            '.modebar-btn[data-title*="Edit"]',
            '.modebar-btn[data-title*="Share"]',
            '.modebar-btn[data-val="sendChartToCloud"]',
            ".modebarbtn--logo",
        ):
            assert page.locator(f"#{graph_id} {selector}").count() == 0, f"{graph_id}: {selector}"

    values = tick_texts(page, "trend-graph", "y")
    fractional = [t for t in values if not re.fullmatch(r"[−-]?\d[\d\u00a0]*", t)]
    assert fractional, f"no non-integer tick to check on the value axis: {values}"
    assert all(re.fullmatch(r"[−-]?\d[\d\u00a0]*,\d+", t) for t in fractional), values
    years = tick_texts(page, "trend-graph", "x")
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years

    page.hover("#trend-graph")
    with page.expect_download() as download:
        page.click("#trend-graph .modebar-btn")
    image = download.value
    assert image.suggested_filename.endswith(".png")
    assert image.path().stat().st_size > 10_000  # a real picture, not an empty file
    assert opened.errors == []


def test_chart_titles_and_notes_fit_a_phone_screen(served_app, new_context) -> None:
    """On a 360 px phone a long indicator title wraps inside the chart: nothing is cut at any edge."""
    page = open_page(new_context(PHONE), served_app.url("/kunta/837?lang=sv")).page
    for graph_id in GRAPHS:
        box = page.eval_on_selector(
            f"#{graph_id}",
            """(g) => {
                const svg = g.querySelector('.main-svg').getBoundingClientRect();
                const parts = [...g.querySelectorAll('.gtitle, .gtitle-subtitle')].map((e) => e.getBoundingClientRect());
                return {svg: [svg.left, svg.top, svg.right], parts: parts.map((r) => [r.left, r.top, r.right, r.width])};
            }""",
        )
        left, top, right = box["svg"]
        assert len(box["parts"]) == 2, f"{graph_id}: a title and the line under it expected: {box}"
        for part_left, part_top, part_right, width in box["parts"]:
            assert width > 0 and part_left >= left - 0.5 and part_right <= right + 0.5, f"{graph_id}: {box}"
            assert part_top >= top - 0.5, f"{graph_id}: cut at the top: {box}"
