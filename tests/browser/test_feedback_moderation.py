"""The moderation queue in Chromium on a 360 px phone: a moderator signs in, sees the own area's answers
only (a script in an answer shows as text and never runs), approves one with its button and marks its
quote; the page fits the phone and axe-core finds no serious violation. Against the shared served app
(tests/browser/conftest.py), whose operational store gets the user and the answers first."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser.conftest import PHONE
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.feedback.moderation import suggest
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

FI = Translator("fi")
AREAS = load_areas(None)
PASSWORD = "browser moderation passphrase"
MODERATOR = "selain-moderaattori"
SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def answers(served_app) -> dict[str, int]:
    """A moderator of the western area; an answer of that area (with markup) and one of another area."""
    settings = served_app.settings
    if users.get(settings, MODERATOR) is None:
        users.add(settings, AREAS, MODERATOR, PASSWORD, [("moderator", "lantinen")], actor="test")
    made = {}
    with operational.transaction(settings) as con:
        for key, municipality, good, change in (
            ("own", "536", "Perhetyöntekijä kuunteli meitä. " + SCRIPT, "Jonossa odotimme kolme viikkoa."),
            ("other", "837", "Tampereen vastaus", "Ei muutettavaa"),
        ):
            cursor = con.execute(
                "INSERT INTO feedback_answer (received_on, municipality, rating, good_text, change_text, lang) "
                "VALUES ('2026-11-20', ?, 4, ?, ?, 'fi')",
                (municipality, good, change),
            )
            made[key] = int(cursor.lastrowid)
    return made


def test_a_moderator_approves_an_answer_on_a_phone(served_app, browser, answers, monkeypatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_FEEDBACK_PUBLISH_AFTER_MODERATION", "false")  # no run in the shared app
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("dialog", lambda dialog: (errors.append("dialog " + dialog.message), dialog.dismiss()))
        page.goto(served_app.url("/kirjaudu?next=/palaute/moderointi"))
        page.fill("#username", MODERATOR)
        page.fill("#password", PASSWORD)
        page.locator("form.signin-form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        page.goto(served_app.url("/palaute/moderointi/"))
        assert page.locator("#main h1").inner_text() == FI("Feedback moderation")
        assert page.locator("html").get_attribute("lang") == "fi"

        own = page.locator(f"#answer-{answers['own']}")
        assert own.count() == 1 and page.locator(f"#answer-{answers['other']}").count() == 0
        assert SCRIPT in own.locator(".feedback-text").first.inner_text()  # shown as text
        assert page.evaluate("window.__pwned === undefined") and errors == []
        # the first view in a fresh process suggests themes in the background and says so; then reload
        if page.locator("#fm-suggesting").count():
            thread = suggest._BACKGROUND.get(served_app.settings.home.resolve())
            if thread is not None:
                thread.join(120)
            page.reload()
        # the suggested theme is preselected
        assert own.locator(f"#answer-{answers['own']}-theme-waiting").is_checked()

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"scrolls sideways at 360 px: {width}"
        results = Axe().run(page)
        serious = [
            f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")
        ]
        assert serious == []

        own.locator("button[value=approve]").click()
        page.wait_for_selector("p.state-ok[role=status]")
        assert page.locator("p.state-ok").inner_text() == FI("The answer was approved.")
        # the queue shows new answers: the approved one has left it; the approved list has it, quotable now
        assert page.locator(f"#answer-{answers['own']}").count() == 0
        page.goto(served_app.url("/palaute/moderointi/?status=approved"))
        good = page.locator(f"#answer-{answers['own']}-good")
        assert good.is_enabled()
        good.check()
        page.locator(f"#answer-{answers['own']} form:has(input[value=publishable]) button").click()
        page.wait_for_selector("p.state-ok[role=status]")
        with operational.reading(served_app.settings) as con:
            row = con.execute(
                "SELECT status, good_publishable, moderated_by FROM feedback_answer WHERE answer_id = ?",
                [answers["own"]],
            ).fetchone()
        assert tuple(row) == ("approved", 1, MODERATOR)
        assert errors == []
    finally:
        context.close()
