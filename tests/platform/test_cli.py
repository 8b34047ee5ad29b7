"""``perhekeskus etl run``: exit 0 and a summary line on success; non-zero and a one-line reason on
stderr otherwise. Two runs go through a real subprocess; the rest call ``perhekeskus.cli.main`` in process."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from support import (
    REPO,
    ROWS_127_2009,
    UNKNOWN_REGION_IDS,
    FaultServer,
    answer_times,
    cli,
    cli_env,
    count_values,
    last_run,
    metadata_from_list,
    rows_like,
    value_of,
    write_json,
)

from perhekeskus.cli import main
from perhekeskus.warehouse.settings import USER_AGENT, Settings

SUMMARY = re.compile(
    r"^sotkanet success: (\d+) rows fetched, (\d+) loaded, (\d+) quarantined; "
    r"(\d+) of (\d+) indicators fetched, (\d+) unchanged; [\d.]+ s$"
)


def _cli(
    settings: Settings, server: FaultServer, package_file: Path, *args: str
) -> subprocess.CompletedProcess:
    env = cli_env(settings.home, server.base_url, PERHEKESKUS_INDICATOR_PACKAGE=str(package_file))
    return subprocess.run(
        [str(cli()), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=180, check=False
    )


def test_cli_success_prints_a_summary_line(settings: Settings, server: FaultServer, package_file: Path):
    done = _cli(
        settings,
        server,
        package_file,
        "etl",
        "run",
        "--source",
        "sotkanet",
        "--indicators",
        "127",
        "--years",
        "2009",
        "--no-prefect",
    )
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    match = SUMMARY.match(last)
    assert match, last
    fetched, loaded, quarantined, got, asked, unchanged = map(int, match.groups())
    assert (fetched, loaded, quarantined) == (ROWS_127_2009, ROWS_127_2009 - 3, len(UNKNOWN_REGION_IDS))
    assert (got, asked, unchanged) == (1, 1, 0)
    assert "Traceback" not in done.stderr
    assert value_of(settings, 127, "837") == 211507
    assert {agent for _r, _p, agent in server.requests} == {USER_AGENT}


def test_cli_failure_gives_one_line_on_stderr(settings: Settings, server: FaultServer, package_file: Path):
    server.faults.append(answer_times("/", 403, body=b"<html>Forbidden</html>", content_type="text/html"))
    done = _cli(
        settings,
        server,
        package_file,
        "etl",
        "run",
        "--source",
        "sotkanet",
        "--indicators",
        "127",
        "--years",
        "2009",
        "--no-prefect",
    )
    assert done.returncode == 1
    assert done.stdout.strip() == ""
    reasons = [line for line in done.stderr.splitlines() if line.startswith("sotkanet run failed:")]
    assert len(reasons) == 1, done.stderr
    assert "403" in reasons[0] and "/regions" in reasons[0]
    assert done.stderr.strip().splitlines()[-1] == reasons[0], "the reason is the last thing said"
    assert "Traceback" not in done.stderr
    assert last_run(settings)["status"] == "failed"


# --- in process ------------------------------------------------------------------------------------


@pytest.fixture
def cli_settings(
    settings: Settings, server: FaultServer, package_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """The environment ``main`` reads, restored afterwards (``main`` sets Prefect defaults in it)."""
    monkeypatch.setenv("PERHEKESKUS_HOME", str(settings.home))
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_URL", server.base_url)
    monkeypatch.setenv("PERHEKESKUS_INDICATOR_PACKAGE", str(package_file))
    monkeypatch.setenv("PERHEKESKUS_HTTP_RETRIES", "1")
    monkeypatch.setenv("PERHEKESKUS_HTTP_BACKOFF", "0.01")
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    for name in (
        "PREFECT_HOME",
        "PREFECT_LOGGING_LEVEL",
        "GX_ANALYTICS_ENABLED",
        "DO_NOT_TRACK",
        "PREFECT_SERVER_ANALYTICS_ENABLED",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS",
    ):
        # registered with monkeypatch so that teardown puts back exactly what was there before
        current = os.environ.get(name)
        monkeypatch.setenv(name, current if current is not None else "")
        if current is None:
            monkeypatch.delenv(name)
    return settings


def _reason(capsys) -> tuple[str, str]:
    captured = capsys.readouterr()
    return captured.out, captured.err.strip().splitlines()[-1] if captured.err.strip() else ""


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--years", "2020-2018"], "error: --years: 2020 is after 2018"),
        (["--years", "20x0"], "error: --years must look like 2018-2020 or 2020, got '20x0'"),
        (["--indicators", "127,a b"], "error: --indicators takes indicator ids separated by commas, not a b"),
        (
            ["--source", "nope"],
            "error: no source named 'nope' (enabled sources: capacity, feedback, network, service_map, sotkanet)",
        ),
    ],
)
def test_cli_usage_errors(cli_settings: Settings, server: FaultServer, capsys, args, reason):
    code = main(["etl", "run", "--source", "sotkanet", "--no-prefect", *args])
    _out, last = _reason(capsys)
    assert code == 1
    assert last == reason
    assert server.requests == [], "nothing is fetched for a command that cannot run"


def test_cli_blocked_run_exits_2(cli_settings: Settings, server: FaultServer, snapshot: Path, capsys):
    write_json(snapshot / "indicators" / "1086.json", metadata_from_list(1086))
    write_json(
        snapshot / "data" / "1086.json", rows_like(1086, value=lambda r: 120.0 if r["region"] % 3 else 5.0)
    )
    code = main(
        ["etl", "run", "--source", "sotkanet", "--indicators", "1086", "--years", "2009", "--no-prefect"]
    )
    out, last = _reason(capsys)
    assert code == 2
    assert last.startswith(
        "sotkanet run blocked: blocked by a critical quality check: percentage outside 0 to 100"
    )
    assert out == ""
    assert last_run(cli_settings)["status"] == "blocked"
    assert count_values(cli_settings) == 0


def test_cli_notes_an_unknown_indicator(cli_settings: Settings, capsys):
    code = main(
        [
            "etl",
            "run",
            "--source",
            "sotkanet",
            "--indicators",
            "127,999999",
            "--years",
            "2009",
            "--no-prefect",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert (
        "note: indicator 999999: Sotkanet does not know this id (404); skipped" in captured.err.splitlines()
    )
    assert SUMMARY.match(captured.out.strip().splitlines()[-1])
    assert value_of(cli_settings, 127, "837") == 211507
