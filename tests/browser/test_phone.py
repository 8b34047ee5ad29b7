"""The dashboard on a 360 px phone and on a 1280 px desktop, in Chromium against the shared served app
(tests/browser/conftest.py): no word is broken in the middle, no table cell is narrower than its longest
word, the page never scrolls sideways, key figures become cards on a phone, and the sign-in pages carry
the normal shell with controls big enough to hit, and bring the user back to the link they came from.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from browser.conftest import open_page, wait_rendered
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

FI = Translator("fi")
AREAS = load_areas(None)  # the served app uses the bundled area configuration
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SHARED = "/kunta/837?indicator=127"
USER = "puhelin-lantinen"
ADMIN = "puhelin-yllapito"
PASSWORD = "phone sign-in passphrase"

# Every word of visible text in main (and every table cell anywhere) as a DOM Range: a word laid out on
# more than one line was broken in the middle; a word in a table cell wider than the cell's content box
# sticks out of it. Words break only at spaces and after hyphens/dashes/slashes; code, charts and words
# longer than the whole column (URLs, e-mail addresses) are left out.
BROKEN_WORDS_JS = """
(root) => {
  const scope = document.querySelector(root) || document.body;
  const column = scope.clientWidth;
  const broken = [], narrow = [];
  const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, pre, svg, .visually-hidden, script, style, .dash-dropdown')) continue;
    if (!parent.getClientRects().length) continue;  // not displayed
    const style = getComputedStyle(parent);
    if (style.visibility === 'hidden') continue;
    const cell = parent.closest('th, td');
    const text = node.textContent;
    const re = /[^\\s\\-\\u2013\\u2014\\/]+[\\-\\u2013\\u2014\\/]?/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      const word = m[0];
      if (word.replace(/[\\-\\u2013\\u2014\\/]/g, '').length < 2) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + word.length);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0.5);
      if (!rects.length) continue;
      const width = range.getBoundingClientRect().width;
      if (width > column) continue;  // longer than the column itself: it has to break somewhere
      if (rects.length > 1 && Math.abs(rects[0].top - rects[rects.length - 1].top) > 2) {
        broken.push(word);
      }
      if (cell) {
        const cs = getComputedStyle(cell);
        const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
        if (width > inner + 1) {
          narrow.push(`${word} (${Math.round(width)} px) in a cell of ${Math.round(inner)} px`);
        }
      }
    }
  }
  return {broken: broken.slice(0, 20), brokenCount: broken.length, narrow: narrow.slice(0, 20),
          narrowCount: narrow.length};
}
"""

PAGE_JS = """
() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  scrollHeight: document.documentElement.scrollHeight,
})
"""


@pytest.fixture(scope="module")
def phone_user(served_app):
    """A region user of the western area (signing in normally lands on /alue/lantinen), whose own
    coordination group has a chair and a vice chair: the governance page lists them by name and role."""
    settings = served_app.settings
    if users.get(settings, USER) is None:
        users.add(settings, AREAS, USER, PASSWORD, [("region", "lantinen")], actor="test")
    if users.get(settings, ADMIN) is None:
        users.add(settings, AREAS, ADMIN, PASSWORD, [("admin", None)], actor="test")
    model.ensure_default_bodies(settings, AREAS)
    present = {m.name for m in model.members(settings)}
    for name, role in (("Puhelin Puheenjohtajatesti", "chair"), ("Puhelin Varatesti", "vice_chair")):
        if name not in present:
            model.add_member(
                settings,
                AREAS,
                users.get(settings, ADMIN),
                "alue-lantinen",
                {  # as long as real entries are: they squeeze the members table's columns
                    "name": name,
                    "organisation": "Pirkanmaan hyvinvointialue, lasten, nuorten ja perheiden palvelut",
                    "actor_type": "ngo",
                    "role": role,
                    "communication": ["up", "down", "front_line"],
                    "email": name.lower().replace(" ", ".") + "@pirkanmaan-hyvinvointialue.example",
                    "phone": "+358 40 555 0303",
                },
            )
    return users.get(settings, USER)


def sign_in(page, served_app, username: str = USER) -> None:
    """Sign in through the form of the page's context (the session cookie stays in the context)."""
    page.goto(served_app.url("/kirjaudu"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form.signin-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/kirjaudu" not in url)


def open_rendered(context, url: str):
    """Open a Dash page (waits for its charts) or a server-rendered page (waits for its heading)."""
    path = urlsplit(url).path
    # server-rendered pages have no Dash to wait for; the governance page draws no Plotly charts
    opened = open_page(context, url, wait=not path.startswith(("/kirjaudu", "/hallinto")))
    if path.startswith("/kirjaudu"):
        opened.page.wait_for_selector("#main h1", state="visible")
    else:
        page_settled(opened.page)
        if path.startswith(("/maakunta", "/alue/", "/kunta/")):
            opened.page.wait_for_selector("#key-figures-body", state="attached")
            page_settled(opened.page)
    return opened


def page_settled(page) -> None:
    """Wait until the routed page has its heading and nothing is loading (the governance page draws a
    Cytoscape graph, not Plotly, so the shared wait does not fit it)."""
    page.wait_for_selector("#main h1", state="visible")
    page.wait_for_function("() => !document.querySelector('._dash-loading, ._dash-loading-callback')")
    page.wait_for_load_state("networkidle")


def phone_paths(served_app) -> list[str]:
    return [
        "/",
        "/maakunta",
        f"/alue/{served_app.area_ids[0]}",
        "/kunta/837",
        "/laatu",
        "/hallinto",
        "/kirjaudu",
    ]


@pytest.mark.parametrize("index", range(7))
def test_phone_pages_break_no_word_and_never_scroll_sideways(
    served_app, phone_user, new_context, index: int
) -> None:
    path = phone_paths(served_app)[index]
    context = new_context(PHONE)
    if path == "/hallinto":  # signed in, with the own group's members and their roles
        sign_in(context.new_page(), served_app)
    opened = open_rendered(context, served_app.url(path))
    page = opened.page
    words = page.evaluate(BROKEN_WORDS_JS, "body")
    assert words["narrowCount"] == 0, f"{path}: table cells narrower than their words: {words['narrow']}"
    assert words["brokenCount"] == 0, f"{path}: words broken across lines: {words['broken']}"
    size = page.evaluate(PAGE_JS)
    assert size["scrollWidth"] <= size["clientWidth"], f"{path} scrolls sideways: {size}"
    assert not opened.page_errors


def test_a_municipality_page_on_a_phone_is_at_most_eight_screens_tall(served_app, new_context) -> None:
    page = open_rendered(new_context(PHONE), served_app.url("/kunta/837")).page
    height = page.evaluate(PAGE_JS)["scrollHeight"]
    assert height <= 8 * PHONE["height"], f"/kunta/837 is {height} px tall on a 360 px phone"


def test_key_figures_are_cards_on_a_phone_and_a_table_on_a_desktop(served_app, new_context) -> None:
    phone = open_rendered(new_context(PHONE), served_app.url("/kunta/837")).page
    body = phone.locator("#key-figures-body")
    cards = body.locator(".kf-card")
    assert cards.count() > 0 and cards.first.is_visible()
    assert body.locator("table").first.is_hidden()  # one of the two, never both (nor both read aloud)
    first = cards.first.inner_text()
    for label in (
        FI("Value"),
        FI("Change from previous year"),
        FI("Wellbeing services county"),
        FI("Finland"),
    ):
        assert label in first, (label, first)
    # every card fits the screen
    widths = phone.evaluate(
        "() => Array.from(document.querySelectorAll('#key-figures-body .kf-card')).map(c => c.getBoundingClientRect().right)"
    )
    assert max(widths) <= PHONE["width"]

    desktop = open_rendered(new_context(DESKTOP), served_app.url("/kunta/837")).page
    body = desktop.locator("#key-figures-body")
    assert body.locator("table").first.is_visible()
    assert body.locator(".kf-card").first.is_hidden()


@pytest.mark.parametrize("which", ["area", "/laatu", "/hallinto"])
def test_desktop_pages_break_no_word_in_the_middle(served_app, phone_user, new_context, which: str) -> None:
    path = f"/alue/{served_app.area_ids[0]}" if which == "area" else which
    context = new_context(DESKTOP)
    # signed in: the governance page then lists the own group's members with their roles
    sign_in(context.new_page(), served_app)
    page = open_rendered(context, served_app.url(path)).page
    if which == "/hallinto":
        assert "Puhelin Puheenjohtajatesti" in page.locator("#main").inner_text()
    words = page.evaluate(BROKEN_WORDS_JS, "body")
    assert words["brokenCount"] == 0, f"{path}: words broken across lines: {words['broken']}"
    assert words["narrowCount"] == 0, f"{path}: table cells narrower than their words: {words['narrow']}"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/kirjaudu", "/kirjaudu-ulos"])
def test_sign_in_pages_have_the_shell_and_controls_big_enough(
    served_app, new_context, path, viewport
) -> None:
    page = open_rendered(new_context(viewport), served_app.url(path)).page
    assert page.locator("header nav.main-nav a[href='/maakunta']").count() == 1
    languages = page.locator("header nav.lang-switch a")
    assert languages.count() == 3
    # the language choice keeps the page
    assert all(urlsplit(languages.nth(i).get_attribute("href")).path == path for i in range(3))
    controls = page.evaluate(
        """() => Array.from(document.querySelectorAll('main input:not([type=hidden]), main button, main select'))
            .map(e => ({name: e.name || e.textContent, height: e.getBoundingClientRect().height,
                        font: parseFloat(getComputedStyle(e).fontSize)}))"""
    )
    assert controls
    for control in controls:
        assert control["height"] >= 24 and control["font"] >= 16, control


def test_signing_in_from_a_shared_link_lands_on_that_link(served_app, phone_user, new_context) -> None:
    context = new_context(PHONE)
    page = open_rendered(context, served_app.url(SHARED)).page
    link = page.locator("header nav.main-nav a.nav-link", has_text=FI("Sign in"))
    href = link.get_attribute("href")
    assert urlsplit(href).path == "/kirjaudu"
    assert parse_qs(urlsplit(href).query)["next"] == [SHARED]
    link.click()
    page.wait_for_selector("form.signin-form")
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.locator("form.signin-form button[type=submit]").click()
    page.wait_for_url(served_app.url(SHARED))
    wait_rendered(page)
    assert page.locator("header nav.main-nav a[href='/kirjaudu-ulos']").count() == 1
