"""Every hook of the ``perhekeskus`` namespace is documented: a docstring and a README section."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from perhekeskus.hookspecs import PerhekeskusSpec

README = Path(__file__).resolve().parents[1] / "README.md"
HOOKS = [
    name
    for name, _ in inspect.getmembers(PerhekeskusSpec, inspect.isfunction)
    if name.startswith("perhekeskus_")
]


def test_there_are_hooks() -> None:
    assert {"perhekeskus_sources", "perhekeskus_panels", "perhekeskus_dash_pages"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook: str) -> None:
    doc = inspect.getdoc(getattr(PerhekeskusSpec, hook)) or ""
    assert len(doc.split()) >= 15, f"{hook} needs a docstring that says what to return and when it is called"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_in_the_readme(hook: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"`{hook}(" in text, f"README.md's plugin section does not document {hook}"


def test_readme_has_a_complete_example() -> None:
    text = README.read_text(encoding="utf-8")
    assert "[project.entry-points.perhekeskus]" in text and "@hookimpl" in text
    assert (README.parent / "tests" / "plugin_example" / "pyproject.toml").is_file()
