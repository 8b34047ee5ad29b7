"""Writing answers: concurrent threads of one process share commits, every answer is committed exactly
once with its own id, and a transaction that fails acknowledges none of its answers."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace

import pytest
from feedback_form_support import build_server, stored

from perhekeskus.plugins.feedback.form import store

ANSWER = store.Answer("837", None, 4, "hyvä", "", None, "fi", 0)


def test_concurrent_threads_each_get_their_own_committed_answer(tmp_path):
    server = build_server(tmp_path / "home")
    services = server.extensions["perhekeskus_services"]
    ids: list[int] = []
    lock = threading.Lock()

    def send(n: int) -> None:
        for k in range(10):
            answer_id = store.save_answer(services, replace(ANSWER, good_text=f"säie {n} vastaus {k}"))
            with lock:
                ids.append(answer_id)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = stored(server)
    assert len(ids) == len(set(ids)) == len(rows) == 80
    assert {r["answer_id"]: r["good_text"] for r in rows}.keys() == set(ids)


def test_a_failing_write_acknowledges_nothing(tmp_path):
    server = build_server(tmp_path / "home")
    services = server.extensions["perhekeskus_services"]
    with pytest.raises(sqlite3.IntegrityError):
        store.save_answer(services, replace(ANSWER, lang="xx"))  # the table's CHECK refuses it
    assert stored(server) == []
    assert store.save_answer(services, ANSWER) == stored(server)[0]["answer_id"]
