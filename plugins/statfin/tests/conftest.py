"""Fixtures of the StatFin package's own tests (helpers in ``statfin_testing``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from statfin_testing import Runner


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    return Runner(tmp_path)
