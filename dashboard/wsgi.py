"""WSGI entry for gunicorn: ``gunicorn perhekeskus.dashboard.wsgi:application``."""

from __future__ import annotations

from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.server import settle_memory
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

_settings = Settings.from_env()
_settings.home.mkdir(parents=True, exist_ok=True)
ensure_published(_settings)
application = create_app(_settings).server
settle_memory()  # after start-up: see its docstring
