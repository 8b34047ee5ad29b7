"""What a family sent, read from the POST and checked field by field.

Why a plain module rather than WTForms: the form has its own session-free CSRF token (:mod:`.csrf`), its
choices come from the province file and the shared vocabulary, and every check must report *which*
field is wrong in the answer's language while keeping every value, however long or odd, for the form
shown again. Nothing here stores anything.

Required: the municipality, and at least a rating or one of the free texts (an empty answer tells
nobody anything). Optional: the service or task, the rating, the texts, the children's age group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from perhekeskus.plugins.feedback.form.clean import clean_text
from perhekeskus.plugins.feedback.form.limits import TEXT_LIMIT
from perhekeskus.plugins.feedback.model import AGE_GROUPS, OTHER, RATINGS

TEXT_FIELDS = ("good_text", "change_text")
HONEYPOT = "fb_homepage"  # hidden from people; a script that fills every field fills this one too


@dataclass
class Submission:
    """The values as sent (cleaned of control characters) and the problems found, by field."""

    municipality: str = ""
    task: str = ""
    rating: str = ""
    good_text: str = ""
    change_text: str = ""
    age_group: str = ""
    honeypot: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    @property
    def rating_value(self) -> int | None:
        return int(self.rating) if self.rating else None


def read_submission(form: Mapping[str, str], municipalities: set[str], tasks: set[str], _) -> Submission:
    """The submission of ``form`` with its field errors (messages through the translator ``_``)."""
    sent = Submission(
        municipality=(form.get("municipality") or "").strip()[:20],
        task=(form.get("task") or "").strip()[:60],
        rating=(form.get("rating") or "").strip()[:5],
        good_text=clean_text(form.get("good_text")),
        change_text=clean_text(form.get("change_text")),
        age_group=(form.get("age_group") or "").strip()[:20],
        honeypot=bool((form.get(HONEYPOT) or "").strip()),
    )
    errors = sent.errors
    if not sent.municipality:
        errors["municipality"] = _("Choose the municipality.")
    elif sent.municipality not in municipalities and sent.municipality != OTHER:
        errors["municipality"] = _("Choose a municipality from the list.")
    if sent.task and sent.task not in tasks:
        errors["task"] = _("Choose a service from the list.")
        sent.task = ""
    if sent.rating and sent.rating not in {str(k) for k in RATINGS}:
        errors["rating"] = _("Choose one of the options.")
        sent.rating = ""
    if sent.age_group and sent.age_group not in AGE_GROUPS:
        errors["age_group"] = _("Choose one of the options.")
        sent.age_group = ""
    for name in TEXT_FIELDS:
        length = len(getattr(sent, name))
        if length > TEXT_LIMIT:
            errors[name] = _(
                "The text is {length} characters long; at most {limit} fit. Shorten it and send again.",
                length=_.number(length, 0),
                limit=_.number(TEXT_LIMIT, 0),
            )
    if not (sent.rating or sent.good_text or sent.change_text) and "rating" not in errors:
        errors["rating"] = _("Choose how well you got help, or write what was good or what should change.")
    return sent
