"""The family-centre vocabulary that every feature shares: actor types, family-centre tasks and client
groups (``warehouse/vocabulary.toml``, or the file named by ``PERHEKESKUS_VOCABULARY_FILE``).

Why one file: the governance registry, the network map, the service map and families' feedback all speak
of the same tasks and actor types. If each kept its own list, a province that renames a task would see it
renamed in one view and not in another, and a CSV made for one import would not fit the next. The default
lists are documented in the file itself and are meant to be confirmed (or changed) by the province.

Public API (``from perhekeskus.vocabulary import load_vocabulary``): a plugin reads the lists, resolves a
value a person typed (a code or a name in any language) with :meth:`Vocabulary.resolve`, and shows names in
the reader's language with :meth:`Term.name`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

KINDS = ("actor_type", "task", "client_group")
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")


class VocabularyError(ValueError):
    """The vocabulary file is missing, unreadable or breaks a rule (a code, a missing name, a duplicate)."""


@dataclass(frozen=True)
class Term:
    """One entry of a list: a stable code and its names in Finnish, Swedish and English.

    ``expected`` matters only for actor types (a type every governance body should have)."""

    code: str
    name_fi: str
    name_sv: str
    name_en: str
    expected: bool = True
    position: int = 0

    def names(self) -> tuple[str, str, str]:
        return (self.name_fi, self.name_sv, self.name_en)

    def name(self, lang: str) -> str:
        """The name in ``lang`` (fi, sv or en); Finnish for any other language."""
        return {"sv": self.name_sv, "en": self.name_en}.get(lang, self.name_fi)


@dataclass(frozen=True)
class Vocabulary:
    """The three lists, each in file order."""

    actor_types: tuple[Term, ...]
    tasks: tuple[Term, ...]
    client_groups: tuple[Term, ...]
    path: Path

    def terms(self, kind: str) -> tuple[Term, ...]:
        """The list of ``kind`` (``actor_type``, ``task`` or ``client_group``)."""
        if kind not in KINDS:
            raise KeyError(f"unknown vocabulary list {kind!r}; lists are {', '.join(KINDS)}")
        return {"actor_type": self.actor_types, "task": self.tasks, "client_group": self.client_groups}[kind]

    def codes(self, kind: str) -> list[str]:
        return [t.code for t in self.terms(kind)]

    def term(self, kind: str, code: str) -> Term | None:
        return next((t for t in self.terms(kind) if t.code == code), None)

    def resolve(self, kind: str, value: object) -> str | None:
        """The code of the entry given as its code or as its name in any language (case and spacing
        ignored); None when nothing matches, so an import can name the bad row."""
        wanted = " ".join(str(value or "").split()).casefold()
        if not wanted:
            return None
        for term in self.terms(kind):
            if wanted == term.code or wanted in (n.casefold() for n in term.names()):
                return term.code
        return None

    def label(self, kind: str, code: str, lang: str) -> str:
        """The name of ``code`` in ``lang``; the code itself for a retired entry (data outlives lists)."""
        term = self.term(kind, code)
        return term.name(lang) if term else code


def vocabulary_file() -> Path:
    """The configured file: ``PERHEKESKUS_VOCABULARY_FILE`` or the packaged default."""
    configured = os.environ.get("PERHEKESKUS_VOCABULARY_FILE")
    if configured:
        return Path(configured)
    # beside the province configuration, in the warehouse package (wherever the wheel put it)
    return Path(str(resources.files("perhekeskus.warehouse") / "vocabulary.toml"))


def _terms(path: Path, raw: dict, kind: str) -> tuple[Term, ...]:
    found: list[Term] = []
    for position, entry in enumerate(raw.get(kind, [])):
        code = str(entry.get("code", ""))
        if not _CODE.match(code):
            raise VocabularyError(f"{path}: {kind} {position + 1} needs a code of a-z, 0-9 and _")
        names = [str(entry.get(k, "")).strip() for k in ("name_fi", "name_sv", "name_en")]
        if not all(names):
            raise VocabularyError(f"{path}: {kind} {code!r} needs name_fi, name_sv and name_en")
        found.append(Term(code, *names, expected=bool(entry.get("expected", True)), position=position))
    if not found:
        raise VocabularyError(f"{path}: no {kind} entries")
    if len({t.code for t in found}) != len(found):
        raise VocabularyError(f"{path}: two {kind} entries share a code")
    return tuple(found)


@cache
def _load(path: Path) -> Vocabulary:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    return Vocabulary(*(_terms(path, raw, kind) for kind in KINDS), path=path)


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """The vocabulary of ``path`` (default: :func:`vocabulary_file`), validated and cached per file."""
    return _load(Path(path) if path else vocabulary_file())
