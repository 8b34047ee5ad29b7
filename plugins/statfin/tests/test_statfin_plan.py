"""Query splitting, the server's limits and finding variables by role (old and 2026 codes)."""

from __future__ import annotations

import math
from itertools import product

from perhekeskus_statfin.client import Limits
from perhekeskus_statfin.plan import split
from perhekeskus_statfin.snapshot import population_table
from perhekeskus_statfin.variables import match_content, resolve


def cells(selection):
    return set(product(*selection.values()))


def test_split_stays_under_the_limit_and_asks_for_every_cell_once():
    selection = {
        "alue": [f"KU{i:03d}" for i in range(309)],
        "vuosi": ["2023", "2024"],
        "ika": list("0123456"),
    }
    for limit in (120_000, 1000, 50, 7, 1):
        parts = split(selection, limit)
        assert all(math.prod(len(v) for v in p.values()) <= limit for p in parts), limit
        asked = [c for p in parts for c in cells(p)]
        assert len(asked) == len(set(asked)) == len(cells(selection)), limit


def test_limits_from_config_new_and_old_servers():
    assert Limits.from_config(
        {"maxValues": 120000, "maxCells": 120000, "maxCalls": 40, "timeWindow": 60}
    ) == Limits(120000, 40, 60.0)
    assert Limits.from_config({"maxValues": 10000, "maxCalls": 30, "timeWindow": 10}) == Limits(
        10000, 30, 10.0
    )
    assert Limits.from_config({}) == Limits(10000, 30, 10.0)


def test_roles_are_found_from_values_whatever_the_codes():
    for style, area, contents in (("2026", "alue_23_20260101", "vaerak-vaesto"), ("old", "Alue", "vaesto")):
        table = population_table(style=style)
        roles = resolve("vaerak/11re", {"variables": table.variables})
        assert roles.area.code == area and roles.time is not None and roles.sex is not None
        assert roles.age is not None and roles.others == []
        assert match_content(roles.contents, ["vaesto"]) == contents
