"""Language: Finnish first, Swedish and English complete.

Strings live in gettext catalogs (``dashboard/locale/<lang>/LC_MESSAGES/messages.po``, then each
plugin's own folders from ``perhekeskus_translations``), read with Babel, the field's convention; message ids are English. Numbers and dates are formatted by Babel in
the language's own way (decimal comma in Finnish and Swedish). The language comes from ``?lang=`` on
any page and is remembered in a cookie.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGS = ("fi", "sv", "en")
DEFAULT_LANG = "fi"
LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
LANG_NAMES = {"fi": "Suomi", "sv": "Svenska", "en": "English"}
COOKIE = "perhekeskus_lang"
LOCALE_DIR = Path(__file__).parent / "locale"


def normalise_lang(value: str | None) -> str | None:
    value = (value or "").strip().lower()[:2]
    return value if value in LANGS else None


@cache
def read_catalog(path: Path, lang: str) -> dict[str, str]:
    """msgid → translation of one ``messages.po`` (empty translations are left out: they fall back)."""
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        cat = read_po(handle, locale=LOCALES[lang].split("_")[0])
    return {str(m.id): str(m.string) for m in cat if m.id and m.string}


def catalog_file(folder: Path, lang: str) -> Path:
    return Path(folder) / lang / "LC_MESSAGES" / "messages.po"


def product_catalog(lang: str) -> dict[str, str]:
    """The product's own catalog of one language (``dashboard/locale``)."""
    return read_catalog(catalog_file(LOCALE_DIR, lang), lang)


# (lang, plugin manager, its registered plugins) → merged catalog; other plugins (reloaded, or one
# registered in-process) start afresh
_MERGED: dict[tuple, dict[str, str]] = {}


def catalog(lang: str) -> dict[str, str]:
    """msgid → translation of one language: the product's catalog first, then each plugin's catalogs
    (``perhekeskus_translations``), so a plugin adds its own strings and never changes the product's.

    Merged once per language and set of registered plugins."""
    from perhekeskus import registry

    manager = registry.plugin_manager()
    key = (lang, manager, frozenset(id(p) for p in manager.get_plugins()))
    merged = _MERGED.get(key)
    if merged is None:
        merged = {}
        for folder in reversed(registry.translation_dirs()):  # the first plugin wins over later ones
            merged.update(read_catalog(catalog_file(folder, lang), lang))
        merged.update(product_catalog(lang))
        for stale in [k for k in list(_MERGED) if k[1:] != key[1:]]:
            _MERGED.pop(stale, None)
        _MERGED[key] = merged
    return merged


def as_day(value: object) -> date | None:
    """A date value as a calendar day: DuckDB gives DATE columns to pandas as midnight timestamps,
    which would otherwise be shown with a meaningless "0.00" time; text is read as an ISO date."""
    if value is None:
        return None
    if isinstance(value, datetime):  # also pandas.Timestamp; NaT is a datetime too
        return None if value != value else value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def gettext(lang: str, msgid: str, **values: object) -> str:
    """The message in ``lang``; ``{name}`` placeholders are filled from ``values``."""
    text = catalog(lang).get(msgid, msgid)
    return text.format(**values) if values else text


class Translator:
    """``_ = Translator(lang)``; ``_("Trend")`` — bound to one request's language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_lang(lang) or DEFAULT_LANG
        self.locale = Locale.parse(LOCALES[self.lang])
        self._catalog = catalog(self.lang)  # the product's and the plugins' messages, merged once

    def __call__(self, msgid: str, **values: object) -> str:
        text = self._catalog.get(msgid, msgid)
        return text.format(**values) if values else text

    def number(self, value: float | None, decimals: int | None = None) -> str:
        """A number in the language's format; ``None`` is 'no data', never 0."""
        if value is None or value != value:  # NaN
            return self("no data")
        d = 1 if decimals is None else max(0, min(int(decimals), 6))
        pattern = "#,##0" + ("." + "0" * d if d else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def signed(self, value: float | None, decimals: int | None = None) -> str:
        if value is None or value != value:
            return self("no data")
        text = self.number(abs(value), decimals)
        return ("+" if value > 0 else "−" if value < 0 else "±") + text

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return self("no date")
        if isinstance(value, datetime):
            return format_datetime(value, format="short", locale=self.locale)
        return format_date(value, format="medium", locale=self.locale)

    def pick(self, fi: str | None, sv: str | None, en: str | None) -> str:
        """The text in this language, falling back to Finnish (the source's first language)."""
        chosen = {"fi": fi, "sv": sv, "en": en}[self.lang]
        return chosen or fi or en or sv or ""
