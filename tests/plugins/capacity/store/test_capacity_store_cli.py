"""``perhekeskus capacity template|import|demo`` as a coordinator runs them: the real console script in a
subprocess, on a data folder of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from capacity_store_world import count, csv_bytes, history
from openpyxl import load_workbook
from support import cli, cli_env

from perhekeskus.warehouse.settings import Settings


@pytest.fixture
def home(tmp_path, capacity_template_home) -> Path:
    home = tmp_path / "home"
    shutil.copytree(capacity_template_home, home)
    return home


def capacity(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli()), "capacity", *args],
        env=cli_env(home, "http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_bad_file_exits_1_listing_every_bad_row_and_imports_nothing(home, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_bytes(
            ["Actor", "Week", "Available hours", "Booked hours"],
            [["A1", "2026-W10", "20", "5"], ["Nobody", "2026-W10", "x", "5"]],
        )
    )
    done = capacity(home, "import", str(bad), "--no-publish")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "nothing was imported: 2 problem(s) in bad.csv" in done.stderr
    assert "weekly capacity, row 3, Actor: Unknown actor 'Nobody': not on the network map." in done.stderr
    assert "weekly capacity, row 3, Available hours: 'x' is not a number of hours." in done.stderr
    settings = Settings(home=home)
    assert count(settings, "capacity_week") == 0 and history(settings) == []


def test_a_good_file_exits_0_with_a_summary_and_publishes(home, tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(
        csv_bytes(
            ["Toimija", "Viikko", "Käytettävissä tunteja", "Varattuja tunteja"],
            [["A1", "2026-W10", "20", "25"]],
        )
    )
    done = capacity(home, "import", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "changed 1 (competences +0 ~0 -0, weeks +1 ~0 -0, queues +0 ~0 -0), 1 warning(s)" in done.stdout
    assert "More hours booked (25) than available (20)" in done.stdout
    assert "published" in done.stdout
    again = capacity(home, "import", str(good), "--no-publish")
    assert again.returncode == 0 and "changed 0" in again.stdout


def test_import_as_a_user_and_an_unknown_user(home, tmp_path) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(
        csv_bytes(["Actor", "Week", "Available hours", "Booked hours"], [["A1", "2026-W10", "20", "5"]])
    )
    unknown = capacity(home, "import", str(good), "--as", "nobody", "--no-publish")
    assert unknown.returncode == 1 and "unknown or disabled user 'nobody'" in unknown.stderr
    province = capacity(home, "import", str(good), "--as", "province1", "--no-publish")  # no capacity.edit
    assert province.returncode == 1 and "outside your area or municipality" in province.stderr
    admin = capacity(home, "import", str(good), "--as", "admin1", "--no-publish")
    assert admin.returncode == 0, admin.stderr
    assert history(Settings(home=home)) == [("week", "A1|2026-W10", "insert", "import", "admin1")]


def test_the_templates_are_written_and_import_cleanly(home, tmp_path) -> None:
    out = tmp_path / "malli.xlsx"
    done = capacity(home, "template", str(out), "--lang", "sv")
    assert done.returncode == 0 and out.exists()
    assert load_workbook(out).sheetnames == ["Kompetenser", "Veckokapacitet", "Köer", "Instruktioner"]
    assert capacity(home, "import", str(out), "--no-publish").returncode == 0
    queues = tmp_path / "jonot.csv"
    assert capacity(home, "template", str(queues), "--kind", "queues").returncode == 0
    assert "Jonossa perheitä" in queues.read_text(encoding="utf-8-sig")
    assert capacity(home, "import", str(queues), "--no-publish").returncode == 0
    assert capacity(home, "template", str(tmp_path / "malli.txt")).returncode == 1


def test_demo_and_its_removal(tmp_path) -> None:
    home = tmp_path / "fresh"
    made = capacity(home, "demo", "--no-publish")
    assert made.returncode == 0, made.stderr
    assert "DEMO figures" in made.stdout
    settings = Settings(home=home)
    assert count(settings, "capacity_week") > 0
    removed = capacity(home, "demo", "--remove", "--no-publish")
    assert removed.returncode == 0
    for table in ("capacity_competence", "capacity_week", "capacity_queue", "capacity_history"):
        assert count(settings, table) == 0
