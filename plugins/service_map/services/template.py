"""The import template (CSV or XLSX) and the export of services in the same columns.

Why the same columns: a file exported from the app, edited and imported again updates the services it
names (its ``id`` column) instead of adding duplicates, and the template is simply an export with one
example row. The XLSX template carries a second sheet of instructions that lists every valid value of
every coded column (tasks, client groups, actor types, forms, languages, municipalities) in the three
languages, so that nobody has to guess a spelling.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from perhekeskus.dashboard import tabular
from perhekeskus.plugins.service_map.services import values
from perhekeskus.plugins.service_map.services.importer import COLUMNS, HEADERS
from perhekeskus.vocabulary import load_vocabulary

LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}
INSTRUCTIONS_SHEET = {"fi": "Ohjeet", "sv": "Anvisningar", "en": "Instructions"}
INTRO = {
    "fi": [
        "Yksi rivi on yksi palvelu. Pakolliset sarakkeet: nimi, järjestäjä, toimijatyyppi, kunnat, tehtävät, asiakasryhmät.",
        "Useat arvot samassa solussa erotetaan puolipisteellä (;). Arvon voi antaa koodina tai nimenä millä tahansa kielellä.",
        "Tunniste-sarake tyhjänä lisää palvelun; palvelun tunniste päivittää sen. Jos yksikin rivi on virheellinen, mitään ei tallenneta.",
    ],
    "sv": [
        "En rad är en tjänst. Obligatoriska kolumner: namn, anordnare, aktörstyp, kommuner, uppgifter, klientgrupper.",
        "Flera värden i samma cell skiljs åt med semikolon (;). Ett värde kan anges som kod eller namn på vilket språk som helst.",
        "Tom Id-kolumn lägger till en tjänst; tjänstens id uppdaterar den. Om någon rad är fel sparas ingenting.",
    ],
    "en": [
        "One row is one service. Required columns: name, provider, actor type, municipalities, tasks, client groups.",
        "Several values in one cell are separated by a semicolon (;). A value may be given as its code or its name in any language.",
        "An empty Id column adds a service; a service's id updates it. If any row is wrong, nothing is saved.",
    ],
}
KIND_TITLES = {
    "actor_type": ("Toimijatyyppi", "Aktörstyp", "Actor type"),
    "tasks": ("Tehtävät", "Uppgifter", "Tasks"),
    "client_groups": ("Asiakasryhmät", "Klientgrupper", "Client groups"),
    "forms": ("Toteutustavat", "Former", "Forms"),
    "languages": ("Kielet", "Språk", "Languages"),
    "municipalities": ("Kunnat", "Kommuner", "Municipalities"),
    "referral_needed": ("Lähete tarvitaan", "Remiss behövs", "Referral needed"),
}
EXAMPLE = {
    "name": "Vauvaperheiden vertaisryhmä",
    "description": "Viikoittainen ryhmä vauvaperheille",
    "provider": "Esimerkkiyhdistys ry",
    "actor_type": "ngo",
    "municipalities": "Nokia; 837",
    "tasks": "leisure_peer_groups; Vanhemmuuden ja parisuhteen tuki",
    "client_groups": "babies; parents_carers",
    "forms": "group",
    "languages": "fi; sv",
    "referral_needed": "ei",
    "contact_url": "https://example.org/vauvaryhma",
    "actors": "",
}


def headers(lang: str) -> list[str]:
    index = LANG_INDEX.get(lang, 0)
    return [HEADERS[c][index] for c in COLUMNS]


def service_rows(found: Iterable[Any], lang: str = "fi") -> list[dict[str, Any]]:
    """Services as file rows (codes, ``;`` between values), under the headers of ``lang``."""
    names = headers(lang)
    rows = []
    for s in found:
        cells = {
            "id": s.service_id,
            "name": s.name,
            "description": s.description,
            "provider": s.provider,
            "actor_type": s.actor_type,
            "municipalities": "; ".join(s.municipalities),
            "tasks": "; ".join(s.tasks),
            "client_groups": "; ".join(s.client_groups),
            "forms": "; ".join(s.forms),
            "languages": "; ".join(s.languages),
            "referral_needed": "yes" if s.referral_needed else "no",
            "contact_url": s.contact_url,
            "actors": "; ".join(s.actors),
        }
        rows.append({names[i]: cells[c] for i, c in enumerate(COLUMNS)})
    return rows


def _instructions(lang: str, areas: Any) -> list[dict[str, str]]:
    index = LANG_INDEX.get(lang, 0)
    vocabulary = load_vocabulary()
    what, code, name_fi, name_sv, name_en = {
        "fi": ("Sarake", "Koodi", "Nimi suomeksi", "Nimi ruotsiksi", "Nimi englanniksi"),
        "sv": ("Kolumn", "Kod", "Namn på finska", "Namn på svenska", "Namn på engelska"),
        "en": ("Column", "Code", "Name in Finnish", "Name in Swedish", "Name in English"),
    }[lang if lang in LANG_INDEX else "fi"]
    rows: list[dict[str, str]] = [
        {what: line, code: "", name_fi: "", name_sv: "", name_en: ""}
        for line in INTRO[lang if lang in INTRO else "fi"]
    ]

    def add(kind: str, entries: Iterable[tuple[str, str, str, str]]) -> None:
        for c, fi, sv, en in entries:
            rows.append({what: KIND_TITLES[kind][index], code: c, name_fi: fi, name_sv: sv, name_en: en})

    add("actor_type", ((t.code, *t.names()) for t in vocabulary.actor_types))
    add("tasks", ((t.code, *t.names()) for t in vocabulary.tasks))
    add("client_groups", ((t.code, *t.names()) for t in vocabulary.client_groups))
    add("forms", ((c, *values.FORM_NAMES[c]) for c in values.FORMS))
    add("languages", ((c, *n) for c, n in values.LANGUAGE_NAMES.items()))
    names = areas.municipality_names()
    add(
        "municipalities",
        ((c, *(names.get(c, (c, c))), names.get(c, (c, c))[0]) for c in areas.municipalities),
    )
    add("referral_needed", (("yes", "kyllä", "ja", "yes"), ("no", "ei", "nej", "no")))
    return rows


def template_bytes(fmt: str, areas: Any, lang: str = "fi") -> bytes:
    """The template: the header row and one example row (CSV), plus the instructions sheet (XLSX)."""
    names = headers(lang)
    example = [{names[i]: ("" if c == "id" else EXAMPLE[c]) for i, c in enumerate(COLUMNS)}]
    if fmt == "csv":
        return tabular.to_csv(example, lang, columns=names)
    return tabular.to_xlsx(
        example,
        sheet="services",
        columns=names,
        extra_sheets={INSTRUCTIONS_SHEET.get(lang, "Ohjeet"): _instructions(lang, areas)},
    )


def export_bytes(fmt: str, found: Iterable[Any], areas: Any, lang: str = "fi") -> bytes:
    """Services in the import columns (CSV, or XLSX with the instructions sheet)."""
    rows = service_rows(found, lang)
    names = headers(lang)
    if fmt == "csv":
        return tabular.to_csv(rows, lang, columns=names)
    return tabular.to_xlsx(
        rows,
        sheet="services",
        columns=names,
        extra_sheets={INSTRUCTIONS_SHEET.get(lang, "Ohjeet"): _instructions(lang, areas)},
    )
