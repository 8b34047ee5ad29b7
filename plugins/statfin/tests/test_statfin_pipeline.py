"""``perhekeskus etl run --source statfin`` end to end, as a user runs it: the installed package found
through its entry point, a local PxWeb server, the platform's audit, quarantine and publish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from perhekeskus_statfin.areas import bundled_regions
from perhekeskus_statfin.snapshot import DEMO_AREAS, population_table
from statfin_testing import serving, tables

from perhekeskus import Services, Settings

CLI = Path(sys.executable).parent / "perhekeskus"
CONTENT = "vaerak-vaesto"


def etl(home: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PERHEKESKUS_HOME": str(home),
        "PERHEKESKUS_STATFIN_URL": url,
        "PERHEKESKUS_HTTP_RETRIES": "2",
        "PERHEKESKUS_HTTP_MAX_WAIT": "2",
    }
    env.pop("PREFECT_API_URL", None)
    return subprocess.run(
        [str(CLI), "etl", "run", "--source", "statfin", "--no-prefect", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def rows(home: Path, sql: str, params=None) -> list[tuple]:
    return Services.create(Settings(home=home)).reader.rows(sql, params or [])


def test_etl_run_loads_quarantines_splits_and_skips_unchanged_tables(tmp_path):
    def value(area, year, sex, age):
        return -7 if (area, year, sex, age) == ("KU536", 2024, "SSS", "004") else ...

    # a few odd codes among many real areas, as in a real table (309 areas): quarantined, not blocking
    municipalities = sorted(f"KU{code}" for category, code in bundled_regions().keys if category == "KUNTA")
    areas = (*DEMO_AREAS, *[m for m in municipalities[:40] if m not in DEMO_AREAS], "X", "MA2X", "200")
    population = population_table(areas=areas, value=value)
    config = {"maxValues": 2000, "maxCells": 2000, "maxCalls": 40, "timeWindow": 60}
    with serving(tables(vaerak__11re=population), config=config) as server:
        first = etl(tmp_path, server.base_url)
        assert first.returncode == 0, first.stdout + first.stderr
        posts = server.state.data_posts()
        assert posts and max(p.cells for p in posts) <= 2000 and len(posts) > 3

        expected = sum(population.cells[("KU837", "2024", "SSS", f"{a:03d}", CONTENT)] for a in range(7))
        found = rows(
            tmp_path,
            "SELECT value FROM indicator_value WHERE source = 'statfin' AND indicator_id = 'children_0_6' "
            "AND region_category = 'KUNTA' AND region_code = '837' AND gender = 'total' AND year = 2024",
        )
        assert found == [(expected,)]
        quarantined = rows(tmp_path, "SELECT record, reason FROM quarantine WHERE source = 'statfin'")
        reasons = {reason for _, reason in quarantined}
        records = " ".join(record for record, _ in quarantined)
        assert "area code is not a known region (municipality, county, region or SSS)" in reasons
        assert all(f'"{code}"' in records for code in ("X", "MA2X", "200"))
        assert "negative count in a StatFin cell" in reasons and '"KU536"' in records
        loaded = rows(tmp_path, "SELECT count(*) FROM indicator_value WHERE source = 'statfin'")[0][0]
        assert loaded > 0
        package = rows(tmp_path, "SELECT indicator_id FROM indicator_package WHERE source = 'statfin'")
        assert ("children_0_6",) in package

        before = len(server.state.data_posts())
        second = etl(tmp_path, server.base_url)
        assert second.returncode == 0, second.stdout + second.stderr
        assert len(server.state.data_posts()) == before
        assert rows(tmp_path, "SELECT count(*) FROM indicator_value WHERE source = 'statfin'")[0][0] == loaded

        server.state.old_ids.add("synt/12dt")
        broken = etl(tmp_path, server.base_url, "--full")
        assert broken.returncode != 0
        assert "StatFin table synt/12dt: HTTP 400" in broken.stdout + broken.stderr
        assert rows(tmp_path, "SELECT count(*) FROM indicator_value WHERE source = 'statfin'")[0][0] == loaded
