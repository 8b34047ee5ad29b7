"""A client of THL's Sotkanet REST API 1.1 (see docs/sotkanet-api.md).

Facts it is built on: one indicator per data call; repeated ``years=``/``genders=`` parameters (comma
lists answer 400); data rows name regions by Sotkanet's internal id, not by code; 403 without a
descriptive User-Agent. Data bodies are streamed to disk (the raw landing) and parsed there by DuckDB,
so a national load never holds millions of Python dicts in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from perhekeskus import USER_AGENT, PoliteSession, Settings, SourceError, plugin_settings

DataFormat = Literal["json", "csv"]
DEFAULT_URL = "https://sotkanet.fi/rest/1.1"
GENDERS = ("total", "male", "female")


class SotkanetClient:
    """Reads ``/regions``, ``/indicators/{id}`` and data by ``/json`` or ``/csv``."""

    def __init__(self, base_url: str, http: PoliteSession) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    @classmethod
    def from_settings(cls, settings: Settings, base_url: str | None = None) -> SotkanetClient:
        """A client with the platform's HTTP settings, at ``base_url`` or the plugin's ``url`` setting
        (``PERHEKESKUS_SOTKANET_URL``, or ``Settings(plugins={"sotkanet": {"url": ...}})``)."""
        return cls(
            base_url or plugin_settings("sotkanet", settings).get("url") or DEFAULT_URL,
            PoliteSession(
                user_agent=USER_AGENT,
                timeout=settings.http_timeout,
                retries=settings.http_retries,
                backoff=settings.http_backoff,
                max_wait=settings.http_max_wait,
            ),
        )

    def _json(self, path: str, what: str) -> Any:
        body = self.http.get(f"{self.base_url}{path}")
        try:
            return json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise SourceError(
                f"{self.base_url}{path}: {what} is not valid JSON ({exc}); got {body[:80]!r}"
            ) from exc

    def regions(self) -> list[dict]:
        """Every region of every category, as Sotkanet lists them."""
        data = self._json("/regions", "the region list")
        if not isinstance(data, list):
            raise SourceError(
                f"{self.base_url}/regions: expected a JSON array of regions, got {type(data).__name__}"
            )
        return data

    def indicator(self, indicator_id: int) -> dict:
        """Metadata of one indicator; raises NotFound for an id Sotkanet does not know."""
        data = self._json(f"/indicators/{int(indicator_id)}", f"metadata of indicator {indicator_id}")
        if not isinstance(data, dict):
            raise SourceError(
                f"{self.base_url}/indicators/{indicator_id}: expected a JSON object, got {type(data).__name__}"
            )
        return data

    def data_params(
        self, indicator_id: int, years: Iterable[int], genders: Iterable[str] = GENDERS
    ) -> list[tuple]:
        params: list[tuple[str, str]] = [("indicator", str(int(indicator_id)))]
        params += [("years", str(int(y))) for y in years]
        params += [("genders", g) for g in genders]
        return params

    def download_data(
        self,
        indicator_id: int,
        years: Iterable[int],
        dest: Path,
        fmt: DataFormat = "json",
        genders: Iterable[str] = GENDERS,
    ) -> int:
        """Stream one indicator's data for the given years into ``dest``; returns its size in bytes.

        The body is checked for the obvious damage (an HTML page, a cut-off array) and fetched once
        more when damaged, because a proxy or an overloaded server can cut a body short.
        """
        params = self.data_params(indicator_id, years, genders)
        url = f"{self.base_url}/{fmt}"
        problem = ""
        for _attempt in range(2):
            self.http.get(url, params=params, dest=dest)
            problem = body_problem(dest, fmt)
            if not problem:
                return dest.stat().st_size
        raise SourceError(f"indicator {indicator_id}: {url} gave a malformed {fmt.upper()} body: {problem}")


def body_problem(path: Path, fmt: DataFormat) -> str:
    """A cheap look at both ends of a data body: '' when it looks whole, else what is wrong."""
    size = path.stat().st_size
    if size == 0:
        return "the body is empty"
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        handle.seek(max(0, size - 64))
        tail = handle.read().rstrip(b" \t\r\n")
    if fmt == "json":
        if not head.startswith(b"["):
            return f"expected a JSON array, it starts with {head[:40]!r}"
        if not tail.endswith(b"]"):
            return f"the JSON array is cut off (it ends with {tail[-40:]!r})"
        return ""
    if not head.lower().startswith(b"indicator;"):
        return f"expected a ';'-separated header starting with 'indicator', got {head[:40]!r}"
    return ""
