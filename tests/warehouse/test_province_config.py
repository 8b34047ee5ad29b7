"""No province in the code: the province configuration (warehouse/province.toml) is the one source of
the province, its wellbeing services county, its coordination areas, its municipalities' names and the
governance registry's default bodies.

The product is run here with another county's configuration (Keski-Suomi, tests/fixtures/province):
the pipeline against the bundled demo snapshot, the Dash router callback for every level in every
language, and the governance page and its default bodies. Its pages name Keski-Suomi and never
Pirkanmaa.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from support import load_bundled_snapshot, router_body

from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse.areas import (
    AreaConfigError,
    default_areas_path,
    default_province_path,
    load_areas,
)
from perhekeskus.warehouse.settings import Settings

REPO = Path(__file__).resolve().parents[2]
KESKI_SUOMI = REPO / "tests" / "fixtures" / "province" / "keski_suomi.toml"
ORIGIN = {"Origin": "http://localhost"}
# the default province's names in any language and form, and a few of its places
PIRKANMAA = re.compile(r"Pirkanma|Birkaland|Tampere|Tammerfors|Nokia|Läntinen alue|Western area", re.I)
CODE_FOLDERS = ("dashboard", "etl", "warehouse", "perhekeskus", "plugins", "expectations")
# the one place a name may stay: the demo snapshot builder's table of all 23 counties' official names
COUNTRY_WIDE_TABLE = re.compile(r'^\s*"\d\d": \("[^"]+", "[^"]+ wellbeing services county"\),$')


# --- the file -------------------------------------------------------------------------------------------


def test_the_default_is_pirkanmaa_in_one_file() -> None:
    areas = load_areas()
    assert default_province_path().name == "province.toml"
    assert default_areas_path() == default_province_path()
    assert (areas.province_code, areas.county_code) == ("06", "08")
    assert [areas.province_name(lang) for lang in ("fi", "sv", "en")] == [
        "Pirkanmaa",
        "Birkaland",
        "Pirkanmaa",
    ]
    assert [areas.province_genitive(lang) for lang in ("fi", "sv", "en")] == [
        "Pirkanmaan",
        "Birkalands",
        "Pirkanmaa's",
    ]
    assert areas.county_name("sv") == "Birkalands välfärdsområde"
    # the municipalities' names, once in plugins/governance, are in the same file now
    assert set(areas.municipality_names()) == set(areas.municipalities)
    assert areas.municipality_names()["837"] == ("Tampere", "Tammerfors")
    # the default bodies keep the names they had when they were written in the code
    assert areas.default_body_names("provincial_steering_group") == (
        "Maakunnallinen ohjausryhmä – Pirkanmaa",
        "Landskapets styrgrupp – Birkaland",
        "Provincial steering group – Pirkanmaa",
    )
    assert areas.default_body_names("coordination_group", areas.area("pohjoinen")) == (
        "Koordinaatioryhmä – Pohjoinen alue",
        "Koordineringsgrupp – Norra området",
        "Coordination group – Northern area",
    )
    assert areas.default_body_names("local_steering_group", areas.area("pohjoinen"), "837") == (
        "Perhekeskuksen ohjausryhmä – Tampere",
        "Familjecentralens styrgrupp – Tammerfors",
        "Family centre steering group – Tampere",
    )
    assert not (REPO / "plugins" / "governance" / "municipality_names.toml").exists()
    assert not (REPO / "warehouse" / "coordination_areas.toml").exists()


def test_another_county_is_read_from_its_own_file() -> None:
    areas = load_areas(KESKI_SUOMI)
    assert (areas.province_code, areas.county_code) == ("13", "15")
    assert [areas.province_name(lang) for lang in ("fi", "sv", "en")] == [
        "Keski-Suomi",
        "Mellersta Finland",
        "Central Finland",
    ]
    assert areas.province_genitive("fi") == "Keski-Suomen"
    assert areas.county_name("en") == "Central Finland wellbeing services county"
    assert [a.area_id for a in areas.areas] == ["jyvaskylan-seutu", "reuna"]
    assert areas.area_of("992").area_id == "reuna"
    assert areas.area_of("837") is None
    # [governance] replaces two of the three defaults; one area names its own group
    assert (
        areas.default_body_names("provincial_steering_group")[0] == "Perhekeskusten ohjausryhmä – Keski-Suomi"
    )
    assert areas.default_body_names("coordination_group", areas.area("jyvaskylan-seutu")) == (
        "Koordinaatioryhmä – Jyväskylän seutu",
        "Koordineringsgrupp – Jyväskyläregionen",
        "Coordination group – Jyväskylä region",
    )
    assert (
        areas.default_body_names("coordination_group", areas.area("reuna"))[2]
        == "Outer areas' coordination group"
    )
    assert areas.default_body_names("local_steering_group", areas.area("jyvaskylan-seutu"), "410") == (
        "Perhekeskus Laukaa",
        "Familjecentralen Laukas",
        "Family centre Laukaa",
    )


def test_genitives_not_given_are_derived(tmp_path: Path) -> None:
    text = KESKI_SUOMI.read_text(encoding="utf-8")
    text = text.replace('genitive_sv = "Mellersta Finlands"\n', "").replace(
        'genitive_en = "Central Finland\'s"\n', ""
    )
    path = tmp_path / "province.toml"
    path.write_text(text, encoding="utf-8")
    areas = load_areas(path)
    assert (areas.province_genitive("sv"), areas.province_genitive("en")) == (
        "Mellersta Finlands",
        "Central Finland's",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('genitive_fi = "Keski-Suomen"\n', ""), r"missing \[province\] genitive_fi"),
        (('[county]\ncode = "15"\n', "[county]\n"), r"missing \[county\] code"),
        (('"992" = { fi', '"091" = { fi'), "names 091, which is in no area"),
        (('"182" = { fi = "Jämsä", sv = "Jämsä" }', '"182" = { sv = "Jämsä" }'), "182 has no fi name"),
        (("Perhekeskus {municipality}", "Perhekeskus {kunta}"), r"uses \{kunta\}"),
        (("Perhekeskusten ohjausryhmä – {province}", "Ohjausryhmä – {area}"), r"uses \{area\}"),
        (
            ("[governance]\n", "[governance]\nfamily_centre = { fi = 'a', sv = 'b', en = 'c' }\n"),
            "'family_centre'",
        ),
        ((', en = "Outer areas\' coordination group"', ""), "coordination_group has no en name"),
    ],
)
def test_a_broken_province_file_says_what_is_wrong(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = KESKI_SUOMI.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "province.toml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(AreaConfigError, match=message):
        load_areas(path)


def test_the_environment_names_the_province_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PERHEKESKUS_HOME", str(tmp_path))
    monkeypatch.delenv("PERHEKESKUS_PROVINCE_FILE", raising=False)
    monkeypatch.setenv("PERHEKESKUS_AREAS_FILE", "/old/areas.toml")  # the older name still works
    assert Settings.from_env().areas_file == Path("/old/areas.toml")
    monkeypatch.setenv("PERHEKESKUS_PROVINCE_FILE", str(KESKI_SUOMI))  # and the new one wins
    assert Settings.from_env().areas_file == KESKI_SUOMI
    assert load_areas(Settings.from_env().areas_file).province_code == "13"


def test_no_province_is_named_in_the_code() -> None:
    """Page texts and defaults take the province's names from the configuration (comments aside)."""
    found = []
    for folder in CODE_FOLDERS:
        for path in sorted((REPO / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                code = line.split("#", 1)[0]
                if re.search(r"pirkanma|birkaland", code, re.I) and not COUNTRY_WIDE_TABLE.match(line):
                    found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


# --- the product, run for Keski-Suomi ---------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    app: object
    settings: Settings


@pytest.fixture(scope="module")
def keski_suomi(tmp_path_factory) -> World:
    home = tmp_path_factory.mktemp("keski-suomi") / "home"
    settings, _summary = load_bundled_snapshot(home, areas_file=KESKI_SUOMI)
    return World(create_app(settings), settings)


def page_text(world: World, pathname: str, lang: str) -> str:
    """The page as the browser receives it from the router callback."""
    client = world.app.server.test_client()
    body = router_body(pathname, f"?lang={lang}")
    response = client.post("/_dash-update-component", json=body, headers=ORIGIN)
    assert response.status_code == 200, (pathname, response.text[:300])
    return json.dumps(response.get_json(), ensure_ascii=False)


def without_comparison_choices(text: str) -> str:
    """The page's JSON without the options of the comparison dropdown (``view-compare``)."""
    data = json.loads(text)

    def strip(node):
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and props.get("id") == "view-compare":
                return {**node, "props": {**props, "options": []}}
            return {k: strip(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(data), ensure_ascii=False)


EXPECTED = {
    # lang: (the brand's subtitle, the province page's intro, the fifths header of a municipality's key figures)
    "fi": ("Keski-Suomen perhekeskukset", "Koko Keski-Suomi:", "Sijoittuminen Keski-Suomen kuntien joukossa"),
    "sv": (
        "Mellersta Finlands familjecentraler",
        "Hela Mellersta Finland:",
        "Placering bland Mellersta Finlands kommuner",
    ),
    "en": (
        "Central Finland's family centres",
        "All of Central Finland:",
        "Place among Central Finland's municipalities",
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_names_the_configured_province_and_never_pirkanmaa(keski_suomi: World, lang: str) -> None:
    subtitle, province_intro, place = EXPECTED[lang]
    pages = {
        path: page_text(keski_suomi, path, lang)
        for path in (
            "/",
            "/maakunta",
            "/alue/jyvaskylan-seutu",
            "/alue/reuna",
            "/kunta/179",
            "/kunta/992",
            "/hallinto",
        )
    }
    for path, text in pages.items():
        assert subtitle in text, path
        # the comparison control offers every Finnish municipality and county with data ("Tampere –
        # Pirkanmaa" is a fair choice in Central Finland); nothing else may name Pirkanmaa
        text = without_comparison_choices(text)
        assert not PIRKANMAA.search(text), (path, PIRKANMAA.search(text).group(0))
    assert province_intro in pages["/maakunta"]
    assert place in pages["/kunta/179"]
    assert {"fi": "Keski-Suomen", "sv": "Mellersta Finlands", "en": "Central Finland's"}[lang] in pages["/"]
    municipality = {"fi": "Keski-Suomi", "sv": "Mellersta Finland", "en": "Central Finland"}[lang]
    assert f"{municipality})" in pages["/kunta/992"] or f"in {municipality}." in pages["/kunta/992"]


def test_the_governance_defaults_follow_the_configuration(keski_suomi: World) -> None:
    areas = load_areas(KESKI_SUOMI)
    bodies = model.bodies(keski_suomi.settings, areas)
    assert set(bodies) == {
        "maakunta",
        "alue-jyvaskylan-seutu",
        "alue-reuna",
        "kunta-179",
        "kunta-410",
        "kunta-500",
        "kunta-182",
        "kunta-992",
    }
    assert bodies["maakunta"].name_fi == "Perhekeskusten ohjausryhmä – Keski-Suomi"
    assert bodies["maakunta"].name_sv == "Familjecentralernas styrgrupp – Mellersta Finland"
    assert bodies["alue-reuna"].name_en == "Outer areas' coordination group"
    assert bodies["alue-jyvaskylan-seutu"].name_fi == "Koordinaatioryhmä – Jyväskylän seutu"
    assert bodies["kunta-410"].name_sv == "Familjecentralen Laukas"
    assert bodies["kunta-992"].parent_id == "alue-reuna"
    assert model.ensure_default_bodies(keski_suomi.settings, areas) == 0  # the app made them already
    page = page_text(keski_suomi, "/hallinto", "sv")
    assert "Mellersta Finland" in page and "Laukas" in page and "Kantområdenas koordineringsgrupp" in page


def test_the_user_admin_gives_examples_from_the_configuration(keski_suomi: World) -> None:
    from perhekeskus.dashboard.access import users

    password = "correct horse battery"
    users.add(keski_suomi.settings, load_areas(KESKI_SUOMI), "ks-admin", password, [("admin", None)])
    client = keski_suomi.app.server.test_client()
    form = client.get("/kirjaudu").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed_in = client.post(
        "/kirjaudu",
        data={"username": "ks-admin", "password": password, "csrf_token": token},
        headers=ORIGIN,
    )
    assert signed_in.status_code == 303, signed_in.text[:300]
    page = client.get("/yllapito/kayttajat?lang=en").text
    assert "region:jyvaskylan-seutu, local:179" in page
    assert "Central Finland&#39;s family centres" in page or "Central Finland's family centres" in page
    assert not PIRKANMAA.search(page), PIRKANMAA.search(page).group(0)
