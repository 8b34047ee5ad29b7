"""The public building blocks of the dashboard for plugin panels and pages (this module imports Dash).

A panel gets a :class:`perhekeskus.PanelContext` and returns Dash components; what it needs to look and
behave like the product's own panels is here, so that a plugin never imports ``perhekeskus.dashboard``
(internal, may move). ``perhekeskus`` itself does not import this module: the ETL worker loads plugins
without loading Dash. Import it where you build components (``from perhekeskus import ui``), or inside a
hook function when the module that holds the hook is also loaded by the ETL worker.

Accessibility and language
    :func:`table` (caption, scoped headers, a focusable scroll region), :func:`table_with_cards` (the same
    rows as cards on a phone), :func:`chart_with_table` (a described chart and its numbers as a table,
    WCAG 1.1.1), :func:`chart_config` (a ``dcc.Graph`` toolbar in the page's language: only "download as
    image"), :func:`plotly_separators` (a figure's decimal and thousands separators).

Numbers and dates
    ``ctx._.number(value, decimals)``, ``ctx._.signed(...)`` and ``ctx._.date(...)`` format in the page's
    language (decimal comma in Finnish and Swedish; ``None`` and NaN are "no data", never 0).
    :func:`format_number` does the same without a context; :func:`as_day` reads a date column's value as
    a calendar day; :func:`is_stale` is the product's rule for old data (newest year more than
    ``STALE_AFTER_YEARS`` behind). :func:`translator` gives the translator of a language outside a panel (a navigation
    hook): the product's catalog, then every plugin's (``perhekeskus_translations``).

Callbacks
    :func:`url_state` gives the ``State`` arguments a callback needs to call
    :func:`perhekeskus.callback_scope`, which resolves the page's scope and user on the server.

Files
    :func:`to_csv` and :func:`to_xlsx` are the product's one writer of downloads (spreadsheet-formula
    guard, the language's delimiter and decimal mark); :func:`rounded` rounds a value to an indicator's
    decimals as the page shows it. A panel's ``export(ctx)`` returns a frame; the dashboard writes it.

Attribution (indicators of the warehouse's ``indicator`` table)
    :func:`indicator_metas`, :func:`producer_name`, :func:`licence`, :func:`citation` and
    :func:`source_line` name each indicator's producer and licence and cite it in the form its source
    asks for; :func:`source_title` names a source ("THL Sotkanet") for a table's Source column.
"""

from __future__ import annotations

from datetime import date

from perhekeskus.dashboard.access.forms import ProtectedForm
from perhekeskus.dashboard.attribution import (
    citation,
    indicator_metas,
    licence,
    producer_name,
    source_line,
    source_title,
)
from perhekeskus.dashboard.components import (
    cards,
    chart_config,
    chart_with_table,
    plotly_separators,
    table,
    table_with_cards,
)
from perhekeskus.dashboard.i18n import LANGS, Translator, as_day
from perhekeskus.dashboard.tabular import rounded, to_csv, to_xlsx

__all__ = [
    "LANGS",
    "STALE_AFTER_YEARS",
    "ProtectedForm",
    "Translator",
    "as_day",
    "cards",
    "chart_config",
    "chart_with_table",
    "citation",
    "csrf_ok",
    "current_user",
    "format_number",
    "indicator_metas",
    "is_stale",
    "licence",
    "plotly_separators",
    "producer_name",
    "render_page",
    "request_lang",
    "rounded",
    "source_line",
    "source_title",
    "table",
    "table_with_cards",
    "to_csv",
    "to_xlsx",
    "translator",
    "url_state",
]


# Data is old when its newest year is more than this many years behind the current year: the data-quality
# page and the panels flag it by the same rule.
STALE_AFTER_YEARS = 3


def is_stale(newest_year: int | None, now: date | None = None) -> bool:
    """Whether a series whose newest year is ``newest_year`` is old (more than three years behind).

    Statistics lag a year or two; a series four or more years behind has most likely stopped (several
    School Health Promotion series ended with the 2017 redesign). No year is not "old"."""
    if newest_year is None or newest_year != newest_year:
        return False
    return int(newest_year) < (now or date.today()).year - STALE_AFTER_YEARS


def translator(lang: str) -> Translator:
    """The translator of ``lang`` (fi, sv or en; anything else is Finnish): ``_("Trend")``,
    ``_.number(1234.5, 1)``, ``_.pick(fi, sv, en)``."""
    return Translator(lang)


def format_number(value: float | None, lang: str, decimals: int | None = None) -> str:
    """``value`` in the language's number format with ``decimals`` places (one when not given);
    ``None`` and NaN are "no data" in that language."""
    return Translator(lang).number(value, decimals)


def url_state() -> list:
    """``[State("url", "pathname"), State("url", "search")]``: add to a panel callback's arguments and
    give their values to :func:`perhekeskus.callback_scope` to get the request's resolved scope."""
    from dash import State

    from perhekeskus.panels import URL_STATE

    return [State(component, prop) for component, prop in URL_STATE]


def csrf_ok() -> bool:
    """Whether the current POST carries this client's CSRF token and comes from this site (call it in a
    blueprint view before changing anything; answer 400 when it is False)."""
    import flask

    from perhekeskus.dashboard.access.web import check_csrf

    return check_csrf(flask.current_app.extensions["perhekeskus_access"])


def current_user():
    """The signed-in user of this request (a Flask view or a Dash callback), or None for an anonymous
    visitor. Ask the one policy what they may do: ``services.policy.allows(user, permission, scope)``."""
    import flask

    from perhekeskus.dashboard.access.web import current_user as _current

    return _current(flask.current_app.extensions["perhekeskus_access"])


def request_lang() -> str:
    """The language of this request (``?lang=``, then the language cookie, then Finnish)."""
    from perhekeskus.dashboard.access.web import request_lang as _lang

    return _lang()


def render_page(template: str, status: int = 200, *, cache: bool = False, **context):
    """A blueprint's template (extending ``perhekeskus/base.html``) as an HTML answer. Pages with personal
    or per-user data are not cached (``cache=False``, the default); a public page may allow it."""
    from perhekeskus.dashboard.access import web

    return (web.render_page if cache else web.render)(template, status, **context)
