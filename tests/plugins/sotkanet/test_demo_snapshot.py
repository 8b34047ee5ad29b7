"""The bundled demo snapshot describes today's Finland where it claims to, and is what its generator writes.

The snapshot is loaded the way the product loads it (``perhekeskus.plugins.sotkanet.demo.load_demo``: the snapshot
server on 127.0.0.1, the real Sotkanet client and source, the whole pipeline), and the published
warehouse is read back. Region membership is read from ``region_membership``, which comes from the
snapshot's ``memberOf`` links only (the area configuration overrides nothing there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES, query

from perhekeskus.etl.demo import load_demo
from perhekeskus.plugins.sotkanet.demo import DEMO_SNAPSHOT
from perhekeskus.plugins.sotkanet.make_demo_snapshot import build
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

# Today's Pirkanmaa (maakunta 06, wellbeing services county 08): Statistics Finland codes.
PIRKANMAA = {
    "020": "Akaa",
    "108": "Hämeenkyrö",
    "143": "Ikaalinen",
    "177": "Juupajoki",
    "211": "Kangasala",
    "250": "Kihniö",
    "291": "Kuhmoinen",
    "418": "Lempäälä",
    "508": "Mänttä-Vilppula",
    "536": "Nokia",
    "562": "Orivesi",
    "581": "Parkano",
    "604": "Pirkkala",
    "619": "Punkalaidun",
    "635": "Pälkäne",
    "702": "Ruovesi",
    "790": "Sastamala",
    "837": "Tampere",
    "887": "Urjala",
    "908": "Valkeakoski",
    "922": "Vesilahti",
    "936": "Virrat",
    "980": "Ylöjärvi",
}
# Municipalities that ended since 2014 -> the one each joined.
MERGED = {
    "476": "297", "413": "609", "838": "423", "283": "098", "532": "398", "164": "301",
    "319": "783", "174": "297", "442": "051", "911": "541", "099": "214", "588": "507",
}  # fmt: skip
COUNTIES = {f"{n:02d}" for n in range(1, 22)}  # the 21 wellbeing services counties
HELSINKI, ALAND = "90", "91"  # Sotkanet lists both in HYVINVOINTIALUE too


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A warehouse holding the demo snapshot, loaded through the product's own demo path."""
    settings = Settings(home=tmp_path_factory.mktemp("demo") / "home", http_timeout=10)
    summary = load_demo(settings, "sotkanet")
    assert summary.status == "success", summary.message
    return settings


def parents(settings: Settings, category: str, code: str, parent_category: str) -> list[str]:
    rows = query(
        settings,
        "SELECT parent_code FROM region_membership WHERE region_category = ? AND region_code = ? "
        "AND parent_category = ? ORDER BY parent_code",
        [category, code, parent_category],
    )
    return [r[0] for r in rows]


def test_demo_lists_todays_308_municipalities(demo: Settings) -> None:
    codes = {r[0] for r in query(demo, "SELECT region_code FROM region WHERE region_category = 'KUNTA'")}
    assert len(codes) == 308
    assert not codes & set(MERGED), "municipalities merged since 2014 are still listed"
    assert set(MERGED.values()) <= codes


def test_kuhmoinen_belongs_to_pirkanmaa(demo: Settings) -> None:
    assert parents(demo, "KUNTA", "291", "MAAKUNTA") == ["06"]
    assert parents(demo, "KUNTA", "291", "HYVINVOINTIALUE") == ["08"]
    province, county = query(
        demo,
        "SELECT province_code, county_code FROM region WHERE region_category = 'KUNTA' AND region_code = '291'",
    )[0]
    assert (province, county) == ("06", "08")


def test_wellbeing_services_counties_as_sotkanet_lists_them(demo: Settings) -> None:
    rows = dict(
        query(demo, "SELECT region_code, name_fi FROM region WHERE region_category = 'HYVINVOINTIALUE'")
    )
    assert set(rows) == COUNTIES | {HELSINKI, ALAND}
    assert len(COUNTIES | {HELSINKI}) == 22  # 21 counties plus the City of Helsinki
    assert rows["08"] == "Pirkanmaan hyvinvointialue"
    assert rows[HELSINKI] == "Helsingin kaupunki"
    names = query(demo, "SELECT name_sv, name_en FROM region WHERE region_category = 'HYVINVOINTIALUE'")
    assert all(sv and en and sv != en for sv, en in names if sv != "Åland"), "sv/en titles are real names"
    # every municipality belongs to exactly one of them
    counts = query(
        demo,
        "SELECT r.region_code, count(m.parent_code) FROM region r LEFT JOIN region_membership m "
        "ON m.region_category = r.region_category AND m.region_code = r.region_code "
        "AND m.parent_category = 'HYVINVOINTIALUE' WHERE r.region_category = 'KUNTA' GROUP BY 1",
    )
    assert len(counts) == 308 and {n for _, n in counts} == {1}
    assert parents(demo, "KUNTA", "091", "HYVINVOINTIALUE") == [HELSINKI]
    assert parents(demo, "KUNTA", "049", "HYVINVOINTIALUE") == ["03"]  # Espoo: Länsi-Uusimaa


def test_every_pirkanmaa_municipality_is_in_pirkanmaa(demo: Settings) -> None:
    names = dict(query(demo, "SELECT region_code, name_fi FROM region WHERE region_category = 'KUNTA'"))
    assert {code: names.get(code) for code in PIRKANMAA} == PIRKANMAA
    in_maakunta = {
        r[0]
        for r in query(
            demo,
            "SELECT region_code FROM region_membership WHERE region_category = 'KUNTA' "
            "AND parent_category = 'MAAKUNTA' AND parent_code = '06'",
        )
    }
    in_county = {
        r[0]
        for r in query(
            demo,
            "SELECT region_code FROM region_membership WHERE region_category = 'KUNTA' "
            "AND parent_category = 'HYVINVOINTIALUE' AND parent_code = '08'",
        )
    }
    assert in_maakunta == in_county == set(PIRKANMAA)
    assert sorted(load_areas(demo.areas_file).municipalities) == sorted(PIRKANMAA)


def test_committed_snapshot_is_what_the_generator_writes(tmp_path: Path) -> None:
    build(FIXTURES, tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DEMO_SNAPSHOT) for p in DEMO_SNAPSHOT.rglob("*") if p.is_file())
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_bytes() == (DEMO_SNAPSHOT / name).read_bytes(), f"{name} is stale"


def test_readme_names_what_is_invented() -> None:
    readme = (DEMO_SNAPSHOT / "README.md").read_text(encoding="utf-8")
    for claim in ("## Invented", "range", "data-updated", "decimals", "Every value", "CC BY 4.0", "308"):
        assert claim in readme
    assert "real region list" not in readme.lower()
