"""Helpers of the feedback views' tests (the fixtures are in conftest.py): a published warehouse (the Sotkanet test run, so the indicator
panels have data) with the ``feedback`` source's tables written beside it from the contract in
``plugins/feedback/model.py``, the users, and the Dash app over a copy of it.

The answers (all from the province's municipalities unless said):

- Tampere 837 (area pohjoinen): 12 approved (ratings 5×6, 4×5, 1×1; tasks family_work×4,
  maternity_child_clinic×5, none×3; ages 0_1×6, 1_6×6; months 2026-01×6, 2026-02×6), 3 new, 2 hidden.
  Quotes: approved publishable texts (``PUBLIC-GOOD-n``), one approved text not publishable
  (``PRIVATE-TEXT``), a new answer's text marked publishable (``NEW-TEXT``), hidden answers' texts
  marked publishable (``HIDDEN-TEXT``).
- Nokia 536 (lantinen): 4 approved + 1 hidden (hidden answers count nowhere: still 4 → nothing shown).
- Sastamala 790 (lantinen): 5 approved: shown alone, but the area is 9, so 9 - 5 would reveal Nokia's
  4: 790 is hidden too (secondary suppression).
- Lempäälä 418 (etelainen): 5 approved (shown: Akaa's 6 leaves nothing to subtract); Akaa 020: 6.
- Outside the province: 5 approved.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from perhekeskus.plugins.feedback.moderation.source import ANSWER_COLUMNS, ANSWER_THEME_COLUMNS, THEME_COLUMNS
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.load import replace_source_table

PASSWORD = "correct horse battery"
AREAS = load_areas()
USERS = (
    ("prov1", [("province", None)]),
    ("west1", [("region", "lantinen")]),
    ("tre1", [("local", "837")]),
)

# the warehouse contract as the feedback source declares it (one definition: plugins/feedback/moderation/source.py)
ANSWER_SCHEMA = ANSWER_COLUMNS
THEME_SCHEMA = ANSWER_THEME_COLUMNS
THEME_NAMES_SCHEMA = THEME_COLUMNS
THEME_NAMES = [
    ("waiting", "Jonotus", "Köer", "Waiting times", None),
    ("staff", "Henkilökunta", "Personal", "Staff", None),
    ("rare", "Harvinainen", "Sällsynt", "Rare theme", None),
]


class Answers:
    """Builds answer rows of the warehouse contract."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.themes: list[dict] = []

    def add(
        self,
        municipality: str,
        *,
        month: str = "2026-01",
        status: str = "approved",
        rating: int | None = 4,
        task: str | None = None,
        age: str | None = None,
        good: str = "",
        change: str = "",
        good_pub: bool = False,
        change_pub: bool = False,
        themes: tuple[tuple[str, str], ...] = (),
    ) -> int:
        answer_id = len(self.rows) + 1
        area = AREAS.area_of(municipality)
        self.rows.append(
            {
                "answer_id": answer_id,
                "received_on": f"{month}-15",
                "month": month,
                "municipality": municipality,
                "area_id": area.area_id if area else None,
                "task": task,
                "rating": rating,
                "age_group": age,
                "lang": "fi",
                "status": status,
                "good_text": good,
                "change_text": change,
                "good_publishable": good_pub,
                "change_publishable": change_pub,
            }
        )
        for theme, origin in themes:
            self.themes.append({"answer_id": answer_id, "theme": theme, "origin": origin})
        return answer_id


def standard_answers() -> Answers:
    data = Answers()
    ratings = [5] * 6 + [4] * 5 + [1]
    tasks = ["family_work"] * 4 + ["maternity_child_clinic"] * 5 + [None] * 3
    for i in range(12):
        data.add(
            "837",
            month="2026-01" if i < 6 else "2026-02",
            rating=ratings[i],
            task=tasks[i],
            age="0_1" if i % 2 == 0 else "1_6",
            good=f"PUBLIC-GOOD-{i} <script>alert(1)</script>"
            if i < 3
            else ("PRIVATE-TEXT" if i == 3 else ""),
            good_pub=i < 3,
            themes=(("waiting", "confirmed"),)
            + ((("staff", "confirmed"),) if i < 5 else ())
            + ((("rare", "confirmed"),) if i < 2 else ()),
        )
    for _i in range(3):
        data.add(
            "837", status="new", rating=1, good="NEW-TEXT", good_pub=True, themes=(("staff", "suggested"),)
        )
    for _i in range(2):
        data.add("837", status="hidden", rating=1, good="HIDDEN-TEXT", good_pub=True)
    for _i in range(4):
        data.add("536", rating=2, good="NOKIA-TEXT", good_pub=True)
    data.add("536", status="hidden", rating=2, good="HIDDEN-TEXT", good_pub=True)
    for _i in range(5):
        data.add("790", rating=3, good="SASTAMALA-TEXT", good_pub=True)
    for _i in range(5):
        data.add("418", rating=5, good="LEMPAALA-TEXT", good_pub=True)
    for _i in range(6):
        data.add("020", rating=4)
    for _i in range(5):
        data.add("other", rating=3)
    return data


def write_feedback(warehouse: Path, data: Answers) -> None:
    """The three tables as the ``feedback`` source publishes them (``replace_source_table``)."""
    con = duckdb.connect(str(warehouse))
    try:
        replace_source_table(
            con, "feedback_answer", pd.DataFrame(data.rows, columns=list(ANSWER_SCHEMA)), ANSWER_SCHEMA
        )
        replace_source_table(
            con, "feedback_answer_theme", pd.DataFrame(data.themes, columns=list(THEME_SCHEMA)), THEME_SCHEMA
        )
        replace_source_table(
            con,
            "feedback_theme",
            pd.DataFrame(THEME_NAMES, columns=list(THEME_NAMES_SCHEMA)),
            THEME_NAMES_SCHEMA,
        )
    finally:
        con.close()
