"""Language: Finnish first, Swedish and English complete.

Strings live in gettext catalogs (``dashboard/locale/<lang>/LC_MESSAGES/messages.po``), read with
Babel, the field's convention; message ids are English. Numbers and dates are formatted by Babel in
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
def catalog(lang: str) -> dict[str, str]:
    """msgid → translation of one language (empty translations fall back to the id)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with open(path, "rb") as handle:
        cat = read_po(handle, locale=LOCALES[lang].split("_")[0])
    return {str(m.id): str(m.string) for m in cat if m.id and m.string}


def gettext(lang: str, msgid: str, **values: object) -> str:
    """The message in ``lang``; ``{name}`` placeholders are filled from ``values``."""
    text = catalog(lang).get(msgid, msgid)
    return text.format(**values) if values else text


class Translator:
    """``_ = Translator(lang)``; ``_("Trend")`` — bound to one request's language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_lang(lang) or DEFAULT_LANG
        self.locale = Locale.parse(LOCALES[self.lang])

    def __call__(self, msgid: str, **values: object) -> str:
        return gettext(self.lang, msgid, **values)

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
