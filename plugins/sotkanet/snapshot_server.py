"""A local HTTP server that speaks Sotkanet's REST 1.1 format from a snapshot folder.

Why it is product code: the bundled demo snapshot is loaded through the real client and source, over
real HTTP on 127.0.0.1, so demo data takes exactly the path live data takes. Tests and benchmarks
use the same server with their own snapshots and injected faults.

Snapshot layout: ``regions.json`` (the /regions array), ``indicators/<id>.json`` (/indicators/<id>),
``data/<id>.json`` (every row of the indicator in /json shape; the server filters by years and genders
like Sotkanet does and renders /csv from the same rows).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

BAD_AGENTS = ("python-requests", "python-urllib", "curl/")


def csv_body(rows: list[dict]) -> bytes:
    """Rows in Sotkanet's CSV shape: ';'-separated, CRLF, empty field for a missing absolute value."""
    lines = ["indicator;region;year;gender;primary value;absolute value"]
    for row in rows:
        value = row.get("value")
        absolute = row.get("absValue")
        lines.append(
            f"{row.get('indicator')};{row.get('region')};{row.get('year')};{row.get('gender')};"
            f"{'' if value is None else value};{'' if absolute is None else absolute}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


class SnapshotHandler(BaseHTTPRequestHandler):
    """Answers /regions, /indicators/<id>, /json and /csv from the server's snapshot."""

    server: SnapshotServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes; no delayed-ACK wait

    def log_message(self, format: str, *args) -> None:  # quiet: tests and the demo need no access log
        return

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "application/json;charset=UTF-8",
        headers: dict | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        route = parts.path.rstrip("/")
        marker = route.find("/rest/1.1")
        if marker >= 0:
            route = route[marker + len("/rest/1.1") :]
        params = parse_qs(parts.query)
        self.server.requests.append((route, params, self.headers.get("User-Agent")))
        if self.server.intercept(self, route, params):
            return
        agent = self.headers.get("User-Agent") or ""
        if not agent or agent.lower().startswith(BAD_AGENTS):
            self.send_body(403, b"<html><body>403 Forbidden</body></html>", "text/html")
            return
        self.answer(route, params)

    def answer(self, route: str, params: dict[str, list[str]]) -> None:
        snapshot = self.server.snapshot
        if route == "/regions":
            self.send_body(200, self.server.file_bytes(snapshot / "regions.json"))
        elif route.startswith("/indicators/"):
            path = snapshot / "indicators" / f"{route.rsplit('/', 1)[-1]}.json"
            if route.rsplit("/", 1)[-1].isdigit() and path.is_file():
                self.send_body(200, self.server.file_bytes(path))
            else:
                self.send_body(404, b'{"error":"not found"}')
        elif route in ("/json", "/csv"):
            indicator = (params.get("indicator") or [""])[0]
            if not indicator.isdigit() or any("," in y for y in params.get("years", [])):
                self.send_body(400, b'{"error":"bad request"}')
                return
            rows = self.server.rows(int(indicator), params.get("years", []), params.get("genders", []))
            if route == "/json":
                self.send_body(200, json.dumps(rows, separators=(",", ":")).encode("utf-8"))
            else:
                self.send_body(200, csv_body(rows), "text/csv;charset=UTF-8")
        else:
            self.send_body(404, b'{"error":"not found"}')


class SnapshotServer(ThreadingHTTPServer):
    """Serve a snapshot folder on 127.0.0.1; ``base_url`` is what the client should be pointed at."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, snapshot: Path, port: int = 0, handler=SnapshotHandler) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self.snapshot = Path(snapshot)
        self.requests: list[tuple[str, dict, str | None]] = []
        self._cache: dict[Path, bytes] = {}
        self._rows: dict[int, list[dict]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/rest/1.1"

    def intercept(self, handler: SnapshotHandler, route: str, params: dict) -> bool:
        """Tests override this to inject faults; return True when the request was answered."""
        return False

    def file_bytes(self, path: Path) -> bytes:
        with self._lock:
            if path not in self._cache:
                self._cache[path] = path.read_bytes()
            return self._cache[path]

    def rows(self, indicator: int, years: list[str], genders: list[str]) -> list[dict]:
        with self._lock:
            if indicator not in self._rows:
                path = self.snapshot / "data" / f"{indicator}.json"
                self._rows[indicator] = json.loads(path.read_text()) if path.is_file() else []
            rows = self._rows[indicator]
        wanted_years = {int(y) for y in years if y.isdigit()}
        wanted_genders = set(genders) or {"total"}
        return [
            r
            for r in rows
            if (not wanted_years or r.get("year") in wanted_years) and r.get("gender") in wanted_genders
        ]

    def start(self) -> SnapshotServer:
        self._thread = threading.Thread(target=self.serve_forever, name="sotkanet-snapshot", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def __enter__(self) -> SnapshotServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
