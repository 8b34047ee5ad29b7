"""Families' feedback: the shared words (the rating scale, the children's age groups), the smallest group
that may be shown, and the contracts between the parts.

Why here: the form writes answers, moderation confirms them, the views count them, and each must use the
same words and the same rule that no group of fewer than :data:`MIN_GROUP` answers is ever shown.

Operational store (``migrations/0001_feedback.sql``): ``feedback_answer`` and ``feedback_answer_theme``.

Warehouse tables (written by the ``feedback`` source at each publish; read by the views):

- ``feedback_answer``: answer_id, received_on (YYYY-MM-DD), month (YYYY-MM), municipality (code or
  ``other``), area_id (coordination area or None), task, rating (1–5 or None), age_group, lang, status
  (``new``, ``approved``, ``hidden``), good_text, change_text (scrubbed), good_publishable,
  change_publishable (bool);
- ``feedback_answer_theme``: answer_id, theme, origin (``suggested`` or ``confirmed``);
- ``feedback_theme``: theme, name_fi, name_sv, name_en, task (the family-centre task it maps to, or None).

Hidden answers count nowhere. Quotes are shown only when approved and marked publishable, and only from a
group (the filters in force) of at least :data:`MIN_GROUP` answers.
"""

from __future__ import annotations

MIN_GROUP = 5  # never show a number, a rating or a quote of a group smaller than this
OTHER = "other"  # the municipality of an answer from outside the province

# how well the family got help, 1–5 → (Finnish, Swedish, English)
RATINGS: dict[int, tuple[str, str, str]] = {
    1: ("Huonosti", "Dåligt", "Poorly"),
    2: ("Melko huonosti", "Ganska dåligt", "Rather poorly"),
    3: ("Kohtalaisesti", "Någorlunda", "Fairly"),
    4: ("Melko hyvin", "Ganska bra", "Rather well"),
    5: ("Hyvin", "Bra", "Well"),
}

# the children's age groups → (Finnish, Swedish, English)
AGE_GROUPS: dict[str, tuple[str, str, str]] = {
    "expecting": ("Odotamme lasta", "Vi väntar barn", "We are expecting a child"),
    "0_1": ("0–1-vuotias", "0–1 år", "0–1 years"),
    "1_6": ("1–6-vuotias", "1–6 år", "1–6 years"),
    "7_12": ("7–12-vuotias", "7–12 år", "7–12 years"),
    "13_17": ("13–17-vuotias", "13–17 år", "13–17 years"),
}

LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}


def word(table: dict, key: object, lang: str) -> str:
    """The word for ``key`` of :data:`RATINGS` or :data:`AGE_GROUPS` in ``lang``."""
    names = table.get(key)
    return names[LANG_INDEX.get(lang, 0)] if names else str(key)


def shown(count: int) -> bool:
    """Whether a group of ``count`` answers may be shown at all."""
    return count >= MIN_GROUP
