"""Loading audited frames into a staging warehouse, and the run's own records.

Values replace what the batch covers (its (indicator, year) pairs), so a region that disappeared from
a source's answer disappears from the warehouse too, and a re-run of the same data changes nothing.
Everything is set-based SQL over registered frames; nothing is inserted row by row.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from perhekeskus.source import VALUE_COLUMNS, VALUE_KEY

_COLS = ", ".join(VALUE_COLUMNS)


class LoadError(RuntimeError):
    """The staging warehouse would break a contract after the load; nothing is published."""


def replace_values(
    con: duckdb.DuckDBPyConnection, source: str, run_id: str, values: pd.DataFrame, replace: pd.DataFrame
) -> int:
    """Replace the source's values for the (indicator, year) pairs in ``replace`` with ``values``.

    The covered pairs are emptied first even when ``values`` is empty: an empty answer for a year
    means the source has no data for it any more. Returns the rows loaded.
    """
    con.register("batch_scope", replace[["indicator_id", "year"]])
    con.execute(
        "DELETE FROM indicator_value WHERE source = ? AND (indicator_id, year) IN (SELECT indicator_id, year FROM batch_scope)",
        [source],
    )
    con.unregister("batch_scope")
    if len(values):
        con.register("batch_values", values[VALUE_COLUMNS])
        con.execute(
            f"INSERT INTO indicator_value ({_COLS}, run_id) SELECT {_COLS}, ? FROM batch_values",
            [run_id],
        )
        con.unregister("batch_values")
    return len(values)


def check_unique(con: duckdb.DuckDBPyConnection) -> None:
    """Re-check one row per key after the load (the table has no index, see 0001_init.sql)."""
    key = ", ".join(VALUE_KEY)
    dupes = con.execute(
        f"SELECT {key}, count(*) AS n FROM indicator_value GROUP BY {key} HAVING count(*) > 1 LIMIT 3"
    ).fetchall()
    if dupes:
        raise LoadError(f"the load would leave more than one row per key, e.g. {dupes[0]}")


def upsert(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, key: list[str], run_id: str | None
) -> int:
    """Insert or replace rows of a small keyed table (regions, indicators)."""
    if frame is None or not len(frame):
        return 0
    table_cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    frame = frame.copy()
    if "updated_run_id" in table_cols:
        frame["updated_run_id"] = run_id
    cols = [c for c in frame.columns if c in table_cols]
    con.register("upsert_frame", frame[cols])
    on = " AND ".join(f"t.{k} = f.{k}" for k in key)
    con.execute(f"DELETE FROM {table} t USING upsert_frame f WHERE {on}")
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM upsert_frame")
    con.unregister("upsert_frame")
    return len(frame)


def replace_memberships(con: duckdb.DuckDBPyConnection, memberships: pd.DataFrame) -> None:
    if memberships is None:
        return
    con.register("member_frame", memberships)
    con.execute("DELETE FROM region_membership")
    con.execute(
        "INSERT INTO region_membership SELECT region_category, region_code, parent_category, parent_code FROM member_frame"
    )
    con.unregister("member_frame")


def replace_table(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, where: str = "", params=None
) -> None:
    """Replace a configuration table (themes, areas, package) wholesale, or the rows matching ``where``."""
    con.execute(f"DELETE FROM {table} {where}", params or [])
    if len(frame):
        con.register("config_frame", frame)
        con.execute(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM config_frame")
        con.unregister("config_frame")


_SQL_TYPES = {
    "text": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "bool": "BOOLEAN",
    "timestamp": "TIMESTAMP",
}


def replace_source_table(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, schema: dict[str, str]
) -> None:
    """Replace a source's own table (``Source.tables``) with ``frame``, typed as declared.

    The table is made with the declared columns even when the frame is empty, so a reader can always
    query it; columns the frame has beyond the declaration are not loaded. The name and columns were
    checked by ``perhekeskus.source.check_table``."""
    columns = ", ".join(f'"{c}" {_SQL_TYPES[k]}' for c, k in schema.items())
    con.execute(f'CREATE OR REPLACE TABLE "{table}" ({columns})')
    if len(frame):
        con.register("source_table_frame", frame[list(schema)])
        selected = ", ".join(f'CAST("{c}" AS {_SQL_TYPES[k]})' for c, k in schema.items())
        con.execute(f'INSERT INTO "{table}" SELECT {selected} FROM source_table_frame')
        con.unregister("source_table_frame")


def save_state(con: duckdb.DuckDBPyConnection, source: str, run_id: str, state: list[tuple]) -> None:
    if not state:
        return
    frame = pd.DataFrame(state, columns=["item", "version", "scope"])
    frame.insert(0, "source", source)
    frame["run_id"] = run_id
    upsert(con, "source_state", frame, ["source", "item"], None)


def load_state(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, tuple[str | None, str | None]]:
    rows = con.execute("SELECT item, version, scope FROM source_state WHERE source = ?", [source]).fetchall()
    return {item: (version, scope) for item, version, scope in rows}


def record_run(
    con: duckdb.DuckDBPyConnection, run: dict, checks: list[dict], quarantine: pd.DataFrame
) -> None:
    """Write a run's record, its check results and its quarantined rows."""
    con.execute("DELETE FROM etl_run WHERE run_id = ?", [run["run_id"]])
    cols = list(run)
    con.execute(
        f"INSERT INTO etl_run ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        [run[c] for c in cols],
    )
    if checks:
        frame = pd.DataFrame(checks)
        frame.insert(0, "run_id", run["run_id"])
        frame.insert(1, "source", run["source"])
        con.register("check_frame", frame)
        con.execute(f"INSERT INTO check_result ({', '.join(frame.columns)}) SELECT * FROM check_frame")
        con.unregister("check_frame")
    if quarantine is not None and len(quarantine):
        frame = quarantine[["dataset", "record", "reason", "expectation"]].copy()
        frame.insert(0, "run_id", run["run_id"])
        frame.insert(1, "source", run["source"])
        con.register("q_frame", frame)
        con.execute(f"INSERT INTO quarantine ({', '.join(frame.columns)}) SELECT * FROM q_frame")
        con.unregister("q_frame")
