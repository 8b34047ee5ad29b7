"""The Prefect flow runs the same pipeline and is tracked by Prefect (a temporary API for the session)."""

from __future__ import annotations

import pytest
from support import ROWS_127_2009, FaultServer, answer_times, run_record, value_of

from perhekeskus.warehouse.settings import Settings

pytestmark = pytest.mark.prefect


def _flow_runs() -> list:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_runs()


@pytest.mark.timeout(600)
def test_flow_success_and_failure(prefect_harness, settings: Settings, server: FaultServer):
    from perhekeskus.etl.flows import run_flow

    summary = run_flow("sotkanet", settings, items=["127"], years=(2009, 2009))
    assert summary.status == "success", summary.message
    assert summary.rows_fetched == ROWS_127_2009
    assert value_of(settings, 127, "837") == 211507
    assert run_record(settings, summary.run_id)["status"] == "success"

    server.faults.append(answer_times("/regions", 403))
    failed = run_flow("sotkanet", settings, items=["127"], years=(2009, 2009), full=True)
    assert failed.status == "failed"
    assert "403" in failed.message
    assert run_record(settings, failed.run_id)["status"] == "failed"
    assert value_of(settings, 127, "837") == 211507, "the failed flow run changed nothing published"

    runs = sorted(_flow_runs(), key=lambda r: r.created)
    assert [r.name for r in runs[-2:]] == ["sotkanet-etl", "sotkanet-etl"]
    assert [r.state.type.value for r in runs[-2:]] == ["COMPLETED", "FAILED"]
