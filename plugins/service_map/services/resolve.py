"""Reading what a person wrote in a spreadsheet cell as the codes of the service map.

Why its own module: a real service list is not written from the template. People name municipalities
("Tammerfors", "mänttä - vilppula"), tasks and client groups in any of three languages with their own
casing, spacing and dashes, leave out the age range in brackets ("Vauvat"), shorten a name ("Mänttä")
and put several values in one cell separated by ``;``, ``,`` or new lines. This module accepts what a
person would reasonably mean and never guesses silently:

- an exact match (code, or a name in Finnish, Swedish or English, case, spacing, dashes and a bracketed
  part ignored) is taken as it is;
- a unique match on the start of a word of a name ("Mänttä" → Mänttä-Vilppula) is taken, and the import
  says back how it was read (a *notice*), so a person can check it;
- a text that fits several entries is an error naming every candidate; a text that fits none is an error
  naming the text.

A comma separates values only where the parts are values: "Services around divorce (mediation,
supervised meetings)" is one task, "family work, home help" two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})
_AROUND_DASH = re.compile(r"\s*-\s*")
_BRACKETED = re.compile(r"\([^)]*\)")
_BULLET = re.compile(r"^(?:[•·*▪◦]|-(?=\s))\s*")  # a list bullet at the start of a line in a cell
MIN_PARTIAL = 4  # shorter texts are never matched against parts of names


def normal(text: object) -> str:
    """The form two spellings of one name share: case, spacing and dashes ignored, quotes and a final
    full stop removed."""
    value = " ".join(str(text or "").translate(DASHES).split()).casefold()
    value = _AROUND_DASH.sub("-", value).strip(" \"'“”‘’.")
    return value


@dataclass(frozen=True)
class Found:
    """How one text was read: a code, or None with the candidates when it fitted several."""

    text: str
    code: str | None
    candidates: tuple[str, ...] = ()  # "name [code]" of each entry the text fits (ambiguous)
    partial: bool = False  # read from the start of a word of ``name``: said back to the person
    name: str = ""  # the name that matched (a partial match)

    @property
    def ambiguous(self) -> bool:
        return self.code is None and len(self.candidates) > 1


@dataclass
class Lookup:
    """Every way to name the entries of one list (tasks, client groups, municipalities ...)."""

    exact: dict[str, set[str]] = field(default_factory=dict)  # normal form → codes
    names: list[tuple[str, str, str]] = field(default_factory=list)  # (normal name, code, name as written)
    shown: dict[str, str] = field(default_factory=dict)  # code → its first name (for candidates)

    @classmethod
    def of(
        cls, entries: Iterable[tuple[str, Iterable[str]]], aliases: dict[str, str] | None = None
    ) -> Lookup:
        lookup = cls()
        for code, names in entries:
            lookup._add(code.casefold(), code)
            for name in names:
                if not name:
                    continue
                lookup.shown.setdefault(code, name)
                lookup._add(normal(name), code)
                bare = normal(_BRACKETED.sub(" ", name))
                if bare:
                    lookup._add(bare, code)
                lookup.names.append((normal(name), code, name))
        for alias, code in (aliases or {}).items():
            lookup._add(normal(alias), code)
        return lookup

    def _add(self, key: str, code: str) -> None:
        if key:
            self.exact.setdefault(key, set()).add(code)

    def _candidates(self, codes: Iterable[str], written: dict[str, str] | None = None) -> tuple[str, ...]:
        """Each candidate as "name [code]", named as the text matched it (the person's language)."""
        names = written or {}
        return tuple(f"{names.get(c) or self.shown.get(c, c)} [{c}]" for c in sorted(codes))

    def find(self, text: str, *, partial: bool = True) -> Found:
        key = normal(text)
        codes = self.exact.get(key)
        if codes and len(codes) == 1:
            return Found(text, next(iter(codes)))
        if codes:
            return Found(text, None, self._candidates(codes))
        if not partial or len(key) < MIN_PARTIAL:
            return Found(text, None)
        at_word = re.compile(r"(?:^|[\s(/-])" + re.escape(key))
        matched: dict[str, str] = {}
        for name, code, written in self.names:
            if at_word.search(name):
                matched.setdefault(code, written)
        if len(matched) == 1:
            ((code, written),) = matched.items()
            return Found(text, code, partial=True, name=written)
        return Found(text, None, self._candidates(matched, matched) if matched else ())


def pieces(value: object) -> list[str]:
    """A cell's values before commas are looked at: split at ``;`` and line breaks, bullets removed."""
    if isinstance(value, list | tuple):
        raw = [str(v or "") for v in value]
    else:
        raw = re.split(r"[;\r\n]+", str(value or ""))
    found = []
    for item in raw:
        text = " ".join(_BULLET.sub("", item.strip()).split())
        if text:
            found.append(text)
    return found


def read_cell(value: object, find: Callable[..., Found]) -> list[Found]:
    """Every value of a cell, read with ``find(text, partial=...)``. A piece that is not a value as a
    whole is split at commas, taking the longest run of parts that is one value ("Eroauttaminen
    (sovittelu, valvotut tapaamiset)" stays one); a part no run explains is returned unresolved."""
    out: list[Found] = []
    for piece in pieces(value):
        whole = find(piece, partial="," not in piece)
        if whole.code is not None or "," not in piece:
            out.append(whole)
            continue
        parts = [p for p in piece.split(",")]
        i = 0
        while i < len(parts):
            if not parts[i].strip():
                i += 1
                continue
            taken = None
            for j in range(len(parts), i, -1):
                text = ",".join(parts[i:j]).strip()
                found = find(text, partial=j == i + 1)
                if found.code is not None:
                    taken = (found, j)
                    break
            if taken is None:
                out.append(find(parts[i].strip()))
                i += 1
            else:
                out.append(taken[0])
                i = taken[1]
    return out
