"""Proposals from the national service catalogue, Suomi.fi Palvelutietovaranto (PTV), for editors to review.

Why proposals: the catalogue knows a service's name, description, organisation, languages and classes, but
not the family-centre task or client group, which is this map's whole point. The plugin reads the services
listed for a municipality, guesses tasks and client groups from the words (:data:`TASK_WORDS`,
:data:`GROUP_WORDS`) and stores them as *proposals* (``service_proposal``). An editor sees them on the
review page and adds a service through the ordinary form, where the guesses are only pre-ticked boxes to
confirm or change. Nothing reaches the map without that.

The API (the open, read-only part; no key): ``GET {base}/Service/list/area/Municipality/code/{code}?page=N``
answers ``{"pageNumber", "pageCount", "itemList": [...]}`` with pages from 1 (verified from public client
code). Fields read from an item: ``id``, ``serviceNames`` / ``serviceDescriptions`` (``[{language, value,
type}]``), ``serviceClasses`` (``[{name: [{language, value}]}]``) – verified; ``organizations``
(``[{roleType, organization: {name}}]``) and ``languages`` (``["fi", ...]``) – **[U] unverified** field
names of API v11, read defensively: a missing field is an empty value, never an error. The default base
address is ``https://api.palvelutietovaranto.suomi.fi/api/v11`` (setting ``ptv_url``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from perhekeskus import USER_AGENT, PoliteSession, SourceError
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

DEFAULT_URL = "https://api.palvelutietovaranto.suomi.fi/api/v11"
MAX_PAGES = 200  # a municipality lists at most a few thousand services; a runaway pageCount stops here
TASK_WORDS: dict[str, tuple[str, ...]] = {
    "parenting_couple": ("parisuhte", "vanhemmuu", "parisuhde"),
    "maternity_child_clinic": ("neuvola", "äitiysneuvo", "lastenneuvo"),
    "family_planning": ("perhesuunnittelu", "ehkäisy"),
    "home_help": ("kotipalvelu", "kodinhoito"),
    "family_work": ("perhetyö",),
    "child_guidance": ("kasvatus- ja perheneuvo", "perheneuvo"),
    "psychosocial_support": ("mielenterv", "psykiatr", "psykolog"),
    "family_social_work": ("lastensuojelu", "sosiaalityö"),
    "divorce_services": ("sovittelu", "avioero", "eroperhe", "valvottu tapaaminen", "tapaamispaikka"),
    "domestic_violence_prevention": ("väkival", "turvakoti"),
    "rehabilitation": ("terapia", "kuntoutus", "puheterap", "toimintaterap", "fysioterap"),
    "open_meeting_places": ("perhekahvila", "kohtaamispaik", "perhekeskus"),
    "ecec_school_welfare": ("varhaiskasvatus", "oppilashuol", "koulukuraattori", "kouluterveydenhoit"),
    "leisure_peer_groups": ("harrast", "vertais", "kerho", "leiri", "liikunta"),
}
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "expecting": ("raskaus", "odottav", "äitiys"),
    "babies": ("vauva", "imeväis"),
    "under_school_age": ("alle kouluikä", "leikki-ikä", "varhaiskasvatus", "päiväkoti"),
    "school_age": ("koululai", "perusopetus", "oppilas"),
    "young_people": ("nuor",),
    "parents_carers": ("vanhem", "huoltaj"),
    "whole_families": ("perhe",),
    "special_support": ("erityi", "vammai"),
    "divorcing": ("avioero", "eroperhe", "erotilanne"),
    "foreign_language": ("maahanmuut", "kotoutu"),
}


@dataclass(frozen=True)
class Proposal:
    external_id: str
    municipality: str
    name: str
    description: str
    provider: str
    languages: tuple[str, ...]
    classes: tuple[str, ...]
    tasks: tuple[str, ...]
    groups: tuple[str, ...]


def _text(values: Any, lang: str = "fi", kind: str | None = None) -> str:
    """The value in ``lang`` (else any) of a catalogue ``[{language, value, type}]`` list."""
    if not isinstance(values, list):
        return ""
    usable = [v for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
    if kind:
        usable = [v for v in usable if v.get("type") in (kind, None)] or usable
    chosen = next((v for v in usable if v.get("language") == lang), usable[0] if usable else None)
    return " ".join(chosen["value"].split()) if chosen else ""


def _provider(item: dict) -> str:
    for entry in item.get("organizations") or []:  # [U]
        if isinstance(entry, dict) and entry.get("roleType") in ("Responsible", None):
            organisation = entry.get("organization") or {}
            name = organisation.get("name") if isinstance(organisation, dict) else None
            if isinstance(name, str) and name.strip():
                return " ".join(name.split())
    return ""


def _guess(words: dict[str, tuple[str, ...]], text: str) -> tuple[str, ...]:
    lowered = text.casefold()
    return tuple(code for code, stems in words.items() if any(stem in lowered for stem in stems))


def proposal(item: dict, municipality: str) -> Proposal | None:
    """One catalogue service as a proposal (None when it has no id or no name)."""
    external_id = item.get("id")
    name = _text(item.get("serviceNames"), kind="Name")
    if not isinstance(external_id, str) or not external_id or not name:
        return None
    description = _text(item.get("serviceDescriptions"), kind="Summary") or _text(
        item.get("serviceDescriptions")
    )
    classes = tuple(
        c
        for c in (_text(k.get("name")) for k in item.get("serviceClasses") or [] if isinstance(k, dict))
        if c
    )
    languages = tuple(
        code
        for code in (item.get("languages") or [])
        if isinstance(code, str) and re.fullmatch(r"[a-z]{2,3}", code)
    )  # [U]
    words = " ".join([name, description, *classes])
    return Proposal(
        external_id[:80],
        municipality,
        name[:200],
        description[:2000],
        _provider(item)[:200],
        languages,
        classes,
        _guess(TASK_WORDS, words),
        _guess(GROUP_WORDS, words),
    )


def fetch(base_url: str, municipality: str, session: PoliteSession) -> list[Proposal]:
    """Every service the catalogue lists for ``municipality``, page by page (pages from 1)."""
    found: list[Proposal] = []
    page, pages = 1, 1
    while page <= pages and page <= MAX_PAGES:
        url = f"{base_url.rstrip('/')}/Service/list/area/Municipality/code/{municipality}"
        body = session.get(url, params={"page": str(page)})
        try:
            answer = json.loads(body)
        except ValueError:
            raise SourceError(
                f"the service catalogue answered page {page} with something that is not JSON"
            ) from None
        if not isinstance(answer, dict) or not isinstance(answer.get("itemList") or [], list):
            raise SourceError(f"the service catalogue's page {page} has no itemList")
        count = answer.get("pageCount")
        pages = count if isinstance(count, int) and count >= 0 else pages
        for item in answer.get("itemList") or []:
            if isinstance(item, dict):
                made = proposal(item, municipality)
                if made is not None:
                    found.append(made)
        page += 1
    return found


def store(settings: Settings, found: list[Proposal]) -> int:
    """Save proposals (new ones, or refresh unreviewed ones); reviewed ones keep their decision."""
    with operational.transaction(settings) as con:
        for p in found:
            con.execute(
                "INSERT INTO service_proposal (external_id, municipality_code, name, description, provider,"
                " languages, classes, suggested_tasks, suggested_groups) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (external_id, municipality_code) DO UPDATE SET name = excluded.name,"
                " description = excluded.description, provider = excluded.provider, languages = excluded.languages,"
                " classes = excluded.classes, suggested_tasks = excluded.suggested_tasks,"
                " suggested_groups = excluded.suggested_groups, fetched_at = excluded.fetched_at"
                " WHERE service_proposal.status = 'new'",
                (
                    p.external_id,
                    p.municipality,
                    p.name,
                    p.description,
                    p.provider,
                    ",".join(p.languages),
                    "; ".join(p.classes),
                    ",".join(p.tasks),
                    ",".join(p.groups),
                ),
            )
    return len(found)


def proposals(settings: Settings, status: str = "new") -> list[dict[str, Any]]:
    with operational.reading(settings) as con:
        rows = con.execute(
            "SELECT * FROM service_proposal WHERE status = ? ORDER BY municipality_code, name", (status,)
        ).fetchall()
    return [dict(r) for r in rows]


def get(settings: Settings, proposal_id: int) -> dict[str, Any] | None:
    with operational.reading(settings) as con:
        row = con.execute("SELECT * FROM service_proposal WHERE proposal_id = ?", (proposal_id,)).fetchone()
    return dict(row) if row else None


def decide(settings: Settings, proposal_id: int, status: str, service_id: int | None = None) -> None:
    with operational.transaction(settings) as con:
        con.execute(
            "UPDATE service_proposal SET status = ?, service_id = ? WHERE proposal_id = ?",
            (status, service_id, proposal_id),
        )


def session_for(settings: Settings) -> PoliteSession:
    return PoliteSession(
        user_agent=USER_AGENT,
        timeout=settings.http_timeout,
        retries=settings.http_retries,
        backoff=settings.http_backoff,
        max_wait=settings.http_max_wait,
    )
