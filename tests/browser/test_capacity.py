"""The /osaaminen page in Chromium on a 360 px phone: a province user signs in, chooses a competence and a
place, and reads the chart's numbers in its table (the accessible alternative), with a small count shown
as "fewer than 5"; the page does not scroll sideways. The choice lives in the URL: a link opens the view
it names, a change of a control is written into the address (a reload and the back button keep the view),
and a malformed link opens the default view. Against the shared served app (tests/browser/conftest.py),
whose operational store gets the user, actors, capacity and queues first."""

from __future__ import annotations

import pytest

from browser.conftest import PHONE
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.capacity.model import load_competences
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

FI = Translator("fi")
PASSWORD = "browser capacity passphrase"
USER = "selain-maakunta-osaaminen"
WEEKS = ("2026-W10", "2026-W11", "2026-W12")


@pytest.fixture(scope="module")
def capacity_data(served_app) -> None:
    settings = served_app.settings
    if users.get(settings, USER) is None:
        users.add(settings, load_areas(None), USER, PASSWORD, [("province", None)], actor="test")
    with operational.transaction(settings) as con:
        if con.execute("SELECT 1 FROM network_actor WHERE actor_id = 'brw-cap-1'").fetchone():
            return
        for i, (municipality, competence) in enumerate(
            (("536", "child_development"), ("790", "child_development"), ("837", "parenting_support"))
        ):
            actor = f"brw-cap-{i}"
            con.execute(
                "INSERT INTO network_actor (actor_id, name, actor_type) VALUES (?, ?, 'ngo')",
                (actor, f"Selaintoimija {i}"),
            )
            con.execute("INSERT INTO network_actor_municipality VALUES (?, ?)", (actor, municipality))
            con.execute(
                "INSERT INTO capacity_competence (actor_id, competence, level) VALUES (?, ?, 2)",
                (actor, competence),
            )
            for week in WEEKS:
                con.execute(
                    "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES (?, ?, 12, 5)",
                    (actor, week),
                )
        for week, nokia in zip(WEEKS, (7, 8, 9), strict=True):
            con.executemany(
                "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting) "
                "VALUES ('child_development', ?, ?, ?)",
                [("536", week, nokia), ("790", week, 2), ("604", week, 6)],
            )


def sign_in(served_app, page) -> None:
    page.goto(served_app.url("/kirjaudu?next=/osaaminen"))
    page.fill("#username", USER)
    page.fill("#password", PASSWORD)
    page.locator("form.signin-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_choosing_a_competence_shows_the_charts_table_on_a_phone(served_app, browser, capacity_data) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(served_app, page)
        page.goto(served_app.url("/osaaminen?lang=fi"))
        assert page.locator("#main h1").inner_text() == FI("Competence and capacity")
        page.wait_for_selector("#capacity-summary table", state="attached")

        page.locator("#capacity-competence").click()
        page.locator(".dash-dropdown-content [role=option]").filter(has_text="Lapsen kehityksen tuki").click()
        # the choice is written into the address, and the page is drawn again from it (as the indicator
        # views are): the next control is used once that is done
        page.wait_for_url("**osaaminen=child_development**")
        page.locator("#capacity-summary-heading").filter(has_text="Lapsen kehityksen tuki").wait_for()
        page.locator("#capacity-place").click()
        page.locator(".dash-dropdown-content [role=option]").filter(has_text="Läntinen alue").click()
        heading = page.locator("#capacity-summary-heading")
        heading.filter(has_text="Lapsen kehityksen tuki: Läntinen alue").wait_for()

        page.locator("#capacity-summary summary").click()  # the chart's numbers as a table
        table = page.locator("#capacity-summary table")
        table.wait_for(state="visible")
        assert "Lapsen kehityksen tuki" in table.locator("caption").inner_text()
        rows = table.locator("tbody tr")
        texts = [rows.nth(i).inner_text() for i in range(rows.count())]
        assert any("viikko 12/2026" in t and "14" in t for t in texts), texts  # 2 + 12 free hours; 9 + 2 = 11
        breakdown = page.locator("#capacity-breakdown").inner_text()
        assert FI("fewer than 5") in breakdown  # Sastamala's 2 families
        assert page.locator("#capacity-graph .main-svg").count() > 0

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"scrolls sideways at 360 px: {width}"
        assert errors == []
    finally:
        context.close()


def test_the_view_lives_in_the_url(served_app, browser, capacity_data) -> None:
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(served_app, page)
        heading = page.locator("#capacity-summary-heading")
        rows = page.locator("#capacity-summary table tbody tr")

        # a link opens the view it names: the competence, the place, three weeks, the level
        page.goto(
            served_app.url(
                "/osaaminen?lang=fi&osaaminen=child_development&paikka=kunta-536&viikot=2026-W10-2026-W12&taso=2"
            )
        )
        heading.filter(has_text="Lapsen kehityksen tuki: Nokia").wait_for()
        assert rows.count() == 3
        assert "Nokia" in page.locator("#capacity-place").inner_text()

        # a change of a control is written into the address, the rest of the view kept
        page.locator("#capacity-place").click()
        page.locator(".dash-dropdown-content [role=option]").filter(has_text="Läntinen alue").click()
        page.wait_for_url("**paikka=alue-lantinen**")
        heading.filter(has_text="Lapsen kehityksen tuki: Läntinen alue").wait_for()
        for part in ("osaaminen=child_development", "viikot=2026-W10-2026-W12", "taso=2", "lang=fi"):
            assert part in page.url, page.url

        # a reload opens the same view; the back button the one before
        page.reload()
        heading.filter(has_text="Lapsen kehityksen tuki: Läntinen alue").wait_for()
        assert rows.count() == 3
        page.go_back()
        page.wait_for_url("**paikka=kunta-536**")
        heading.filter(has_text="Lapsen kehityksen tuki: Nokia").wait_for()

        # a malformed link opens the default view, and nothing of it reaches the page
        page.goto(
            served_app.url("/osaaminen?lang=fi&osaaminen=%3Cb%3Ex%3C/b%3E&paikka=kunta-999&viikot=x&taso=9")
        )
        default = load_competences().label("parenting_support", "fi")
        province = load_areas(None).province_name("fi")
        heading.filter(has_text=f"{default}: {province}").wait_for()
        assert rows.count() == 12
        assert "kunta-999" not in page.locator("#main").inner_text()
        assert page.locator("#main b").filter(has_text="x").count() == 0
        assert errors == []
    finally:
        context.close()
