"""The warehouse source ``feedback``: copies families' answers, their themes and the theme dictionary from
the operational store into the warehouse tables the views read (``feedback_answer``,
``feedback_answer_theme``, ``feedback_theme``; their columns are the contract in
:mod:`perhekeskus.plugins.feedback.model`).

Why a source and not a direct read: the views read only the published warehouse, like every other view,
so they get the pipeline's checks (the suites in ``expectations/``), its atomic publish and its run
records; and the web's public summary never touches the store the form writes to. Every status is
copied (the views filter: hidden answers count nowhere), with the month and the coordination area derived
once here. The texts are copied as stored, that is already scrubbed of personal data by the form.

Themes are suggested at the start of each run (:func:`...suggest.suggest_for_new`), so answers reach the
warehouse with suggestions even when nobody has opened the queue.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pandas as pd

from perhekeskus import Batch, Extracted, RunContext
from perhekeskus.plugins.feedback.model import OTHER

NAME = "feedback"
ANSWER_COLUMNS: dict[str, str] = {
    "answer_id": "integer",
    "received_on": "text",
    "month": "text",
    "municipality": "text",
    "area_id": "text",
    "task": "text",
    "rating": "integer",
    "age_group": "text",
    "lang": "text",
    "status": "text",
    "good_text": "text",
    "change_text": "text",
    "good_publishable": "bool",
    "change_publishable": "bool",
}
ANSWER_THEME_COLUMNS: dict[str, str] = {"answer_id": "integer", "theme": "text", "origin": "text"}
THEME_COLUMNS: dict[str, str] = {
    "theme": "text",
    "name_fi": "text",
    "name_sv": "text",
    "name_en": "text",
    "task": "text",
}
_OPERATIONAL = (
    "answer_id, received_on, municipality, task, rating, age_group, lang, status, good_text, change_text, "
    "good_publishable, change_publishable"
)


def read_store(settings: Any) -> tuple[list[tuple], list[tuple]]:
    """Every answer and every answer's theme, from one snapshot of the operational store."""
    from perhekeskus.warehouse import operational

    with operational.reading(settings) as con:
        con.execute("BEGIN")
        try:
            answers = [
                tuple(r)
                for r in con.execute(f"SELECT {_OPERATIONAL} FROM feedback_answer ORDER BY answer_id")
            ]
            themes = [
                tuple(r)
                for r in con.execute(
                    "SELECT answer_id, theme, origin FROM feedback_answer_theme ORDER BY answer_id, theme"
                )
            ]
        finally:
            con.execute("COMMIT")
    return answers, themes


def answer_frame(rows: list[tuple], areas: Any) -> pd.DataFrame:
    """The ``feedback_answer`` table, plus the helper column ``municipality_known`` the suite checks."""
    frame = pd.DataFrame(rows, columns=[c.strip() for c in _OPERATIONAL.split(",")])
    known = set(areas.municipalities)
    area_of = {code: area.area_id for area in areas.areas for code in area.municipalities}
    frame["answer_id"] = frame["answer_id"].astype("Int64")
    frame["rating"] = pd.array([None if pd.isna(v) else int(v) for v in frame["rating"]], dtype="Int64")
    frame["month"] = frame["received_on"].map(lambda d: str(d)[:7] if d else None)
    frame["area_id"] = frame["municipality"].map(area_of.get)
    frame["good_publishable"] = frame["good_publishable"].astype(bool)
    frame["change_publishable"] = frame["change_publishable"].astype(bool)
    frame["municipality_known"] = frame["municipality"].map(lambda m: m == OTHER or m in known).astype(bool)
    return frame[[*ANSWER_COLUMNS, "municipality_known"]]


def theme_frames(rows: list[tuple], dictionary: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``feedback_answer_theme`` and ``feedback_theme``. A theme an answer carries that the dictionary no
    longer has (the province removed it) stays, named by its code, so a confirmed theme is never lost."""
    answer_themes = pd.DataFrame(rows, columns=list(ANSWER_THEME_COLUMNS))
    answer_themes["answer_id"] = answer_themes["answer_id"].astype("Int64")
    known = [(t.code, t.name_fi, t.name_sv, t.name_en, t.task) for t in dictionary.themes]
    codes = {t[0] for t in known}
    removed = sorted(set(answer_themes["theme"]) - codes)
    themes = pd.DataFrame(known + [(c, c, c, c, None) for c in removed], columns=list(THEME_COLUMNS))
    return answer_themes, themes


class FeedbackSource:
    """Families' feedback from the operational store to the warehouse (no indicator values)."""

    name = NAME
    title = "Families' feedback"
    datasets = ("feedback_answer", "feedback_answer_theme", "feedback_theme")
    suites: ClassVar[dict[str, str]] = {
        "feedback_answer": "feedback.answer",
        "feedback_answer_theme": "feedback.answer_theme",
        "feedback_theme": "feedback.theme",
    }
    schedule = "*/10 * * * *"  # every ten minutes; moderation actions also ask for a run (publish.py)
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Perheiden palaute",
        "sv": "Familjernas respons",
        "en": "Families' feedback",
    }
    licence = "CC BY 4.0"
    tables: ClassVar[dict[str, dict[str, str]]] = {
        "feedback_answer": ANSWER_COLUMNS,
        "feedback_answer_theme": ANSWER_THEME_COLUMNS,
        "feedback_theme": THEME_COLUMNS,
    }
    table_keys: ClassVar[dict[str, list[str]]] = {
        "feedback_answer": ["answer_id"],
        "feedback_answer_theme": ["answer_id", "theme"],
        "feedback_theme": ["theme"],
    }

    def extract(self, ctx: RunContext) -> Extracted:
        """Suggest themes for new answers, then read every answer and theme from the operational store."""
        from perhekeskus.plugins.feedback.moderation.suggest import suggest_for_new
        from perhekeskus.plugins.feedback.moderation.themes import load_themes

        dictionary = load_themes(ctx.settings)
        ctx.progress("suggest themes", 0, 1)
        suggested = suggest_for_new(ctx.settings, dictionary=dictionary)
        answers, themes = read_store(ctx.settings)
        ctx.progress("suggest themes", 1, 1)
        notes = [f"themes suggested for {suggested} answers"] if suggested else []
        return Extracted(
            payload=(answers, themes, dictionary),
            items_requested=1,
            items_fetched=1,
            notes=notes,
        )

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        from perhekeskus.warehouse.areas import load_areas

        answers, themes, dictionary = extracted.payload
        frame = answer_frame(answers, load_areas(ctx.settings.areas_file))
        answer_themes, theme_table = theme_frames(themes, dictionary)
        return Batch(
            tables={
                "feedback_answer": frame,
                "feedback_answer_theme": answer_themes,
                "feedback_theme": theme_table,
            },
            rows_fetched=len(frame),
        )
