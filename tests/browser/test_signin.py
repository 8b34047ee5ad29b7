"""Sign-in → own area → governance names of the own area only → sign-out, in Chromium against the shared
served app (tests/browser/conftest.py).

The served app reads the operational store in its ``PERHEKESKUS_HOME``, so the user and the governance
members are created straight into that store first.
"""

from __future__ import annotations

import pytest

from browser.conftest import open_page, wait_rendered
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse.areas import load_areas

pytestmark = pytest.mark.browser

FI = Translator("fi")
AREAS = load_areas(None)  # the served app uses the bundled area configuration
PASSWORD = "browser sign-in passphrase"
SIGNIN_LINK = 'a[href^="/kirjaudu"]:not([href^="/kirjaudu-ulos"])'  # carries ?next=<the page>
REGION_USER = "selain-lantinen"
SEED_ADMIN = "selain-yllapito"
OWN = {  # alue-lantinen: the user's own coordination group
    "name": "Liisa Läntistesti",
    "email": "liisa.lantistesti@selain.example",
    "phone": "040 555 0101",
}
OTHER = {  # alue-etelainen: another area's coordination group
    "name": "Eero Eteläistesti",
    "email": "eero.etelaistesti@selain.example",
    "phone": "040 555 0202",
}


@pytest.fixture(scope="module")
def region_user(served_app):
    """A region user of the western area, and members in their own and in another area's group."""
    settings = served_app.settings
    if users.get(settings, SEED_ADMIN) is None:
        users.add(settings, AREAS, SEED_ADMIN, PASSWORD, [("admin", None)], actor="test")
    if users.get(settings, REGION_USER) is None:
        users.add(
            settings,
            AREAS,
            REGION_USER,
            PASSWORD,
            [("region", "lantinen")],
            display_name="Selain Läntinen",
            actor="test",
        )
    admin = users.get(settings, SEED_ADMIN)
    model.ensure_default_bodies(settings, AREAS)
    present = {m.name for m in model.members(settings)}
    for body_id, person in (("alue-lantinen", OWN), ("alue-etelainen", OTHER)):
        if person["name"] not in present:
            model.add_member(
                settings,
                AREAS,
                admin,
                body_id,
                {**person, "organisation": "Selaintesti ry", "actor_type": "ngo", "role": "member"},
            )
    return users.get(settings, REGION_USER)


def main_text(page) -> str:
    return page.locator("#main").inner_text()


def nav(page):
    return page.locator("nav.main-nav")


def wait_governance(page) -> None:
    """The governance page has rendered (its structure graph is Cytoscape, not a Plotly chart, so the
    shared ``wait_rendered`` does not fit it)."""
    page.wait_for_selector("#governance-page .governance-members", state="attached")
    page.wait_for_function("() => !document.querySelector('._dash-loading, ._dash-loading-callback')")
    page.wait_for_load_state("networkidle")


def open_governance(context, served_app, search: str = ""):
    opened = open_page(context, served_app.url("/hallinto" + search), wait=False)
    wait_governance(opened.page)
    return opened


def test_sign_in_own_area_governance_scope_and_sign_out(served_app, region_user, new_context) -> None:
    context = new_context()
    opened = open_page(context, served_app.url("/kirjaudu"))
    page = opened.page
    assert page.locator("#main h1").first.inner_text() == FI("Sign in")
    page.fill("#username", REGION_USER)
    page.fill("#password", PASSWORD)
    page.locator("form.signin-form button[type=submit]").click()

    # lands on the user's own area page
    page.wait_for_url(served_app.url("/alue/lantinen"))
    wait_rendered(page)
    assert page.locator("#main h1").first.inner_text() == AREAS.area("lantinen").name("fi")
    signout = nav(page).locator('a[href="/kirjaudu-ulos"]')
    assert signout.count() == 1 and signout.is_visible()
    assert signout.inner_text() == FI("Sign out ({name})", name="Selain Läntinen")
    assert nav(page).locator(SIGNIN_LINK).count() == 0
    (cookie,) = [c for c in context.cookies() if c["name"] == SESSION_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert page.evaluate("document.cookie").find(SESSION_COOKIE) == -1  # not readable by scripts
    session_value = cookie["value"]

    # the governance page opens on the user's own coordination group, with names and contacts
    own = open_governance(context, served_app)
    text = main_text(own.page)
    assert OWN["name"] in text and OWN["email"] in text and OWN["phone"] in text
    assert OTHER["name"] not in own.page.content()
    # another area's group: the structure and counts, no names
    other = open_governance(context, served_app, "?body=alue-etelainen")
    html = other.page.content()
    assert FI("Active members: {n}.", n=1) in main_text(other.page)
    for value in OTHER.values():
        assert value not in html
    assert OWN["name"] not in html
    assert not (opened.page_errors + own.page_errors + other.page_errors)

    # sign out through the navigation and the form
    page = own.page
    page.locator('nav.main-nav a[href="/kirjaudu-ulos"]').click()
    page.wait_for_url(served_app.url("/kirjaudu-ulos"))
    page.locator('main form[action="/kirjaudu-ulos"] button[type=submit]').click()
    page.wait_for_selector("text=" + FI("You have signed out."))
    assert [c for c in context.cookies() if c["name"] == SESSION_COOKIE] == []

    # back to anonymous: a reload of the governance page shows no names
    after = open_governance(context, served_app, "?body=alue-lantinen")
    after.page.reload()
    wait_governance(after.page)
    html = after.page.content()
    for value in (*OWN.values(), *OTHER.values()):
        assert value not in html
    assert nav(after.page).locator(SIGNIN_LINK).count() == 1
    assert nav(after.page).locator('a[href="/kirjaudu-ulos"]').count() == 0

    # and the old session cookie, replayed in a fresh browser, is dead on the server
    replay = new_context()
    replay.add_cookies([{"name": SESSION_COOKIE, "value": session_value, "url": served_app.base_url}])
    again = open_governance(replay, served_app, "?body=alue-lantinen")
    assert OWN["name"] not in again.page.content()
    assert nav(again.page).locator('a[href="/kirjaudu-ulos"]').count() == 0


def test_a_wrong_password_in_the_browser_stays_anonymous(served_app, region_user, new_context) -> None:
    context = new_context()
    page = open_page(context, served_app.url("/kirjaudu")).page
    page.fill("#username", REGION_USER)
    page.fill("#password", PASSWORD + "-wrong")
    page.locator("form.signin-form button[type=submit]").click()
    page.wait_for_selector("[role=alert]")
    assert page.locator("[role=alert]").inner_text() == FI("The username or password is wrong.")
    assert page.url == served_app.url("/kirjaudu")
    assert [c for c in context.cookies() if c["name"] == SESSION_COOKIE] == []
