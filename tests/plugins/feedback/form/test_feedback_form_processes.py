"""No acknowledged answer is lost: several server processes write to one operational store while several
client processes submit through real HTTP at once; every answer whose thank-you page came back is stored."""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import requests

from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

HERE = Path(__file__).parent
SERVERS = 2
CLIENTS = 4
ANSWERS_PER_CLIENT = 12


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def submit_many(base: str, client: int) -> int:
    """One family's phone after another: open the form, send an answer; returns the acknowledged count."""
    acknowledged = 0
    with requests.Session() as session:
        for n in range(ANSWERS_PER_CLIENT):
            page = session.get(f"{base}/palaute?lang=fi", timeout=30)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            response = session.post(
                f"{base}/palaute?lang=fi",
                data={
                    "csrf_token": token,
                    "municipality": "837",
                    "rating": str(1 + n % 5),
                    "good_text": f"asiakas {client} vastaus {n} 😀",
                },
                headers={"Origin": base},
                timeout=30,
            )
            if response.status_code == 200 and "Kiitos palautteestasi" in response.text:
                acknowledged += 1
    return acknowledged


def test_concurrent_processes_lose_no_acknowledged_answer(tmp_path):
    home = tmp_path / "home"
    ports = [free_port() for _ in range(SERVERS)]
    servers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "feedback_form_serve.py"), str(home), str(port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for port in ports
    ]
    try:
        for server in servers:
            assert server.stdout.readline().strip() == "ready"
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        with ProcessPoolExecutor(CLIENTS) as pool:
            counts = list(pool.map(submit_many, [bases[i % SERVERS] for i in range(CLIENTS)], range(CLIENTS)))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    acknowledged = sum(counts)
    assert acknowledged == CLIENTS * ANSWERS_PER_CLIENT
    with operational.reading(Settings(home=home)) as con:
        rows = con.execute("SELECT good_text FROM feedback_answer").fetchall()
    assert len(rows) == acknowledged
    assert {r[0] for r in rows} == {
        f"asiakas {c} vastaus {n} 😀" for c in range(CLIENTS) for n in range(ANSWERS_PER_CLIENT)
    }
