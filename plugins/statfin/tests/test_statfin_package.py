"""The distribution itself: found only through its entry point, public API only, consistent config."""

from __future__ import annotations

import ast
import json
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

from perhekeskus_statfin import HERE
from perhekeskus_statfin.series import load_series
from perhekeskus_statfin.source import StatfinSource


def test_registered_through_the_perhekeskus_entry_point():
    found = {ep.name: ep.value for ep in entry_points(group="perhekeskus")}
    assert found.get("statfin") == "perhekeskus_statfin.plugin"


def test_imports_only_the_public_perhekeskus_api():
    internal = []
    for path in HERE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else ([a.name for a in node.names] if isinstance(node, ast.Import) else [])
            )
            internal += [f"{path.name}: {n}" for n in names if n.startswith("perhekeskus.")]
    assert internal == []


def test_series_and_indicator_package_list_the_same_ids():
    package = tomllib.loads((HERE / "indicator_package.toml").read_text(encoding="utf-8"))
    themes = set(package["theme"])
    assert [i["id"] for i in package["indicator"]] == [s.id for s in load_series().series]
    assert {i["theme"] for i in package["indicator"]} <= themes


def test_source_declares_its_suites_attribution_and_schedule():
    source = StatfinSource()
    for suite in source.suites.values():
        assert (
            json.loads((HERE / "expectations" / f"{suite}.json").read_text(encoding="utf-8"))["name"] == suite
        )
    assert source.attribution == {
        "fi": "Lähde: Tilastokeskus",
        "sv": "Källa: Statistikcentralen",
        "en": "Source: Statistics Finland",
    }
    assert source.licence == "CC BY 4.0"
    assert source.schedule.split()[-1] == "1"  # weekly
    assert Path(source.indicator_package).is_file()
    assert source.url.endswith("/PxWeb/api/v1")


def test_bundled_regions_are_todays():
    regions = json.loads((HERE / "data" / "regions.json").read_text(encoding="utf-8"))["regions"]
    by_category: dict[str, int] = {}
    for r in regions:
        by_category[r["category"]] = by_category.get(r["category"], 0) + 1
    assert by_category == {"MAA": 1, "KUNTA": 308, "HYVINVOINTIALUE": 23, "MAAKUNTA": 19}


def test_on_by_default_and_switched_off_like_any_plugin(monkeypatch):
    from perhekeskus import registry

    monkeypatch.delenv("PERHEKESKUS_PLUGINS", raising=False)
    monkeypatch.delenv("PERHEKESKUS_DISABLE_PLUGINS", raising=False)
    registry.reset()
    try:
        assert isinstance(registry.sources().get("statfin"), StatfinSource)
        monkeypatch.setenv("PERHEKESKUS_DISABLE_PLUGINS", "statfin")
        registry.reset()
        assert "statfin" not in registry.sources()
    finally:
        monkeypatch.delenv("PERHEKESKUS_DISABLE_PLUGINS")
        registry.reset()
