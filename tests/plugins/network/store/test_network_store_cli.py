"""``perhekeskus network import|template|demo`` as a coordinator runs them: the real console script in a
subprocess, on a data folder of its own."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import duckdb
import pytest
from network_store_files import CONNECTIONS, ELEMENTS, xlsx_bytes
from openpyxl import load_workbook
from support import cli, cli_env

BAD = [
    ("Liisa Virtanen", "ngo", "MLL", "", "", "", "", ""),
    ("Pekka", "wizard", "", "", "Atlantis", "", "", ""),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory, bodies_home) -> Path:
    home = tmp_path_factory.mktemp("network-cli") / "home"
    shutil.copytree(bodies_home, home)
    return home


def network(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli()), "network", *args],
        env=cli_env(home, "http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def store_count(home: Path, table: str) -> int:
    con = sqlite3.connect(home / "operational.sqlite")
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_a_bad_file_exits_non_zero_listing_every_bad_row_and_imports_nothing(home, tmp_path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes(BAD, [("Liisa Virtanen", "Nobody", "advice", 9, "")]))
    done = network(home, "import", str(bad), "--round", "2026-05-01")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "nothing was imported: 4 problem(s)" in done.stderr
    assert "elements, row 3, Type: Unknown actor type 'wizard'." in done.stderr
    assert "elements, row 3, Municipalities: Unknown municipality 'Atlantis'" in done.stderr
    assert "connections, row 2, To: Unknown actor 'Nobody'" in done.stderr
    assert "connections, row 2, Frequency: Frequency '9'" in done.stderr
    assert store_count(home, "network_actor") == 0 and store_count(home, "network_round") == 0


def test_a_good_file_exits_zero_and_is_published_to_the_warehouse(home, tmp_path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(ELEMENTS, CONNECTIONS))
    done = network(
        home, "import", str(good), "--round", "2026-05-01", "--area", "lantinen", "--title", "Kevät"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "round 2026-05-01-lantinen: 4 actors (4 new, 0 known), 4 connections, 2 matched" in done.stdout
    assert "published" in done.stdout
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT round_id, title FROM network_round").fetchall() == [
            ("2026-05-01-lantinen", "Kevät")
        ]
        assert con.execute("SELECT count(*) FROM network_tie").fetchone()[0] == 4
    finally:
        con.close()


def test_the_template_is_written_in_the_asked_language(tmp_path, home) -> None:
    out = tmp_path / "malli.xlsx"
    assert network(home, "template", str(out), "--lang", "en").returncode == 0
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["elements", "connections", "instructions"]
    assert [c.value for c in workbook["connections"][1]] == ["From", "To", "Type", "Frequency", "Task"]
