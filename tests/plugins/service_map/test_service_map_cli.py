"""``perhekeskus services template|import`` in a subprocess: exit codes, every bad row on stderr, nothing
imported from a bad file (the publish after an import is covered by the source's test)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from service_map_helpers import count, csv_file
from support import cli, cli_env

from perhekeskus.warehouse.settings import Settings


def _template() -> bytes:
    from perhekeskus.plugins.service_map.services.template import template_bytes
    from perhekeskus.warehouse.areas import load_areas

    return template_bytes("xlsx", load_areas())


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(cli()), "services", *args],
        env=cli_env(home, "http://127.0.0.1:9"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home.parent,
    )


def test_template_then_import_exit_zero_and_a_bad_file_names_every_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    template = tmp_path / "palvelut.xlsx"
    template.write_bytes(_template())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_file(
            '"Ryhmä","MLL","ngo","Atlantis","family_work","babies","","","",""',
            '"","MLL","ngo","536","family_work","babies","","","",""',
            '"Ryhmä","MLL","ngo","536","family_work","martians","","","",""',
        )
    )
    refused = run(home, "import", str(bad))
    assert refused.returncode == 1
    assert "nothing was imported: 3 problems" in refused.stderr
    assert "row 2, Municipalities: Unknown value: Atlantis" in refused.stderr
    assert "row 3, Service name: This is required." in refused.stderr
    assert "row 4, Client groups: Unknown value: martians" in refused.stderr
    assert count(Settings(home=home)) == 0
    done = run(home, "import", str(template), "--no-publish")
    assert done.returncode == 0, done.stderr
    assert "imported 1 rows: 1 added" in done.stdout
    assert count(Settings(home=home)) == 1


def test_a_wrong_template_name_or_a_missing_file_is_exit_2(tmp_path: Path, capsys) -> None:
    """The same command function in-process (a subprocess costs seconds of start-up)."""
    import argparse

    from perhekeskus import Services
    from perhekeskus.plugins.service_map.services import hooks

    parser = argparse.ArgumentParser()
    hooks.add_arguments(parser)
    services = Services.create(Settings(home=tmp_path / "home"))
    assert hooks.run(parser.parse_args(["template", str(tmp_path / "x.pdf")]), services) == 2
    assert hooks.run(parser.parse_args(["template", str(tmp_path / "t.csv"), "--lang", "sv"]), services) == 0
    assert "Tjänstens namn" in (tmp_path / "t.csv").read_text(encoding="utf-8-sig")
    assert hooks.run(parser.parse_args(["import", str(tmp_path / "missing.csv")]), services) == 2
    assert "cannot read" in capsys.readouterr().err
