"""The moderation queue's reads and writes on the operational store: which answers a moderator may see,
one page of them with their themes, and the moderation actions.

Why every action is one transaction with its audit entry: the audit log must say exactly what was done,
never more or less; a crash between the change and its entry would break that. The entry names the answer
and the action, never the text (the text is the families', the log is read by administrators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from perhekeskus.plugins.feedback.access import MODERATE, municipality_scope
from perhekeskus.plugins.feedback.model import OTHER

PAGE_SIZE = 25
STATUSES = ("new", "approved", "hidden")
ACTIONS = ("approve", "hide", "publishable", "themes")
AUDIT_EVENT = "feedback_moderated"
_COLUMNS = (
    "answer_id, received_on, municipality, task, rating, good_text, change_text, age_group, lang, "
    "scrubbed, status, good_publishable, change_publishable, moderated_at, moderated_by"
)


class ModerationError(ValueError):
    """An action that cannot be done; ``reason`` is one of ``not_found``, ``not_approved``,
    ``unknown_theme``, ``unknown_action``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Answer:
    """One answer as the queue shows it; ``themes`` maps a theme code to its origin."""

    answer_id: int
    received_on: str
    municipality: str
    task: str | None
    rating: int | None
    good_text: str
    change_text: str
    age_group: str | None
    lang: str
    scrubbed: int
    status: str
    good_publishable: bool
    change_publishable: bool
    moderated_at: str | None
    moderated_by: str | None
    themes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Filters:
    """The queue's filters: ``status`` None means every status."""

    status: str | None = "new"
    municipality: str | None = None
    theme: str | None = None
    page: int = 1


@dataclass(frozen=True)
class Reach:
    """Where a user may moderate: ``everything`` (an unscoped moderator, an administrator: every answer,
    "other" municipality included) or the municipality codes of their area or municipality."""

    everything: bool
    municipalities: tuple[str, ...]

    @property
    def any(self) -> bool:
        return self.everything or bool(self.municipalities)

    def holds(self, municipality: str) -> bool:
        return self.everything or municipality in self.municipalities


def reach(services: Any, user: Any) -> Reach:
    """Where ``user`` holds ``feedback.moderate``, asked of the one policy per municipality."""
    from perhekeskus import ResourceScope

    policy, areas = services.policy, services.areas
    if policy.allows(user, MODERATE, ResourceScope()):
        return Reach(True, ())
    codes = [c for c in areas.municipalities if policy.allows(user, MODERATE, municipality_scope(c, areas))]
    return Reach(False, tuple(codes))


def may_moderate(services: Any, user: Any, municipality: str) -> bool:
    """Whether ``user`` may moderate an answer about ``municipality`` ("other": unscoped moderators only)."""
    scope = municipality_scope(None if municipality == OTHER else municipality, services.areas)
    return services.policy.allows(user, MODERATE, scope)


def _answer(row: Any) -> Answer:
    return Answer(
        int(row["answer_id"]),
        row["received_on"],
        row["municipality"],
        row["task"],
        row["rating"],
        row["good_text"] or "",
        row["change_text"] or "",
        row["age_group"],
        row["lang"],
        int(row["scrubbed"] or 0),
        row["status"],
        bool(row["good_publishable"]),
        bool(row["change_publishable"]),
        row["moderated_at"],
        row["moderated_by"],
    )


def _with_themes(con: Any, answers: list[Answer]) -> list[Answer]:
    if not answers:
        return answers
    by_id = {a.answer_id: a for a in answers}
    marks = ",".join("?" * len(by_id))
    for answer_id, theme, origin in con.execute(
        f"SELECT answer_id, theme, origin FROM feedback_answer_theme WHERE answer_id IN ({marks}) "
        "ORDER BY answer_id, theme",
        list(by_id),
    ):
        by_id[int(answer_id)].themes[theme] = origin
    return answers


def _where(filters: Filters, allowed: Reach) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if not allowed.everything:
        clauses.append(f"municipality IN ({','.join('?' * len(allowed.municipalities))})")
        params.extend(allowed.municipalities)
    if filters.status:
        clauses.append("status = ?")
        params.append(filters.status)
    if filters.municipality:
        clauses.append("municipality = ?")
        params.append(filters.municipality)
    if filters.theme:
        clauses.append("answer_id IN (SELECT answer_id FROM feedback_answer_theme WHERE theme = ?)")
        params.append(filters.theme)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page_of(settings: Any, filters: Filters, allowed: Reach) -> tuple[list[Answer], int]:
    """One page (``PAGE_SIZE``) of the answers ``allowed`` covers that pass ``filters``, oldest first (a
    queue is worked from its start), and how many there are in all."""
    from perhekeskus.warehouse import operational

    if not allowed.any:
        return [], 0
    where, params = _where(filters, allowed)
    with operational.reading(settings) as con:
        con.execute("BEGIN")  # the count and the page from one snapshot
        try:
            total = con.execute(f"SELECT count(*) FROM feedback_answer{where}", params).fetchone()[0]
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM feedback_answer{where} ORDER BY received_on, answer_id "
                "LIMIT ? OFFSET ?",
                [*params, PAGE_SIZE, (max(filters.page, 1) - 1) * PAGE_SIZE],
            ).fetchall()
            answers = _with_themes(con, [_answer(r) for r in rows])
        finally:
            con.execute("COMMIT")
    return answers, int(total)


def get_answer(settings: Any, answer_id: int) -> Answer | None:
    from perhekeskus.warehouse import operational

    with operational.reading(settings) as con:
        row = con.execute(
            f"SELECT {_COLUMNS} FROM feedback_answer WHERE answer_id = ?", [answer_id]
        ).fetchone()
        return _with_themes(con, [_answer(row)])[0] if row is not None else None


def moderate(
    services: Any,
    actor: str,
    answer_id: int,
    action: str,
    *,
    good_publishable: bool = False,
    change_publishable: bool = False,
    themes: tuple[str, ...] | list[str] = (),
    known_themes: tuple[str, ...] | list[str] = (),
) -> dict[str, Any]:
    """Do ``action`` on an answer and record it, in one transaction; returns the audit details.

    - ``approve``: status approved; ``hide``: status hidden and both quotes unpublishable (a hidden answer
      is counted and quoted nowhere; approving it again asks for the quotes again);
    - ``publishable``: which texts may be quoted, only of an approved answer (``not_approved`` otherwise);
      an empty text is never publishable;
    - ``themes``: the answer's themes become exactly ``themes`` (confirmed), from ``known_themes``.

    The caller has checked that ``actor`` may moderate the answer's municipality."""
    from perhekeskus.warehouse import operational

    if action not in ACTIONS:
        raise ModerationError("unknown_action")
    chosen = sorted(set(themes))
    if action == "themes" and any(code not in known_themes for code in chosen):
        raise ModerationError("unknown_theme")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    details: dict[str, Any] = {"answer_id": answer_id, "action": action}
    with operational.transaction(services.settings) as con:
        row = con.execute(
            "SELECT status, good_text, change_text FROM feedback_answer WHERE answer_id = ?", [answer_id]
        ).fetchone()
        if row is None:
            raise ModerationError("not_found")
        status = row["status"]
        if action == "approve":
            status = "approved"
            con.execute(
                "UPDATE feedback_answer SET status = 'approved', moderated_at = ?, moderated_by = ? "
                "WHERE answer_id = ?",
                [now, actor, answer_id],
            )
        elif action == "hide":
            status = "hidden"
            con.execute(
                "UPDATE feedback_answer SET status = 'hidden', good_publishable = 0, change_publishable = 0, "
                "moderated_at = ?, moderated_by = ? WHERE answer_id = ?",
                [now, actor, answer_id],
            )
        elif action == "publishable":
            if status != "approved":
                raise ModerationError("not_approved")
            good = bool(good_publishable and row["good_text"].strip())
            change = bool(change_publishable and row["change_text"].strip())
            con.execute(
                "UPDATE feedback_answer SET good_publishable = ?, change_publishable = ?, moderated_at = ?, "
                "moderated_by = ? WHERE answer_id = ?",
                [int(good), int(change), now, actor, answer_id],
            )
            details.update(good_publishable=good, change_publishable=change)
        else:
            con.execute("DELETE FROM feedback_answer_theme WHERE answer_id = ?", [answer_id])
            con.executemany(
                "INSERT INTO feedback_answer_theme (answer_id, theme, origin) VALUES (?, ?, 'confirmed')",
                [(answer_id, code) for code in chosen],
            )
            con.execute(
                "INSERT INTO feedback_theme_suggestion (answer_id, dictionary, suggested_at) VALUES (?, 'moderator', ?) "
                "ON CONFLICT (answer_id) DO UPDATE SET dictionary = 'moderator', suggested_at = excluded.suggested_at",
                [answer_id, now],
            )
            con.execute(
                "UPDATE feedback_answer SET moderated_at = ?, moderated_by = ? WHERE answer_id = ?",
                [now, actor, answer_id],
            )
            details["themes"] = chosen
        details["status"] = status
        services.audit(
            AUDIT_EVENT, actor=actor, target=f"feedback_answer:{answer_id}", details=details, con=con
        )
    return details
