"""The dashboard side of the public plugin API, through a plugin registered in-process exactly as an
entry point would register it: its panel's Dash callback gets the request's resolved scope from
``perhekeskus.callback_scope`` (rebuilt on the server from the URL and the session, never from other
values the browser sends), its navigation entry depends on the user and the language, and ``ctx._``
translates its own strings from the gettext catalogs it ships (``perhekeskus_translations``), while
the product's own strings keep the product's translation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from dash import Input, Output, html

from perhekeskus import NavEntry, Panel, Setting, callback_scope, hookimpl, registry, ui
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.app import create_app, resolve_page
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
AREAS = load_areas()
PROBE = "probe"
PROBE_PAGE = "/koetin"
OWN = {  # the plugin's own catalog; "Data quality" is the product's and must stay the product's
    "fi": {"Probe greeting": "Hei koettimelta", "Probe page": "Koetinsivu", "Data quality": "KAAPATTU"},
    "sv": {"Probe greeting": "Hej från sonden", "Probe page": "Sondsidan", "Data quality": "KAPAD"},
    "en": {"Probe greeting": "Hello from the probe", "Probe page": "Probe page", "Data quality": "HIJACKED"},
}
PRODUCT_DATA_QUALITY = {"fi": "Tietojen laatu", "sv": "Datakvalitet", "en": "Data quality"}


def write_catalogs(folder: Path) -> Path:
    for lang, entries in OWN.items():
        path = folder / lang / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True)
        body = "".join(f'\nmsgid "{msgid}"\nmsgstr "{text}"\n' for msgid, text in entries.items())
        path.write_text(
            f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n{body}',
            encoding="utf-8",
        )
    return folder


class ProbePlugin:
    """A third party's plugin: a panel with a callback, a navigation entry and its own catalogs."""

    def __init__(self, locale: Path) -> None:
        self.locale = locale

    def layout(self, ctx):
        return html.Div(
            [
                html.P(ctx._("Probe greeting"), id=f"{PROBE}-greeting"),
                html.P(ctx._("Data quality"), id=f"{PROBE}-product"),
                html.Button("?", id=f"{PROBE}-ask"),
                html.Pre(id=f"{PROBE}-scope"),
            ]
        )

    def register_callbacks(self, app, services) -> None:
        @app.callback(
            Output(f"{PROBE}-scope", "children"),
            Input(f"{PROBE}-ask", "n_clicks"),
            *ui.url_state(),
            prevent_initial_call=True,
        )
        def show_scope(_clicks, pathname, search):
            scope = callback_scope(services, pathname, search)
            if scope is None:
                return json.dumps(None)
            user = scope.user.username if scope.user is not None else None
            return json.dumps(
                {
                    "level": scope.level,
                    "area": scope.area_id,
                    "municipality": scope.municipality,
                    "lang": scope.lang,
                    "compare": list(scope.compare),
                    "user": user,
                }
            )

    @hookimpl
    def perhekeskus_panels(self) -> list[Panel]:
        titles = {"fi": "Koetin", "sv": "Sond", "en": "Probe"}
        return [
            Panel(PROBE, titles, ("region", "local"), self.layout, register_callbacks=self.register_callbacks)
        ]

    @hookimpl
    def perhekeskus_navigation(self, user, lang) -> list[NavEntry]:
        """Only for signed-in users, labelled from the plugin's own catalog."""
        return [] if user is None else [NavEntry(PROBE_PAGE, ui.translator(lang)("Probe page"), 85)]

    @hookimpl
    def perhekeskus_translations(self) -> list[Path]:
        return [self.locale]

    @hookimpl
    def perhekeskus_settings(self) -> list[Setting]:
        return [Setting("greeting", "plain", "how the probe greets"), Setting("api_key", "", "a secret")]


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> ProbePlugin:
    return ProbePlugin(write_catalogs(tmp_path_factory.mktemp("probe-plugin") / "locale"))


@pytest.fixture(autouse=True)
def probe_registered(probe: ProbePlugin) -> Iterator[None]:
    """The probe plugin in the plugin manager of each test (conftest gives every test a fresh one)."""
    registry.plugin_manager().register(probe, name=PROBE)
    yield
    if registry.plugin_manager().get_plugin(PROBE) is probe:
        registry.plugin_manager().unregister(probe)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, probe: ProbePlugin):
    settings = Settings(home=tmp_path_factory.mktemp("plugin-dashboard-api") / "home")
    ensure_published(settings)
    users.add(settings, AREAS, "tre1", PASSWORD, [("local", "837")])
    manager = registry.plugin_manager()
    added = manager.get_plugin(PROBE) is None
    if added:
        manager.register(probe, name=PROBE)
    try:
        return create_app(settings)  # the probe panel's callback is registered here
    finally:
        if added:
            manager.unregister(probe)


def signed_in(app, username: str):
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text[:300]
    return client


def ask_scope(client, pathname: str, search: str = ""):
    """The probe's callback as the browser fires it: the button, and the page's URL as State."""
    body = {
        "output": f"{PROBE}-scope.children",
        "outputs": {"id": f"{PROBE}-scope", "property": "children"},
        "inputs": [{"id": f"{PROBE}-ask", "property": "n_clicks", "value": 1}],
        "state": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": [f"{PROBE}-ask.n_clicks"],
    }
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 200, response.text[:300]
    return json.loads(response.json["response"][f"{PROBE}-scope"]["children"])


def nav_links(client, pathname: str = "/", search: str = "") -> dict[str, str]:
    """href → text of the main navigation that the router renders."""
    return {href: text for href, (text, _kind) in nav_items(client, pathname, search).items()}


def nav_items(client, pathname: str = "/", search: str = "") -> dict[str, tuple[str, str]]:
    """href → (text, component type: Link for client-side, A for a full page load) of the main nav."""
    body = {
        "output": "..app-root.children...page-meta.data..",
        "outputs": [{"id": "app-root", "property": "children"}, {"id": "page-meta", "property": "data"}],
        "inputs": [
            {"id": "url", "property": "pathname", "value": pathname},
            {"id": "url", "property": "search", "value": search},
        ],
        "changedPropIds": ["url.pathname"],
        "state": [],
    }
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 200
    links: dict[str, tuple[str, str]] = {}

    def text(node) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, list):
            return "".join(text(n) for n in node if not (isinstance(n, dict) and "visually-hidden" in str(n)))
        return text(node.get("props", {}).get("children")) if isinstance(node, dict) else ""

    def walk(node, in_nav: bool) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, in_nav)
        elif isinstance(node, dict):
            props = node.get("props", {})
            in_nav = in_nav or (node.get("type") == "Nav" and props.get("className") == "main-nav")
            if in_nav and "href" in props:
                links[props["href"]] = (text(props.get("children")), node.get("type"))
            walk(props.get("children"), in_nav)

    walk(response.json["response"]["app-root"]["children"], False)
    return links


# --- scope in callbacks ---------------------------------------------------------------------------------


def test_a_panel_callback_gets_the_scope_the_router_resolves(app) -> None:
    anonymous = app.server.test_client()
    area = AREAS.area_of("837").area_id
    assert ask_scope(anonymous, "/kunta/837") == {
        "level": "local",
        "area": area,
        "municipality": "837",
        "lang": "fi",
        "compare": [],
        "user": None,
    }
    region = ask_scope(anonymous, "/alue/lantinen", "?lang=sv&compare=536,abc")
    assert (region["level"], region["area"], region["municipality"], region["lang"]) == (
        "region",
        "lantinen",
        None,
        "sv",
    )
    assert region["compare"] == ["536"]  # cleaned as the router cleans it
    assert ask_scope(anonymous, "/kunta/999") is None  # names nothing known
    assert ask_scope(anonymous, "/maakunta")["level"] == "province"


def test_the_user_comes_from_the_session_never_from_the_browser(app) -> None:
    tre = signed_in(app, "tre1")
    scope = ask_scope(tre, "/kunta/837")
    assert (scope["user"], scope["compare"]) == ("tre1", ["837"])  # the user's own municipality first
    forged = ask_scope(app.server.test_client(), "/kunta/837", "?user=tre1&role=admin")
    assert forged["user"] is None


# --- navigation ---------------------------------------------------------------------------------------


def test_navigation_entries_depend_on_the_user_and_the_language(app) -> None:
    anonymous = nav_links(app.server.test_client())
    assert PROBE_PAGE not in anonymous
    tre = signed_in(app, "tre1")
    assert nav_links(tre)[PROBE_PAGE] == "Koetinsivu"
    assert nav_links(tre, "/", "?lang=sv")[PROBE_PAGE] == "Sondsidan"
    # built-in entries keep their place; the plugin's order (85) puts it after data quality (80)
    order = list(nav_links(tre))
    assert order.index("/laatu") < order.index(PROBE_PAGE) < order.index("/lisaosat")
    # a Dash page is opened client-side; a path the Dash app does not render (a plugin's blueprint) by
    # a full page load
    kinds = {href: kind for href, (_text, kind) in nav_items(tre).items()}
    assert (kinds["/hallinto"], kinds["/laatu"], kinds[PROBE_PAGE]) == ("Link", "Link", "A")


def test_the_governance_link_comes_from_the_governance_plugin(app) -> None:
    """The shell names no feature: its own entries have no governance link; the plugin's hook gives it."""
    from perhekeskus.dashboard.shell import menu_entries

    assert "/hallinto" not in dict(menu_entries(Translator("fi"), [], []))
    given = {e.path: e.label for e in registry.navigation(None, "sv", app.services)}
    assert given["/hallinto"] == Translator("sv")("Governance")
    governance = next(i for i in registry.plugin_infos() if i.name == "governance")
    assert "perhekeskus_navigation" in governance.hooks
    assert nav_links(app.server.test_client())["/hallinto"] == Translator("fi")("Governance")


# --- translations -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_ctx_translates_the_plugins_own_strings_and_keeps_the_products(app, lang: str) -> None:
    _title, body = resolve_page(Translator(lang), app.services, "/kunta/837", "", [])
    texts = {}
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(node)
            continue
        if getattr(node, "id", None) in (f"{PROBE}-greeting", f"{PROBE}-product"):
            texts[node.id] = node.children
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            stack.append(children)
    assert texts == {
        f"{PROBE}-greeting": OWN[lang]["Probe greeting"],
        f"{PROBE}-product": PRODUCT_DATA_QUALITY[lang],
    }


# --- settings -----------------------------------------------------------------------------------------


def test_plugins_list_shows_each_plugins_settings_with_their_variables(monkeypatch, capsys, tmp_path) -> None:
    from perhekeskus.cli import main, setting_lines

    monkeypatch.setenv("PERHEKESKUS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_URL", "http://127.0.0.1:9/rest")
    assert main(["plugins", "list"]) == 0
    out = capsys.readouterr().out
    assert "setting PERHEKESKUS_SOTKANET_URL=http://127.0.0.1:9/rest" in out, out
    assert "setting PERHEKESKUS_SOTKANET_FORMAT=json  (default 'json'" in out, out

    monkeypatch.setenv("PERHEKESKUS_PROBE_API_KEY", "s3cret-value")
    lines = setting_lines(PROBE, Settings(home=tmp_path / "home"))
    assert lines[0] == "setting PERHEKESKUS_PROBE_GREETING=plain  (default 'plain'; how the probe greets)"
    assert lines[1].startswith("setting PERHEKESKUS_PROBE_API_KEY=(set)  (no default; a secret)")
    assert "s3cret-value" not in " ".join(lines)


# --- boundaries ---------------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"^\s*(?:from|import)\s+perhekeskus\.(etl|warehouse|dashboard|expectations)\b", re.M)


def test_the_indicator_panels_import_only_the_public_api() -> None:
    """A built-in plugin is written as a third party's: ``perhekeskus`` and ``perhekeskus.ui``, its own
    modules, and libraries; never the internals."""
    files = [
        *(REPO / "plugins" / "indicators").rglob("*.py"),
        REPO / "plugins" / "governance" / "navigation.py",
    ]
    found = [
        f"{p.relative_to(REPO)}: {m.group(0).strip()}"
        for p in files
        for m in INTERNAL.finditer(p.read_text())
    ]
    assert not found, found


def test_the_dashboard_names_no_built_in_plugin() -> None:
    """The app factory, the shell and the pages reach features only through the hooks."""
    files = [p for p in (REPO / "dashboard").rglob("*.py") if "locale" not in p.parts]
    found = [str(p.relative_to(REPO)) for p in files if "perhekeskus.plugins" in p.read_text()]
    assert not found, found
    shell = (REPO / "dashboard" / "shell.py").read_text() + (REPO / "dashboard" / "app.py").read_text()
    assert "/hallinto" not in shell and "governance" not in shell.lower()
