"""A panel that raises is replaced by an error card with a short reason; the other panels on the page
still render, and the error is logged with the panel's id.

The raising panel is registered in-process through the same pluggy manager the entry points fill.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from perhekeskus import registry
from perhekeskus.dashboard.app import Services, resolve_page
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.hookspecs import hookimpl
from perhekeskus.panels import LEVELS, Panel
from perhekeskus.plugins.sotkanet.demo import DEMO_SNAPSHOT
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotServer
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

BROKEN = "broken-test"
LONG_REASON = "the numbers could not be read: " + "x" * 400
BUILT_IN_BODIES = ("key-figures-body", "trend-body", "comparison-body", "about-indicator-body")


class RaisingPanels:
    """A plugin whose panel raises ``error`` on every level."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def layout(self, ctx):
        raise self.error

    @hookimpl
    def perhekeskus_panels(self) -> list[Panel]:
        return [Panel(BROKEN, {"fi": "Rikki", "sv": "Trasig", "en": "Broken"}, LEVELS, self.layout, order=15)]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    home = tmp_path_factory.mktemp("failing-panel") / "home"
    with SnapshotServer(DEMO_SNAPSHOT) as snapshot:
        settings = Settings(
            home=home, plugins={"sotkanet": {"url": snapshot.base_url}}, http_retries=1, http_backoff=0.01
        )
        summary = run_pipeline("sotkanet", settings)
    assert summary.status == "success", summary.message
    return Services(settings, Reader(settings), load_areas(settings.areas_file))


@pytest.fixture
def register() -> Iterator:
    """``register(error)`` adds a raising panel plugin; it is unregistered after the test."""
    added = []

    def _register(error: BaseException) -> RaisingPanels:
        plugin = RaisingPanels(error)
        registry.plugin_manager().register(plugin, name=f"raising-{len(added)}")
        added.append(plugin)
        return plugin

    try:
        yield _register
    finally:
        manager = registry.plugin_manager()
        for plugin in added:
            manager.unregister(plugin)
        registry.reset()


def components(node) -> Iterator:
    if node is None or isinstance(node, (str, int, float)):
        return
    if isinstance(node, (list, tuple)):
        for child in node:
            yield from components(child)
        return
    yield node
    yield from components(getattr(node, "children", None))


def text_of(node) -> str:
    if node is None:
        return ""
    if isinstance(node, (str, int, float)):
        return str(node)
    if isinstance(node, (list, tuple)):
        return " ".join(text_of(c) for c in node)
    return text_of(getattr(node, "children", None))


def by_id(body, component_id: str):
    return next((c for c in components(body) if getattr(c, "id", None) == component_id), None)


def classes(node) -> set[str]:
    return set((getattr(node, "className", None) or "").split())


@pytest.mark.parametrize("path", ["/maakunta", "/alue/pohjoinen", "/kunta/837"])
def test_raising_panel_becomes_an_error_card_and_the_others_render(path, services, register, caplog):
    register(RuntimeError(LONG_REASON + "\nTraceback detail that leaders need not see"))
    with caplog.at_level(logging.ERROR, logger="perhekeskus.dashboard.pages"):
        _title, body = resolve_page(Translator("fi"), services, path, "", [])

    section = by_id(body, f"{BROKEN}-panel")
    assert section is not None, "the raising panel's place is kept"
    cards = [c for c in components(section) if "error-card" in classes(c)]
    assert len(cards) == 1
    card = text_of(cards[0])
    assert getattr(cards[0], "role", None) == "alert"
    assert "the numbers could not be read" in card
    assert "Traceback detail" not in card and "x" * 201 not in card, "the reason is one short line"
    assert text_of(section.children[0]) == "Rikki"  # the panel keeps its heading

    for body_id in BUILT_IN_BODIES:
        assert by_id(body, body_id) is not None, f"{body_id} did not render beside the broken panel"
    others = [c for c in components(body) if "error-card" in classes(c) and not _inside(section, c)]
    assert not others, [text_of(c) for c in others]

    logged = [
        r for r in caplog.records if r.name == "perhekeskus.dashboard.pages" and r.levelno == logging.ERROR
    ]
    assert len(logged) == 1
    assert BROKEN in logged[0].getMessage()
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is RuntimeError


def test_an_error_without_a_message_names_its_type(services, register, caplog):
    register(KeyError())
    with caplog.at_level(logging.ERROR, logger="perhekeskus.dashboard.pages"):
        _title, body = resolve_page(Translator("en"), services, "/kunta/837", "", [])
    card = next(c for c in components(by_id(body, f"{BROKEN}-panel")) if "error-card" in classes(c))
    assert "KeyError" in text_of(card)
    assert text_of(by_id(body, f"{BROKEN}-panel").children[0]) == "Broken"  # English title
    assert any(BROKEN in r.getMessage() for r in caplog.records)


def _inside(root, node) -> bool:
    return any(c is node for c in components(root))
