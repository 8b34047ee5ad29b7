"""What a panel and an extra page are to the dashboard.

A panel is a box on a leadership-level page. It says on which levels it appears (``province``,
``region``, ``local``), which sources' data it needs (their freshness and quality are shown with it),
and renders itself from the request's :class:`Scope`. Its component ids must start with its own id
(``f"{panel.id}-..."``) so that panels from different packages never collide; the dashboard checks
the ids a layout returns.

What a panel reads: ``ctx.reader``, a :class:`WarehouseReader` over the published warehouse (read-only
DuckDB SQL with bound ``?`` parameters; the tables are described in docs/architecture.md). What a
panel's Dash callback knows of its request: :func:`callback_scope` rebuilds the page's :class:`Scope` on
the server from the URL and the session, as the router does, so a callback never trusts a scope the
browser sends. What a panel builds its components with: ``perhekeskus.ui`` (tables, charts, files).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    import pandas as pd

LEVELS = ("province", "region", "local")


class IndicatorKey(NamedTuple):
    """An indicator as the platform knows it: its source's name and the source's own id, both text.

    Ids are chosen by each source (Sotkanet's ``"127"``, StatFin's ``"children_0_6"``), so an id alone
    does not name an indicator. In a URL the key is written ``?indicator=<source>:<id>``
    (``?indicator=sotkanet:127``): ``str(key)`` gives that form, :meth:`parse` reads it back.
    """

    source: str
    id: str

    def __str__(self) -> str:
        return f"{self.source}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> IndicatorKey | None:
        """``"sotkanet:127"`` → IndicatorKey("sotkanet", "127"); None when the text has no source part."""
        source, sep, ident = str(text).partition(":")
        return cls(source, ident) if sep and source and ident else None


def pick_indicator(scope: Scope, keys: Sequence[IndicatorKey]) -> IndicatorKey | None:
    """The indicator a panel shows: the scope's, when it is among ``keys``, else the first of ``keys``.

    A scope that names only an id (an old link, ``?indicator=127``) gets the first of ``keys`` with that
    id, i.e. the one source that has it; ``keys`` is the order to prefer (e.g. the indicator package's).
    """
    keys = [IndicatorKey(str(k[0]), str(k[1])) for k in keys]
    if not keys:
        return None
    if scope.indicator is not None:
        for key in keys:
            if key.id == scope.indicator and scope.source in (None, key.source):
                return key
    return keys[0]


@dataclass(frozen=True)
class Scope:
    """The view a request asks for, resolved on the server.

    ``level``: province | region | local; ``area_id``: a coordination area (region level, and the
    municipality's own area on the local level); ``municipality``: a Statistics Finland code (local level).
    ``municipalities``: the municipalities in view (the whole province, an area, or one).
    The view state from the URL (indicator, years, comparison regions, gender, three-year averages)
    travels with it. ``compare`` holds only municipality codes, so panels that know nothing of
    counties or groups keep working; ``compare_counties`` and ``compare_groups`` hold the rest.

    The indicator is ``source`` + ``indicator`` (the source's own id, text), from
    ``?indicator=sotkanet:127``; ``indicator_key`` gives both as an :class:`IndicatorKey`. An old link
    with a bare id (``?indicator=127``) leaves ``source`` None: :func:`pick_indicator` resolves it to the
    source that has the id. For convenience the constructor takes an int id (``indicator=127`` → ``"127"``)
    and a written key (``indicator="sotkanet:127"`` → source ``"sotkanet"``, indicator ``"127"``).
    """

    level: str
    lang: str
    area_id: str | None = None
    municipality: str | None = None
    municipalities: tuple[str, ...] = ()
    indicator: str | None = None  # the source's own indicator id, as text ("127")
    years: tuple[int, int] | None = None
    compare: tuple[str, ...] = ()
    gender: str = "total"
    user: Any = None
    source: str | None = None  # the indicator's source ("sotkanet"); None when the URL gave a bare id
    # comparisons beyond the municipalities in ``compare`` (``?compare=837,HVA:05,group:similar``):
    # wellbeing services counties by code, and ready groups that the indicator panels expand on the
    # server (``province``, ``similar``, ``counties``; see plugins/indicators/comparison_groups.py)
    compare_counties: tuple[str, ...] = ()
    compare_groups: tuple[str, ...] = ()
    average: int = 1  # 3: three-year moving averages where the indicator allows (``?avg=3``)

    def __post_init__(self) -> None:
        indicator = self.indicator
        if isinstance(indicator, int) and not isinstance(indicator, bool):
            object.__setattr__(self, "indicator", str(indicator))
        elif isinstance(indicator, str) and self.source is None and (key := IndicatorKey.parse(indicator)):
            object.__setattr__(self, "source", key.source)
            object.__setattr__(self, "indicator", key.id)

    @property
    def indicator_key(self) -> IndicatorKey | None:
        """(source, id) of the indicator in view, when the URL named both."""
        if self.source is None or self.indicator is None:
            return None
        return IndicatorKey(self.source, self.indicator)


class WarehouseReader(Protocol):
    """What a panel reads the published warehouse with (``ctx.reader``, ``services.reader``).

    Every query runs against the warehouse published last (a new publish is picked up at the next query,
    never in the middle of one), read-only, with ``?`` placeholders bound from ``params``: never format
    values from the URL or the browser into the SQL text. ``version`` identifies the published warehouse
    (it changes with every publish), so a panel can key a cache on it; reading it, like a query, raises
    ``WarehouseUnavailable`` while nothing has been published. A static type (``typing.Protocol``):
    the platform's reader and any object with these three members fit it.
    """

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """The result as a pandas DataFrame."""
        ...

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        """The result as a list of tuples."""
        ...

    @property
    def version(self) -> tuple:
        """The published warehouse's identity (changes with every publish)."""
        ...


# The dashboard's one location component: a callback that needs its page's scope takes these as State
URL_ID = "url"
URL_STATE = ((URL_ID, "pathname"), (URL_ID, "search"))


def callback_scope(services: Any, pathname: object, search: object) -> Scope | None:
    """The resolved :class:`Scope` of the page a Dash callback was fired from, for the request's user.

    Give the callback ``State("url", "pathname")`` and ``State("url", "search")`` (``URL_STATE``, or
    ``perhekeskus.ui.url_state()``) and pass their values here with the ``services`` your
    ``register_callbacks(app, services)`` received. The scope is rebuilt on the server as the router
    builds it: the path and query are checked and cleaned (an unknown area or municipality gives None),
    the language comes from ``?lang=`` or the cookie, and ``scope.user`` is the signed-in user of the
    server-side session (None when anonymous). Nothing else the browser sends is trusted, so a callback
    may use the scope to decide what to show.
    """
    from perhekeskus.dashboard.scope import request_scope  # the web app's: no Dash in this module

    return request_scope(services, pathname, search)


@dataclass
class PanelContext:
    """What a panel's layout function gets: the scope plus the services to read and to speak."""

    scope: Scope
    reader: WarehouseReader
    # the translator of the request's language: ``_("id", name=value)``, ``_.number``, ``_.date``, ``_.pick``;
    # the product's catalog first, then every plugin's (``perhekeskus_translations``)
    _: Callable[..., str]
    areas: Any  # the area configuration: municipalities, coordination areas, county code and names
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Panel:
    """A panel registered through the ``perhekeskus_panels`` hook."""

    id: str
    titles: dict[str, str]  # {"fi": ..., "sv": ..., "en": ...}
    levels: tuple[str, ...]  # subset of LEVELS
    layout: Callable[[PanelContext], Any]  # returns Dash components
    datasets: tuple[str, ...] = ()  # source names whose data it shows
    # (app, services) → None; use callback_scope(services, pathname, search) for the request's scope
    register_callbacks: Callable[[Any, Any], None] | None = None
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
    # (app, services) → None: the page's own Dash callbacks (ids starting with a prefix of the page's own)
    register_callbacks: Callable[[Any, Any], None] | None = None
