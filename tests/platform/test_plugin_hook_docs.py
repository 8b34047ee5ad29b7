"""Every hook of the ``perhekeskus`` namespace is documented in docs/plugins.md, and nothing else is.

As Datasette's test of its plugin_hooks documentation: each hook specification must have a section whose
heading is its signature (``### `perhekeskus_sources(services)` ``), with what it returns, when it is
called and an example implementation; a section for a hook that does not exist (renamed, removed, a typo)
fails too, so the reference and the specifications cannot drift apart.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from perhekeskus.hookspecs import PerhekeskusSpec

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "plugins.md"
README = REPO / "README.md"
HEADING = re.compile(r"^### `(perhekeskus_\w+)\(([^)]*)\)`\s*$", re.MULTILINE)
HOOKS = sorted(
    name
    for name, _ in inspect.getmembers(PerhekeskusSpec, inspect.isfunction)
    if name.startswith("perhekeskus_")
)


def signature(hook: str) -> list[str]:
    return [p for p in inspect.signature(getattr(PerhekeskusSpec, hook)).parameters if p != "self"]


def documented(text: str) -> dict[str, tuple[list[str], str]]:
    """hook → (its documented arguments, the text of its section up to the next heading)."""
    found = {}
    matches = list(HEADING.finditer(text))
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else text.find("\n## ", match.end())
        arguments = [a.strip() for a in match.group(2).split(",") if a.strip()]
        found[match.group(1)] = (arguments, text[match.end() : end if end != -1 else len(text)])
    return found


@pytest.fixture(scope="module")
def sections() -> dict[str, tuple[list[str], str]]:
    return documented(DOCS.read_text(encoding="utf-8"))


def test_there_are_hooks() -> None:
    assert {"perhekeskus_sources", "perhekeskus_panels", "perhekeskus_dash_pages"} <= set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_docstring(hook: str) -> None:
    doc = inspect.getdoc(getattr(PerhekeskusSpec, hook)) or ""
    assert len(doc.split()) >= 15, f"{hook} needs a docstring that says what to return and when it is called"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str, sections) -> None:
    assert hook in sections, f"docs/plugins.md has no section '### `{hook}({', '.join(signature(hook))})`'"
    arguments, body = sections[hook]
    assert arguments == signature(hook), f"docs/plugins.md documents {hook}({', '.join(arguments)})"
    assert "**Returns**" in body and "**Called**" in body, (
        f"{hook}: say what it returns and when it is called"
    )
    example = re.search(r"```python\n(.*?)```", body, re.DOTALL)
    assert example, f"{hook}: the section needs an example implementation"
    assert "@hookimpl" in example.group(1) and f"def {hook}(" in example.group(1), example.group(1)
    compile(example.group(1), f"docs/plugins.md:{hook}", "exec")  # the example is valid Python


def test_no_section_for_a_hook_that_does_not_exist(sections) -> None:
    assert sorted(set(sections) - set(HOOKS)) == []


def test_the_parser_sees_a_missing_and_an_extra_hook() -> None:
    """The checks above are not vacuous: an edited copy of the reference fails them."""
    text = DOCS.read_text(encoding="utf-8")
    without = documented(text.replace("### `perhekeskus_panels(services)`", "### Panels"))
    assert "perhekeskus_panels" not in without and "perhekeskus_sources" in without
    extra = documented(text + "\n### `perhekeskus_gadgets(services)`\n\nNothing.\n")
    assert set(extra) - set(HOOKS) == {"perhekeskus_gadgets"}


def test_contracts_and_entry_point_are_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    import perhekeskus

    contracts = (
        "Source",
        "RunContext",
        "Extracted",
        "Batch",
        "Panel",
        "Page",
        "PanelContext",
        "Scope",
        "Services",
        "NavEntry",
        "Migrations",
        "Command",
        "Permission",
        "AuditEvent",
        "Setting",
    )
    for name in contracts:
        assert name in perhekeskus.__all__, name
        assert f"`{name}" in text, f"docs/plugins.md does not describe {name}"
    assert "[project.entry-points.perhekeskus]" in text and "PERHEKESKUS_<PLUGIN>_<NAME>" in text
    assert "## A source and a panel in 15 minutes" in text


def test_readme_points_to_the_reference() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Plugins") :]
    section = section[: section.index("\n## ", 1)]
    assert "docs/plugins.md" in section and "[project.entry-points.perhekeskus]" in section
    assert (REPO / "tests" / "plugin_example" / "pyproject.toml").is_file()
