"""Removing personal data from a family's free text before it is stored.

Why: the form asks for no name, yet people write "soita 040 123 4567" or sign "terveisin Maija". What
is stored is the scrubbed text only, so nothing identifying ever reaches the operational store, the
warehouse, a moderator or an export. Each removal is replaced by a marker in the answer's language
(``[puhelinnumero]``, ``[telefonnummer]``, ``[phone number]``) so a reader still understands the sentence,
and the number of removals is kept (``feedback_answer.scrubbed``).

What is removed, in this order (each step sees the markers of the earlier ones, never their digits):

1. e-mail addresses;
2. Finnish personal identity codes (henkilötunnus ``DDMMYY[-+A-FYXWVU]NNNC``). Decision: a code written
   in the exact official shape with a real day and month is removed **whatever its check character**,
   because a mistyped code still points at one person; looser shapes (a space before the individual
   number, no century sign, a lower-case check character) are removed only when the check character
   is right (``DDMMYYNNN mod 31``), so that other long numbers are not taken for codes;
3. phone numbers: Finnish forms (``040 123 4567``, ``040-1234567``, ``0401234567``, ``09 1234 5678``,
   ``(09) 123 4567``, ``+358 40 123 4567``, ``00358 …``) and international ones (``+44 20 7946 0958``):
   a number beginning with ``0``, ``+`` or ``00`` whose groups are joined by single spaces or hyphens and
   hold 7–15 digits. Years, times (``klo 14.30``), prices, ages (``3–6-vuotias``, ``0–1 v``) and opening
   hours (``09-16``) have too few digits, a dot or an en dash, and are left alone;
4. street addresses: a street word (Finnish ``…katu``, ``…tie``, ``…kuja``, ``…polku`` …, Swedish
   ``…gatan``, ``…vägen`` …, English ``… Street``/``Road``) followed by a house number and optionally the
   staircase and flat (``Hämeenkatu 12 B 34``, ``Pispalan valtatie 5``, ``Storgatan 3``), with a following
   postal code and town; a postal code with a town alone (``33100 Tampere``) too;
5. names after an introduction or a sign-off: ``nimeni on Maija Meikäläinen``, ``terveisin Matti``,
   ``jag heter …``, ``mvh …``, ``my name is …``, ``regards, …``. The words taken are those starting with
   a capital letter (up to three); after a sign-off at the end of a line, one or two words in lower case
   too (phones type "terveisin maija").

Scrubbing is deliberately conservative where a false positive would destroy meaning (a name is removed
only after such a phrase, never because a word is capitalised); moderators read every answer before
anything is published and can hide what slipped through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# marker → (Finnish, Swedish, English)
MARKERS: dict[str, tuple[str, str, str]] = {
    "email": ("[sähköposti]", "[e-post]", "[email]"),
    "phone": ("[puhelinnumero]", "[telefonnummer]", "[phone number]"),
    "hetu": ("[henkilötunnus]", "[personbeteckning]", "[identity code]"),
    "address": ("[osoite]", "[adress]", "[address]"),
    "name": ("[nimi]", "[namn]", "[name]"),
}
_LANG = {"fi": 0, "sv": 1, "en": 2}


def marker(kind: str, lang: str) -> str:
    return MARKERS[kind][_LANG.get(lang, 0)]


@dataclass(frozen=True)
class Scrubbed:
    """The text as it may be stored and how many pieces of personal data were taken out of it."""

    text: str
    removed: int


# --- 1. e-mail ------------------------------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+%-]+(?:@|\s?\(at\)\s?|\s?\[at\]\s?)[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w])",
    re.IGNORECASE,
)

# --- 2. henkilötunnus -----------------------------------------------------------------------------------

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY = "-+ABCDEFYXWVU"
HETU_STRICT = re.compile(r"(?<![\w-])(\d{2})(\d{2})(\d{2})([-+A-FYXWVU])(\d{3})([0-9A-Y])(?![\w])")
HETU_LOOSE = re.compile(
    r"(?<![\w-])(\d{2})(\d{2})(\d{2})\s?([-+A-FYXWVUa-fyxwvu]?)\s?(\d{3})([0-9A-Ya-y])(?![\w])"
)


def hetu_check(day_month_year: str, individual: str) -> str:
    """The check character of a personal identity code (``DDMMYY`` + ``NNN``, mod 31)."""
    return CHECK_CHARS[int(day_month_year + individual) % 31]


def _plausible_date(dd: str, mm: str, yy: str) -> bool:
    try:
        date(2000 + int(yy), int(mm), int(dd)) if (dd, mm) != ("29", "02") else date(2000, 2, 29)
    except ValueError:
        return False
    return True


def _hetu_strict(match: re.Match) -> bool:
    dd, mm, yy = match.group(1), match.group(2), match.group(3)
    return _plausible_date(dd, mm, yy)


def _hetu_loose(match: re.Match) -> bool:
    dd, mm, yy, _sep, nnn, check = match.groups()
    return _plausible_date(dd, mm, yy) and hetu_check(dd + mm + yy, nnn) == check.upper()


# --- 3. phone numbers -----------------------------------------------------------------------------------

PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)[1-9]\d{0,2}[ -]?(?:\(0\)[ -]?)?|\(0\d{1,3}\)[ -]?|0\d{1,3}[ -]?)"
    r"\d{2,4}(?:[ -]?\d{2,4}){0,3}"
    r"(?![\w])"
)
PHONE_DIGITS = (7, 15)

# --- 4. street addresses --------------------------------------------------------------------------------

STREET_WORDS = (
    "katu|tie|kuja|polku|raitti|väylä|kaari|rinne|puisto|tori|aukio|ranta|piha|mäki|kallio|niitty|"
    "kaarre|kierros|kylänraitti|penger|"
    "gatan|vägen|gränd|stigen|backen|torget|allén|strand|"
    "gata|väg"
)
_WORD = r"[^\W\d_][\w-]*"
# a number followed by a unit is a count, not a house number ("Leikkipuisto 3 kertaa viikossa")
UNITS = (
    r"kertaa|kerran|krt|vuotta|vuoden|vuotias|v|kk|kuukautta|viikkoa|päivää|tuntia|minuuttia|min|h|"
    r"lasta|lapsen|euroa|e|€|%|times|years|year|months|weeks|days|hours|år|gånger|veckor|dagar|barn"
)
_HOUSE = (
    rf"\s\d{{1,4}}(?:-\d{{1,4}})?[a-zA-Z]?(?![\w])(?!\s?(?:{UNITS})(?![\w]))"  # house number: 12, 12a, 12-14
    r"(?:\s?(?:[A-Z]|[a-z](?=\s?\d))(?![\w-])(?:\s?\d{1,4})?)?"  # staircase and flat: B 34, b34, C
    r"(?:\s(?:as\.?|asunto|lgh|bst|apt\.?)\s?\d{1,4})?"  # flat: as 5, lgh 1102
    r"(?:,?\s\d{5}\s[A-ZÅÄÖ][\w-]+)?"  # postal code and town: , 33100 Tampere
)
# a capitalised street ("Hämeenkatu 12 B 34") or one after a capitalised word ("Pispalan valtatie 5")
STREET = re.compile(rf"(?<![\w])(?:[A-ZÅÄÖ][\w-]*\s[a-zåäö][\w-]*|[A-ZÅÄÖ][\w-]*)(?:{STREET_WORDS}){_HOUSE}")
# typed in lower case on a phone ("hämeenkatu 12 b 34"): only the unmistakable street words
STREET_LOWER = re.compile(rf"(?<![\w]){_WORD}(?:katu|tie|kuja|gatan|vägen){_HOUSE}")
ENGLISH_STREET = re.compile(
    r"(?<![\w])\d{1,5}\s(?:[A-Z][\w-]*\s){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Way)(?![\w])"
)
POSTAL_TOWN = re.compile(r"(?<![\w-])\d{5}\s(?:[A-ZÅÄÖ][a-zåäö]+)(?:-[A-ZÅÄÖ][a-zåäö]+)?(?![\w])")

# --- 5. names after an introduction or a sign-off -------------------------------------------------------

INTRODUCTIONS = (
    r"nimeni\s+on|minun\s+nimeni\s+on|nimi\s+on|olen\s+nimeltäni|"
    r"jag\s+heter|mitt\s+namn\s+är|namnet\s+är|"
    r"my\s+name\s+is|my\s+name's|name\s+is"
)
SIGN_OFFS = (
    r"ystävällisin\s+terveisin|parhain\s+terveisin|terveisin|terkuin|t\.|"
    r"med\s+vänliga?\s+hälsningar?|vänliga\s+hälsningar|hälsningar|mvh|"
    r"kind\s+regards|best\s+regards|best\s+wishes|regards|sincerely"
)
NAME_WORD = r"[^\W\d_][\w'’-]*"
INTRO = re.compile(
    rf"(?<![\w])(?i:{INTRODUCTIONS})[ \t]*:?[ \t]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})"
)
SIGN_OFF = re.compile(
    rf"(?<![\w])(?i:{SIGN_OFFS})[ \t]*[,:]?\s*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})"
)
LINE_END = re.compile(r"[ \t]*[.!]?[ \t]*(?:\n|$)")


def _capitalised_words(words: str) -> str:
    """The leading words of ``words`` that start with a capital letter ("Maija Meikäläinen ja" → "Maija
    Meikäläinen")."""
    taken = []
    for word in words.split():
        if not word[0].isupper():
            break
        taken.append(word)
    return " ".join(taken)


def _replace_names(text: str, lang: str) -> tuple[str, int]:
    count = 0
    label = marker("name", lang)

    def intro(match: re.Match) -> str:
        nonlocal count
        name = _capitalised_words(match.group("name"))
        if not name:
            return match.group(0)
        count += 1
        start = match.start("name") - match.start(0)
        whole = match.group(0)
        return whole[:start] + label + whole[start + len(name) :]

    def sign_off(match: re.Match) -> str:
        nonlocal count
        words = match.group("name")
        name = _capitalised_words(words)
        at_line_end = LINE_END.match(match.string, match.end("name")) is not None
        if not name and at_line_end and len(words.split()) <= 2:
            name = words  # "terveisin maija" at the end of a line: a name typed in lower case
        if not name:
            return match.group(0)
        count += 1
        start = match.start("name") - match.start(0)
        whole = match.group(0)
        return whole[:start] + label + whole[start + len(name) :]

    text = INTRO.sub(intro, text)
    text = SIGN_OFF.sub(sign_off, text)
    return text, count


def _sub(pattern: re.Pattern, text: str, label: str, keep=lambda m: True) -> tuple[str, int]:
    count = 0

    def replace(match: re.Match) -> str:
        nonlocal count
        if not keep(match):
            return match.group(0)
        count += 1
        return label

    return pattern.sub(replace, text), count


def _is_phone(match: re.Match) -> bool:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]


def scrub(text: str, lang: str = "fi") -> Scrubbed:
    """``text`` without e-mail addresses, identity codes, phone numbers, street addresses and names after
    an introduction, each replaced by a marker in ``lang``; ``removed`` counts the replacements."""
    if not text:
        return Scrubbed(text, 0)
    total = 0
    steps = (
        (EMAIL, "email", lambda m: True),
        (HETU_STRICT, "hetu", _hetu_strict),
        (HETU_LOOSE, "hetu", _hetu_loose),
        (PHONE, "phone", _is_phone),
        (STREET, "address", lambda m: True),
        (STREET_LOWER, "address", lambda m: True),
        (ENGLISH_STREET, "address", lambda m: True),
        (POSTAL_TOWN, "address", lambda m: True),
    )
    for pattern, kind, keep in steps:
        text, count = _sub(pattern, text, marker(kind, lang), keep)
        total += count
    text, count = _replace_names(text, lang)
    return Scrubbed(text, total + count)
