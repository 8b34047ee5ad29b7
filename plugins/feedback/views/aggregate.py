"""The one place where families' feedback becomes numbers: every view and export of this part reads
its counts, ratings, theme counts and quotes from here, and nothing here ever hands out a value of a
group of fewer than ``model.MIN_GROUP`` (five) answers.

Why one module: the rule "no group under five, anywhere" is only as strong as its weakest view. If
each view counted for itself, one of them would sooner or later show a 3, or show two numbers whose
difference is a 3. Here every number of the whole province is computed at once, for one *tier*, and
one suppression pass decides which cells may be shown; a view only looks cells up.

Tiers
    ``PUBLIC``: approved answers, confirmed themes (what the public summary and anonymous visitors see).
    ``FULL``: every answer that is not hidden (new and approved), suggested themes included (readers with
    ``feedback.read`` in the view's scope). Hidden answers count in neither. Quotes are the same in both:
    approved, marked publishable, from a group whose approved answers number at least five.

Cells
    A cell is ``(unit, filter, measure)``. Units: the province ``("P",)``, a coordination area
    ``("A", id)``, a municipality ``("M", code)`` and the answers from outside the province ``("O",)``
    (never shown on their own). Filters: ``ALL``, ``("task", code)``, ``("age", code)`` (one at a time;
    a filter never combines with another, so there are no three-way tables to difference). Measures:
    ``N`` (answers), ``("r", 0..5)`` (answers per rating; 0 = not rated), ``("q", "2026-Q1")``,
    ``("m", "2026-01")`` (answers per quarter and month), ``("t", theme)`` and ``("s", "n" | period)``
    (the answers with a rating, behind each mean: never shown as a number, but guarded like one).

Suppression (what is hidden, and why)
    1. *Primary*: every cell under five (zero included, so "none" and "a few" look the same) is hidden.
    2. *Forced*: cells no view shows (the ``other`` unit, the "not given" task and age group, "not
       rated") are treated as hidden, because a reader cannot see them either.
    3. *Secondary (complementary)*: for every *partition* - a parent cell and the cells that split it
       exactly (province → areas and ``other``; area → its municipalities; a view → the values of a
       filter; answers → each rating or none; rated answers → each rating; answers → quarters;
       quarter → its months; the same for the rated answers) - the part of the parent
       that the shown children leave unexplained (parent minus the shown children) must be 0 or at
       least five. When it is 1-4 (e.g. province 40, areas 20 and 17 shown, the third area's 3 would
       follow by subtraction) the smallest shown child is hidden too, until it is safe.
    4. *Downwards*: a hidden parent hides all its children, so a hidden number can never be rebuilt
       by adding its parts.
    The passes repeat until nothing changes (suppression only ever grows, so it ends).

    What is *not* prevented, and why it is acceptable: theme counts overlap (an answer may have several
    themes), so no partition holds them together with other themes; a reader with ``feedback.read``
    sees both tiers and their difference is the number of answers waiting for moderation in a scope
    they are allowed to read. A mean rating is shown only when its group and the group's rated answers
    (at least five) are both shown under the same rules, so a mean cannot be differenced down to the
    ratings of fewer than five families.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.feedback.model import MIN_GROUP, OTHER

PUBLIC, FULL = "public", "full"
TIERS = (PUBLIC, FULL)
N = "n"
ALL: tuple = ("all",)
PROVINCE: tuple = ("P",)
OUTSIDE: tuple = ("O",)
FILTER_KINDS = ("task", "age")
RATINGS = (1, 2, 3, 4, 5)

Cell = tuple[tuple, tuple, Any]


def area_unit(area_id: str) -> tuple:
    return ("A", area_id)


def municipality_unit(code: str) -> tuple:
    return ("M", code)


def rated_measure(measure: Any) -> tuple:
    """The cell of the rated answers behind a mean: ``("s", "n")`` for all answers, ``("s", period)``."""
    return ("s", N if measure == N else measure[1])


def quarter_of(month: str) -> str:
    """``"2026-05"`` → ``"2026-Q2"``."""
    year, _sep, mm = month.partition("-")
    return f"{year}-Q{(int(mm) - 1) // 3 + 1}"


# --- reading the warehouse ---------------------------------------------------------------------------

TABLES = ("feedback_answer", "feedback_answer_theme", "feedback_theme")


def published(reader) -> bool:
    """Whether the ``feedback`` source has published its tables (before its first run it has not)."""
    rows = reader.rows(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name IN (?, ?, ?)",
        list(TABLES),
    )
    return bool(rows) and rows[0][0] == len(TABLES)


@dataclass(frozen=True)
class Answer:
    """One answer as the views need it (no dates: the month is the finest time the views know)."""

    answer_id: int
    month: str
    municipality: str
    task: str | None
    rating: int | None
    age_group: str | None
    status: str
    good_text: str
    change_text: str
    good_publishable: bool
    change_publishable: bool


def _text(value: Any) -> str:
    return "" if value is None or value != value else str(value)


def _opt(value: Any) -> str | None:
    text = _text(value)
    return text or None


def load_answers(reader) -> tuple[list[Answer], dict[int, list[tuple[str, str]]], dict[str, tuple]]:
    """(answers that are not hidden, answer id → [(theme, origin)], theme → (fi, sv, en, task))."""
    rows = reader.rows(
        "SELECT answer_id, month, municipality, task, rating, age_group, status, good_text, change_text, "
        "good_publishable, change_publishable FROM feedback_answer WHERE status IN ('new', 'approved') ORDER BY answer_id"
    )
    answers = [
        Answer(
            int(r[0]),
            _text(r[1])[:7],
            _text(r[2]) or OTHER,
            _opt(r[3]),
            int(r[4]) if r[4] is not None and r[4] == r[4] and int(r[4]) in RATINGS else None,
            _opt(r[5]),
            str(r[6]),
            _text(r[7]),
            _text(r[8]),
            bool(r[9]),
            bool(r[10]),
        )
        for r in rows
        if len(_text(r[1])) >= 7
    ]
    themes: dict[int, list[tuple[str, str]]] = {}
    for answer_id, theme, origin in reader.rows("SELECT answer_id, theme, origin FROM feedback_answer_theme"):
        themes.setdefault(int(answer_id), []).append((str(theme), str(origin)))
    names = {
        str(t): (
            _text(fi) or str(t),
            _text(sv) or _text(fi) or str(t),
            _text(en) or _text(fi) or str(t),
            _opt(k),
        )
        for t, fi, sv, en, k in reader.rows(
            "SELECT theme, name_fi, name_sv, name_en, task FROM feedback_theme"
        )
    }
    return answers, themes, names


def in_tier(answer: Answer, tier: str) -> bool:
    """Hidden answers are in no tier; the public tier holds approved answers only."""
    if answer.status == "hidden":
        return False
    return answer.status == "approved" if tier == PUBLIC else answer.status in ("new", "approved")


def tier_themes(themes: list[tuple[str, str]], tier: str) -> list[str]:
    """The public tier counts only themes a moderator confirmed; the full tier suggested ones too."""
    return sorted({t for t, origin in themes if tier == FULL or origin == "confirmed"})


# --- counting --------------------------------------------------------------------------------------


def units_of(municipality: str, areas: Any) -> list[tuple]:
    """The units an answer about ``municipality`` counts in: the province, its area and itself (or the
    ``other`` unit, for answers from outside the province or about an unknown code)."""
    area = areas.area_of(municipality) if municipality != OTHER else None
    if area is None:
        return [PROVINCE, OUTSIDE]
    return [PROVINCE, area_unit(area.area_id), municipality_unit(municipality)]


@dataclass
class Tables:
    """Every cell of one tier: counts, rating sums and counts (for means), and the hidden cells."""

    tier: str
    counts: Counter = field(default_factory=Counter)
    rating_sum: Counter = field(default_factory=Counter)
    rated: Counter = field(default_factory=Counter)
    hidden: set = field(default_factory=set)
    months: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    ages: list[str] = field(default_factory=list)

    def count(self, unit: tuple, filt: tuple, measure: Any = N) -> int | None:
        """The number of answers of the cell, or None when it must not be shown."""
        cell = (unit, filt, measure)
        value = self.counts.get(cell, 0)
        # a cell no partition holds (an unknown place) is never in ``hidden``: the size rule still applies
        return None if cell in self.hidden or value < MIN_GROUP else value

    def mean(self, unit: tuple, filt: tuple, measure: Any = N) -> float | None:
        """The mean rating (1-5) of the cell's answers: only when the cell and its rated answers (at least
        five) are both shown, so no mean can be differenced down to a few ratings."""
        cell = (unit, filt, measure)
        if self.count(unit, filt, measure) is None or self.count(unit, filt, rated_measure(measure)) is None:
            return None
        return self.rating_sum[cell] / self.rated[cell]

    def shown(self, unit: tuple, filt: tuple = ALL) -> bool:
        return self.count(unit, filt) is not None


COLUMN = {"r": "rating", "q": "q", "m": "m", "t": "t"}  # a measure's column in count_cells' frame


def _unit(key: str) -> tuple:
    """``"P"``, ``"O"``, ``"A:<id>"``, ``"M:<code>"`` (flat keys pandas groups fast) → the unit tuple."""
    if key in ("P", "O"):
        return PROVINCE if key == "P" else OUTSIDE
    kind, _sep, ident = key.partition(":")
    return (kind, ident)


def _value(value: Any) -> Any:
    """A group key as stored in a cell: pandas' missing value (a "not given" filter) as None."""
    return None if value is None or value != value else value


def count_cells(answers: Iterable[Answer], themes: dict, areas: Any, tier: str) -> Tables:
    """Every cell's count (and rating sums) of ``tier``; suppression is applied by :func:`suppress`.

    One pandas group-by per (place level, filter, measure) on flat columns: a Python loop over every
    answer × unit × filter × measure took seconds for a few thousand answers."""
    import pandas as pd

    tables = Tables(tier)
    records, theme_rows = [], []
    for a in answers:
        if not in_tier(a, tier):
            continue
        area = areas.area_of(a.municipality) if a.municipality != OTHER else None
        records.append(
            (
                a.answer_id,
                "P",
                f"A:{area.area_id}" if area else "O",
                f"M:{a.municipality}" if area else None,
                a.task,
                a.age_group,
                a.rating or 0,
                a.month,
                quarter_of(a.month),
            )
        )
        theme_rows += [(a.answer_id, t) for t in tier_themes(themes.get(a.answer_id, []), tier)]
    columns = ["answer_id", "uP", "uA", "uM", "task", "age", "rating", "m", "q"]
    frame = pd.DataFrame(records, columns=columns)
    with_themes = frame.merge(pd.DataFrame(theme_rows, columns=["answer_id", "t"]), on="answer_id")
    tables.months = sorted(set(frame["m"]))
    tables.themes = sorted(set(with_themes["t"]))
    tables.tasks = sorted({t for t in frame["task"] if isinstance(t, str) and t})
    tables.ages = sorted({g for g in frame["age"] if isinstance(g, str) and g})
    if frame.empty:
        return tables
    for level in ("uP", "uA", "uM"):
        for filt in ("all", "task", "age"):
            for measure in (N, "r", "q", "m", "t"):
                source = with_themes if measure == "t" else frame
                source = source[source[level].notna()]
                keys = (
                    [level] + ([filt] if filt != "all" else []) + ([COLUMN[measure]] if measure != N else [])
                )
                _count(tables, source, keys, filt, measure)
    return tables


def _count(tables: Tables, source: Any, keys: list[str], filt: str, measure: str) -> None:
    """Adds one group-by's cells (and, for answers and periods, their rating sums) to ``tables``."""

    def cell(key: Any) -> Cell:
        key = key if isinstance(key, tuple) else (key,)
        unit, rest = _unit(key[0]), list(key[1:])
        filter_key = ALL if filt == "all" else (filt, _value(rest.pop(0)))
        measure_key = N if measure == N else (measure, _value(rest.pop(0)))
        return (unit, filter_key, measure_key)

    if source.empty:
        return
    sizes = source.groupby(keys, dropna=False, sort=False).size()
    for key, n in zip(sizes.index, sizes.to_numpy().tolist(), strict=True):
        tables.counts[cell(key)] += n
    if measure in (N, "q", "m"):
        rated = source[source["rating"] > 0]
        if rated.empty:
            return
        sums = rated.groupby(keys, dropna=False, sort=False)["rating"].agg(["sum", "size"])
        for key, total, n in zip(
            sums.index, sums["sum"].to_numpy().tolist(), sums["size"].to_numpy().tolist(), strict=True
        ):
            unit, filter_key, measure_key = cell(key)
            tables.rating_sum[(unit, filter_key, measure_key)] += total
            tables.rated[(unit, filter_key, measure_key)] += n
            # the rated answers are a cell of their own, so that suppression guards the means too
            tables.counts[(unit, filter_key, rated_measure(measure_key))] += n


# --- suppression -----------------------------------------------------------------------------------


def partitions(tables: Tables, areas: Any) -> list[tuple[Cell, list[Cell]]]:
    """Every (parent, children) whose children split the parent's answers exactly (see the module text).
    Partitions of an empty parent are left out: their children are all zero and hidden anyway."""
    counts = tables.counts
    units = [PROVINCE, OUTSIDE]
    children_of: dict[tuple, list[tuple]] = {PROVINCE: [OUTSIDE]}
    for area in areas.areas:
        a = area_unit(area.area_id)
        units.append(a)
        children_of[PROVINCE].append(a)
        children_of[a] = [municipality_unit(m) for m in area.municipalities]
        units += children_of[a]
    filters = (
        [ALL] + [("task", t) for t in [*tables.tasks, None]] + [("age", g) for g in [*tables.ages, None]]
    )
    quarters = sorted({quarter_of(m) for m in tables.months})
    measures: list[Any] = [N, *[("r", k) for k in (0, *RATINGS)], *[("q", q) for q in quarters]]
    measures += [("m", m) for m in tables.months] + [("t", t) for t in tables.themes]
    measures += [("s", N), *[("s", q) for q in quarters], *[("s", m) for m in tables.months]]
    found: list[tuple[Cell, list[Cell]]] = []

    months_of = {q: [m for m in tables.months if quarter_of(m) == q] for q in quarters}
    for filt in filters:  # the places: province → areas (+ outside), area → municipalities
        for measure in measures:
            for parent, kids in children_of.items():
                if counts.get((parent, filt, measure), 0) > 0:
                    found.append(((parent, filt, measure), [(k, filt, measure) for k in kids]))
    for unit in units:
        for measure in measures:  # a view → each value of a filter (+ not given)
            if counts.get((unit, ALL, measure), 0) > 0:
                for kind, values in (("task", tables.tasks), ("age", tables.ages)):
                    found.append(
                        ((unit, ALL, measure), [(unit, (kind, v), measure) for v in [*values, None]])
                    )
        for filt in filters:  # answers → ratings, answers → quarters, quarter → months
            if counts.get((unit, filt, N), 0) == 0:
                continue
            found.append(((unit, filt, N), [(unit, filt, ("r", k)) for k in (0, *RATINGS)]))
            found.append(((unit, filt, N), [(unit, filt, ("q", q)) for q in quarters]))
            found.append(((unit, filt, ("s", N)), [(unit, filt, ("r", k)) for k in RATINGS]))
            found.append(((unit, filt, ("s", N)), [(unit, filt, ("s", q)) for q in quarters]))
            for q in quarters:
                if counts.get((unit, filt, ("q", q)), 0) > 0:
                    found.append(((unit, filt, ("q", q)), [(unit, filt, ("m", m)) for m in months_of[q]]))
                if counts.get((unit, filt, ("s", q)), 0) > 0:
                    found.append(((unit, filt, ("s", q)), [(unit, filt, ("s", m)) for m in months_of[q]]))
    return found


def forced(cell: Cell) -> bool:
    """Cells no view shows: they are hidden from the reader, so they count as hidden here too."""
    unit, filt, measure = cell
    return unit == OUTSIDE or (filt != ALL and filt[1] is None) or measure == ("r", 0)


def suppress(tables: Tables, groups: list[tuple[Cell, list[Cell]]]) -> set:
    """The hidden cells: primary, forced, secondary and downwards (see the module text)."""
    counts = tables.counts
    cells = set(counts)
    for parent, children in groups:
        cells.add(parent)
        cells.update(children)
    hidden = {c for c in cells if counts.get(c, 0) < MIN_GROUP or forced(c)}
    active = groups
    changed = True
    while changed:
        changed = False
        unsettled = []
        for parent, children in active:
            shown = [c for c in children if c not in hidden]
            if not shown:
                continue  # every child hidden: this partition can never hide anything more
            unsettled.append((parent, children))
            if parent in hidden:
                hidden.update(shown)
                changed = True
                continue
            rest = counts.get(parent, 0) - sum(counts.get(c, 0) for c in shown)
            while 0 < rest < MIN_GROUP and shown:
                smallest = min(shown, key=lambda c: (counts.get(c, 0), repr(c)))
                shown.remove(smallest)
                hidden.add(smallest)
                rest += counts.get(smallest, 0)
                changed = True
        active = unsettled
    return hidden


def build(answers: list[Answer], themes: dict, areas: Any, tier: str) -> Tables:
    """The tier's cells with their suppression applied: what every view reads."""
    tables = count_cells(answers, themes, areas, tier)
    tables.hidden = suppress(tables, partitions(tables, areas))
    return tables


# --- one cache per published warehouse -----------------------------------------------------------------


@dataclass
class Feedback:
    """The published feedback of one warehouse version: both tiers, the quotes and the theme names."""

    answers: list[Answer]
    themes: dict[int, list[tuple[str, str]]]
    theme_names: dict[str, tuple]
    tables: dict[str, Tables]
    areas: Any

    def tier(self, tier: str) -> Tables:
        """The tier's suppressed cells, built on first use (anonymous pages never build the full tier)."""
        with _lock:
            if tier not in self.tables:
                self.tables[tier] = build(self.answers, self.themes, self.areas, tier)
            return self.tables[tier]

    def theme_name(self, theme: str, lang: str) -> str:
        names = self.theme_names.get(theme)
        if not names:
            return theme
        return names[{"fi": 0, "sv": 1, "en": 2}.get(lang, 0)]

    def quotes(self, unit: tuple, filt: tuple = ALL, limit: int = 5) -> list[tuple[str, str]]:
        """Up to ``limit`` quotes ``(kind, text)``, newest first, kind ``good`` or ``change``: only from
        approved answers marked publishable, and only when the group's approved answers are shown
        (at least five, and not hidden to protect a smaller group)."""
        if not self.tier(PUBLIC).shown(unit, filt):
            return []
        found: list[tuple[str, str]] = []
        for a in reversed(self.answers):
            if a.status != "approved" or not belongs(a, unit, filt, self.areas):
                continue
            if a.good_publishable and a.good_text.strip():
                found.append(("good", a.good_text.strip()))
            if a.change_publishable and a.change_text.strip():
                found.append(("change", a.change_text.strip()))
            if len(found) >= limit:
                break
        return found[:limit]


def belongs(answer: Answer, unit: tuple, filt: tuple, areas: Any) -> bool:
    """Whether ``answer`` is in the group ``(unit, filt)``."""
    if unit not in units_of(answer.municipality, areas):
        return False
    if filt == ALL:
        return True
    kind, value = filt
    return (answer.task if kind == "task" else answer.age_group) == value


_cache: dict[tuple, Feedback | None] = {}
_lock = threading.RLock()


def feedback(reader, areas: Any) -> Feedback | None:
    """The published feedback, computed once per warehouse version; None before the first publish."""
    from perhekeskus.warehouse.read import WarehouseUnavailable

    try:
        key = (id(areas), reader.version)
    except WarehouseUnavailable:  # nothing published at all yet: the pages say "no feedback yet"
        return None
    with _lock:
        if key in _cache:
            return _cache[key]
    result = None
    if published(reader):
        answers, themes, names = load_answers(reader)
        result = Feedback(answers, themes, names, {}, areas)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[key] = result
    return result


# --- a view: what one page shows for one group -----------------------------------------------------------


@dataclass
class View:
    """What a page may show of one group (a unit with at most one filter) in one tier.

    ``answers`` None means the whole group is not shown; then every other field is empty too."""

    unit: tuple
    filt: tuple
    tier: str
    answers: int | None
    mean: float | None = None
    ratings: list[tuple[int, int | None]] = field(default_factory=list)
    periods: list[tuple[str, int | None, float | None]] = field(default_factory=list)
    themes: list[tuple[str, int]] = field(default_factory=list)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    parts: list[tuple[tuple, int | None]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.answers is not None


def view_unit(level: str, area_id: str | None, municipality: str | None) -> tuple:
    """The unit of a page: the province, an area or a municipality."""
    if level == "local" and municipality:
        return municipality_unit(municipality)
    if level == "region" and area_id:
        return area_unit(area_id)
    return PROVINCE


def view(
    data: Feedback, unit: tuple, tier: str, filt: tuple = ALL, period: str = "q", quotes: int = 5
) -> View:
    """Everything a page shows of ``(unit, filt)`` in ``tier``, already suppressed.

    ``period``: ``"q"`` quarters or ``"m"`` months. Periods, ratings and themes that are hidden come
    back with ``None`` (the page says "fewer than 5"); themes are only listed when shown."""
    tables = data.tier(tier)
    total = tables.count(unit, filt)
    if total is None:
        return View(unit, filt, tier, None)
    keys = sorted({quarter_of(m) for m in tables.months}) if period == "q" else tables.months
    periods = [
        (key, tables.count(unit, filt, (period, key)), tables.mean(unit, filt, (period, key))) for key in keys
    ]
    themes = sorted(
        ((t, tables.count(unit, filt, ("t", t))) for t in tables.themes),
        key=lambda item: (-(item[1] or 0), item[0]),
    )
    if unit == PROVINCE:
        children = [area_unit(a.area_id) for a in data.areas.areas]
    elif unit[0] == "A":
        area = data.areas.area(unit[1])
        children = [municipality_unit(m) for m in (area.municipalities if area else ())]
    else:
        children = []
    return View(
        unit,
        filt,
        tier,
        total,
        tables.mean(unit, filt),
        [(k, tables.count(unit, filt, ("r", k))) for k in RATINGS],
        periods,
        [(t, c) for t, c in themes if c is not None],
        data.quotes(unit, filt, quotes) if quotes else [],
        [(child, tables.count(child, filt)) for child in children],
    )


def filter_choices(data: Feedback, unit: tuple, tier: str) -> list[tuple[tuple, bool]]:
    """Each filter a page may offer for ``unit``, and whether choosing it shows anything."""
    tables = data.tier(tier)
    return [(("task", t), tables.shown(unit, ("task", t))) for t in tables.tasks] + [
        (("age", g), tables.shown(unit, ("age", g))) for g in tables.ages
    ]
