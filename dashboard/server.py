"""Serving the dashboard on one machine (``perhekeskus serve`` / ``up``); gunicorn uses perhekeskus.dashboard.wsgi."""

from __future__ import annotations

import sys
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from perhekeskus.dashboard.app import create_app
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

SERVER_NAME = "perhekeskus"


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its version and Python's in the ``Server`` header: the
    versions tell a visitor which known bugs to try, and nobody needs them from outside."""

    def version_string(self) -> str:
        return SERVER_NAME


def _server(settings: Settings, host: str, port: int):
    settings.home.mkdir(parents=True, exist_ok=True)
    ensure_published(settings)
    app = create_app(settings)
    return make_server(host, port, app.server, threaded=True, request_handler=RequestHandler)


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
