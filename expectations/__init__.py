"""Great Expectations suites as JSON files, one per dataset, and the code that finds them.

A suite file is GX's own serialisation (``name``, ``expectations`` with ``type``, ``kwargs``,
``severity``, ``meta``), so a data engineer can read and edit it without Python. Two meta keys are
ours: ``row_level`` (true: failing rows go to quarantine instead of failing the dataset) and
``reason`` (the sentence stored with each quarantined row). A failed ``critical`` expectation blocks
the publish; with ``mostly`` a row-level check quarantines a few bad rows and blocks only when too many
fail, which points at a changed source rather than at bad rows.

A source's suites ship inside its own package: the pipeline passes the ``expectations/`` folder beside
the module that defines the source (or its ``suite_dir``) as ``extra_dirs``, so no environment variable is
needed. ``PERHEKESKUS_SUITE_PATH`` (os.pathsep-separated) still adds folders, for suites kept elsewhere.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path


class SuiteNotFound(FileNotFoundError):
    """No JSON file for the named suite."""


def suite_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("PERHEKESKUS_SUITE_PATH", "").split(os.pathsep) if p]
    return [*extra, Path(str(resources.files("perhekeskus.expectations")))]


def find_suite(name: str, extra_dirs: list[Path] | None = None) -> dict:
    """The suite named ``name`` as a dict (file ``<name>.json``)."""
    for folder in [*(extra_dirs or []), *suite_dirs()]:
        path = folder / f"{name}.json"
        if path.is_file():
            suite = json.loads(path.read_text(encoding="utf-8"))
            if suite.get("name") != name:
                raise ValueError(
                    f"{path}: the suite inside is named {suite.get('name')!r}, expected {name!r}"
                )
            return suite
    raise SuiteNotFound(
        f"no expectation suite {name!r} (looked for {name}.json in {', '.join(map(str, suite_dirs()))})"
    )
