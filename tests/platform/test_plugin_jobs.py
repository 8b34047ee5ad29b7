"""A plugin's scheduled jobs (``perhekeskus_jobs``): run through the real ``plugin-job`` Prefect flow, served
as one deployment each on their own cron, listed and run by the CLI; a failing job fails its flow run."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from perhekeskus import Job, hookimpl, registry
from perhekeskus.cli import main
from perhekeskus.etl.flows import run_job
from perhekeskus.etl.schedule import job_deployments
from perhekeskus.warehouse.settings import Settings


def _tidy(services) -> str:
    """Deletes the "expired" files of the test's home and says how many: a job with a visible effect."""
    gone = 0
    for path in sorted(services.settings.home.glob("expired-*")):
        path.unlink()
        gone += 1
    return f"{gone} expired files deleted"


def _broken(services) -> str:
    raise RuntimeError("the store is locked")


class JobsPlugin:
    @hookimpl
    def perhekeskus_jobs(self, services) -> list[Job]:
        return [
            Job("probe-tidy", "Delete expired probe files.", _tidy, cron="15 2 * * *"),
            Job("probe-broken", "A job that always fails.", _broken),
        ]


@pytest.fixture
def jobs_plugin() -> Iterator[None]:
    plugin = JobsPlugin()
    registry.plugin_manager().register(plugin, name="jobs-probe")
    try:
        yield
    finally:
        registry.plugin_manager().unregister(plugin)
        registry.reset()


@pytest.fixture
def home_settings(tmp_path: Path) -> Settings:
    settings = Settings(home=tmp_path / "home")
    settings.home.mkdir(parents=True)
    return settings


def test_a_job_runs_through_its_flow_and_does_its_work(prefect_harness, jobs_plugin, home_settings) -> None:
    for n in range(3):
        (home_settings.home / f"expired-{n}").write_text("old")
    (home_settings.home / "kept").write_text("new")
    ok, summary = run_job("probe-tidy", home_settings)
    assert ok, summary
    assert summary == "3 expired files deleted"
    assert [p.name for p in home_settings.home.iterdir()] == ["kept"]


def test_a_job_that_raises_fails_its_flow_run_with_the_reason(
    prefect_harness, jobs_plugin, home_settings
) -> None:
    ok, message = run_job("probe-broken", home_settings)
    assert not ok
    assert "the store is locked" in message


def test_each_job_is_served_as_a_deployment_on_its_own_cron(jobs_plugin, home_settings) -> None:
    # in a thread of its own, as the worker calls it: Prefect's to_deployment is async where an event loop
    # runs in the calling thread (the browser tests' Playwright leaves one in the main thread)
    with ThreadPoolExecutor(1) as pool:
        made = pool.submit(job_deployments, home_settings).result()
    deployments = {d.name: d for d in made}
    assert {"probe-tidy-scheduled", "probe-broken-scheduled"} <= set(deployments)
    tidy = deployments["probe-tidy-scheduled"]
    assert tidy.parameters == {"job": "probe-tidy"}
    assert tidy.schedules[0].schedule.cron == "15 2 * * *"
    assert deployments["probe-broken-scheduled"].schedules[0].schedule.cron == "30 2 * * *"


def test_two_plugins_may_not_offer_one_job_name(jobs_plugin) -> None:
    twin = JobsPlugin()
    registry.plugin_manager().register(twin, name="jobs-probe-twin")
    try:
        with pytest.raises(ValueError, match="probe-tidy"):
            registry.jobs()
    finally:
        registry.plugin_manager().unregister(twin)


def test_the_cli_lists_jobs_and_refuses_an_unknown_one(
    jobs_plugin, home_settings, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("PERHEKESKUS_HOME", str(home_settings.home))
    assert main(["jobs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "probe-tidy\t15 2 * * *\tDelete expired probe files." in listed
    assert main(["jobs", "run", "no-such-job"]) == 2
    assert "no job named 'no-such-job'" in capsys.readouterr().err
