"""When themes are suggested: for every answer that has no suggestion yet (or one made with an older theme
dictionary and never moderated), at the start of each copy to the warehouse and when the moderation queue
is opened. So the public form never waits for lemmatisation and needs no change, and a moderator always
sees suggestions.

The first suggestion in a process loads simplemma's dictionary of the answer's language, which takes a
few seconds and about 350 MB for Finnish; the queue view therefore passes ``wait=False``: answers whose
language is not loaded in this process are suggested by a child process (``python -m
perhekeskus.plugins.feedback.moderation.suggest``, one at a time per data folder, watched by a background
thread) while the page says so, and the web worker never holds the dictionaries.

Public API: :func:`suggest_for_new`, :func:`suggesting`.
"""

from __future__ import annotations

import logging
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from perhekeskus.plugins.feedback.moderation.child import run_child
from perhekeskus.plugins.feedback.moderation.themes import ThemeDictionary, load_themes

MODERATOR = "moderator"  # the marker's dictionary once a moderator has set the themes: never re-suggested
CHUNK = 500  # answers per write transaction: the form's writers wait at most one chunk's writes
log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_BACKGROUND: dict[Path, threading.Thread] = {}


def _settings(target: Any):
    """``target`` is a ``Services`` (hooks) or a ``Settings`` (a run's context)."""
    return getattr(target, "settings", target)


def _pending(con, digest: str, limit: int | None) -> list[tuple[int, str, str]]:
    sql = (
        "SELECT a.answer_id, a.good_text || char(10) || a.change_text, a.lang FROM feedback_answer a "
        "LEFT JOIN feedback_theme_suggestion s ON s.answer_id = a.answer_id "
        "WHERE s.answer_id IS NULL OR (s.dictionary <> ? AND s.dictionary <> ?) ORDER BY a.answer_id"
    )
    params: list[Any] = [digest, MODERATOR]
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [(int(r[0]), r[1] or "", r[2] or "fi") for r in con.execute(sql, params).fetchall()]


def _write(con, digest: str, found: list[tuple[int, list[str]]]) -> int:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    written = 0
    for answer_id, codes in found:
        marker = con.execute(
            "SELECT dictionary FROM feedback_theme_suggestion WHERE answer_id = ?", [answer_id]
        ).fetchone()
        if marker is not None and marker[0] in (digest, MODERATOR):
            continue  # another process (or a moderator) got there first
        if con.execute("SELECT 1 FROM feedback_answer WHERE answer_id = ?", [answer_id]).fetchone() is None:
            continue
        con.execute(
            "DELETE FROM feedback_answer_theme WHERE answer_id = ? AND origin = 'suggested'", [answer_id]
        )
        con.executemany(
            "INSERT INTO feedback_answer_theme (answer_id, theme, origin) VALUES (?, ?, 'suggested') "
            "ON CONFLICT (answer_id, theme) DO NOTHING",
            [(answer_id, code) for code in codes],
        )
        con.execute(
            "INSERT INTO feedback_theme_suggestion (answer_id, dictionary, suggested_at) VALUES (?, ?, ?) "
            "ON CONFLICT (answer_id) DO UPDATE SET dictionary = excluded.dictionary, "
            "suggested_at = excluded.suggested_at",
            [answer_id, digest, now],
        )
        written += 1
    return written


def suggesting(settings: Any) -> bool:
    """Whether themes are being suggested in the background for ``settings``' data folder."""
    with _LOCK:
        thread = _BACKGROUND.get(Path(settings.home).resolve())
    return thread is not None and thread.is_alive()


def _in_background(settings: Any) -> None:
    key = Path(settings.home).resolve()

    def work() -> None:
        try:
            code = run_child(__name__, settings)
            if code:
                log.warning("suggesting themes for families' feedback failed (exit %s)", code)
        except Exception:
            log.exception("suggesting themes for families' feedback failed")
        finally:
            with _LOCK:
                _BACKGROUND.pop(key, None)

    with _LOCK:
        if key in _BACKGROUND:
            return
        thread = threading.Thread(target=work, name="feedback-suggest", daemon=True)
        _BACKGROUND[key] = thread
    thread.start()


def suggest_for_new(
    services: Any,
    *,
    limit: int | None = None,
    dictionary: ThemeDictionary | None = None,
    wait: bool = True,
) -> int:
    """Fill ``feedback_answer_theme`` (origin ``suggested``) for the answers without suggestions; returns
    how many answers got suggestions here. ``services`` is a ``Services`` or a ``Settings``; ``limit``
    bounds the work of one call (the queue view passes one, the warehouse copy does all). With
    ``wait=False``, answers that would first load a language's dictionary are left to a background
    thread (see :func:`suggesting`).

    The text is read, lemmatised outside any write transaction, and written in chunks; an answer a
    moderator has already tagged is never touched, and a confirmed theme is never replaced by a suggestion.
    """
    from perhekeskus.warehouse import operational

    settings = _settings(services)
    themes = dictionary or load_themes(settings)
    with operational.reading(settings) as con:
        pending = _pending(con, themes.digest, limit)
    if not wait:
        ready = [p for p in pending if themes.ready(p[1], p[2])]
        if len(ready) < len(pending):
            _in_background(settings)
        pending = ready
    done = 0
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        found = [(answer_id, themes.suggest(text, lang)) for answer_id, text, lang in chunk]
        with operational.transaction(settings) as con:
            done += _write(con, themes.digest, found)
    return done


def main() -> int:
    """The child process: suggest for every answer without suggestions under ``Settings.from_env()``."""
    from perhekeskus.warehouse.settings import Settings

    done = suggest_for_new(Settings.from_env())
    print(f"themes suggested for {done} answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
