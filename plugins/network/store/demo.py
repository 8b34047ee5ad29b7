"""A generated DEMO network: invented actors across the province's municipalities and actor types, with a
realistic tie structure (dense communities by coordination area and kind of work, a few brokers between
them), imported through the ordinary import as a round marked ``is_demo`` and titled DEMO.

Why generated and imported: the map, its metrics and its suggestions can be shown and tried before any
real network is imported, and the demo goes through exactly the checks a real file does. The names are
obviously fictional ("Aino Esimerkkinen"); the same seed gives the same network. Only when asked
(``registry_members``, default none) are active governance registry members included as themselves, so
that the link to the registry (bodies) shows on a test installation: their ties are invented, and on a
real registry that would put invented collaboration under real people's names.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from perhekeskus.plugins.network.model import TIE_KINDS
from perhekeskus.plugins.network.store import codes, importer, repository

FIRST_NAMES = (
    "Aino",
    "Eero",
    "Helmi",
    "Ilmari",
    "Kaisa",
    "Lauri",
    "Minna",
    "Niilo",
    "Oona",
    "Paavo",
    "Riikka",
    "Sampo",
    "Tuuli",
    "Ukko",
    "Venla",
    "Vilho",
    "Siiri",
    "Onni",
    "Lumi",
    "Väinö",
    "Iida",
    "Joel",
)
SURNAMES = (
    "Esimerkkinen",
    "Kuvitelma",
    "Mallikas",
    "Keksitty",
    "Demonen",
    "Harjoittelija",
    "Kokeilu",
    "Leikkinen",
    "Testinen",
    "Satunainen",
    "Kuviteltu",
    "Malliainen",
    "Tarinainen",
    "Haaveinen",
)
TYPE_WEIGHTS = {
    "health_services": 25,
    "social_services": 20,
    "education": 20,
    "ngo": 15,
    "parish": 8,
    "youth_sports_culture": 7,
    "kela": 3,
    "other": 2,
}
ORGANISATIONS = {
    "health_services": ("Lastenneuvola {m}", "Perheneuvola {m}", "Kouluterveydenhuolto {m}"),
    "social_services": ("Perhesosiaalityö {m}", "Lapsiperheiden kotipalvelu {m}", "Perhetyö {m}"),
    "education": ("Varhaiskasvatus {m}", "Esiopetus {m}", "Oppilashuolto {m}"),
    "ngo": ("Demo-perheyhdistys {m}", "Kuvitteellinen lastensuojeluyhdistys {m}", "Esimerkkikerho {m}"),
    "parish": ("Demo-seurakunta {m}",),
    "youth_sports_culture": ("Nuorisopalvelut {m}", "Liikuntapalvelut {m}"),
    "kela": ("Kela, demo-toimisto {m}",),
    "other": ("Demo-osuuskunta {m}",),
}
JOB_TITLES = {
    "health_services": ("Terveydenhoitaja", "Psykologi", "Lääkäri"),
    "social_services": ("Sosiaalityöntekijä", "Perhetyöntekijä", "Sosiaaliohjaaja"),
    "education": ("Varhaiskasvatuksen opettaja", "Päiväkodin johtaja", "Kuraattori"),
    "ngo": ("Toiminnanjohtaja", "Vapaaehtoiskoordinaattori"),
    "parish": ("Diakoniatyöntekijä", "Lapsityönohjaaja"),
    "youth_sports_culture": ("Nuoriso-ohjaaja", "Liikuntasuunnittelija"),
    "kela": ("Etuuskäsittelijä",),
    "other": ("Asiantuntija",),
}
TASKS_BY_TYPE = {
    "health_services": (
        "maternity_child_clinic",
        "family_planning",
        "child_guidance",
        "psychosocial_support",
    ),
    "social_services": ("family_work", "home_help", "family_social_work", "domestic_violence_prevention"),
    "education": ("ecec_school_welfare", "parenting_couple", "psychosocial_support"),
    "ngo": ("open_meeting_places", "leisure_peer_groups", "parenting_couple", "divorce_services"),
    "parish": ("open_meeting_places", "parenting_couple", "leisure_peer_groups"),
    "youth_sports_culture": ("leisure_peer_groups", "open_meeting_places"),
    "kela": ("rehabilitation", "family_social_work"),
    "other": ("rehabilitation", "open_meeting_places"),
}
# the two kinds of work a community forms around, inside each coordination area
THEME_OF_TYPE = {
    "health_services": 0,
    "social_services": 1,
    "education": 0,
    "ngo": 1,
    "parish": 1,
    "youth_sports_culture": 0,
    "kela": 1,
    "other": 1,
}


@dataclass
class DemoActor:
    name: str
    organisation: str
    actor_type: str
    job_title: str
    municipalities: list[str]
    tasks: list[str]
    client_groups: list[str]
    community: int
    broker: bool = False


def _pick_type(rng: random.Random) -> str:
    return rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]


def _known(lookups: codes.Lookups, kind: str, wanted: tuple[str, ...]) -> list[str]:
    """The wanted codes that the configured vocabulary has (a province may have renamed some)."""
    have = set(lookups.vocabulary.codes(kind))
    found = [c for c in wanted if c in have]
    return found or lookups.vocabulary.codes(kind)[:2]


def generate_actors(
    lookups: codes.Lookups, seed: int, size: int = 150, registry: list[tuple[str, str, str]] = ()
) -> list[DemoActor]:
    """``size`` invented actors (plus the given registry members: name, organisation, actor type),
    spread over the province's municipalities, each in a community (coordination area × kind of work)."""
    rng = random.Random(seed)
    areas = lookups.areas.areas
    names_of = lookups.areas.municipality_names()
    client_groups = lookups.vocabulary.codes("client_group")
    actors: list[DemoActor] = []
    used: set[str] = set()
    for number in range(size + len(registry)):
        from_registry = number >= size
        if from_registry:
            name, organisation, actor_type = registry[number - size]
            if lookups.vocabulary.term("actor_type", actor_type) is None:
                actor_type = "other"
        else:
            actor_type = _pick_type(rng)
        area_index = rng.randrange(len(areas))
        area = areas[area_index]
        municipality = rng.choice(area.municipalities)
        places = [municipality]
        if actor_type in ("health_services", "social_services", "kela") and rng.random() < 0.3:
            places.append(rng.choice(area.municipalities))
        places = list(dict.fromkeys(places))
        if not from_registry:
            while True:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                if name not in used:
                    break
                name = f"{name} {rng.randrange(2, 99)}"
                if name not in used:
                    break
            place_name = names_of.get(municipality, (municipality,))[0]
            organisation = rng.choice(ORGANISATIONS.get(actor_type, ("Demo {m}",))).format(m=place_name)
        used.add(name)
        tasks = _known(lookups, "task", TASKS_BY_TYPE.get(actor_type, ()))
        actors.append(
            DemoActor(
                name=name,
                organisation=organisation,
                actor_type=actor_type,
                job_title=rng.choice(JOB_TITLES.get(actor_type, ("Asiantuntija",))),
                municipalities=places,
                tasks=rng.sample(tasks, k=min(len(tasks), rng.randint(1, 3))),
                client_groups=rng.sample(client_groups, k=rng.randint(1, 2)),
                community=area_index * 2 + THEME_OF_TYPE.get(actor_type, 1),
                broker=rng.random() < 0.07,
            )
        )
    return actors


def generate_ties(
    actors: list[DemoActor], seed: int, keep: float = 1.0
) -> list[tuple[int, int, str, int, str]]:
    """Directed ties (source index, target index, kind, frequency, task code or ""): dense inside a
    community, sparser within an area, rare across areas, and brokers reaching into other communities.
    ``keep`` < 1 drops a share of them (an earlier round to compare with)."""
    rng = random.Random(seed + 1)
    kinds = list(TIE_KINDS)
    found: dict[tuple[int, int, str, str], int] = {}
    for i, a in enumerate(actors):
        for j, b in enumerate(actors):
            if i == j:
                continue
            if a.community == b.community:
                p = 0.16
            elif a.community // 2 == b.community // 2:
                p = 0.03
            else:
                p = 0.004
            if a.broker or b.broker:
                p = max(p, 0.06)
            if rng.random() >= p:
                continue
            shared = [t for t in a.tasks if t in b.tasks]
            task = rng.choice(shared) if shared and rng.random() < 0.6 else ""
            kind = rng.choices(kinds, weights=(5, 2, 2, 2))[0]
            frequency = rng.choices(
                (1, 2, 3, 4, 5), weights=(1, 3, 4, 3, 1) if a.community == b.community else (3, 4, 2, 1, 0.2)
            )[0]
            found[(i, j, kind, task)] = frequency
    ties = [(i, j, kind, f, task) for (i, j, kind, task), f in sorted(found.items())]
    if keep < 1.0:
        drop = random.Random(seed + 2)
        ties = [t for t in ties if drop.random() < keep]
    return ties


def as_csv(actors: list[DemoActor], ties: list[tuple[int, int, str, int, str]]) -> bytes:
    """The network as the one-file CSV form of the import (English headers)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Sheet",
            "Label",
            "Type",
            "Organisation",
            "Job title",
            "Municipalities",
            "Tasks",
            "Client groups",
            "From",
            "To",
            "Frequency",
            "Task",
        ]
    )
    for a in actors:
        writer.writerow(
            [
                "elements",
                a.name,
                a.actor_type,
                a.organisation,
                a.job_title,
                ";".join(a.municipalities),
                ";".join(a.tasks),
                ";".join(a.client_groups),
                "",
                "",
                "",
                "",
            ]
        )

    def ref(a: DemoActor) -> str:
        return f"{a.name} ({a.organisation})"

    for i, j, kind, frequency, task in ties:
        writer.writerow(
            ["connections", "", kind, "", "", "", "", "", ref(actors[i]), ref(actors[j]), frequency, task]
        )
    return out.getvalue().encode("utf-8")


def registry_members(services: Any, limit: int) -> list[tuple[str, str, str]]:
    """Up to ``limit`` active registry members (name, organisation, actor type), one per person."""
    if limit <= 0:
        return []
    found: dict[tuple[str, str], tuple[str, str, str]] = {}
    with services.reading() as con:
        try:
            rows = con.execute(
                "SELECT name, organisation, actor_type FROM gov_member WHERE active = 1 ORDER BY member_id"
            ).fetchall()
        except Exception:  # the governance plugin is disabled
            return []
    for name, organisation, actor_type in rows:
        found.setdefault(repository.actor_key(name, organisation), (name, organisation, actor_type))
        if len(found) >= limit:
            break
    return list(found.values())


def load_demo(
    services: Any,
    *,
    seed: int = 2026,
    size: int = 150,
    rounds: int = 2,
    round_date: str | None = None,
    registry_members_wanted: int = 0,
    username: str = "cli",
) -> list[importer.ImportResult]:
    """Generate and import the demo network: ``rounds`` rounds half a year apart (the newest on
    ``round_date``, default today), each marked as demo. Returns each round's import result."""
    lookups = codes.Lookups.load(services.areas)
    members = registry_members(services, registry_members_wanted)
    actors = generate_actors(lookups, seed, size, members)
    newest = date.fromisoformat(round_date) if round_date else date.today()
    id_maker = random.Random(seed + 3)

    def make_id() -> str:
        return f"a-{id_maker.getrandbits(48):012x}"

    results = []
    for back in reversed(range(rounds)):
        when = (newest - timedelta(days=182 * back)).isoformat()
        ties = generate_ties(actors, seed, keep=1.0 - 0.2 * back)
        results.append(
            importer.import_network(
                services,
                [("demo.csv", as_csv(actors, ties))],
                round_date=when,
                title=f"DEMO – keksitty verkosto / påhittat nätverk / invented network ({when})",
                username=username,
                is_demo=True,
                lookups=lookups,
                make_id=make_id,
            )
        )
    return results


__all__ = ["as_csv", "generate_actors", "generate_ties", "load_demo"]
