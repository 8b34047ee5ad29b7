"""Example perhekeskus plugin: a source of family-centre visits and a panel that shows them."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.3.0"

SOURCE_NAME = "example_visits"
PANEL_ID = "example-visits"
INDICATOR_ID = 900001  # the source's own indicator id; ids are per source in the warehouse
SUITE_DIR = Path(__file__).parent / "suites"  # put on PERHEKESKUS_SUITE_PATH
