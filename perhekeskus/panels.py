"""What a panel and an extra page are to the dashboard.

A panel is a box on a leadership-level page. It says on which levels it appears (``province``,
``region``, ``local``), which sources' data it needs (their freshness and quality are shown with it),
and renders itself from the request's :class:`Scope`. Its component ids must start with its own id
(``f"{panel.id}-..."``) so that panels from different packages never collide; the dashboard checks
the ids a layout returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("province", "region", "local")


@dataclass(frozen=True)
class Scope:
    """The view a request asks for, resolved on the server.

    ``level``: province | region | local; ``area_id``: a coordination area (region level, and the
    municipality's own area on the local level); ``municipality``: a Statistics Finland code (local level).
    ``municipalities``: the municipalities in view (the whole province, an area, or one).
    The view state from the URL (indicator, years, comparison regions, gender) travels with it.
    """

    level: str
    lang: str
    area_id: str | None = None
    municipality: str | None = None
    municipalities: tuple[str, ...] = ()
    indicator: int | None = None
    years: tuple[int, int] | None = None
    compare: tuple[str, ...] = ()
    gender: str = "total"
    user: Any = None


@dataclass
class PanelContext:
    """What a panel's layout function gets: the scope plus the services to read and to speak."""

    scope: Scope
    reader: Any  # perhekeskus.warehouse.read.Reader
    _: Callable[
        ..., str
    ]  # translator bound to the request's language (perhekeskus.dashboard.i18n.Translator)
    areas: Any  # perhekeskus.warehouse.areas.AreaConfig
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Panel:
    """A panel registered through the ``perhekeskus_panels`` hook."""

    id: str
    titles: dict[str, str]  # {"fi": ..., "sv": ..., "en": ...}
    levels: tuple[str, ...]  # subset of LEVELS
    layout: Callable[[PanelContext], Any]  # returns Dash components
    datasets: tuple[str, ...] = ()  # source names whose data it shows
    register_callbacks: Callable[[Any, Callable[[], Any]], None] | None = None  # (app, services) → None
    export: Callable[[PanelContext], Any] | None = None  # returns a pandas DataFrame of what it shows
    order: int = 100  # smaller first
    wide: bool = False  # spans the full page width

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("fi") or self.id


@dataclass
class Page:
    """An extra page registered through the ``perhekeskus_dash_pages`` hook, served at ``path``."""

    path: str  # e.g. "/esimerkki"; must start with "/"
    titles: dict[str, str]
    layout: Callable[[PanelContext], Any]
    in_navigation: bool = True
