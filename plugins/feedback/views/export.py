"""The anonymised export of families' answers (CSV or XLSX) for those holding ``feedback.export``.

What "anonymised" means here (and why):

- **No exact dates**: the finest time is the month (a day, with a municipality, could point at a visit).
- **No small groups**: the answers in a file are people's rows, so each row is itself "a group of one".
  The file is therefore *k-anonymous* with k = five: every combination of the describing columns
  (place, time, task, age group) that appears in the file appears on at least five rows, and the
  places agree with the pages: a row names its municipality only when the pages show that
  municipality's number, else its area (or the province) when the pages show that. Within a place every
  row gets the same level of detail, the finest at which all its combinations have five rows: month,
  task and age group; then without the age group; without the task; the quarter; the year; no time.
  So every number that can be added up from the file is a sum of groups of five, and none contradicts
  a number the pages hide. A municipality or area whose number the pages hide gives an empty file.
  Ratings, themes and texts are what the rows say, not what they are grouped by.
- **Only scrubbed text, and only what may be quoted**: the free texts were scrubbed of personal data
  before they were stored; the file carries a text only when a moderator approved the answer and
  marked that text publishable.
- **Hidden answers are never exported**; answers waiting for moderation are (their numbers, not texts).
- Themes: the themes a moderator confirmed.

Every download is written to the audit log as ``feedback_exported`` (who, which place, format, rows).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from perhekeskus.plugins.feedback.model import AGE_GROUPS, MIN_GROUP, OTHER, RATINGS, word
from perhekeskus.plugins.feedback.views.aggregate import (
    FULL,
    Feedback,
    Tables,
    area_unit,
    in_tier,
    municipality_unit,
    quarter_of,
)
from perhekeskus.vocabulary import load_vocabulary

# the levels of detail of a place's rows, finest first: (time: "m" month / "q" quarter / "y" year /
# "-" none, keep task, keep age group)
LEVELS = (
    ("m", True, True),
    ("m", True, False),
    ("m", False, False),
    ("q", False, False),
    ("y", False, False),
    ("-", False, False),
)


def place_of(row: dict, tables: Tables) -> tuple[str, str]:
    """Where a row is said to be: its municipality when the municipality's number is shown on the pages,
    else its area when the area's is, else the whole province. So the file never tells a number the
    pages hide (and the municipalities it names add up to what the pages show)."""
    if tables.shown(municipality_unit(row["municipality"])):
        return ("m", row["municipality"])
    if row["area"] != OTHER and tables.shown(area_unit(row["area"])):
        return ("a", row["area"])
    return ("p", "")


def _key(row: dict, level: tuple) -> tuple:
    time, keep_task, keep_age = level
    month = row["month"]
    when = month if time == "m" else quarter_of(month) if time == "q" else month[:4] if time == "y" else ""
    return (when, row["task"] if keep_task else "", row["age_group"] if keep_age else "")


def generalise(rows: list[dict], tables: Tables) -> list[dict]:
    """The rows made k-anonymous (see the module text). All rows of one place get the same level of
    detail: the finest at which every combination of the place's rows has at least ``MIN_GROUP`` rows.
    A place's rows always make one group of at least five at the coarsest level (the pages' own rule),
    so no row is left out, and every number one can add up from the file is a sum of groups of five."""
    places: dict[tuple, list[dict]] = {}
    for row in rows:
        places.setdefault(place_of(row, tables), []).append(row)
    out: list[dict] = []
    for (kind, where), members in places.items():
        if len(members) < MIN_GROUP:
            continue  # cannot happen when the pages' suppression holds; never write a small group
        for level in LEVELS:
            sizes: dict[tuple, int] = {}
            for row in members:
                key = _key(row, level)
                sizes[key] = sizes.get(key, 0) + 1
            if min(sizes.values()) >= MIN_GROUP:
                break
        for row in members:
            when, task, age = _key(row, level)
            out.append(
                {**row, "place_kind": kind, "place": where, "time": when, "task": task, "age_group": age}
            )
    return out


def scope_filter(level: str, area_id: str | None, code: str | None, areas: Any):
    """The answers of the file's place: a municipality, an area's municipalities or the whole province."""
    if level == "local":
        return lambda m: m == code
    if level == "region":
        area = areas.area(area_id)
        members = set(area.municipalities) if area else set()
        return lambda m: m in members
    return lambda m: True


def rows_of(data: Feedback, level: str, area_id: str | None, code: str | None) -> list[dict]:
    """The answers of the place as plain rows before generalisation (hidden answers left out)."""
    inside = scope_filter(level, area_id, code, data.areas)
    tables = data.tier(FULL)
    own = municipality_unit(code) if level == "local" else area_unit(area_id) if level == "region" else None
    if own is not None and not tables.shown(own):
        return []  # the pages hide this place's number: a file of its answers would tell it
    rows = []
    for a in data.answers:
        if not in_tier(a, FULL) or not inside(a.municipality):
            continue
        area = data.areas.area_of(a.municipality) if a.municipality != OTHER else None
        approved = a.status == "approved"
        rows.append(
            {
                "municipality": a.municipality,
                "area": area.area_id if area else OTHER,
                "month": a.month,
                "task": a.task or "",
                "age_group": a.age_group or "",
                "rating": a.rating,
                "themes": sorted(
                    t for t, origin in data.themes.get(a.answer_id, []) if origin == "confirmed"
                ),
                "good": a.good_text if approved and a.good_publishable else "",
                "change": a.change_text if approved and a.change_publishable else "",
            }
        )
    return rows


def time_label(_, when: str) -> str:
    """A month stays ``2026-05``; a quarter reads "Q2 2026"; a year is the year; none is "–"."""
    if not when:
        return "–"
    if "-Q" in when:
        year, quarter = when.split("-Q")
        return _("Q{quarter} {year}", quarter=quarter, year=year)
    return when


def place_label(_, row: dict, areas: Any) -> str:
    if row["place_kind"] == "p":
        return areas.province_name(_.lang)
    if row["place_kind"] == "a":
        area = areas.area(row["place"])
        return area.name(_.lang) if area else _("Outside the province")
    if row["place"] == OTHER:
        return _("Outside the province")
    fi, sv = areas.municipality_names().get(row["place"], (row["place"], row["place"]))
    return sv if _.lang == "sv" else fi


def frame(_, data: Feedback, level: str, area_id: str | None, code: str | None) -> pd.DataFrame:
    """The file's table, headers and values in the language of ``_``."""
    vocabulary = load_vocabulary()
    columns = [
        _("Municipality or area"),
        _("Month or period"),
        _("Family-centre task"),
        _("Rating (1–5)"),
        _("Rating in words"),
        _("Age of the children"),
        _("Themes"),
        _("What was good"),
        _("What should change"),
    ]
    out = []
    for row in generalise(rows_of(data, level, area_id, code), data.tier(FULL)):
        rating = row["rating"]
        out.append(
            [
                place_label(_, row, data.areas),
                time_label(_, row["time"]),
                vocabulary.label("task", row["task"], _.lang) if row["task"] else "",
                rating,
                word(RATINGS, rating, _.lang) if rating else "",
                word(AGE_GROUPS, row["age_group"], _.lang) if row["age_group"] else "",
                ", ".join(data.theme_name(t, _.lang) for t in row["themes"]),
                row["good"],
                row["change"],
            ]
        )
    result = pd.DataFrame(out, columns=columns)
    return result.astype({_("Rating (1–5)"): "Int64"})


def about_lines(_) -> list[str]:
    return [
        _("Anonymised answers of families' feedback."),
        _(
            "Months only, no dates. Every combination of place, time, task and age group appears on at least {n} rows: rarer answers are shown with less detail.",
            n=MIN_GROUP,
        ),
        _(
            "Texts only when a moderator approved the answer and marked the text publishable; personal data was removed before storing."
        ),
    ]
