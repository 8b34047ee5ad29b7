"""The network survey's respondent form in Chromium with JavaScript switched off, on a 360 px phone: open
a personal link, search a colleague, add them with a frequency, a kind and a task, save, reload, submit;
the answers land in network_tie. Then axe-core checks the form (in a context with JavaScript, which axe
itself needs) and the page must not scroll sideways on the phone; the coordinator's pages likewise.

The round and its links are made directly in the served app's operational store with the survey's own
functions (as a coordinator's page would), so the test needs no sign-in.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import RENDER_TIMEOUT_MS
from perhekeskus.dashboard.access import users
from perhekeskus.plugins.network.survey import answers, rounds
from perhekeskus.plugins.network.survey.links import link_path
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
COORDINATOR = "kyselykoordinaattori"
PASSWORD = "survey browser passphrase"
PEOPLE = (
    ("Selja Vastaaja", "Nokian kaupunki", "education", ("536",)),
    ("Sulo Kollega", "MLL Nokia", "ngo", ("536",)),
    ("Saara Sivullinen", "Ikaalisten seurakunta", "parish", ("143",)),
)


@pytest.fixture(scope="module")
def survey_link(served_app) -> tuple[str, str, dict[str, str]]:
    """(round id, the respondent's link path, actor ids by name) of a fresh round in the served app."""
    settings = served_app.settings
    with rounds.transaction(settings) as con:
        ids = {
            name: rounds.find_or_create_actor(con, rounds.NewActor(name, org, kind, places))[0]
            for name, org, kind, places in PEOPLE
        }
    opened = rounds.open_round(
        settings,
        area_id="lantinen",
        round_date="2026-11-20",
        title="Selaimen verkostokysely",
        created_by="test",
    )
    rounds.add_to_roster(settings, opened.round_id, ids.values())
    issued = rounds.issue_links(settings, opened.round_id, [ids["Selja Vastaaja"]], issued_by="test")
    return opened.round_id, link_path(issued[0].token), ids


def test_respondent_answers_on_a_phone_without_javascript(served_app, browser, survey_link):
    round_id, path, ids = survey_link
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served_app.url(path))
        assert page.locator("#main h1").inner_text() == "Selaimen verkostokysely"
        assert "Selja Vastaaja" in page.locator("#main").inner_text()

        # search the roster (server-side) and add a colleague
        page.fill("#q", "sulo")
        page.click("button[name=action][value=search]")
        result = page.get_by_label("Sulo Kollega", exact=False)
        assert result.count() == 1
        assert page.get_by_text("Saara Sivullinen").count() == 0
        result.check()
        page.click("button[name=action][value=add]")

        # answer: how often, in what way, about which task (a <details> opens without JavaScript)
        contact = page.locator("#contact-0")
        assert "Sulo Kollega" in contact.locator("legend").first.inner_text()
        page.check("#f0-4")
        page.check("#k0-collaborates")
        page.check("#k0-referral")
        contact.locator("summary").click()
        page.check("#t0-family_work")
        page.click("button[name=action][value=save]")
        assert page.locator("p.state-ok[role=status]").count() == 1

        # the saved answers come back with the same link
        page.goto(served_app.url(path))
        assert (
            page.is_checked("#f0-4")
            and page.is_checked("#k0-collaborates")
            and page.is_checked("#k0-referral")
        )
        assert page.is_checked("#t0-family_work") and not page.is_checked("#k0-advice")

        page.click("button[name=action][value=submit]")
        assert page.locator("p.state-ok[role=status]").count() == 1
        assert "submitted=1" in page.url
    finally:
        context.close()

    respondent = answers.find_respondent(served_app.settings, path.rsplit("/", 1)[1])
    assert respondent is not None and respondent.submitted_at is not None
    with rounds.reading(served_app.settings) as con:
        stored = sorted(
            tuple(r)
            for r in con.execute(
                "SELECT source_actor, target_actor, kind, frequency, task FROM network_tie WHERE round_id = ?",
                (round_id,),
            )
        )
    me, colleague = ids["Selja Vastaaja"], ids["Sulo Kollega"]
    assert stored == [
        (me, colleague, "collaborates", 4, "family_work"),
        (me, colleague, "referral", 4, "family_work"),
    ]


def problems(page) -> list[str]:
    """Sideways scrolling on the phone, and axe-core's serious and critical findings."""
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"{page.url}: scrolls sideways at 360 px ({width})")
    results = Axe().run(page)
    found += [
        f"{page.url}: {v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    return found


def test_respondent_form_is_accessible_and_fits_a_phone(served_app, browser, survey_link):
    _round_id, path, _ids = survey_link
    context = browser.new_context(viewport=PHONE)  # axe runs as JavaScript in the page
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served_app.url(path + "?q=sulo&lang=sv"))
        assert page.locator("html").get_attribute("lang") == "sv"
        assert problems(page) == []
    finally:
        context.close()


def test_coordinator_pages_are_accessible_and_fit_a_phone(served_app, browser, survey_link):
    round_id, _path, _ids = survey_link
    if users.get(served_app.settings, COORDINATOR) is None:
        users.add(
            served_app.settings, load_areas(), COORDINATOR, PASSWORD, [("region", "lantinen")], actor="test"
        )
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served_app.url("/verkosto/kyselyt"))
        assert "/kirjaudu" in page.url  # anonymous: sign in first, then come back
        page.fill("#username", COORDINATOR)
        page.fill("#password", PASSWORD)
        page.locator("form.signin-form button[type=submit]").click()
        page.wait_for_url("**/verkosto/kyselyt")
        assert page.get_by_role("link", name="Selaimen verkostokysely").count() == 1
        found = problems(page)
        page.get_by_role("link", name="Selaimen verkostokysely").click()
        page.wait_for_url(f"**/verkosto/kyselyt/{round_id}")
        assert page.locator("#roster").count() == 1
        found += problems(page)
        assert found == []
    finally:
        context.close()
