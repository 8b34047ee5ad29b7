"""The HTTP layer: Statistics Finland's PxWeb API v1 behind one small interface (:class:`StatFinApi`).

The source only ever asks for three things — the server's limits, a table's variables and the cells of
a selection as json-stat2 — so Statistics Finland's newer API (PxWebApi 2 / "PxApi") can replace v1 by
writing one more class with these three methods.

Why its own client rather than the platform's polite session: PxWeb answers 400 with a plain-text body
for an old or moved table, and its rate limiter answers 429 *or* 403; both need PxWeb's own reading. The
calls are paced to the server's ``maxCalls`` per ``timeWindow`` (read at run time from ``?config``), so
the limiter is rarely met at all.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import requests

from perhekeskus import USER_AGENT, SourceError

# What an unknown or silent server gets: the older, stricter limits (10,000 cells, 30 calls per 10 s).
FALLBACK_MAX_CELLS = 10_000
FALLBACK_MAX_CALLS = 30
FALLBACK_WINDOW = 10.0
RATE_LIMITED = (429, 403, 503)


class TableError(SourceError):
    """One table could not be read; the message names the table and says why, on one line."""

    def __init__(self, table: str, reason: str) -> None:
        self.table = table
        super().__init__(f"StatFin table {table}: {' '.join(str(reason).split())}")


@dataclass(frozen=True)
class Limits:
    """The server's limits: cells per query, calls per time window (seconds)."""

    max_cells: int = FALLBACK_MAX_CELLS
    max_calls: int = FALLBACK_MAX_CALLS
    time_window: float = FALLBACK_WINDOW

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Limits:
        """PxWeb's ``?config`` answer (``maxValues``, newer servers also ``maxCells``; ``maxCalls``,
        ``timeWindow``): the smaller of the two cell limits, the fallbacks for what is missing."""

        def number(key: str) -> float | None:
            try:
                value = float(config[key])
            except (KeyError, TypeError, ValueError):
                return None
            return value if value > 0 else None

        cells = [v for v in (number("maxValues"), number("maxCells")) if v]
        return cls(
            max_cells=int(min(cells)) if cells else FALLBACK_MAX_CELLS,
            max_calls=int(number("maxCalls") or FALLBACK_MAX_CALLS),
            time_window=float(number("timeWindow") or FALLBACK_WINDOW),
        )


class StatFinApi(Protocol):
    """What the source needs from Statistics Finland, whatever the API version."""

    def limits(self) -> Limits:
        """The server's cell and call limits."""
        ...

    def table(self, table: str) -> dict[str, Any]:
        """A table's metadata: ``{"title": ..., "variables": [{"code", "text", "values", "valueTexts",
        "time"?, "elimination"?}]}``."""
        ...

    def data(self, table: str, selection: dict[str, list[str]]) -> dict[str, Any]:
        """The cells of ``selection`` (variable code → value codes) as a json-stat2 dataset."""
        ...


class Pacer:
    """At most ``max_calls`` calls in any ``window`` seconds (a sliding window), shared by threads."""

    def __init__(
        self,
        max_calls: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.max_calls, self.window = max(1, max_calls), window
        self._clock, self._sleep = clock, sleep
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def resize(self, max_calls: int, window: float) -> None:
        """New limits, keeping the calls already made (the ``?config`` call counts too)."""
        with self._lock:
            self.max_calls, self.window = max(1, max_calls), window

    def wait(self) -> None:
        with self._lock:
            while True:
                now = self._clock()
                while self._calls and now - self._calls[0] >= self.window:
                    self._calls.popleft()
                if len(self._calls) < self.max_calls:
                    self._calls.append(now)
                    return
                # a margin: the server stamps a call when it arrives, a little after it was sent
                self._sleep(self.window - (now - self._calls[0]) + 0.1)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def first_line(text: str, limit: int = 160) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return (lines[0] if lines else "(empty body)")[:limit]


class PxWebV1Client:
    """``GET {base}/{lang}/?config``, ``GET {base}/{lang}/{database}/{table}.px`` and ``POST`` of a query
    to the same table URL, answered as json-stat2."""

    def __init__(
        self,
        base_url: str,
        *,
        lang: str = "fi",
        database: str = "StatFin",
        timeout: float = 30.0,
        retries: int = 4,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang, self.database = lang, database
        self.timeout, self.retries, self.max_wait = timeout, max(1, retries), max_wait
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update({"User-Agent": f"{USER_AGENT} perhekeskus-statfin"})
        self._limits: Limits | None = None
        self._pacer = Pacer(FALLBACK_MAX_CALLS, FALLBACK_WINDOW, sleep=sleep)

    # --- the interface -----------------------------------------------------------------------------
    def limits(self) -> Limits:
        if self._limits is None:
            try:
                config = self._call("GET", f"{self.base_url}/{self.lang}/?config", "?config")
                found = Limits.from_config(config if isinstance(config, dict) else {})
            except TableError:
                found = Limits()  # a server without ?config: the strict old limits
            self._limits = found
            self._pacer.resize(found.max_calls, found.time_window)
        return self._limits

    def table(self, table: str) -> dict[str, Any]:
        self.limits()
        meta = self._call("GET", self._url(table), table)
        if not isinstance(meta, dict) or not isinstance(meta.get("variables"), list):
            raise TableError(table, "the metadata answer has no variables")
        return meta

    def data(self, table: str, selection: dict[str, list[str]]) -> dict[str, Any]:
        self.limits()
        query = {
            "query": [
                {"code": code, "selection": {"filter": "item", "values": list(values)}}
                for code, values in selection.items()
            ],
            "response": {"format": "json-stat2"},
        }
        answer = self._call("POST", self._url(table), table, query)
        if not isinstance(answer, dict):
            raise TableError(table, "the data answer is not a json-stat2 dataset")
        return answer

    # --- HTTP ----------------------------------------------------------------------------------------
    def _url(self, table: str) -> str:
        path = table if table.endswith(".px") else f"{table}.px"
        return f"{self.base_url}/{self.lang}/{self.database}/{path}"

    def _call(self, method: str, url: str, table: str, body: dict | None = None) -> Any:
        problem = ""
        for attempt in range(self.retries):
            self._pacer.wait()
            try:
                response = self._session.request(method, url, json=body, timeout=self.timeout)
            except requests.Timeout:
                problem = f"no answer within {self.timeout:g} s"
                self._sleep(min(self.max_wait, 2**attempt * 0.5))
                continue
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {first_line(str(exc))}"
                self._sleep(min(self.max_wait, 2**attempt * 0.5))
                continue
            status = response.status_code
            if status == 200:
                try:
                    return response.json()
                except (ValueError, json.JSONDecodeError):
                    raise TableError(table, f"HTTP 200 but not JSON: {first_line(response.text)!r}") from None
            if status in RATE_LIMITED:
                problem = f"HTTP {status} (rate limit): {first_line(response.text)!r}"
                wait = retry_after(response.headers.get("Retry-After"))
                if wait is None:
                    wait = self._pacer.window if status != 503 else 2**attempt
                self._sleep(min(self.max_wait, wait))
                continue
            if 500 <= status < 600:
                problem = f"HTTP {status}: {first_line(response.text)!r}"
                self._sleep(min(self.max_wait, 2**attempt * 0.5))
                continue
            hint = " (an old or moved table id?)" if status in (400, 404) else ""
            raise TableError(table, f"HTTP {status}{hint}: {first_line(response.text)!r}")
        raise TableError(table, f"gave up after {self.retries} attempts: {problem}")
