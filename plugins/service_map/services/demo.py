"""An invented service map across the province, so that a new installation shows what the map does.

Every service made here is invented, has ``is_demo`` set (the page says so in a banner, each demo
service is marked, and exports carry a Demo column) and "(demo)" in its name. The same seed gives the
same map; running it again replaces the previous demo services and leaves real ones alone. Small
municipalities get fewer services, so the demo has gaps, single providers and overlaps to read.
"""

from __future__ import annotations

import random
from typing import Any

from perhekeskus.plugins.service_map.services import analysis, repository
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

SEED = 2026
# task → (service name, provider template, actor type, forms); {m} is the municipality's name and
# {county} the wellbeing services county's (from the province configuration)
TEMPLATES: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "parenting_couple": [
        ("Parisuhdeilta", "Seurakunta ({m})", "parish", ("group",)),
        ("Vanhemmuuden tukiryhmä", "Perhekeskusyhdistys ry", "ngo", ("group", "digital")),
    ],
    "maternity_child_clinic": [
        (
            "Äitiys- ja lastenneuvola {m}",
            "{county}",
            "health_services",
            ("in_person", "home_visit"),
        )
    ],
    "family_planning": [("Perhesuunnitteluneuvola", "{county}", "health_services", ("in_person",))],
    "home_help": [
        ("Lapsiperheiden kotipalvelu", "{county}", "social_services", ("home_visit",)),
        ("Kotiapu vauvaperheille", "Lapsiperheapu ry", "ngo", ("home_visit",)),
    ],
    "family_work": [("Perhetyö", "{county}", "social_services", ("home_visit", "in_person"))],
    "child_guidance": [("Kasvatus- ja perheneuvola", "{county}", "social_services", ("in_person", "phone"))],
    "psychosocial_support": [
        (
            "Nuorten mielenterveystuki",
            "{county}",
            "health_services",
            ("in_person", "digital"),
        ),
        ("Chat-tuki nuorille", "Nuorten tuki ry", "ngo", ("digital",)),
    ],
    "family_social_work": [("Lapsiperheiden sosiaalityö", "{county}", "social_services", ("in_person",))],
    "divorce_services": [
        ("Perheasioiden sovittelu", "{county}", "social_services", ("in_person",)),
        ("Eroryhmä lapsille", "Seurakunta ({m})", "parish", ("group",)),
    ],
    "domestic_violence_prevention": [
        ("Väkivaltatyön neuvonta", "Turvakoti ry", "ngo", ("phone", "in_person"))
    ],
    "rehabilitation": [("Puhe- ja toimintaterapia", "{county}", "health_services", ("in_person",))],
    "open_meeting_places": [
        ("Perhekahvila", "Seurakunta ({m})", "parish", ("group",)),
        ("Avoin kohtaamispaikka", "Kunta ({m})", "education", ("group",)),
        ("MLL:n perhekahvila", "Lastenhoitoyhdistys ry", "ngo", ("group",)),
    ],
    "ecec_school_welfare": [
        ("Koulun ja varhaiskasvatuksen yhteistyö", "Kunta ({m})", "education", ("in_person",))
    ],
    "leisure_peer_groups": [
        ("Perheliikuntakerho", "Kunta ({m})", "youth_sports_culture", ("group",)),
        ("Vertaisryhmä vauvaperheille", "Perhekeskusyhdistys ry", "ngo", ("group",)),
    ],
}


def _groups(rng: random.Random, task: str, expected: analysis.Expected, all_groups: list[str]) -> list[str]:
    fitting = [g for g in all_groups if expected(task, g)]
    return sorted(rng.sample(fitting, k=min(len(fitting), rng.randint(1, 3))), key=all_groups.index)


def demo_rows(areas: Any, seed: int = SEED) -> list[dict[str, Any]]:
    """The invented services as clean values (as :func:`values.validate` returns them)."""
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    expected = analysis.Expected.load()
    all_groups = vocabulary.codes("client_group")
    names = areas.municipality_names()
    county = areas.county_name("fi") or "Hyvinvointialue"
    rows: list[dict[str, Any]] = []
    for area in areas.areas:
        for position, code in enumerate(area.municipalities):
            town = names.get(code, (code, code))[0]
            chance = 0.8 if position < 3 else 0.45  # the first municipalities of an area get more
            for task in vocabulary.codes("task"):
                for name, provider, actor_type, forms in TEMPLATES.get(task, []):
                    if rng.random() > chance:
                        continue
                    rows.append(
                        {
                            "name": f"{name.format(m=town)} (demo)",
                            "description": "Keksitty esimerkkipalvelu / Påhittad exempeltjänst / Invented example service",
                            "provider": provider.format(m=town, county=county),
                            "actor_type": actor_type,
                            "municipalities": (code,),
                            "tasks": (task,),
                            "client_groups": tuple(_groups(rng, task, expected, all_groups)),
                            "forms": forms,
                            "languages": ("fi", "sv") if rng.random() < 0.15 else ("fi",),
                            "referral_needed": actor_type in ("health_services", "social_services")
                            and rng.random() < 0.5,
                            "contact_url": "https://example.org/demo",
                            "actors": (),
                        }
                    )
    return rows


def load_demo(settings: Settings, areas: Any, actor: str = "demo") -> int:
    """Replace the demo services with a fresh invented map; real services are left alone."""
    rows = demo_rows(areas)
    with operational.transaction(settings) as con:
        con.execute("DELETE FROM service WHERE is_demo = 1")
        for clean in rows:
            repository.insert(con, clean, actor, origin="demo", is_demo=True)
    return len(rows)


def remove_demo(settings: Settings) -> int:
    with operational.transaction(settings) as con:
        return con.execute("DELETE FROM service WHERE is_demo = 1").rowcount
