"""The built wheel: one top-level import name, ``perhekeskus``, and every data file inside it.

An editable install reads data files from the source tree, so a package-data glob that misses a folder
(migrations, catalogs, suites, the demo snapshot, the scaffold's templates) only shows up once somebody
installs the wheel. This test builds the wheel offline from a copy of the repository (setuptools'
build/ and egg-info never land in the checkout) and reads it with zipfile.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path, PurePosixPath

import pytest

REPO = Path(__file__).resolve().parents[2]
# the repository folders setup.py maps under perhekeskus (perhekeskus/ itself maps to perhekeskus)
MAPPED = {
    "perhekeskus": "perhekeskus",
    "etl": "perhekeskus/etl",
    "warehouse": "perhekeskus/warehouse",
    "dashboard": "perhekeskus/dashboard",
    "plugins": "perhekeskus/plugins",
    "expectations": "perhekeskus/expectations",
}
OWN_DISTRIBUTIONS = ("plugins/statfin",)  # packaged on their own (own pyproject.toml)
DATA_SUFFIXES = {".sql", ".po", ".css", ".js", ".json", ".toml", ".html", ".csv", ".tmpl"}
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q"]
BUILD_FILES = ("setup.py", "pyproject.toml", "README.md")


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    for name in BUILD_FILES:
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    for folder in MAPPED:
        shutil.copytree(REPO / folder, src / folder, ignore=ignore)
    done = subprocess.run(
        [*PIP_WHEEL, "-w", str(work / "dist"), str(src)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    [built] = (work / "dist").glob("perhekeskus-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel(built_wheel: Path) -> list[str]:
    with zipfile.ZipFile(built_wheel) as archive:
        return archive.namelist()


def source_data_files() -> dict[str, str]:
    """Every data file of the mapped folders: repository path → where the wheel must hold it."""
    expected = {}
    for folder, target in MAPPED.items():
        for path in (REPO / folder).rglob("*"):
            rel = path.relative_to(REPO).as_posix()
            if (
                not path.is_file()
                or path.suffix not in DATA_SUFFIXES
                or "__pycache__" in path.parts
                or rel.startswith(OWN_DISTRIBUTIONS)
            ):
                continue
            expected[rel] = f"{target}/{path.relative_to(REPO / folder).as_posix()}"
    return expected


def test_one_top_level_name(wheel: list[str]):
    tops = {PurePosixPath(name).parts[0] for name in wheel}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert tops - dist_info == {"perhekeskus"}, sorted(tops)
    assert len(dist_info) == 1


def test_every_data_file_is_inside(wheel: list[str]):
    names = set(wheel)
    missing = sorted(rel for rel, target in source_data_files().items() if target not in names)
    assert not missing, f"{len(missing)} data files are not in the wheel: {missing[:20]}"


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("warehouse migrations", "perhekeskus/warehouse/migrations/*.sql"),
        ("operational migrations", "perhekeskus/warehouse/operational_migrations/*.sql"),
        ("catalogs", "perhekeskus/dashboard/locale/*/LC_MESSAGES/messages.po"),
        ("dashboard styles", "perhekeskus/dashboard/assets/*.css"),
        ("dashboard scripts", "perhekeskus/dashboard/assets/*.js"),
        ("Sotkanet suites", "perhekeskus/plugins/sotkanet/expectations/*.json"),
        ("demo snapshot regions", "perhekeskus/plugins/sotkanet/demo_snapshot/regions.json"),
        ("demo snapshot data", "perhekeskus/plugins/sotkanet/demo_snapshot/data/*.json"),
        ("demo snapshot indicators", "perhekeskus/plugins/sotkanet/demo_snapshot/indicators/*.json"),
        ("configuration", "perhekeskus/warehouse/*.toml"),
        ("indicator package", "perhekeskus/plugins/sotkanet/indicator_package.toml"),
        ("plugin scaffold", "perhekeskus/scaffold_template/*"),
    ],
)
def test_kinds_of_data_are_inside(wheel: list[str], what: str, pattern: str):
    assert [n for n in wheel if PurePosixPath(n).match(pattern)], f"no {what} ({pattern}) in the wheel"


INSTALLED_PROBE = """
import json, sys
from importlib import resources
import perhekeskus
from perhekeskus.scaffold import template_files
from perhekeskus.expectations import find_suite
from pathlib import Path
sotkanet = resources.files("perhekeskus.plugins.sotkanet")
data = sotkanet / "demo_snapshot" / "data"
print(json.dumps({
    "file": perhekeskus.__file__,
    "templates": len(template_files()),
    "suite": find_suite("sotkanet.indicator_value", [Path(str(sotkanet / "expectations"))])["name"],
    "snapshot": len([f for f in data.iterdir() if f.name.endswith(".json")]),
}))
"""


def test_installed_wheel_reads_its_data_files(built_wheel: Path, tmp_path: Path):
    """Installed from the wheel (not the checkout), the scaffold, the suites and the snapshot are found."""
    target = tmp_path / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target)]
    done = subprocess.run([*pip, str(built_wheel)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    probe = subprocess.run(
        [sys.executable, "-P", "-c", INSTALLED_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["file"].startswith(str(target)), found
    assert found["templates"] >= 10 and found["suite"] == "sotkanet.indicator_value", found
    assert found["snapshot"] >= 10, found


def test_the_check_finds_a_missing_file():
    """The comparison above is not vacuous: it sees the snapshot's data files and the migrations."""
    expected = source_data_files()
    assert "plugins/sotkanet/demo_snapshot/data" in {str(PurePosixPath(p).parent) for p in expected}
    assert expected["warehouse/migrations/0001_init.sql"] == "perhekeskus/warehouse/migrations/0001_init.sql"
