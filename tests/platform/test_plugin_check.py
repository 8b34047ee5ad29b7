"""``perhekeskus plugins check`` names each plugin problem in one line and exits 1.

The broken plugins are a distribution written into a folder of this test (a ``.dist-info`` with entry
points and the modules beside it) that only the CLI subprocess sees through ``PYTHONPATH``: the shared
virtual environment and the other tests never load them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

FAULTY = '''
"""A plugin with one of each mistake the check knows."""

from pathlib import Path

from dash import html

from perhekeskus import Command, Panel, hookimpl

HERE = Path(__file__).parent


class Twin:
    name = "sotkanet"  # the built-in source's name
    title = "Not Sotkanet"
    datasets = ("indicator_value", "gossip")
    suites = {"indicator_value": "twin.indicator_value"}  # no such file anywhere
    schedule = "0 1 * * *"
    attribution = {"fi": "Lähde: ei mikään"}
    licence = "CC0"

    def extract(self, ctx):
        raise NotImplementedError

    def normalise(self, ctx, extracted):
        raise NotImplementedError


@hookimpl
def perhekeskus_sources():
    return [Twin()]


@hookimpl
def perhekeskus_panels():
    return [
        Panel("Bad_Panel", {"fi": "Huono", "en": "Bad"}, ("local", "galaxy"), lambda ctx: None),
        Panel("stray", {"fi": "a", "sv": "b", "en": "c"}, ("local",), lambda ctx: html.P("x", id="not-mine")),
    ]


@hookimpl
def perhekeskus_commands():
    return [Command("serve", "clashes with the core", lambda args, services: 0)]


@hookimpl
def perhekeskus_translations():
    return [HERE / "locale"]


@hookimpl
def perhekeskus_sauces():
    return []


def perhekeskus_dash_pages():  # forgot @hookimpl
    return []
'''

CATALOG = """
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Visits"
msgstr "{visits}"

msgid "Families"
msgstr "{families}"
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("check-site")
    package = site / "faulty_plugin"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(FAULTY), encoding="utf-8")
    (package / "broken.py").write_text("raise ImportError('no module named kaput')\n", encoding="utf-8")
    for lang, visits, families in (("fi", "Käynnit", ""), ("en", "Visits", "Families")):  # sv is missing
        folder = package / "locale" / lang / "LC_MESSAGES"
        folder.mkdir(parents=True)
        text = CATALOG.format(visits=visits, families=families)
        (folder / "messages.po").write_text(text, encoding="utf-8")
    info = site / "faulty_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: faulty-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[perhekeskus]\nfaulty = faulty_plugin\nbad_import = faulty_plugin.broken\n"
    )
    return site


def perhekeskus(*args: str, home: Path, site: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PERHEKESKUS_", "PREFECT_API"))}
    env.update(PERHEKESKUS_HOME=str(home), GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    if site is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    script = Path(sys.executable).with_name("perhekeskus")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "perhekeskus.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=240, env=env, cwd=REPO)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with a published warehouse (the demo snapshot), so the check renders every panel."""
    home = tmp_path_factory.mktemp("check-home")
    done = perhekeskus("demo", "load", home=home)
    assert done.returncode == 0, done.stderr
    return home


def check(home: Path, site: Path | None) -> subprocess.CompletedProcess:
    return perhekeskus("plugins", "check", home=home, site=site)


def test_each_problem_is_one_line_and_the_exit_is_1(site: Path, home: Path):
    done = check(home, site)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    faulty = sorted(line for line in lines if line.startswith(("faulty:", "bad_import:")))
    expected = [
        "bad_import: does not load: ImportError: no module named kaput",
        "faulty: command 'serve' is already taken by 'the core'",
        "faulty: en catalog",  # no problem expected: guard below
        "faulty: fi catalog has 1 empty msgstr ('Families')",
        "faulty: no sv catalog",
        "faulty: panel 'Bad_Panel' has no title in sv",
        "faulty: panel 'Bad_Panel': levels must be some of province, region, local",
        "faulty: panel id 'Bad_Panel' must be lowercase words joined by '-'",
        "faulty: panel 'stray': component ids 'not-mine' do not start with 'stray-'",
        "faulty: perhekeskus_dash_pages is not decorated with @hookimpl",
        "faulty: source 'sotkanet' declares unknown datasets gossip",
        "faulty: source 'sotkanet' is also provided by plugin 'sotkanet'",
        "faulty: source 'sotkanet': attribution needs fi, sv and en lines",
        "faulty: source 'sotkanet': suite 'twin.indicator_value' not found",
        "faulty: unknown hook perhekeskus_sauces",
    ]
    for start in expected:
        if start == "faulty: en catalog":
            assert not [line for line in faulty if line.startswith(start)], faulty
            continue
        assert [line for line in faulty if line.startswith(start)], f"no line starts {start!r}: {faulty}"
    assert len(faulty) == len(expected) - 1, faulty
    # the built-in that shares the name hears of it too
    assert "sotkanet: source 'sotkanet' is also provided by plugin 'faulty'" in lines, lines
    assert "Traceback" not in done.stdout


def test_installed_plugins_pass(home: Path):
    """The built-ins pass, their panels rendered on every level of a published warehouse included."""
    done = check(home, None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "plugins check: no problems"
