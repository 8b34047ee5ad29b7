"""The family-team and capacity-store pages in Chromium on a 360 px phone, against the shared served app
(tests/browser/conftest.py), whose operational store gets a coordinator, two workers' accounts and their
network-map actors first.

A coordinator makes a family, adds two workers, plans their meetings on the same day, sees on the check
page (before saving) in words that the meetings pile up, saves anyway and sees the warning on the team
page; a worker then sees the other team member on their own page. Every page (/osaaminen/perheet, the
team page, the check page, /osaaminen/omat, /osaaminen/kirjaus, /osaaminen/tuonti) fits 360 px without
sideways scrolling and axe-core finds no serious or critical WCAG 2.1 AA violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import PHONE
from perhekeskus.dashboard.access import users
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

PASSWORD = "browser capacity teams passphrase"
COORDINATOR = "selain-koordinaattori-perheet"
WORKERS = {  # username → (actor id, name)
    "selain-tyontekija-1": ("brw-fam-1", "Selma Selainperhetyö"),
    "selain-tyontekija-2": ("brw-fam-2", "Paavo Selainpsykologi"),
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def people(served_app) -> None:
    """A coordinator of Nokia (536); two workers' accounts linked to two Nokia actors."""
    settings, areas = served_app.settings, load_areas(None)
    if users.get(settings, COORDINATOR) is None:
        users.add(settings, areas, COORDINATOR, PASSWORD, [("coordinator", "536")], actor="test")
    for username in WORKERS:
        if users.get(settings, username) is None:
            users.add(settings, areas, username, PASSWORD, [("worker", "536")], actor="test")
    with operational.transaction(settings) as con:
        for username, (actor_id, name) in WORKERS.items():
            if con.execute("SELECT 1 FROM network_actor WHERE actor_id = ?", (actor_id,)).fetchone():
                continue
            con.execute(
                "INSERT INTO network_actor (actor_id, name, organisation, actor_type, job_title) "
                "VALUES (?, ?, 'Nokian kaupunki', 'municipality', 'perhetyöntekijä')",
                (actor_id, name),
            )
            con.execute("INSERT INTO network_actor_municipality VALUES (?, '536')", (actor_id,))
            con.execute(
                "INSERT INTO capacity_worker_account (actor_id, username) VALUES (?, ?)", (actor_id, username)
            )


def sign_in(browser, served_app, username: str):
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(served_app.url("/kirjaudu"))
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("form.signin-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    return context, page, errors


def fits_and_passes_axe(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} scrolls sideways at 360 px: {width}"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert len(results.response["passes"]) > 10, f"{where}: axe checked almost nothing"
    serious = [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    assert serious == [], f"{where}: {serious}"


def plan(page, actor_id: str, day: dt.date) -> None:
    """Fill the coordinator's meeting form and send it to the check page."""
    page.select_option("#ct-worker", actor_id)
    page.fill("#ct-date", day.isoformat())
    page.select_option("#ct-kind", "home_visit")
    page.locator("form[aria-labelledby=ct-plan] button[type=submit]").click()
    page.wait_for_selector("#main h1")


def test_a_coordinator_builds_a_team_and_sees_meetings_pile_up_on_a_phone(
    served_app, browser, people
) -> None:
    context, page, errors = sign_in(browser, served_app, COORDINATOR)
    try:
        page.goto(served_app.url("/osaaminen/perheet?lang=fi"))
        assert page.locator("#main h1").inner_text() == "Perheiden tiimit"
        assert page.locator("html").get_attribute("lang") == "fi"
        fits_and_passes_axe(page, "/osaaminen/perheet")

        page.select_option("#cf-municipality", "536")
        page.locator("form[aria-labelledby=cf-new] button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/osaaminen/perheet/\d+\?done=created"))
        team_url = page.url.split("?")[0]
        for actor_id in ("brw-fam-1", "brw-fam-2"):
            page.goto(team_url + "?q=Selain")
            page.select_option("#ct-candidate", actor_id)
            page.locator("form[aria-labelledby=ct-add] button[type=submit]").click()
            page.wait_for_selector("p.state-ok[role=status]")
        workers = page.locator("table[aria-labelledby=ct-team]").inner_text()
        assert "Selma Selainperhetyö" in workers and "Paavo Selainpsykologi" in workers
        fits_and_passes_axe(page, "the team page")

        day = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday() + 2)  # next Wednesday
        plan(page, "brw-fam-1", day)
        assert page.locator("#main h1").inner_text() == "Tarkista tapaaminen ennen tallentamista"
        assert page.locator("#cc-fine").count() == 1
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("p.state-ok[role=status]")

        plan(page, "brw-fam-2", day)  # the same day: two different workers
        warning = page.locator("#cc-warning")
        assert warning.get_attribute("role") == "alert"
        text = warning.inner_text()
        assert "Tämän tapaamisen myötä perheen tapaamiset kasautuisivat:" in text
        assert (
            f"Tapaamiset kasautuvat {day.isoformat()}: 2 eri työntekijää tapaa perheen samana päivänä" in text
        )
        assert "Selma Selainperhetyö" in page.locator("table[aria-labelledby=cc-week]").inner_text()
        fits_and_passes_axe(page, "the check page")
        save = page.locator("main form button[type=submit]")
        assert save.inner_text() == "Tallenna tapaaminen silti"
        save.click()
        page.wait_for_selector("p.state-ok[role=status]")
        alerts = page.locator("p.state-warn[role=alert]").all_inner_texts()
        assert any(f"Tapaamiset kasautuvat {day.isoformat()}" in a for a in alerts), alerts

        for path in ("/osaaminen/kirjaus", "/osaaminen/tuonti"):
            response = page.goto(served_app.url(path + "?lang=fi"))
            assert response is not None and response.status == 200, path
            assert page.locator("main form").count() >= 1, path  # the coordinator's forms, not a refusal
            fits_and_passes_axe(page, path)
        assert errors == []
    finally:
        context.close()

    context, page, errors = sign_in(browser, served_app, "selain-tyontekija-1")
    try:
        page.goto(served_app.url("/osaaminen/omat?lang=fi"))
        section = page.locator("section.panel", has_text="Paavo Selainpsykologi")
        assert section.count() >= 1
        others = section.first.locator("ul").first.inner_text()
        assert "Paavo Selainpsykologi" in others and "Selma Selainperhetyö" not in others
        assert "Tapaamiset kasautuvat" in section.first.inner_text()
        fits_and_passes_axe(page, "/osaaminen/omat")
        assert errors == []
    finally:
        context.close()
