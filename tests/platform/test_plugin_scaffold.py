"""``perhekeskus plugins new NAME`` writes a package that installs with pip and passes its own tests.

The package is generated into a folder of this test, pip-installs (offline, no build isolation) into
another folder that only the subprocesses see through ``PYTHONPATH``, and its own pytest suite runs in a
subprocess: it starts its small local server, runs ``perhekeskus etl run --source NAME`` into a
temporary home and checks the values, the quarantine, the panel, the page and the catalogs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from perhekeskus.scaffold import Names, ScaffoldError, new_plugin

REPO = Path(__file__).resolve().parents[2]
NAME = "child_visits"


def run(*command: str, cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERHEKESKUS_", "PREFECT_API"))}
    env.update(GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PERHEKESKUS_HOME"] = str(cwd / "home")
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return subprocess.run(list(command), capture_output=True, text=True, timeout=400, env=env, cwd=cwd)


def perhekeskus(*args: str, cwd: Path, site: Path | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("perhekeskus")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "perhekeskus.cli"]
    return run(*command, *args, cwd=cwd, site=site)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the generated package's folder, the folder pip installed it into)."""
    work = tmp_path_factory.mktemp("scaffold")
    done = perhekeskus("plugins", "new", NAME, "--dir", str(work / "src"), cwd=work)
    assert done.returncode == 0, done.stderr
    package = work / "src" / "perhekeskus-child-visits"
    assert str(package) in done.stdout
    site = work / "site"
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
    installed = run(*pip, "--target", str(site), str(package), cwd=work)
    assert installed.returncode == 0, installed.stderr[-3000:]
    return package, site


def test_package_layout(generated: tuple[Path, Path]):
    package, site = generated
    module = package / "perhekeskus_child_visits"
    for name in (
        "plugin.py",
        "source.py",
        "panel.py",
        "page.py",
        "expectations/child_visits.indicator_value.json",
    ):
        assert (module / name).is_file(), name
    for lang in ("fi", "sv", "en"):
        assert (module / "locale" / lang / "LC_MESSAGES" / "messages.po").is_file()
    assert (package / "tests" / "test_plugin.py").is_file() and (package / "tests" / "conftest.py").is_file()
    text = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*") if p.is_file())
    assert "__NAME__" not in text and "__MODULE__" not in text
    # the suite and the catalogs are installed inside the package (no suite path to set)
    assert (
        site / "perhekeskus_child_visits" / "expectations" / "child_visits.indicator_value.json"
    ).is_file()
    assert (site / "perhekeskus_child_visits" / "locale" / "sv" / "LC_MESSAGES" / "messages.po").is_file()
    entry_points = next(site.glob("perhekeskus_child_visits-*.dist-info")) / "entry_points.txt"
    assert "child_visits = perhekeskus_child_visits.plugin" in entry_points.read_text()


def test_installed_package_passes_its_own_tests(generated: tuple[Path, Path]):
    package, site = generated
    # -P: the package under test comes from the installed copy, not from the folder pytest runs in
    done = run(sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=package, site=site)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "7 passed" in done.stdout, done.stdout[-2000:]


def test_installed_package_passes_plugins_check(generated: tuple[Path, Path], tmp_path: Path):
    _package, site = generated
    listed = perhekeskus("plugins", "list", cwd=tmp_path, site=site)
    assert NAME in listed.stdout and "perhekeskus_sources" in listed.stdout, listed.stdout
    checked = perhekeskus("plugins", "check", cwd=tmp_path, site=site)
    assert [line for line in checked.stdout.splitlines() if line.startswith(f"{NAME}:")] == []


def test_refuses_bad_names_and_full_folders(tmp_path: Path):
    for bad in ("Visits", "1visits", "child-visits", "a", "x__y"):
        with pytest.raises(ScaffoldError):
            Names.of(bad)
    done = perhekeskus("plugins", "new", "Child-Visits", "--dir", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.startswith("error: plugin name 'Child-Visits'"), done.stderr
    new_plugin(NAME, tmp_path)
    with pytest.raises(ScaffoldError, match="not empty"):
        new_plugin(NAME, tmp_path)
