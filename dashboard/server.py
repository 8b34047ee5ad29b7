"""Serving the dashboard on one machine (``perhekeskus serve`` / ``up``); gunicorn uses dashboard.wsgi."""

from __future__ import annotations

import sys
import threading

from werkzeug.serving import make_server

from dashboard.app import create_app
from warehouse.publish import ensure_published
from warehouse.settings import Settings


def _server(settings: Settings, host: str, port: int):
    settings.home.mkdir(parents=True, exist_ok=True)
    ensure_published(settings)
    app = create_app(settings)
    return make_server(host, port, app.server, threaded=True)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Serve until interrupted."""
    server = _server(settings, host, port)
    print(f"dashboard: http://{host}:{port}/", file=sys.stderr)
    server.serve_forever()


def start_in_thread(settings: Settings, host: str = "127.0.0.1", port: int = 8050):
    """Serve in a background thread (``up`` runs the schedule in the foreground)."""
    server = _server(settings, host, port)
    threading.Thread(target=server.serve_forever, name="dashboard", daemon=True).start()
    return server
