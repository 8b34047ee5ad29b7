"""The bundled demo snapshot, loaded through the same code path as a live run and marked as demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from perhekeskus_statfin.demo import DEMO_SNAPSHOT
from perhekeskus_statfin.server import load_tables

from perhekeskus import Services, Settings

CLI = Path(sys.executable).parent / "perhekeskus"


def test_demo_load_runs_the_source_against_the_bundled_snapshot(tmp_path):
    env = {**os.environ, "PERHEKESKUS_HOME": str(tmp_path)}
    env.pop("PREFECT_API_URL", None)
    done = subprocess.run(
        [str(CLI), "demo", "load", "--source", "statfin"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    reader = Services.create(Settings(home=tmp_path)).reader
    runs = reader.rows("SELECT status, is_demo FROM etl_run WHERE source = 'statfin'")
    assert runs == [("success", True)]
    births = load_tables(DEMO_SNAPSHOT)["synt/12dt"]
    found = reader.rows(
        "SELECT value FROM indicator_value WHERE source = 'statfin' AND indicator_id = 'live_births' "
        "AND region_code = '837' AND year = 2024 AND gender = 'total'"
    )
    assert found == [(births.cells[("KU837", "2024", "SSS", "synt-vm01")],)]
    assert "Demo data, not Statistics Finland's figures" in (DEMO_SNAPSHOT / "README.md").read_text(
        encoding="utf-8"
    )


def test_both_sources_keep_their_themes_whatever_order_they_load_in(tmp_path):
    """Each source's indicator package declares its own themes; loading one must not drop another's."""
    env = {**os.environ, "PERHEKESKUS_HOME": str(tmp_path)}
    env.pop("PREFECT_API_URL", None)
    for source in ("sotkanet", "statfin", "sotkanet"):
        done = subprocess.run(
            [str(CLI), "demo", "load", "--source", source],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    reader = Services.create(Settings(home=tmp_path)).reader
    orphans = reader.rows(
        "SELECT p.source, p.indicator_id, p.theme_id FROM indicator_package p "
        "LEFT JOIN theme t USING (theme_id) WHERE t.theme_id IS NULL"
    )
    assert orphans == []
    sources = {r[0] for r in reader.rows("SELECT DISTINCT source FROM indicator_package")}
    assert sources == {"sotkanet", "statfin"}
