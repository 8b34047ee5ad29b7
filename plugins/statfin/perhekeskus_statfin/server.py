"""A local PxWeb API v1 server on 127.0.0.1 that speaks Statistics Finland's formats, for the demo and
the tests: ``GET {v1}/{lang}/?config``, ``GET {v1}/{lang}/StatFin/{table}.px`` (variables with code,
text, values, valueTexts, time, elimination) and ``POST`` of a query to the same URL, answered as
json-stat2 (version 2.0, class dataset, id, size, dimension category index/label, value with nulls,
updated, role time/metric/geo).

Its faults are PxWeb's: HTTP 400 with a plain-text body for an old table id or an unknown variable,
403 for a query over the cell limit, 429 with ``Retry-After`` (or 403, as the real limiter sometimes
answers) for too many calls in the time window, and a table can be made slow.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

API_PATH = "/PxWeb/api/v1"


@dataclass
class Table:
    """One table: its metadata variables, its cells by codes (in variable order) and its update time."""

    title: str
    variables: list[dict[str, Any]]
    cells: dict[tuple[str, ...], float | None]
    updated: str = "2025-04-04T05:00:00Z"

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Table:
        cells = {tuple(key.split("|")): value for key, value in raw["cells"].items()}
        return cls(raw["title"], raw["variables"], cells, raw.get("updated", cls.updated))

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "updated": self.updated,
            "variables": self.variables,
            "cells": {"|".join(key): value for key, value in self.cells.items()},
        }


def load_tables(folder: Path) -> dict[str, Table]:
    """A snapshot folder: ``tables/<folder>__<table>.json`` → ``{"<folder>/<table>": Table}``."""
    return {
        path.stem.replace("__", "/"): Table.from_json(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((folder / "tables").glob("*.json"))
    }


@dataclass
class Request:
    method: str
    table: str | None
    cells: int = 0
    status: int = 200


@dataclass
class ServerState:
    tables: dict[str, Table]
    config: dict[str, Any] = field(
        default_factory=lambda: {
            "maxValues": 120000,
            "maxCells": 120000,
            "maxCalls": 40,
            "timeWindow": 60,
            "CORS": True,
        }
    )
    old_ids: set[str] = field(default_factory=set)  # table paths that answer 400 text/plain
    slow: dict[str, float] = field(default_factory=dict)  # table path → seconds before answering
    limit_status: int = 429  # what the limiter answers: 429 (with Retry-After) or 403
    retry_after: str = "1"
    forced: deque = field(default_factory=deque)  # (status, headers, body) answered to the next requests
    log: list[Request] = field(default_factory=list)
    calls: deque = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def data_posts(self) -> list[Request]:
        """Successful POSTs of more than one cell: the queries that fetch data, not a one-cell probe."""
        return [r for r in self.log if r.method == "POST" and r.status == 200 and r.cells > 1]


def _answer(table: Table, query: dict[str, Any]) -> tuple[int, Any, int]:
    """(status, json-stat2 dataset or plain text, cells) for a query."""
    chosen: dict[str, list[str]] = {}
    for item in query.get("query") or []:
        selection = item.get("selection") or {}
        chosen[str(item.get("code"))] = [str(v) for v in selection.get("values") or []]
    by_code = {v["code"]: v for v in table.variables}
    if set(chosen) - set(by_code):
        return 400, "Bad Request", 0
    ids, sizes, dimension, roles = [], [], {}, {"time": [], "metric": [], "geo": []}
    fixed_total: dict[int, str] = {}
    axes = []
    for position, variable in enumerate(table.variables):
        code = variable["code"]
        if code not in chosen:
            if not variable.get("elimination"):
                return 400, "Bad Request", 0
            fixed_total[position] = "SSS"
            axes.append(["SSS"])
            continue
        values = [v for v in chosen[code] if v in variable["values"]]
        if len(values) != len(chosen[code]) or not values:
            return 400, "Bad Request", 0
        axes.append(values)
        texts = dict(zip(variable["values"], variable.get("valueTexts") or variable["values"], strict=False))
        ids.append(code)
        sizes.append(len(values))
        dimension[code] = {
            "label": variable.get("text", code),
            "category": {
                "index": {v: i for i, v in enumerate(values)},
                "label": {v: texts[v] for v in values},
            },
        }
        if variable.get("time"):
            roles["time"].append(code)
        elif code.lower().startswith(("contents", "tiedot")):
            roles["metric"].append(code)
        elif code.lower().startswith("alue"):
            roles["geo"].append(code)
    cells = 1
    for size in sizes:
        cells *= size
    values = [table.cells.get(key) for key in product(*axes)]
    dataset = {
        "version": "2.0",
        "class": "dataset",
        "label": table.title,
        "source": "Tilastokeskus",
        "updated": table.updated,
        "id": ids,
        "size": sizes,
        "dimension": dimension,
        "value": values,
        "role": {k: v for k, v in roles.items() if v},
    }
    return 200, dataset, cells


class _Handler(BaseHTTPRequestHandler):
    state: ServerState

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, str):
            data, kind = body.encode("utf-8"), "text/plain; charset=utf-8"
        else:
            data, kind = (
                json.dumps(body, ensure_ascii=False).encode("utf-8"),
                "application/json; charset=utf-8",
            )
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _table_of(self, path: str) -> str | None:
        parts = path.split("/StatFin/", 1)
        return parts[1].removesuffix(".px") if len(parts) == 2 and parts[1].endswith(".px") else None

    def _handle(self, method: str) -> None:
        state = self.state
        url = urlsplit(self.path)
        table_id = self._table_of(url.path)
        record = Request(method, table_id)
        with state.lock:
            state.log.append(record)
            now = time.monotonic()
            window = float(state.config.get("timeWindow", 60))
            while state.calls and now - state.calls[0] >= window:
                state.calls.popleft()
            state.calls.append(now)
            over = len(state.calls) > int(state.config.get("maxCalls", 40))
            forced = state.forced.popleft() if state.forced else None
        if forced is not None:
            record.status = forced[0]
            return self._send(forced[0], forced[2], forced[1])
        if over:
            record.status = state.limit_status
            headers = {"Retry-After": state.retry_after} if state.limit_status == 429 else {}
            return self._send(state.limit_status, "Too Many Requests", headers)
        if not url.path.startswith(API_PATH + "/"):
            record.status = 404
            return self._send(404, "Not Found")
        if url.query == "config" and table_id is None:
            return self._send(200, state.config)
        if table_id in state.old_ids:
            record.status = 400
            return self._send(400, "Bad Request")
        table = state.tables.get(table_id or "")
        if table is None:
            record.status = 404
            return self._send(404, "Not Found")
        if table_id in state.slow:
            time.sleep(state.slow[table_id])
        if method == "GET":
            return self._send(200, {"title": table.title, "variables": table.variables})
        try:
            length = int(self.headers.get("Content-Length") or 0)
            query = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            record.status = 400
            return self._send(400, "Bad Request")
        status, body, cells = _answer(table, query)
        record.cells = cells
        limit = min(int(state.config.get(k, 10**9)) for k in ("maxValues", "maxCells") if k in state.config)
        if status == 200 and cells > limit:
            record.status = 403
            return self._send(403, "Too many values selected")
        record.status = status
        return self._send(status, body)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")


class PxWebServer:
    """``with PxWebServer(tables) as server:`` serves on 127.0.0.1; ``server.base_url`` is the v1 base."""

    def __init__(self, tables: dict[str, Table], **options: Any) -> None:
        self.state = ServerState(tables=tables, **options)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="pxweb-server", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}{API_PATH}"

    def __enter__(self) -> PxWebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
