"""The served dashboard in Chromium: every page renders without errors, is accessible (axe-core) and
fits a 360 px phone; the key figures show the warehouse's numbers; the indicator choice lives in the
URL (copy, back button); the language switch is remembered; a panel's CSV equals the warehouse.

One warehouse (filled by the real pipeline), one served app and one Chromium for the whole session
(tests/browser/conftest.py).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import DESKTOP, PHONE, OpenedPage, open_page, wait_rendered
from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.i18n import COOKIE, Translator
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

AREAS = load_areas(None)  # the served app uses the bundled area configuration too
LEVEL_PAGES = [
    "/maakunta",
    *[f"/alue/{a.area_id}" for a in AREAS.areas],
    "/kunta/837",
    "/kunta/020",
]
PAGES = ["/", *LEVEL_PAGES, "/laatu", "/lisaosat", "/ei-tallaista-sivua"]
START_TITLE = "Knowledge for leading the family-centre network"
TAMPERE = "837"
KEY_INDICATOR = 1086
FI = Translator("fi")


# --- helpers ----------------------------------------------------------------------------------------


def package_order(served_app) -> list[int]:
    """The package's indicators in the order of the dropdown (the first is chosen by default)."""
    return [
        r[0]
        for r in served_app.query(
            "SELECT p.indicator_id FROM indicator_package p JOIN theme t USING (theme_id) "
            "JOIN indicator i USING (source, indicator_id) WHERE p.source = 'sotkanet' "
            "ORDER BY t.position, p.position"
        )
    ]


def title_fi(served_app, indicator_id: int) -> str:
    return served_app.query(
        "SELECT title_fi FROM indicator WHERE source = 'sotkanet' AND indicator_id = ?", [indicator_id]
    )[0][0]


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


# A chart title wrapped over lines (<br>) is one tspan per line: join them with spaces as a reader does.
TITLE_TEXT_JS = """(el) => {
    const lines = el.querySelectorAll('tspan.line');
    return lines.length ? Array.from(lines, (l) => l.textContent).join(' ') : el.textContent;
}"""


def chart_title(page, graph_id: str) -> str:
    return squash(page.locator(f"#{graph_id} .gtitle").first.evaluate(TITLE_TEXT_JS))


def panel_texts(page) -> dict[str, str]:
    """What the trend and comparison panels show: chart titles and the tables behind them."""
    return {
        "trend title": chart_title(page, "trend-graph"),
        "comparison title": chart_title(page, "comparison-graph"),
        "trend table": squash(page.locator("#trend-body table").text_content()),
        "comparison table": squash(page.locator("#comparison-body table").text_content()),
    }


def wait_chart_title(page, graph_id: str, title: str) -> None:
    page.wait_for_function(
        """([id, title]) => {
            const el = document.querySelector('#' + id + ' .gtitle');
            if (!el) return false;
            const lines = el.querySelectorAll('tspan.line');
            const text = lines.length ? Array.from(lines, (l) => l.textContent).join(' ') : el.textContent;
            return text.replace(/\\s+/g, ' ').trim().startsWith(title);
        }""",
        arg=[graph_id, squash(title)],
    )


def indicator_in_url(url: str) -> str | None:
    return (parse_qs(urlsplit(url).query).get("indicator") or [None])[0]


def choose_indicator(page, indicator_id: int) -> None:
    """Open the indicator dropdown and pick the option whose value is ``indicator_id``."""
    page.locator("#view-indicator").click()
    option = page.locator(".dash-dropdown-content [role=option]").filter(
        has=page.locator(f"input[value='sotkanet:{indicator_id}']")
    )
    option.click()


def decimal(text: str) -> float | None:
    """A number from a Finnish CSV cell (decimal comma), None when empty."""
    text = text.strip()
    return None if text == "" else float(text.replace(",", "."))


def rounded(value: float | None, decimals: int | None) -> float | None:
    """A stored value as a download shows it: rounded to the indicator's decimals."""
    number = tabular.rounded(value, decimals)
    return None if number is None else float(number)


def same_number(shown: float | None, stored: float | None) -> bool:
    if shown is None or stored is None or stored != stored:  # NaN is no data too
        return shown is None and (stored is None or stored != stored)
    return shown == pytest.approx(stored, rel=1e-9, abs=1e-9)


def axe_serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


# --- every page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_cleanly_is_accessible_and_fits_a_phone(path, served_app, new_context):
    """Loads at 360 px without console or page errors and without horizontal scrolling; then at
    desktop width axe-core finds no serious or critical violation."""
    opened: OpenedPage = open_page(new_context(PHONE), served_app.url(path))
    page = opened.page
    problems = []

    heading = squash(page.locator("#main h1").first.text_content())
    if path == "/ei-tallaista-sivua":
        if heading != FI("Page not found"):
            problems.append(f"unknown path shows {heading!r}, not the not-found page")
    elif path in LEVEL_PAGES:
        panels = page.locator(".panel-grid > section.panel")
        if panels.count() < 4:
            problems.append(f"only {panels.count()} panels rendered")
        if page.locator(".panel .error-card").count():
            problems.append(
                "a panel shows an error card: " + squash(page.locator(".error-card").first.text_content())
            )

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > PHONE["width"]:
        wide = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-scroll'))
                .slice(0, 5).map(e => e.tagName + '.' + e.className)""",
            PHONE["width"],
        )
        problems.append(f"horizontal scrolling at 360 px: scrollWidth {scroll_width}; wide elements {wide}")

    page.set_viewport_size(DESKTOP)
    wait_rendered(page)
    problems += [f"axe: {v}" for v in axe_serious(page)]
    problems += opened.errors
    assert not problems, f"{path}:\n" + "\n".join(problems)


# --- key figures ------------------------------------------------------------------------------------


def test_key_figures_show_the_warehouse_value(served_app, open_url):
    """Tampere's key figures show indicator 1086's latest total value exactly as the warehouse has it."""
    year, value = served_app.query(
        "SELECT year, value FROM indicator_value WHERE source = 'sotkanet' AND indicator_id = ? "
        "AND region_category = 'KUNTA' AND region_code = ? AND gender = 'total' AND value IS NOT NULL "
        "ORDER BY year DESC LIMIT 1",
        [KEY_INDICATOR, TAMPERE],
    )[0]
    [(decimals,)] = served_app.query("SELECT decimals FROM indicator WHERE indicator_id = ?", [KEY_INDICATOR])
    expected = FI.number(value, decimals)
    assert "," in expected or float(value).is_integer(), expected  # Finnish decimal comma

    page = open_url(served_app.url(f"/kunta/{TAMPERE}")).page
    rows = page.evaluate(
        """() => [...document.querySelectorAll('#key-figures-body tbody tr')].map(
            tr => [...tr.children].map(c => c.textContent.replace(/\\s+/g, ' ').trim()))"""
    )
    title = squash(title_fi(served_app, KEY_INDICATOR))
    row = next((r for r in rows if r[0] == title), None)
    assert row is not None, f"no key-figures row for {title!r}; rows: {[r[0] for r in rows]}"
    # Indicator | Year | Value | change 1 y | change 5 y | county | Finland | place
    assert row[1] == str(year)
    assert re.fullmatch(re.escape(expected) + r"( \*)?", row[2]), f"shown {row[2]!r}, warehouse {expected!r}"


# --- the view lives in the URL ----------------------------------------------------------------------


def test_indicator_choice_updates_panels_url_copy_and_back(served_app, open_url, context):
    first, other = package_order(served_app)[:2]
    page = open_url(served_app.url(f"/kunta/{TAMPERE}")).page
    # Rendering the controls does not write them back into the URL (no extra history entry).
    assert page.url == served_app.url(f"/kunta/{TAMPERE}")
    before = panel_texts(page)
    assert before["trend title"] == squash(title_fi(served_app, first))

    # The control is named by its visible label and reachable with Tab (dropdown-a11y.js).
    named = page.get_by_role("button", name=re.compile("^" + re.escape(FI("Indicator"))))
    assert named.count() == 1 and named.get_attribute("id") == "view-indicator"
    page.locator(".breadcrumbs a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "view-indicator"

    choose_indicator(page, other)
    page.wait_for_url(lambda url: indicator_in_url(url) == f"sotkanet:{other}")  # source and id
    other_title = squash(title_fi(served_app, other))
    wait_chart_title(page, "trend-graph", other_title)
    wait_chart_title(page, "comparison-graph", other_title)
    wait_rendered(page)
    after = panel_texts(page)
    assert after["trend title"] == other_title
    assert after["comparison title"] == other_title  # the year is in the line under the title
    assert after["trend table"] != before["trend table"]
    assert after["comparison table"] != before["comparison table"]
    assert other_title in squash(page.locator("#view-indicator").text_content())

    # A copied link opens the same view.
    copied = open_page(context, page.url).page
    assert indicator_in_url(copied.url) == f"sotkanet:{other}"
    assert other_title in squash(copied.locator("#view-indicator").text_content())
    assert panel_texts(copied) == after

    # The browser's back button returns to the previous indicator.
    page.go_back()
    page.wait_for_url(lambda url: indicator_in_url(url) is None)
    wait_chart_title(page, "trend-graph", before["trend title"])
    wait_rendered(page)
    assert panel_texts(page) == before


def test_language_switch_changes_language_and_is_remembered(served_app, open_url):
    page = open_url(served_app.url("/")).page
    assert page.evaluate("document.documentElement.lang") == "fi"
    assert squash(page.locator("#main h1").text_content()) == FI(START_TITLE)

    headings = {"fi": FI(START_TITLE)}
    for lang, name in (("sv", "Svenska"), ("en", "English")):
        page.locator("nav.lang-switch a", has_text=name).click()
        page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang)
        expected = Translator(lang)(START_TITLE)
        page.wait_for_function(
            "(text) => document.querySelector('#main h1')?.textContent.trim() === text", arg=expected
        )
        headings[lang] = expected
        assert page.evaluate("document.documentElement.lang") == lang
        cookies = {c["name"]: c["value"] for c in page.context.cookies()}
        assert cookies.get(COOKIE) == lang, cookies

        # Opening / again without ?lang keeps the choice (cookie), from the first byte of HTML.
        again = open_url(served_app.url("/"))
        assert "lang=" not in again.page.url
        assert again.page.evaluate("document.documentElement.lang") == lang
        assert squash(again.page.locator("#main h1").text_content()) == expected
        assert not again.errors, again.errors
        again.page.close()
    assert len(set(headings.values())) == 3, headings


# --- exports ----------------------------------------------------------------------------------------


def test_trend_csv_equals_the_warehouse(served_app, open_url):
    indicator = package_order(served_app)[1]
    page = open_url(served_app.url(f"/kunta/{TAMPERE}?indicator={indicator}")).page
    link = page.locator("#trend-panel .export-links a", has_text="CSV")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(io.StringIO(handle.read()), delimiter=";"))
    start = next(i for i, r in enumerate(records) if len(r) > 1)  # source lines stand above the table
    header, body = records[start], records[start + 1 :]
    rows = [dict(zip(header, r, strict=True)) for r in body]
    assert rows, "empty CSV"
    _ = Translator("fi")  # the page's language: headers are human words, not column names

    got = {
        (r[_("Area code")], int(r[_("Year")])): [decimal(r[_("Value")]), decimal(r[_("Absolute number")])]
        for r in rows
    }
    assert len(got) == len(rows), "a region and year twice in the CSV"
    assert {(r[_("Source")], r[_("Indicator id")]) for r in rows} == {("THL Sotkanet", str(indicator))}
    assert len({r[_("Gender")] for r in rows}) == 1  # one gender (the total), in words
    (decimals,) = served_app.query("SELECT decimals FROM indicator WHERE indicator_id = ?", [indicator])[0]

    expected = {
        (category, code, year): (value, absolute)
        for category, code, year, value, absolute in served_app.query(
            """
            SELECT region_category, region_code, year, value, abs_value FROM indicator_value
            WHERE source = 'sotkanet' AND indicator_id = ? AND gender = 'total'
              AND ((region_category = 'KUNTA' AND region_code = ?)
                OR (region_category = 'KOORDINAATIOALUE' AND region_code = ?)
                OR (region_category = 'HYVINVOINTIALUE' AND region_code = ?)
                OR (region_category = 'MAA' AND region_code = 'SSS'))
            """,
            [indicator, TAMPERE, AREAS.area_of(TAMPERE).area_id, AREAS.county_code],
        )
    }
    # Tampere's own coordination area is a reference too, when its figure can be combined
    assert {"KUNTA", "HYVINVOINTIALUE", "MAA"} <= {k[0] for k in expected}
    assert got.keys() == {(code, year) for _category, code, year in expected}
    for (_category, code, year), (value, absolute) in expected.items():
        shown = got[(code, year)]
        stored = [rounded(value, decimals), rounded(absolute, 0)]
        assert all(same_number(a, b) for a, b in zip(shown, stored, strict=True)), (code, year, shown, stored)
