"""The audit step: a dataset's Great Expectations suite run over a normalised frame.

Outcome per expectation: stored as a check result (observed vs expected, severity, failing keys).
Row-level expectations (meta ``row_level``) send their failing rows to quarantine with the suite's
reason; a failed ``critical`` expectation blocks the publish.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from perhekeskus.expectations import find_suite

log = logging.getLogger(__name__)
_GX_LOCK = threading.Lock()
_GX: dict[str, Any] = {}
MAX_FAILING_KEYS = 20


@dataclass
class AuditResult:
    """What the audit decided about one dataset."""

    dataset: str
    suite: str
    clean: pd.DataFrame
    quarantine: pd.DataFrame  # columns: record (JSON), reason, expectation
    checks: list[dict] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.blocking)


def _context():
    """One ephemeral GX context per process: creating it is the slow part, validating is fast."""
    with _GX_LOCK:
        if "context" not in _GX:
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
            import great_expectations as gx

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = {"globally": False}
            _GX["gx"] = gx
            _GX["context"] = context
            _GX["source"] = context.data_sources.add_pandas("perhekeskus")
            _GX["batches"] = {}
        return _GX


def preload_audit() -> None:
    """Import GX and build its context ahead of time (called in a thread at the start of a run)."""
    try:
        _context()
    except Exception:  # the audit itself will raise with a clear message
        log.debug("GX preload failed", exc_info=True)


def _batch_definition(dataset: str):
    gxs = _context()
    if dataset not in gxs["batches"]:
        asset = gxs["source"].add_dataframe_asset(dataset)
        gxs["batches"][dataset] = asset.add_batch_definition_whole_dataframe("whole")
    return gxs["batches"][dataset]


def _suite(spec: dict):
    gxs = _context()
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    expectations = []
    for position, item in enumerate(spec["expectations"]):
        config = ExpectationConfiguration(
            type=item["type"],
            kwargs=item.get("kwargs", {}),
            # GX returns results in its own order, not the suite's: the position travels in meta
            meta={**item.get("meta", {}), "suite_position": position},
            severity=item.get("severity", "critical"),
        )
        expectations.append(config.to_domain_obj())
    return gxs["gx"].ExpectationSuite(name=spec["name"], expectations=expectations)


def default_parameters() -> dict:
    return {"next_year": date.today().year + 1}


def _jsonable(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _records(frame: pd.DataFrame, rows: np.ndarray, columns: dict[str, str]) -> list[str]:
    subset = frame.iloc[rows]
    picked = {key: subset[col].tolist() for key, col in columns.items() if col in subset.columns}
    return [
        json.dumps({k: _jsonable(v[i]) for k, v in picked.items()}, ensure_ascii=False, default=str)
        for i in range(len(subset))
    ]


def audit(
    frame: pd.DataFrame,
    dataset: str,
    suite_name: str,
    *,
    key_columns: list[str],
    record_columns: dict[str, str] | None = None,
    parameters: dict | None = None,
    suite_dirs: list | None = None,
    record_maker=None,
) -> AuditResult:
    """Validate ``frame`` with the suite and split it into clean rows and quarantined rows."""
    spec = find_suite(suite_name, suite_dirs)
    frame = frame.reset_index(drop=True)
    record_columns = record_columns or {c: c for c in frame.columns}
    params = {**default_parameters(), **(parameters or {})}

    batch = _batch_definition(dataset).get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(_suite(spec), result_format="COMPLETE", expectation_parameters=params)

    bad_rows: dict[int, tuple[str, str, int]] = {}
    checks, blocking = [], []
    for outcome in result.results:
        config = outcome.expectation_config
        meta = config.meta or {}
        position = int(meta.get("suite_position", len(spec["expectations"])))
        res = outcome.result or {}
        severity = str(getattr(config, "severity", "critical") or "critical").lower()
        severity = severity.split(".")[-1]
        kwargs = {k: v for k, v in (config.kwargs or {}).items() if k not in ("batch_id",)}
        failed_rows = np.asarray(res.get("unexpected_index_list") or [], dtype=np.int64)
        raised = (outcome.exception_info or {}).get("raised_exception")
        success = bool(outcome.success) and not raised
        if meta.get("row_level") and len(failed_rows):
            # a row failing several checks is quarantined with the reason listed first in the suite
            reason = meta.get("reason") or config.type
            for row in failed_rows.tolist():
                if row not in bad_rows or position < bad_rows[row][2]:
                    bad_rows[row] = (reason, config.type, position)
        is_blocking = (not success) and severity == "critical"
        if is_blocking:
            blocking.append(
                f"{meta.get('reason') or config.type} ({config.type}"
                + (f" on {kwargs['column']}" if "column" in kwargs else "")
                + (
                    f": {res.get('unexpected_count')} of {res.get('element_count')} rows"
                    if res.get("element_count")
                    else ""
                )
                + ")"
                + (f": {(outcome.exception_info or {}).get('exception_message')}" if raised else "")
            )
        keys = []
        if len(failed_rows):
            sample = frame.iloc[failed_rows[:MAX_FAILING_KEYS]]
            cols = [c for c in key_columns if c in sample.columns]
            keys = [
                {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
                for row in sample[cols].itertuples(index=False)
            ]
        observed = res.get("observed_value")
        if observed is None and "unexpected_count" in res:
            observed = f"{res.get('unexpected_count')} unexpected of {res.get('element_count')}"
        checks.append(
            {
                "dataset": dataset,
                "suite": suite_name,
                "expectation": config.type,
                "column_name": kwargs.get("column") or (",".join(kwargs.get("column_list", [])) or None),
                "severity": severity,
                "success": success,
                "blocking": is_blocking,
                "element_count": res.get("element_count"),
                "unexpected_count": res.get("unexpected_count"),
                "observed": json.dumps(_jsonable(observed), default=str, ensure_ascii=False)[:2000],
                "expected": json.dumps(kwargs, default=str, ensure_ascii=False)[:2000],
                "failing_keys": json.dumps(keys, default=str, ensure_ascii=False) if keys else None,
            }
        )

    if bad_rows:
        rows = np.fromiter(bad_rows.keys(), dtype=np.int64)
        quarantine = pd.DataFrame(
            {
                "record": record_maker(frame.iloc[rows])
                if record_maker
                else _records(frame, rows, record_columns),
                "reason": [bad_rows[r][0] for r in rows.tolist()],
                "expectation": [bad_rows[r][1] for r in rows.tolist()],
            }
        )
        mask = np.ones(len(frame), dtype=bool)
        mask[rows] = False
        clean = frame[mask]
    else:
        quarantine = pd.DataFrame({"record": [], "reason": [], "expectation": []}, dtype="object")
        clean = frame
    return AuditResult(dataset, suite_name, clean, quarantine, checks, blocking)
