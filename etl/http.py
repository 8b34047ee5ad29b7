"""HTTP with the manners open-data APIs expect: a descriptive User-Agent, timeouts, and retries with
backoff on timeouts, connection errors, 5xx and 429 (honouring ``Retry-After``).

Why not urllib3's ``Retry`` alone: we want every failure to end in one clear sentence that names the
URL and what went wrong, and we want ``Retry-After`` capped so a hostile header cannot stall a run.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import requests

log = logging.getLogger(__name__)

RETRY_STATUS = {429, 500, 502, 503, 504}


class SourceError(RuntimeError):
    """A source could not be read; the message is one line a data engineer can act on."""


class NotFound(SourceError):
    """The source answered 404 for this resource."""


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class PoliteSession:
    """A thread-safe front for ``requests``: one Session per thread, shared retry policy."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"})
            self._local.session = session
        return session

    def get(
        self, url: str, params: list[tuple[str, str]] | dict | None = None, dest: Path | None = None
    ) -> bytes:
        """GET a URL and return its body, or stream it into ``dest`` and return b"".

        Raises SourceError (NotFound for 404) after the retries are spent.
        """
        attempt = 0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                response = self._session().get(
                    url, params=params, timeout=self.timeout, stream=dest is not None
                )
                status = response.status_code
                if status == 200:
                    if dest is None:
                        return response.content
                    with open(dest, "wb") as handle:
                        for chunk in response.iter_content(chunk_size=1 << 20):
                            handle.write(chunk)
                    return b""
                if status == 404:
                    raise NotFound(f"{response.url}: HTTP 404 Not Found")
                if status == 403:
                    raise SourceError(
                        f"{response.url}: HTTP 403 Forbidden (the server refused the request; open-data services "
                        f"answer 403 when the User-Agent is missing or generic, ours is {self.user_agent!r})"
                    )
                if status not in RETRY_STATUS:
                    raise SourceError(
                        f"{response.url}: HTTP {status} {response.reason}: {response.text[:200]!r}"
                    )
                problem = f"HTTP {status} {response.reason}"
                wait = retry_after_seconds(response.headers.get("Retry-After"))
            except requests.Timeout:
                problem = f"no answer within {self.timeout:g} s"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                problem = f"connection failed ({type(exc).__name__})"
            if attempt > self.retries:
                raise SourceError(f"{url}: {problem} after {attempt} attempts")
            if wait is None:
                wait = self.backoff * (2 ** (attempt - 1))
            wait = min(wait, self.max_wait)
            log.warning("%s: %s; retry %d/%d in %.1f s", url, problem, attempt, self.retries, wait)
            self._sleep(wait)
