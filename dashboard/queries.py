"""Read queries of the dashboard: the shell's lists, freshness and the data-quality page.

Indicator panels keep their own queries next to them (dashboard/panels/); these are the ones every
page needs. Every query takes a ``perhekeskus.warehouse.read.Reader`` and uses bound parameters.
"""

from __future__ import annotations

import pandas as pd

from perhekeskus.warehouse.read import Reader


def municipalities(reader: Reader) -> pd.DataFrame:
    """The configured province's municipalities with their coordination area, in name order."""
    return reader.df(
        """
        SELECT r.region_code, r.name_fi, r.name_sv, r.name_en, r.coordination_area, r.county_code, r.province_code
        FROM region r
        WHERE r.region_category = 'KUNTA' AND r.coordination_area IS NOT NULL
        ORDER BY r.name_fi
        """
    )


def areas(reader: Reader) -> pd.DataFrame:
    return reader.df(
        "SELECT area_id, province_code, name_fi, name_sv, name_en, position FROM coordination_area ORDER BY position"
    )


def region_name(reader: Reader, category: str, code: str) -> tuple[str | None, str | None, str | None] | None:
    rows = reader.rows(
        "SELECT name_fi, name_sv, name_en FROM region WHERE region_category = ? AND region_code = ?",
        [category, code],
    )
    return rows[0] if rows else None


def freshness(reader: Reader) -> pd.DataFrame:
    """Per source: last successful run, its age, whether it was demo data, and the state of the last run."""
    return reader.df(
        """
        WITH last_run AS (
            SELECT source, run_id, status, finished_at, message,
                   row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS n
            FROM etl_run
        ), last_ok AS (
            SELECT source, run_id, finished_at, is_demo,
                   row_number() OVER (PARTITION BY source ORDER BY started_at DESC) AS n
            FROM etl_run WHERE status = 'success'
        ), checks AS (
            SELECT run_id,
                   count(*) FILTER (WHERE NOT success AND severity = 'critical') AS critical_failed,
                   count(*) FILTER (WHERE NOT success AND severity <> 'critical') AS warnings_failed,
                   count(*) AS checks
            FROM check_result GROUP BY run_id
        )
        SELECT l.source, l.status AS last_status, l.finished_at AS last_finished_at, l.message AS last_message,
               o.finished_at AS last_success_at, coalesce(o.is_demo, false) AS is_demo,
               date_diff('hour', o.finished_at, now()) AS age_hours,
               coalesce(c.critical_failed, 0) AS critical_failed, coalesce(c.warnings_failed, 0) AS warnings_failed,
               coalesce(c.checks, 0) AS checks
        FROM last_run l
        LEFT JOIN last_ok o ON o.source = l.source AND o.n = 1
        LEFT JOIN checks c ON c.run_id = l.run_id
        WHERE l.n = 1
        ORDER BY l.source
        """
    )


def runs(reader: Reader, limit: int = 50) -> pd.DataFrame:
    return reader.df(
        """
        SELECT run_id, source, started_at, finished_at, status, rows_fetched, rows_loaded, rows_quarantined,
               mode, is_demo, items_requested, items_fetched, items_unchanged, message
        FROM etl_run ORDER BY started_at DESC LIMIT ?
        """,
        [limit],
    )


def checks(reader: Reader, run_id: str) -> pd.DataFrame:
    return reader.df(
        """
        SELECT dataset, expectation, column_name, severity, success, blocking, element_count, unexpected_count,
               observed, expected, failing_keys
        FROM check_result WHERE run_id = ?
        ORDER BY success, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, dataset, expectation
        """,
        [run_id],
    )


def quarantine(reader: Reader, run_id: str, limit: int = 200) -> pd.DataFrame:
    return reader.df(
        "SELECT dataset, reason, expectation, record FROM quarantine WHERE run_id = ? ORDER BY reason LIMIT ?",
        [run_id, limit],
    )


def quarantine_count(reader: Reader, run_id: str) -> int:
    return int(reader.rows("SELECT count(*) FROM quarantine WHERE run_id = ?", [run_id])[0][0])


def package_indicators(reader: Reader) -> pd.DataFrame:
    """The indicator package in its configured order, with titles, theme and polarity."""
    return reader.df(
        """
        SELECT p.source, p.indicator_id, p.polarity, p.position, t.theme_id, t.title_fi AS theme_fi,
               t.title_sv AS theme_sv, t.title_en AS theme_en, t.position AS theme_position,
               i.title_fi, i.title_sv, i.title_en, i.decimals, i.value_kind, i.genders,
               i.unit_fi, i.unit_sv, i.unit_en
        FROM indicator_package p
        JOIN indicator i USING (source, indicator_id)
        LEFT JOIN theme t USING (theme_id)
        ORDER BY t.position, p.position
        """
    )


def years_available(reader: Reader, indicator_id: str, source: str | None = None) -> list[int]:
    """The years with values of an indicator (of one source when given)."""
    sql = "SELECT DISTINCT year FROM indicator_value WHERE indicator_id = ?"
    params: list = [indicator_id]
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    return [r[0] for r in reader.rows(sql + " ORDER BY year", params)]


def run_exists(reader: Reader, run_id: str) -> bool:
    """Whether a run of that id is recorded (a link may name a run older than the latest listed)."""
    return bool(reader.rows("SELECT 1 FROM etl_run WHERE run_id = ?", [run_id]))


def source_updates(reader: Reader) -> dict[str, object]:
    """Per source: the newest data-updated date its indicators' metadata give (the source's own date)."""
    rows = reader.rows(
        "SELECT source, max(data_updated) FROM indicator WHERE data_updated IS NOT NULL GROUP BY source"
    )
    return {source: newest for source, newest in rows}


def indicator_freshness(reader: Reader) -> pd.DataFrame:
    """Every package indicator with its newest data year and the source's data-updated date, in package order."""
    return reader.df(
        """
        WITH newest AS (
            SELECT source, indicator_id, max(year) AS newest_year FROM indicator_value GROUP BY source, indicator_id
        )
        SELECT p.source, p.indicator_id, i.title_fi, i.title_sv, i.title_en, i.data_updated, n.newest_year
        FROM indicator_package p
        JOIN indicator i USING (source, indicator_id)
        LEFT JOIN newest n USING (source, indicator_id)
        LEFT JOIN theme t USING (theme_id)
        ORDER BY t.position, p.position
        """
    )
