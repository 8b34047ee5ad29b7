"""What a person may type in an import file and what it means: actor types, tasks and client groups (the
shared vocabulary), municipalities (the province file), tie kinds and frequencies (``model.py``), each as
its code or its name in Finnish, Swedish or English, and the column headers of both sheets in all three.

Why one module: the import, its template's instructions sheet and the error messages must agree on every
accepted word; a word accepted by one and not listed by the other would confuse a coordinator.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS
from perhekeskus.vocabulary import Vocabulary, load_vocabulary
from perhekeskus.warehouse.areas import AreaConfig

ELEMENTS = "elements"
CONNECTIONS = "connections"
INSTRUCTIONS = "instructions"

# sheet → field → accepted headers (compared after :func:`header_key`); the first is the English header
ELEMENT_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("label", "name", "nimi", "namn", "nimike kartalla", "etiketti"),
    "actor_type": ("type", "actor type", "tyyppi", "toimijatyyppi", "typ", "aktörstyp", "aktorstyp"),
    "organisation": ("organisation", "organization", "organisaatio", "organisation", "organisationen"),
    "job_title": ("job title", "title", "tehtävänimike", "nimike", "ammattinimike", "titel", "befattning"),
    "municipalities": ("municipalities", "municipality", "kunnat", "kunta", "kommuner", "kommun"),
    "tasks": ("tasks", "tehtävät", "perhekeskustehtävät", "uppgifter", "familjecentralsuppgifter"),
    "client_groups": ("client groups", "client group", "asiakasryhmät", "asiakasryhmä", "klientgrupper"),
    "email": ("email", "e-mail", "e mail", "sähköposti", "e-post", "epost"),
}
CONNECTION_HEADERS: dict[str, tuple[str, ...]] = {
    "source": ("from", "source", "keneltä", "kuka", "mistä", "lähde", "från", "källa"),
    "target": ("to", "target", "kenelle", "kenen kanssa", "mihin", "kohde", "till", "mål"),
    "kind": ("type", "kind", "tie kind", "tyyppi", "laji", "yhteyden laji", "typ", "kontaktens typ"),
    "frequency": ("frequency", "how often", "kuinka usein", "tiheys", "useus", "hur ofta", "frekvens"),
    "task": ("task", "tehtävä", "perhekeskustehtävä", "uppgift"),
}
# Kumu's own columns that carry nothing the map keeps: accepted and ignored, so a Kumu export imports
IGNORED_HEADERS = (
    "description",
    "kuvaus",
    "beskrivning",
    "tags",
    "tagit",
    "taggar",
    "image",
    "id",
    "kuva",
    "direction",
    "suunta",
    "riktning",
)
SHEET_COLUMN = ("sheet", "välilehti", "taulukko", "flik", "blad")
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    ELEMENTS: ("elements", "element", "elementit", "toimijat", "aktörer", "actors"),
    CONNECTIONS: ("connections", "connection", "yhteydet", "kytkökset", "förbindelser", "kontakter", "ties"),
    INSTRUCTIONS: ("instructions", "ohjeet", "anvisningar", "ohje"),
}
HEADER_LABELS: dict[str, dict[str, tuple[str, str, str]]] = {
    ELEMENTS: {
        "name": ("Nimi", "Namn", "Label"),
        "actor_type": ("Tyyppi", "Typ", "Type"),
        "organisation": ("Organisaatio", "Organisation", "Organisation"),
        "job_title": ("Tehtävänimike", "Befattning", "Job title"),
        "municipalities": ("Kunnat", "Kommuner", "Municipalities"),
        "tasks": ("Tehtävät", "Uppgifter", "Tasks"),
        "client_groups": ("Asiakasryhmät", "Klientgrupper", "Client groups"),
        "email": ("Sähköposti", "E-post", "Email"),
    },
    CONNECTIONS: {
        "source": ("Keneltä", "Från", "From"),
        "target": ("Kenelle", "Till", "To"),
        "kind": ("Tyyppi", "Typ", "Type"),
        "frequency": ("Kuinka usein", "Hur ofta", "Frequency"),
        "task": ("Tehtävä", "Uppgift", "Task"),
    },
}
SHEET_LABELS: dict[str, tuple[str, str, str]] = {
    ELEMENTS: ("elementit", "element", "elements"),
    CONNECTIONS: ("yhteydet", "förbindelser", "connections"),
    INSTRUCTIONS: ("ohjeet", "anvisningar", "instructions"),
}
LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}
# a few short words people write for a tie kind, beside the full names of model.TIE_KINDS
TIE_KIND_ALIASES: dict[str, tuple[str, ...]] = {
    "collaborates": ("yhteistyö", "samarbete", "collaboration", "collaborate"),
    "advice": ("neuvonta", "neuvoa", "råd", "rådgivning"),
    "information": ("tieto", "tiedonjako", "tiedon jakaminen", "information sharing", "informationsutbyte"),
    "referral": ("ohjaus", "ohjaa", "ohjaaminen", "hänvisning", "referrals", "refers"),
}
DEFAULT_KIND = "collaborates"
DEFAULT_FREQUENCY = 3
LIST_SEPARATORS = re.compile(r"[;,\n]")


def fold(text: object) -> str:
    """A typed word as lookups compare it: NFKC, case-folded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def header_key(text: object) -> str:
    """A column header as matching sees it: folded, ``_`` and ``-`` between words as spaces, ``*`` (a
    required-column mark) and a trailing colon dropped."""
    folded = fold(str(text or "").replace("_", " ").replace("*", "")).rstrip(":").strip()
    return folded.replace("e mail", "e-mail")


def split_list(text: str) -> list[str]:
    """``"Nokia; Tampere, 837"`` → ``["Nokia", "Tampere", "837"]`` (empty parts dropped)."""
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


@dataclass
class Lookups:
    """Everything an import resolves, for one province configuration and vocabulary."""

    areas: AreaConfig
    vocabulary: Vocabulary

    @classmethod
    def load(cls, areas: AreaConfig, vocabulary: Vocabulary | None = None) -> Lookups:
        return cls(areas, vocabulary or load_vocabulary())

    @cached_property
    def _municipalities(self) -> dict[str, str]:
        names = self.areas.municipality_names()
        found: dict[str, str] = {}
        for code in self.areas.municipalities:
            found[code] = code
            found[code.lstrip("0") or "0"] = code
            for name in names.get(code, ()):
                if name:
                    found[fold(name)] = code
        return found

    def municipality(self, value: str) -> str | None:
        """The code of a municipality of the province given as its code ("536", "20") or its Finnish or
        Swedish name; None when it is not one of the province's."""
        text = fold(value)
        if text.endswith(".0") and text[:-2].isdigit():  # a code a spreadsheet turned into a number
            text = text[:-2]
        return self._municipalities.get(text)

    def municipality_name(self, code: str, lang: str = "fi") -> str:
        names = self.areas.municipality_names().get(code)
        if not names:
            return code
        return names[1] if lang == "sv" and names[1] else names[0]

    def term(self, kind: str, value: str) -> str | None:
        """An actor type, task or client group code (``kind`` of the shared vocabulary)."""
        return self.vocabulary.resolve(kind, value)

    @staticmethod
    def tie_kind(value: str) -> str | None:
        """A tie kind code from its code, its name in any language or a short word; empty → the default."""
        text = fold(value)
        if not text:
            return DEFAULT_KIND
        for code, names in TIE_KINDS.items():
            if text == code or text in (fold(n) for n in names) or text in TIE_KIND_ALIASES.get(code, ()):
                return code
        return None

    @staticmethod
    def frequency(value: str) -> int | None:
        """1–5 from the number or its word in any language; empty → the default (3, monthly); None
        when it is neither (a number outside 1–5 included)."""
        text = fold(value)
        if not text:
            return DEFAULT_FREQUENCY
        number = text[:-2] if text.endswith(".0") else text
        if number.lstrip("-").isdigit():
            found = int(number)
            return found if found in FREQUENCIES else None
        for code, names in FREQUENCIES.items():
            if text in (fold(n) for n in names):
                return code
        return None


def field_for(sheet: str, header: str) -> str | None:
    """The field a header names in ``sheet`` (None when it names none there)."""
    key = header_key(header)
    table = ELEMENT_HEADERS if sheet == ELEMENTS else CONNECTION_HEADERS
    for field_name, accepted in table.items():
        if key in accepted:
            return field_name
    return None


def sheet_for(name: str) -> str | None:
    """Which sheet a worksheet (or a CSV file's ``sheet`` value) is, by its name in any language."""
    key = header_key(name)
    return next((sheet for sheet, names in SHEET_NAMES.items() if key in names), None)


def header_label(sheet: str, field_name: str, lang: str) -> str:
    return HEADER_LABELS[sheet][field_name][LANG_INDEX.get(lang, 0)]


def sheet_label(sheet: str, lang: str) -> str:
    return SHEET_LABELS[sheet][LANG_INDEX.get(lang, 0)]


__all__ = [
    "CONNECTIONS",
    "ELEMENTS",
    "INSTRUCTIONS",
    "Lookups",
    "field_for",
    "fold",
    "header_key",
    "header_label",
    "sheet_for",
    "sheet_label",
    "split_list",
]
