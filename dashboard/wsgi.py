"""WSGI entry for gunicorn: ``gunicorn dashboard.wsgi:application``."""

from __future__ import annotations

from dashboard.app import create_app
from warehouse.publish import ensure_published
from warehouse.settings import Settings

_settings = Settings.from_env()
_settings.home.mkdir(parents=True, exist_ok=True)
ensure_published(_settings)
application = create_app(_settings).server
