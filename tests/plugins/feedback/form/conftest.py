"""Fixtures of the feedback form's tests (helpers in ``feedback_form_support``)."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from feedback_form_support import build_server


@pytest.fixture
def server(tmp_path: Path) -> flask.Flask:
    """A server whose rate limit does not get in the way of a test's several posts."""
    return build_server(tmp_path / "home", form_rate_limit="1000 per minute")
