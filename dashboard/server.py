"""Serving the dashboard on one machine (``perhekeskus serve`` / ``up``); gunicorn uses perhekeskus.dashboard.wsgi."""

from __future__ import annotations

import gc
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


def settle_memory() -> None:
    """Move what start-up made (the app, its layouts, catalogs, plugin modules: hundreds of thousands of
    objects that live as long as the process) out of the garbage collector's sight.

    Why: a full collection walks every tracked object, and with the start-up's objects among them it paused
    whichever request was running for a quarter of a second (bench/dashboard_national.py showed such pauses
    inside panel renders). ``gc.freeze`` is the standard library's way for long-running servers."""
    gc.collect()
    gc.freeze()


def _server(settings: Settings, host: str, port: int):
    settings.home.mkdir(parents=True, exist_ok=True)
    ensure_published(settings)
    app = create_app(settings)
    settle_memory()
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
