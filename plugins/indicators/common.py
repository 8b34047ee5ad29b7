"""Pieces the indicator panels share: notes about demo, blocked and small numbers; the chart
palette; an accessible table.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from dash import html

from perhekeskus import PanelContext
from perhekeskus.plugins.indicators import data
from perhekeskus.ui import table  # noqa: F401  (re-exported for panels)

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#7f7f7f"]
REFERENCE_COLOURS = {"HYVINVOINTIALUE": "#4d4d4d", "MAA": "#000000"}
SMALL = 5


def status_notes(ctx: PanelContext, shows_demo: bool) -> list:
    """Notes a panel puts above its numbers: demo values, and a blocked or failed last run."""
    _ = ctx._
    notes = []
    if shows_demo:
        notes.append(
            html.P(
                [
                    html.Strong(_("Demo values.")),
                    " ",
                    _("These numbers are invented and only show how the view works."),
                ],
                className="demo-banner",
            )
        )
    status, _message = data.dataset_state(ctx)
    if status in ("blocked", "failed"):
        text = (
            _(
                "The latest update of this data was blocked by a quality check; the values shown are the last published ones."
            )
            if status == "blocked"
            else _("The latest update of this data failed; the values shown are the last published ones.")
        )
        notes.append(
            html.P(
                [
                    html.Strong(_("Not the newest data.")),
                    " ",
                    text,
                    " ",
                    html.A(_("See data quality"), href="/laatu"),
                ],
                className="error-card",
                role="status",
            )
        )
    return notes


def is_small(abs_value) -> bool:
    return abs_value is not None and abs_value == abs_value and abs_value < SMALL


def small_number_note(ctx: PanelContext) -> html.P:
    _ = ctx._
    return html.P(
        [
            "* ",
            _(
                "Based on fewer than {n} cases: interpret with care, a single family can change the figure.",
                n=SMALL,
            ),
        ],
        className="small-number-note",
    )


def region_label(ctx: PanelContext, row) -> str:
    return ctx._.pick(row.name_fi, row.name_sv, row.name_en) or row.region_code


_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 256


def cached(ctx: PanelContext, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()`` once per published warehouse and key (least recently used entries go first).

    The key must hold everything the result depends on besides the warehouse; the warehouse's
    identity (inode, mtime, size) is added here, so a publish makes every entry stale at once.
    """
    full = (ctx.reader.version, ctx._.lang, *key)
    with _CACHE_LOCK:
        if full in _CACHE:
            _CACHE.move_to_end(full)
            return _CACHE[full]
    value = build()
    with _CACHE_LOCK:
        _CACHE[full] = value
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value
