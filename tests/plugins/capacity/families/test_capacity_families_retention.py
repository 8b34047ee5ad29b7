"""Retention: the ``capacity-retention`` job deletes families past ``retention_days`` of inactivity (with
their team and meetings) and meetings older than that, keeps what is exactly that old, and leaves no
byte of what it deleted in the operational store's files; the published warehouse never holds a family
code or a meeting. The job runs through the real ``plugin-job`` Prefect flow."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import duckdb
from capacity_families_world import audit_rows, table

from perhekeskus import registry
from perhekeskus.etl.flows import run_job
from perhekeskus.plugins.capacity.families import repository as repo
from perhekeskus.plugins.capacity.families.retention import forget
from perhekeskus.plugins.capacity.model import FAMILY_CODE
from perhekeskus.warehouse import operational

DAYS = 365  # the default retention_days
TODAY = dt.date.today()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def family(services, *, last: str, meetings: tuple[str, ...] = (), marker: str = "") -> tuple[int, str]:
    """A Nokia family with a worker, its meetings (created_by ``marker``) and its last activity set."""
    with services.transaction() as con:
        made = repo.create_family(services, con, "coord_nokia", "536")
        con.execute(
            "INSERT INTO capacity_team_member (family_id, actor_id) VALUES (?, 'a-nokia1')", (made.family_id,)
        )
        for day in meetings:
            con.execute(
                "INSERT INTO capacity_meeting (family_id, meeting_date, actor_id, kind, created_by) "
                "VALUES (?, ?, 'a-nokia1', 'appointment', ?)",
                (made.family_id, day, marker or None),
            )
        con.execute(
            "UPDATE capacity_family SET last_activity_on = ? WHERE family_id = ?", (last, made.family_id)
        )
    return made.family_id, made.code


def test_the_boundary_day_is_kept_and_the_day_before_is_deleted(services, settings) -> None:
    kept, _ = family(services, last=ago(DAYS), meetings=(ago(DAYS), ago(DAYS + 1), ago(3)))
    gone, _ = family(services, last=ago(DAYS + 1), meetings=(ago(DAYS + 1),))
    counts = forget(services)
    assert counts == {"families": 1, "team_members": 1, "meetings": 2}
    assert table(settings, "SELECT family_id FROM capacity_family") == [(kept,)]
    assert table(settings, "SELECT meeting_date FROM capacity_meeting ORDER BY meeting_date") == [
        (ago(DAYS),),
        (ago(3),),
    ]
    assert table(settings, "SELECT family_id FROM capacity_team_member") == [(kept,)]
    assert gone != kept
    [entry] = [r for r in audit_rows(settings) if r["action"] == "capacity_retention"]
    assert entry["details"] == {**counts, "retention_days": DAYS}


def test_retention_days_is_the_setting(services, settings, monkeypatch) -> None:
    monkeypatch.setenv("PERHEKESKUS_CAPACITY_RETENTION_DAYS", "30")
    family(services, last=ago(30))
    family(services, last=ago(31))
    assert forget(services)["families"] == 1


def raw_store(settings) -> bytes:
    path = operational.store_path(settings)
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_the_job_through_its_flow_leaves_no_byte_of_what_it_deleted(
    prefect_harness, services, settings
) -> None:
    # enough families and meetings to fill many pages (splits copy rows between pages)
    expired = [
        family(services, last=ago(DAYS + 1 + n % 40), meetings=(ago(DAYS + 2),), marker=f"gone-{n:04d}-x")
        for n in range(400)
    ]
    active = [
        family(services, last=ago(n % 30), meetings=(ago(DAYS + 5), ago(1)), marker=f"old-{n:04d}-y")
        for n in range(100)
    ]
    with services.transaction() as con:  # the still-recent meetings of active families: another marker
        con.execute("UPDATE capacity_meeting SET created_by = 'recent' WHERE meeting_date = ?", (ago(1),))
    before = raw_store(settings)
    assert all(code.encode() in before for _id, code in expired)  # the check can see them
    assert b"gone-0000-x" in before and b"old-0000-y" in before

    ok, summary = run_job("capacity-retention", settings)
    assert ok, summary
    assert summary.startswith("400 family teams (400 team places) and 500 meetings")
    after = raw_store(settings)
    left = [code for _id, code in expired if code.encode() in after]
    assert left == []
    assert re.search(rb"gone-\d{4}-x", after) is None and re.search(rb"old-\d{4}-y", after) is None
    assert all(code.encode() in after for _id, code in active)  # what is kept is still there
    wal = operational.store_path(settings).with_name("operational.sqlite-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert table(settings, "SELECT count(*) FROM capacity_meeting") == [(100,)]


def test_the_published_warehouse_holds_no_family_code_or_meeting(services, settings) -> None:
    from perhekeskus.etl.pipeline import run_pipeline

    capacity_sources = sorted(n for n in registry.sources(services) if n.startswith("capacity"))
    assert capacity_sources == ["capacity"]
    codes = [
        family(services, last=ago(n), meetings=(ago(n), ago(DAYS + 3)), marker="meeting-marker")[1]
        for n in range(0, 400, 40)
    ]
    forget(services)
    for name in capacity_sources:
        result = run_pipeline(name, settings)
        assert result.status == "success", result.message
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT table_schema || '.\"' || table_name || '\"' FROM information_schema.tables"
            ).fetchall()
        ]
        assert tables
        for name in tables:
            columns = [r[0].lower() for r in db.execute(f"DESCRIBE {name}").fetchall()]
            assert not {"family_id", "meeting_date", "meeting_id", "code"} & set(columns), (name, columns)
            text = str(db.execute(f"SELECT * FROM {name}").fetchall())
            assert not any(FAMILY_CODE.match(word) for word in re.findall(r"PK-\w{4}-\w{4}", text)), name
            assert not any(code in text for code in codes) and "meeting-marker" not in text, name


class _InsecureByDefault:
    """The services, but every connection of ``reading()`` starts with ``secure_delete`` OFF, as SQLite's
    own default is (Debian's build turns it on): the job must turn it on itself."""

    def __init__(self, services) -> None:
        self._services = services

    def __getattr__(self, name):
        return getattr(self._services, name)

    @contextlib.contextmanager
    def reading(self):
        with self._services.reading() as con:
            con.execute("PRAGMA secure_delete=OFF")
            yield con


def test_the_job_overwrites_even_where_sqlite_would_not(services, settings) -> None:
    expired = [
        family(services, last=ago(DAYS + 1), meetings=(ago(DAYS + 2),), marker=f"gone-{n:04d}-x")
        for n in range(300)
    ]
    assert forget(_InsecureByDefault(services))["families"] == 300
    after = raw_store(settings)
    assert [code for _id, code in expired if code.encode() in after] == []
    assert re.search(rb"gone-\d{4}-x", after) is None
