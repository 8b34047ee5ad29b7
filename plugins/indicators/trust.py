"""The rules that keep every figure honest: when a change gets a verdict, when data is old, which
unit a value has. When data is old (``is_stale``) and how a source's update date is read (``as_day``)
are the product's rules (``perhekeskus.ui``), so the data-quality page says the same as the panels.

They live in one place so that key figures and the about panel say the same thing about the same
number. Each takes its "now" as an argument (or from ``ctx.extras["today"]``),
so tests can fix the date.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from perhekeskus.plugins.indicators.common import is_small
from perhekeskus.ui import STALE_AFTER_YEARS, as_day, is_stale  # noqa: F401  (the product's rules, used here too)

DEFAULT_DECIMALS = (
    1  # what perhekeskus.dashboard.i18n.Translator.number shows when the source gives no decimals
)

# verdicts of a change (machine words: exports carry them, the layout translates them)
BETTER, WORSE, NO_CLEAR_CHANGE, NOT_RATED = "better", "worse", "no clear change", "not rated"

_PERCENT = re.compile(r"%|prosent|percent|procent", re.IGNORECASE)
_PER_MILLE = re.compile(r"‰|promille", re.IGNORECASE)
_PER_BASE = re.compile(r"(?:/|\bper)\s*(1\s?000|10\s?000|100\s?000)\b", re.IGNORECASE)
_PER_CODE = re.compile(r"^PER\s*(1000|10000|100000)$", re.IGNORECASE)


def today(extras: Mapping[str, Any] | None = None) -> date:
    """The date "now" is for staleness: ``extras["today"]`` when given (tests), else the real date."""
    given = (extras or {}).get("today")
    return given if isinstance(given, date) else date.today()


def precision_step_digits(decimals: int | None) -> int:
    """The decimals a value of the indicator is shown with (as ``Translator.number`` shows it)."""
    return DEFAULT_DECIMALS if decimals is None or decimals != decimals else max(0, min(int(decimals), 6))


def precision_step(decimals: int | None) -> float:
    """The indicator's rounding step, 10^-decimals: the smallest change its published values can show."""
    return 10.0 ** -precision_step_digits(decimals)


def is_clear_change(delta: float, decimals: int | None) -> bool:
    """Whether a change is at least one rounding step of the indicator (10^-decimals).

    Rule: values are published rounded to ``decimals``, so each carries up to half a step of rounding
    error and their difference up to a whole step. A change smaller than one step is therefore inside
    the rounding noise and is never called better or worse. A tiny tolerance keeps 5.1 − 5.0 (which is
    0.0999… in floating point) a clear change of one step.
    """
    step = precision_step(decimals)
    return abs(delta) >= step * (1 - 1e-9)


def verdict(
    delta: float | None,
    polarity: str,
    decimals: int | None,
    small: bool = False,
) -> str | None:
    """The verdict of a change: better | worse | no clear change | not rated; None without data.

    "no clear change" when the change is smaller than the indicator's rounding step
    (:func:`is_clear_change`) or when either of the two values is a small number (fewer than five
    cases, ``small``): one family more or less would flip the verdict. A neutral indicator (activity
    or context, such as clinic visits or population) shows its change but is never rated.
    """
    if delta is None or (isinstance(delta, float) and math.isnan(delta)):
        return None
    if small or not is_clear_change(delta, decimals):
        return NO_CLEAR_CHANGE
    if polarity not in ("lower_is_better", "higher_is_better"):
        return NOT_RATED
    return BETTER if (delta < 0) == (polarity == "lower_is_better") else WORSE


def either_small(*absolute_values: Any) -> bool:
    """Whether any of the values behind a change is flagged as a small number."""
    return any(is_small(a) for a in absolute_values)


def unit_label(_, meta: Mapping[str, Any]) -> str | None:
    """The unit of an indicator in the page's language, or None when neither metadata nor title says it.

    First Sotkanet's value type (``primaryValueType``: code ``unit`` and title ``unit_fi/sv/en``):
    a percentage type is shown as "%", another titled type by its own title ("Per 1 000 inhabitants").
    Without a value type the indicator's title is read: "‰", "%" or "/ 1 000" (also "per 1000"). A
    count recognised from the title words (``value_kind`` "count") is a number.
    """
    code = str(meta.get("unit") or "").strip()
    unit_titles = [str(meta.get(f"unit_{lang}") or "") for lang in ("fi", "sv", "en")]
    if _PERCENT.search(code) or any(_PERCENT.search(t) for t in unit_titles):
        return "%"
    own = _.pick(*(t.strip() or None for t in unit_titles))
    if own:
        return own
    base = _PER_CODE.match(code)
    if base:
        return _per(_, base.group(1))
    titles = [str(meta.get(f"title_{lang}") or "") for lang in ("fi", "sv", "en")]
    if any(_PER_MILLE.search(t) for t in titles):
        return "‰"
    if any("%" in t for t in titles):
        return "%"
    for title in titles:
        found = _PER_BASE.search(title)
        if found:
            return _per(_, found.group(1))
    if meta.get("value_kind") == "count":
        return _("count")
    return None


def _per(_, base: str) -> str:
    digits = re.sub(r"\s", "", base)
    if digits == "100000":
        return _("per 100 000")
    if digits == "10000":
        return _("per 10 000")
    return _("per 1 000")
