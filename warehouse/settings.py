"""Settings read from the environment, in one place, so that the CLI, the flows and the dashboard agree.

Why a frozen dataclass and not globals: tests point several settings at temporary folders and a local
server shaped like a source's service; passing a ``Settings`` value around keeps those runs independent of
each other. Only generic settings live here: a source's own settings (its service's address, its format)
are its plugin's settings (``perhekeskus_settings``, ``PERHEKESKUS_<PLUGIN>_<NAME>``), which ``plugins``
can override per run (``Settings(plugins={"<plugin>": {"url": ...}})``) without touching the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

USER_AGENT = "perhekeskus-tietojohtaminen/0.1 (+https://github.com/perhekeskus; open statistics for family-centre leadership)"


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError as exc:  # a typo in a deployment must say which variable is wrong
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _int(name: str, default: int) -> int:
    return int(_float(name, default))


@dataclass(frozen=True)
class Settings:
    """What a run or a server needs to know about its environment."""

    home: Path = field(default_factory=lambda: Path("var"))
    http_timeout: float = 30.0
    http_retries: int = 4
    http_backoff: float = 1.0
    http_max_wait: float = 60.0
    fetch_workers: int = 4
    keep_raw_runs: int = 5
    schedule_cron: str | None = None  # a global override of every source's own schedule, only when set
    schedule_timezone: str = "Europe/Helsinki"
    indicator_package: Path | None = None
    areas_file: Path | None = None  # the province configuration; None = warehouse/province.toml
    # plugin name → setting name → value, over the environment's PERHEKESKUS_<PLUGIN>_<NAME>
    plugins: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            home=Path(env.get("PERHEKESKUS_HOME") or "var").absolute(),
            http_timeout=_float("PERHEKESKUS_HTTP_TIMEOUT", 30.0),
            http_retries=_int("PERHEKESKUS_HTTP_RETRIES", 4),
            http_backoff=_float("PERHEKESKUS_HTTP_BACKOFF", 1.0),
            http_max_wait=_float("PERHEKESKUS_HTTP_MAX_WAIT", 60.0),
            fetch_workers=max(1, _int("PERHEKESKUS_FETCH_WORKERS", 4)),
            keep_raw_runs=max(0, _int("PERHEKESKUS_KEEP_RAW_RUNS", 5)),
            schedule_cron=env.get("PERHEKESKUS_SCHEDULE_CRON") or None,
            schedule_timezone=env.get("PERHEKESKUS_SCHEDULE_TIMEZONE") or "Europe/Helsinki",
            indicator_package=Path(p) if (p := env.get("PERHEKESKUS_INDICATOR_PACKAGE")) else None,
            # the province configuration (warehouse/province.toml); PERHEKESKUS_AREAS_FILE is its older name
            areas_file=Path(p)
            if (p := env.get("PERHEKESKUS_PROVINCE_FILE") or env.get("PERHEKESKUS_AREAS_FILE"))
            else None,
        )

    def plugin_overrides(self, plugin: str) -> dict[str, str]:
        """The values this Settings sets for a plugin's own settings (keys lower-case)."""
        return {k.lower(): str(v) for k, v in (self.plugins.get(plugin) or {}).items()}

    @property
    def warehouse_path(self) -> Path:
        """The published warehouse; readers open only this file."""
        return self.home / "warehouse.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def staging_dir(self) -> Path:
        return self.home / "staging"


def configure_prefect_env(settings: Settings) -> None:
    """Set Prefect's environment before it is imported.

    Prefect keeps its own SQLite under PREFECT_HOME; the product keeps it in its data folder. The
    temporary server takes ~20 s to start on a fresh 2-core machine, longer than Prefect's default
    timeout, so a newcomer's first run would fail without the raised timeout (docs/stack-notes.md).
    """
    os.environ.setdefault("PREFECT_HOME", str(settings.home / "prefect"))
    # Prefect's SQLite cannot be created in a folder that does not exist yet (a first run on a fresh machine)
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
