"""Every sentence the analysis produces is in its Finnish, Swedish and English catalogs, with the same
placeholders (a missing one would show English to a Finnish reader, a wrong one would fail at runtime)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import perhekeskus.plugins.network.analysis as analysis_package

PART = Path(analysis_package.__file__).parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def source_msgids() -> set[str]:
    """String literals given as message ids: ``words("…")``, ``words.count(n, "…", "…")``, ``self("…")``,
    and ``_("…")`` (the metric labels are literal calls in ``metric_labels``)."""
    found: set[str] = set()
    for path in sorted(PART.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in ("words", "self", "_"):
                    candidates = node.args[:1]
                elif isinstance(func, ast.Attribute) and func.attr == "count":
                    candidates = node.args[1:3]
                else:
                    continue
                found |= {
                    a.value for a in candidates if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
    return found


def catalog(lang: str) -> dict[str, str]:
    with open(PART / "locale" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle) if m.id}


def test_the_source_has_messages():
    assert {"Connects {types} and {municipalities}; {contacts}.", "Betweenness"} <= source_msgids()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_catalog_is_complete_with_the_same_placeholders(lang):
    messages = catalog(lang)
    missing = sorted(m for m in source_msgids() if not messages.get(m))
    assert not missing, f"{lang}: untranslated {missing}"
    for msgid, text in messages.items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(text)), (lang, msgid)
    if lang != "en":
        assert sum(1 for m, t in messages.items() if m != t) > len(messages) * 0.9
