"""The repository stands alone: a clean clone has everything its tests and code refer to.

The captured Sotkanet answers live in ``tests/fixtures/sotkanet`` and the reference notes in ``docs/``;
no file may point at a folder beside the repository (a person who clones it has none).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from support import FIXTURE_FILES, FIXTURES, REPO

# Built from parts, so that this file does not match itself.
OUTSIDE = ("..", "/shared")
FORBIDDEN = ["".join(OUTSIDE), *("shared/" + leaf for leaf in ("fixtures", "reference", "design"))]
SKIP_DIRS = {".git", ".venv", "var", "__pycache__", ".pytest_cache", ".ruff_cache", "build", "dist", ".bench"}


def repository_files() -> list[Path]:
    """Tracked and new, not ignored files (git's view when it is a checkout, else a walk of the tree)."""
    git = shutil.which("git")
    if git and (REPO / ".git").exists():
        out = subprocess.run(
            [git, "-C", str(REPO), "ls-files", "-z", "-co", "--exclude-standard"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        return [REPO / name for name in out.split("\0") if name and (REPO / name).is_file()]
    return [
        p
        for p in REPO.rglob("*")
        if p.is_file() and not SKIP_DIRS & set(p.relative_to(REPO).parts) and not p.name.endswith(".egg-info")
    ]


def test_no_file_refers_to_a_folder_beside_the_repository() -> None:
    files = repository_files()
    assert len(files) > 50
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files
        for pattern in FORBIDDEN:
            if pattern in text:
                offenders.append(f"{path.relative_to(REPO)}: {pattern}")
    assert offenders == []


def test_fixtures_and_reference_notes_are_in_the_repository() -> None:
    assert FIXTURES.is_relative_to(REPO)
    for name in (*FIXTURE_FILES, "hyvinvointialueet_ids_rOpenGov.csv", "README.md"):
        assert (FIXTURES / name).is_file(), name
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme and "DERIVED" in readme
    for note in ("sotkanet-api.md", "stack-notes.md", "architecture.md", "domain.md"):
        assert (REPO / "docs" / note).is_file(), note
