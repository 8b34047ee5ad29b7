"""The theme dictionary of families' feedback and the rule that suggests themes from an answer's text.

Why a dictionary of lemmas and not a trained model: a province must be able to read, confirm and change
why an answer got a theme (``themes.toml``, documented there), the same text must always get the same
themes (moderators and tests rely on it), and a few hundred answers a month are too few to train on.
Finnish is highly inflected ("jonossa", "jonoon", "odotimme") and compounds freely ("jonotusaika"), so
words are lemmatised with simplemma and Finnish and Swedish keywords also match the start or the end of a
compound word (the rule is in ``themes.toml``'s header and in :meth:`ThemeDictionary.suggest`).

Public API: :func:`load_themes` (the configured dictionary, cached by file), :func:`themes_file` (which
file is in force), :class:`Theme` and :meth:`ThemeDictionary.suggest`.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGS = ("fi", "sv", "en")
COMPOUND_LANGS = ("fi", "sv")  # languages that write compounds as one word
MIN_COMPOUND = 4  # shorter keywords ("ero", "kö") would match inside too many unrelated words
DEFAULT_FILE = Path(__file__).with_name("themes.toml")
SETTING = "themes_file"  # the plugin setting (PERHEKESKUS_FEEDBACK_THEMES_FILE) that replaces the default
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


class ThemeConfigError(ValueError):
    """The theme file is missing, unreadable or breaks a rule; the message names the file and the entry."""


@dataclass(frozen=True)
class Theme:
    """One theme: a stable code, its names, the family-centre task it maps to (or None) and its keywords
    per language as written in the file."""

    code: str
    name_fi: str
    name_sv: str
    name_en: str
    task: str | None
    keywords: dict[str, tuple[str, ...]]
    exceptions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lang → phrases (except_fi, ...)

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang, self.name_fi)


@dataclass(frozen=True)
class _Matcher:
    """One language's compiled keywords of one theme."""

    exact: frozenset[str]
    compounds: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]
    exceptions: tuple[tuple[str, ...], ...] = ()  # lemma sequences whose words never count for the theme


_LOADED: set[str] = set()  # languages whose simplemma dictionary this process has loaded
# Small, common function words: enough to tell a Swedish or English answer written on the Finnish form
# (and so on) without loading every language's dictionary, which takes seconds each.
STOPWORDS: dict[str, frozenset[str]] = {
    "fi": frozenset(
        [
            "ja",
            "on",
            "oli",
            "ei",
            "että",
            "se",
            "mutta",
            "kun",
            "niin",
            "myös",
            "olisi",
            "hyvin",
            "meillä",
            "minä",
            "me",
            "olin",
            "olimme",
            "ovat",
        ]
    ),
    "sv": frozenset(
        [
            "och",
            "att",
            "det",
            "är",
            "var",
            "inte",
            "jag",
            "vi",
            "som",
            "en",
            "ett",
            "med",
            "för",
            "på",
            "men",
            "av",
            "vår",
            "vårt",
            "mycket",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "and",
            "was",
            "were",
            "is",
            "to",
            "of",
            "we",
            "not",
            "it",
            "that",
            "but",
            "with",
            "for",
            "my",
            "our",
            "very",
        ]
    ),
}


def lemma(word: str, lang: str) -> str:
    """``word``'s lemma in ``lang`` (lower case); simplemma is imported on first use (it is slow to load)."""
    import simplemma

    found = simplemma.lemmatize(word, lang=lang).casefold()
    _LOADED.add(lang)
    return found


def loaded(lang: str) -> bool:
    """Whether ``lang``'s lemmatiser dictionary is in memory (the first use of a language takes seconds)."""
    return lang in _LOADED


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case (letters only: numbers and punctuation carry no theme)."""
    return [w.replace("’", "'") for w in _WORD.findall((text or "").casefold())]


def text_languages(text: str, lang: str) -> tuple[str, ...]:
    """The answer's language first, then any other of fi/sv/en with at least two of its function words in
    the text and at least as many as the answer's language (a Swedish answer written on the Finnish form
    is still read as Swedish). Cheap and deterministic."""
    own = lang if lang in LANGS else "fi"
    tokens = words(text)
    hits = {code: sum(1 for t in tokens if t in STOPWORDS[code]) for code in LANGS}
    others = [code for code in LANGS if code != own and hits[code] >= 2 and hits[code] >= hits[own]]
    return (own, *others)


class ThemeDictionary:
    """The themes of one configuration file, compiled for matching."""

    def __init__(self, themes: tuple[Theme, ...], path: Path, digest: str) -> None:
        self.themes = themes
        self.path = path
        self.digest = digest  # changes when the file does: suggestions made with another file are redone
        self._compiled: dict[str, dict[str, _Matcher]] = {}  # lang → theme code → matcher

    def codes(self) -> list[str]:
        return [t.code for t in self.themes]

    def theme(self, code: str) -> Theme | None:
        return next((t for t in self.themes if t.code == code), None)

    def _compile(self, lang: str) -> dict[str, _Matcher]:
        """The themes' matchers of one language, built on first use (lemmatising the keywords loads that
        language's dictionary, so a Finnish-only queue never loads Swedish or English)."""
        if lang not in self._compiled:
            self._compiled[lang] = {
                theme.code: _matcher(theme.keywords.get(lang, ()), lang, theme.exceptions.get(lang, ()))
                for theme in self.themes
            }
        return self._compiled[lang]

    def ready(self, text: str, lang: str) -> bool:
        """Whether suggesting for this text would load no dictionary (so it takes milliseconds)."""
        return all(loaded(code) and code in self._compiled for code in text_languages(text, lang))

    def suggest(self, text: str, lang: str) -> list[str]:
        """The codes of the themes ``text`` (in ``lang``, the form's language) is about, in file order.

        A theme is suggested when one of its keywords of a language the text is in matches: the word or
        its lemma equals the keyword; in Finnish and Swedish a keyword of at least ``MIN_COMPOUND`` letters
        may also begin or end the word or its lemma (compounds); a keyword of several words matches those
        lemmas in a row. Deterministic: no randomness, no model, the file's order."""
        tokens = words(text)
        if not tokens:
            return []
        readings = {}
        for language in text_languages(text, lang):
            lemmas = [lemma(t, language) for t in tokens]
            forms = [{t, m} for t, m in zip(tokens, lemmas, strict=True)]
            readings[language] = (self._compile(language), lemmas, forms)
        found = []
        for theme in self.themes:
            for matchers, lemmas, forms in readings.values():
                if _matches(matchers[theme.code], tokens, lemmas, forms):
                    found.append(theme.code)
                    break
        return found


def _matcher(keywords: tuple[str, ...], lang: str, exceptions: tuple[str, ...] = ()) -> _Matcher:
    exact: set[str] = set()
    compounds: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for raw in keywords:
        whole_only = raw.startswith("=")
        keyword = raw.removeprefix("=").strip().casefold()
        parts = words(keyword)
        if len(parts) > 1:
            phrases.add(tuple(lemma(p, lang) for p in parts))
            phrases.add(tuple(parts))
            continue
        if not parts:
            continue
        forms = {parts[0], lemma(parts[0], lang)}
        exact |= forms
        if lang in COMPOUND_LANGS and not whole_only:
            compounds |= {f for f in forms if len(f) >= MIN_COMPOUND}
    unless = {tuple(lemma(p, lang) for p in words(e)) for e in exceptions if words(e)}
    return _Matcher(frozenset(exact), tuple(sorted(compounds)), tuple(sorted(phrases)), tuple(sorted(unless)))


def _masked(exceptions: tuple[tuple[str, ...], ...], lemmas: list[str]) -> set[int]:
    """Positions of the words inside an exception phrase ("odotamme lasta" is expecting, not waiting)."""
    masked: set[int] = set()
    for phrase in exceptions:
        size = len(phrase)
        for i in range(len(lemmas) - size + 1):
            if tuple(lemmas[i : i + size]) == phrase:
                masked.update(range(i, i + size))
    return masked


def _matches(matcher: _Matcher, tokens: list[str], lemmas: list[str], forms: list[set[str]]) -> bool:
    masked = _masked(matcher.exceptions, lemmas) if matcher.exceptions else set()
    for position, found in enumerate(forms):
        if position in masked:
            continue
        if found & matcher.exact:
            return True
        if matcher.compounds and any(
            f.startswith(k) or f.endswith(k) for f in found for k in matcher.compounds
        ):
            return True
    for phrase in matcher.phrases:
        size = len(phrase)
        for sequence in (lemmas, tokens):
            for i in range(len(sequence) - size + 1):
                if tuple(sequence[i : i + size]) == phrase and not masked.intersection(range(i, i + size)):
                    return True
    return False


def _text(path: Path, where: str, entry: dict, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ThemeConfigError(f"{path}: {where}: {key} must be a non-empty text")
    return value.strip()


def _theme(path: Path, position: int, entry: Any, tasks: set[str] | None) -> Theme:
    where = f"theme {position}"
    if not isinstance(entry, dict):
        raise ThemeConfigError(f"{path}: {where} must be a table ([[theme]])")
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        raise ThemeConfigError(f"{path}: {where}: code {code!r} must be lowercase letters, digits and '_'")
    where = f"theme {code!r}"
    task = entry.get("task") or None
    if task is not None and (not isinstance(task, str) or (tasks is not None and task not in tasks)):
        raise ThemeConfigError(
            f"{path}: {where}: task {task!r} is not a family-centre task of the vocabulary"
        )
    keywords: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        values = entry.get(lang, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip("= ") for v in values):
            raise ThemeConfigError(f"{path}: {where}: {lang} must be a list of words")
        keywords[lang] = tuple(values)
    exceptions: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        values = entry.get(f"except_{lang}", [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise ThemeConfigError(f"{path}: {where}: except_{lang} must be a list of phrases")
        exceptions[lang] = tuple(values)
    if not any(keywords.values()):
        raise ThemeConfigError(f"{path}: {where}: give at least one keyword (fi, sv or en)")
    return Theme(
        code,
        _text(path, where, entry, "name_fi"),
        _text(path, where, entry, "name_sv"),
        _text(path, where, entry, "name_en"),
        task,
        keywords,
        exceptions,
    )


def _task_codes() -> set[str] | None:
    try:
        from perhekeskus.vocabulary import load_vocabulary

        return set(load_vocabulary().codes("task"))
    except Exception:  # an unreadable vocabulary is reported by its own loader; do not hide the themes
        return None


@lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> ThemeDictionary:
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ThemeConfigError(f"{path}: cannot read the theme file: {exc}") from exc
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise ThemeConfigError(f"{path}: no themes ([[theme]] tables)")
    tasks = _task_codes()
    themes = tuple(_theme(path, i, e, tasks) for i, e in enumerate(entries, 1))
    seen: set[str] = set()
    for theme in themes:
        if theme.code in seen:
            raise ThemeConfigError(f"{path}: theme {theme.code!r} is given twice")
        seen.add(theme.code)
    return ThemeDictionary(themes, path, hashlib.sha256(raw).hexdigest()[:16])


def themes_file(settings: Any = None) -> Path:
    """The theme file in force: the plugin setting ``themes_file`` (``PERHEKESKUS_FEEDBACK_THEMES_FILE``,
    or ``Settings(plugins={"feedback": {"themes_file": ...}})``), else the documented default."""
    from perhekeskus import plugin_settings

    configured = (plugin_settings("feedback", settings).get(SETTING) or "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_FILE


def load_themes(settings: Any = None, path: Path | None = None) -> ThemeDictionary:
    """The theme dictionary of ``path`` (default: :func:`themes_file` of ``settings``), re-read when the
    file changes. Raises :class:`ThemeConfigError` naming what is wrong."""
    target = Path(path) if path is not None else themes_file(settings)
    try:
        info = target.stat()
    except OSError as exc:
        raise ThemeConfigError(f"{target}: cannot read the theme file: {exc}") from exc
    return _load(target.resolve(), (info.st_mtime_ns, info.st_size))
