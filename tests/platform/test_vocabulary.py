"""The shared vocabulary: one file of actor types, family-centre tasks and client groups that every
feature reads, with names in three languages and codes that imports may give by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from perhekeskus.plugins.governance.domain import load_actor_types
from perhekeskus.vocabulary import VocabularyError, load_vocabulary


def test_the_default_lists_are_the_documented_ones() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.tasks) == 14 and len(vocabulary.client_groups) == 10
    assert [t.code for t in vocabulary.actor_types] == [t.code for t in load_actor_types()]
    assert vocabulary.resolve("task", "  perhetyö ") == "family_work"
    assert vocabulary.resolve("task", "Familjearbete") == "family_work"
    assert vocabulary.resolve("client_group", "Babies (0–1)") == "babies"
    assert vocabulary.resolve("task", "cooking") is None
    assert vocabulary.label("actor_type", "parish", "sv") == "Församling"
    assert vocabulary.label("task", "retired_task", "fi") == "retired_task"


def test_a_province_file_replaces_the_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "vocabulary.toml"
    own.write_text(
        "\n".join(
            f'[[{kind}]]\ncode = "x_{kind}"\nname_fi = "Fi"\nname_sv = "Sv"\nname_en = "En"\n'
            for kind in ("actor_type", "task", "client_group")
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("PERHEKESKUS_VOCABULARY_FILE", str(own))
    assert load_vocabulary().codes("task") == ["x_task"]


def test_a_broken_file_names_its_fault(tmp_path: Path) -> None:
    def entry(kind: str, code: str) -> str:
        return f'[[{kind}]]\ncode = "{code}"\nname_fi = "a"\nname_sv = "b"\nname_en = "c"\n'

    broken = tmp_path / "vocabulary.toml"
    broken.write_text(
        entry("actor_type", "ngo") + entry("task", "Bad Code") + entry("client_group", "x"), encoding="utf-8"
    )
    with pytest.raises(VocabularyError, match="task 1 needs a code"):
        load_vocabulary(broken)
    broken.write_text(entry("actor_type", "ngo") + entry("client_group", "x"), encoding="utf-8")
    with pytest.raises(VocabularyError, match="no task entries"):
        load_vocabulary(broken)
