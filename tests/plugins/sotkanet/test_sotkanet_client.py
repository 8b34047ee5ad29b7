"""The Sotkanet client and its HTTP manners, against the product's snapshot server on 127.0.0.1 with
injected faults: User-Agent and 403, Retry-After on 503 and 429, timeouts, 404, damaged bodies."""

from __future__ import annotations

import email.utils
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import requests
from support import (
    ROWS_127_2009,
    TAMPERE_ID,
    FaultServer,
    answer_times,
    body_for,
    slow,
    truncated_json,
)

from perhekeskus.etl.http import NotFound, PoliteSession, SourceError
from perhekeskus.plugins.sotkanet.client import SotkanetClient, body_problem
from perhekeskus.warehouse.settings import USER_AGENT, Settings


def make_client(server: FaultServer, sleeps: list | None = None, **kw) -> SotkanetClient:
    options = {"timeout": 2.0, "retries": 2, "backoff": 0.01, "max_wait": 60.0}
    options.update(kw)
    if sleeps is not None:
        options["sleep"] = sleeps.append
    return SotkanetClient(server.base_url, PoliteSession(user_agent=USER_AGENT, **options))


# --- User-Agent and 403 ----------------------------------------------------------------------------


def test_server_refuses_missing_and_generic_user_agents(server: FaultServer):
    """The fake behaves like Sotkanet: 403 for python-requests, urllib and no User-Agent at all."""
    assert requests.get(f"{server.base_url}/regions", timeout=5).status_code == 403
    assert (
        requests.get(f"{server.base_url}/regions", headers={"User-Agent": None}, timeout=5).status_code == 403
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{server.base_url}/regions", timeout=5)
    assert err.value.code == 403
    assert requests.get(f"{server.base_url}/regions", headers={"User-Agent": USER_AGENT}, timeout=5).ok


def test_client_sends_the_descriptive_user_agent(server: FaultServer, settings: Settings):
    client = SotkanetClient.from_settings(settings)
    regions = client.regions()
    assert len(regions) == 511
    meta = client.indicator(4)
    assert meta["data-updated"] == "2016-11-02"
    agents = {agent for _route, _params, agent in server.requests}
    assert agents == {USER_AGENT}


def test_403_fails_at_once_with_a_clear_message(server: FaultServer):
    server.faults.append(
        answer_times("/regions", 403, body=b"<html>403 Forbidden</html>", content_type="text/html")
    )
    sleeps: list[float] = []
    with pytest.raises(SourceError) as err:
        make_client(server, sleeps).regions()
    message = str(err.value)
    assert "/regions" in message and "403" in message and "User-Agent" in message
    assert USER_AGENT in message
    assert server.routes() == ["/regions"], "403 is not retried: another try would be refused the same way"
    assert sleeps == []


# --- Retry-After on 503 and 429 --------------------------------------------------------------------


def test_503_retry_after_seconds_is_honoured(server: FaultServer):
    server.faults.append(answer_times("/regions", 503, times=1, headers={"Retry-After": "7"}))
    sleeps: list[float] = []
    regions = make_client(server, sleeps, backoff=0.5).regions()
    assert len(regions) == 511
    assert server.routes() == ["/regions", "/regions"]
    assert sleeps == [7.0], "the wait comes from Retry-After, not from the backoff"


def test_503_retry_after_really_waits(server: FaultServer):
    """Without an injected sleep the client really waits what the header says (loose timing)."""
    server.faults.append(answer_times("/indicators/4", 503, times=1, headers={"Retry-After": "1"}))
    client = make_client(server, backoff=20.0)  # the backoff alone would wait 20 s
    started = time.monotonic()
    assert client.indicator(4)["id"] == 4
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 10
    assert server.routes().count("/indicators/4") == 2


def test_429_with_http_date_retry_after(server: FaultServer):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.faults.append(answer_times("/regions", 429, times=2, headers={"Retry-After": when}))
    sleeps: list[float] = []
    assert len(make_client(server, sleeps).regions()) == 511
    assert len(sleeps) == 2
    assert all(25 <= s <= 31 for s in sleeps), sleeps


def test_retry_after_is_capped(server: FaultServer):
    server.faults.append(answer_times("/regions", 429, times=1, headers={"Retry-After": "86400"}))
    sleeps: list[float] = []
    make_client(server, sleeps, max_wait=3.0).regions()
    assert sleeps == [3.0]


def test_5xx_without_retry_after_backs_off_then_gives_up(server: FaultServer):
    server.faults.append(answer_times("/regions", 500))
    sleeps: list[float] = []
    with pytest.raises(SourceError) as err:
        make_client(server, sleeps, retries=2, backoff=0.5).regions()
    assert sleeps == [0.5, 1.0]
    assert server.routes() == ["/regions"] * 3
    message = str(err.value)
    assert f"{server.base_url}/regions" in message
    assert "HTTP 500" in message and "after 3 attempts" in message


def test_429_until_the_retries_are_spent(server: FaultServer):
    server.faults.append(answer_times("/regions", 429, headers={"Retry-After": "1"}))
    sleeps: list[float] = []
    with pytest.raises(SourceError, match=r"HTTP 429 .* after 2 attempts"):
        make_client(server, sleeps, retries=1).regions()
    assert sleeps == [1.0]


# --- timeouts, refused connections, other statuses -------------------------------------------------


def test_timeout_is_retried_then_reported(server: FaultServer):
    server.faults.append(slow("/regions", 4.0))
    started = time.monotonic()
    with pytest.raises(SourceError) as err:
        make_client(server, timeout=0.3, retries=1).regions()
    assert "no answer within 0.3 s after 2 attempts" in str(err.value)
    assert server.routes() == ["/regions", "/regions"]
    assert time.monotonic() - started < 3.5, "it did not wait for the slow answers"


def test_one_slow_answer_is_survived(server: FaultServer):
    server.faults.append(slow("/indicators/4", 2.0, times=1))
    assert make_client(server, timeout=0.5, retries=2).indicator(4)["id"] == 4


def test_slow_data_download_times_out(server: FaultServer, tmp_path: Path):
    server.faults.append(slow("/json", 1.5))
    with pytest.raises(SourceError, match=r"no answer within 0\.3 s"):
        make_client(server, timeout=0.3, retries=1).download_data(127, [2009], tmp_path / "127.json")


def _partial_body(server: FaultServer, then) -> callable:
    """A /json answer whose headers promise the whole body but which sends only its first kilobyte."""

    def fault(handler, route, params):
        if route != "/json":
            return False
        body = body_for(server, 127)
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:1000])
        handler.wfile.flush()
        then(handler)
        return True

    return fault


def test_body_stalling_mid_stream_fails(server: FaultServer, tmp_path: Path):
    server.faults.append(_partial_body(server, lambda handler: time.sleep(1.5)))
    with pytest.raises(SourceError) as err:
        make_client(server, timeout=0.3, retries=1).download_data(127, [2009], tmp_path / "127.json")
    assert f"{server.base_url}/json" in str(err.value) and "after 2 attempts" in str(err.value)


def test_connection_closed_mid_body_fails(server: FaultServer, tmp_path: Path):
    def hang_up(handler):
        handler.close_connection = True
        handler.connection.shutdown(socket.SHUT_RDWR)

    server.faults.append(_partial_body(server, hang_up))
    with pytest.raises(SourceError, match=r"connection failed .* after 3 attempts"):
        make_client(server).download_data(127, [2009], tmp_path / "127.json")
    assert len(server.data_requests()) == 3


def test_connection_refused(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = SotkanetClient(
        f"http://127.0.0.1:{port}/rest/1.1",
        PoliteSession(user_agent=USER_AGENT, retries=1, sleep=lambda s: None),
    )
    with pytest.raises(SourceError, match=r"connection failed .* after 2 attempts"):
        client.regions()


def test_unknown_indicator_is_not_found_without_retry(server: FaultServer):
    sleeps: list[float] = []
    with pytest.raises(NotFound, match="404"):
        make_client(server, sleeps).indicator(999999)
    assert server.routes() == ["/indicators/999999"]
    assert sleeps == []


def test_other_client_errors_are_not_retried(server: FaultServer, tmp_path: Path):
    server.faults.append(answer_times("/json", 400, body=b'{"error":"bad years"}'))
    with pytest.raises(SourceError) as err:
        make_client(server).download_data(127, [2009], tmp_path / "127.json")
    assert "HTTP 400" in str(err.value) and "bad years" in str(err.value)
    assert len(server.data_requests()) == 1


def test_invalid_json_metadata_is_reported(server: FaultServer):
    server.faults.append(answer_times("/regions", 200, body=b'[{"id": 1,'))
    with pytest.raises(SourceError, match="the region list is not valid JSON"):
        make_client(server).regions()


def test_regions_must_be_a_list(server: FaultServer):
    server.faults.append(answer_times("/regions", 200, body=b'{"regions": []}'))
    with pytest.raises(SourceError, match="expected a JSON array of regions, got dict"):
        make_client(server).regions()


# --- data downloads --------------------------------------------------------------------------------


def test_data_download_uses_repeated_parameters(server: FaultServer, tmp_path: Path):
    dest = tmp_path / "127.json"
    size = make_client(server).download_data(127, [2008, 2009], dest, genders=("total",))
    assert size == dest.stat().st_size > 0
    ((route, params),) = server.data_requests()
    assert route == "/json"
    assert params == {"indicator": ["127"], "years": ["2008", "2009"], "genders": ["total"]}
    assert dest.read_bytes().startswith(b"[") and f'"region":{TAMPERE_ID}'.encode() in dest.read_bytes()


def test_csv_download(server: FaultServer, tmp_path: Path):
    dest = tmp_path / "127.csv"
    make_client(server).download_data(127, [2009], dest, fmt="csv", genders=("total",))
    lines = dest.read_bytes().split(b"\r\n")
    assert lines[0] == b"indicator;region;year;gender;primary value;absolute value"
    assert len([line for line in lines[1:] if line]) == ROWS_127_2009


def test_truncated_body_is_fetched_again(server: FaultServer, tmp_path: Path):
    server.faults.append(truncated_json(server, 127, times=1))
    dest = tmp_path / "127.json"
    make_client(server).download_data(127, [2009], dest)
    assert dest.read_bytes().rstrip().endswith(b"]")
    assert len(server.data_requests()) == 2


def test_truncated_body_twice_fails_naming_the_indicator(server: FaultServer, tmp_path: Path):
    server.faults.append(truncated_json(server, 127))
    with pytest.raises(SourceError) as err:
        make_client(server).download_data(127, [2009], tmp_path / "127.json")
    message = str(err.value)
    assert message.startswith("indicator 127:")
    assert "cut off" in message
    assert len(server.data_requests()) == 2


def test_html_error_page_with_200_is_refused(server: FaultServer, tmp_path: Path):
    page = b"<!DOCTYPE html><html><body>Huoltokatko / maintenance</body></html>"
    server.faults.append(answer_times("/json", 200, body=page, content_type="text/html"))
    with pytest.raises(SourceError, match=r"indicator 127: .* expected a JSON array"):
        make_client(server).download_data(127, [2009], tmp_path / "127.json")


@pytest.mark.parametrize(
    ("body", "fmt", "problem"),
    [
        (b"[]", "json", ""),
        (b'\xef\xbb\xbf [{"a":1}]\r\n', "json", ""),
        (b"", "json", "the body is empty"),
        (b'[{"a":1},{"a"', "json", "cut off"),
        (b'{"error": "x"}', "json", "expected a JSON array"),
        (
            b"\xef\xbb\xbfindicator;region;year;gender;primary value;absolute value\r\n127;378;2009;total;1;\r\n",
            "csv",
            "",
        ),
        (b"<html></html>", "csv", "expected a ';'-separated header"),
    ],
)
def test_body_problem(tmp_path: Path, body: bytes, fmt: str, problem: str):
    path = tmp_path / f"body.{fmt}"
    path.write_bytes(body)
    found = body_problem(path, fmt)
    assert (problem in found) if problem else found == ""
