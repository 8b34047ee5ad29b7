"""One demo warehouse for the indicator panels' tests: filled once per session from the bundled demo
snapshot by the real pipeline (demo mode, over a snapshot server on 127.0.0.1)."""

from __future__ import annotations

import pytest

from perhekeskus.etl.demo import load_demo
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings


@pytest.fixture(scope="session")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    settings = Settings(home=tmp_path_factory.mktemp("indicator-panels") / "home")
    summary = load_demo(settings, "sotkanet")
    assert summary.status == "success", summary.message
    return Reader(settings)
