"""Making submitted text safe to store and show, without refusing anything a person could mean.

Any character set is accepted: emoji (with their joiners and skin tones), mixed scripts and
right-to-left text are kept exactly as typed (NFC-normalised, so "ä" typed either way is one letter).
Decision on control characters: they are **stripped, not refused**. A family cannot see or mean a NUL,
a backspace or a C1 control, and refusing the answer would lose it for nothing; the same goes for the
bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069), which could make a
moderator's list read in a misleading order. Line breaks and tabs stay; Windows line ends become
``\\n``. Markup is never interpreted anywhere: it is stored as the characters typed and every page
escapes it (Jinja2 autoescaping).
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab and line feed, DEL, C1 controls, and the bidi embedding/override/isolate controls
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str | None) -> str:
    """``value`` with line ends as ``\\n``, control characters removed, NFC-normalised and trimmed."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROLS.sub("", text)
    return unicodedata.normalize("NFC", text).strip()
