"""The warehouse source ``feedback``: answers from the operational store reach the tables the views read,
with their month, coordination area and themes; the suite blocks a bad row; texts stay scrubbed; runs
asked for after moderation are coalesced."""

from __future__ import annotations

from pathlib import Path

import pytest
from feedback_moderation_world import add_answer
from support import query

from perhekeskus import Services
from perhekeskus.etl.audit import audit
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.plugins.feedback.moderation import publish, queue
from perhekeskus.plugins.feedback.moderation.child import LOCKED
from perhekeskus.plugins.feedback.moderation.source import FeedbackSource, answer_frame
from perhekeskus.plugins.feedback.moderation.themes import load_themes
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

SUITES = [
    Path(__import__("perhekeskus.plugins.feedback.moderation.source", fromlist=["x"]).__file__).parent
    / "expectations"
]


@pytest.fixture
def fresh(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", plugins={"feedback": {"publish_after_moderation": "false"}})


def test_answers_reach_the_warehouse_with_month_area_and_themes(fresh: Settings) -> None:
    nokia = add_answer(
        fresh, "536", "Työntekijä kuunteli.", "Jonossa odotimme kauan.", received_on="2026-10-30"
    )
    tampere = add_answer(
        fresh, "837", "", "Vi väntade länge i kön.", lang="sv", rating=None, status="approved"
    )
    other = add_answer(fresh, "other", "The nurse was kind.", "", lang="en", status="hidden", rating=2)
    services = Services.create(fresh)
    queue.moderate(services, "mod", tampere, "publishable", change_publishable=True)
    queue.moderate(
        services,
        "mod",
        tampere,
        "themes",
        themes=["waiting", "language"],
        known_themes=["waiting", "language"],
    )

    summary = run_pipeline("feedback", fresh)
    assert summary.status == "success", summary.message

    rows = query(
        fresh,
        "SELECT answer_id, received_on, month, municipality, area_id, rating, lang, status, "
        "good_publishable, change_publishable FROM feedback_answer ORDER BY answer_id",
    )
    assert rows == [
        (nokia, "2026-10-30", "2026-10", "536", "lantinen", 4, "fi", "new", False, False),
        (tampere, "2026-11-03", "2026-11", "837", "pohjoinen", None, "sv", "approved", False, True),
        (other, "2026-11-03", "2026-11", "other", None, 2, "en", "hidden", False, False),  # every status
    ]
    themes = query(fresh, "SELECT answer_id, theme, origin FROM feedback_answer_theme ORDER BY 1, 2")
    assert (nokia, "waiting", "suggested") in themes and (nokia, "being_heard", "suggested") in themes
    assert [t for t in themes if t[0] == tampere] == [
        (tampere, "language", "confirmed"),
        (tampere, "waiting", "confirmed"),
    ]
    assert (other, "staff_continuity", "suggested") in themes
    names = query(fresh, "SELECT theme, name_fi, name_sv, name_en, task FROM feedback_theme")
    assert len(names) == len(load_themes().themes)
    assert ("divorce", "Ero", "Skilsmässa", "Divorce", "divorce_services") in names
    # the next run replaces the tables whole: a new answer appears, nothing doubles
    add_answer(fresh, "790", "Hyvä")
    assert run_pipeline("feedback", fresh).status == "success"
    assert query(fresh, "SELECT count(*), count(DISTINCT answer_id) FROM feedback_answer") == [(4, 4)]


def test_the_suite_blocks_an_unknown_municipality_and_the_warehouse_keeps_the_last_good_copy(
    fresh: Settings,
) -> None:
    add_answer(fresh, "536", "Hyvä")
    assert run_pipeline("feedback", fresh).status == "success"
    add_answer(fresh, "999", "Tuntematon kunta")  # not in the province configuration, not "other"
    blocked = run_pipeline("feedback", fresh)
    assert blocked.status == "blocked", blocked.message
    assert "municipality" in blocked.message
    assert query(fresh, "SELECT municipality FROM feedback_answer") == [("536",)]


def test_the_suite_blocks_a_rating_outside_one_to_five_and_an_unknown_status() -> None:
    areas = load_areas()
    good = (1, "2026-11-01", "536", None, 5, None, "fi", "new", "a", "b", 0, 0)
    for bad in (
        (2, "2026-11-01", "536", None, 9, None, "fi", "new", "a", "b", 0, 0),
        (2, "2026-11-01", "536", None, 3, None, "fi", "published", "a", "b", 0, 0),
    ):
        result = audit(
            answer_frame([good, bad], areas),
            "feedback_answer",
            "feedback.answer",
            key_columns=["answer_id"],
            suite_dirs=SUITES,
        )
        assert result.blocked, bad
        assert all(c.get("observed") != "a" for c in result.checks)
    result = audit(
        answer_frame([good], areas),
        "feedback_answer",
        "feedback.answer",
        key_columns=["answer_id"],
        suite_dirs=SUITES,
    )
    assert not result.blocked, result.blocking


def test_scrubbed_texts_stay_scrubbed_in_the_warehouse(fresh: Settings) -> None:
    """Written the way the form writes (its scrubber and its store), then copied by the flow."""
    from perhekeskus.plugins.feedback.form.scrub import scrub
    from perhekeskus.plugins.feedback.form.store import Answer, save_answer

    raw_good = "Soittakaa 040 123 4567 tai maija.meikalainen@example.fi, hetu 131052-308T."
    raw_change = "Asun osoitteessa Hämeenkatu 12 B 34, 33100 Tampere. Jonossa odotimme kauan."
    good, change = scrub(raw_good, "fi"), scrub(raw_change, "fi")
    services = Services.create(fresh)
    answer_id = save_answer(
        services, Answer("837", None, 3, good.text, change.text, None, "fi", good.removed + change.removed)
    )
    assert run_pipeline("feedback", fresh).status == "success"
    [(stored_good, stored_change)] = query(
        fresh, "SELECT good_text, change_text FROM feedback_answer WHERE answer_id = ?", [answer_id]
    )
    for secret in ("040 123 4567", "maija.meikalainen", "131052-308T", "Hämeenkatu 12", "33100"):
        assert secret not in stored_good and secret not in stored_change
    assert stored_good == good.text and stored_change == change.text
    assert "[puhelinnumero]" in stored_good
    assert query(fresh, "SELECT theme FROM feedback_answer_theme WHERE answer_id = ?", [answer_id]) == [
        ("waiting",)
    ]


def test_runs_asked_for_after_moderation_are_coalesced(fresh: Settings) -> None:
    add_answer(fresh, "536", "Hyvä")
    started = [publish.request_publish(fresh, retry_seconds=0.2, in_process=True) for _ in range(5)]
    assert started == [True, False, False, False, False]
    assert publish.wait_for_publish(fresh, timeout=120)
    runs = query(fresh, "SELECT count(*) FROM etl_run WHERE source = 'feedback'")[0][0]
    assert 1 <= runs <= 2  # the one in flight and at most one more for everything asked meanwhile
    assert query(fresh, "SELECT count(*) FROM feedback_answer") == [(1,)]


def test_a_run_while_the_warehouse_is_locked_is_retried_and_the_child_process_publishes(
    fresh: Settings,
) -> None:
    from perhekeskus.warehouse.publish import run_lock

    add_answer(fresh, "536", "", "Jonossa odotimme kauan.")
    with run_lock(fresh):  # another source's run holds the warehouse
        assert publish._once_in_process(fresh) == LOCKED
    # the web app's way: the whole run in a child process under the same settings
    assert publish._once_in_child(fresh) == 0
    assert query(fresh, "SELECT municipality FROM feedback_answer") == [("536",)]
    assert query(fresh, "SELECT theme FROM feedback_answer_theme") == [("waiting",)]


def test_the_source_declares_the_contract_tables() -> None:
    source = FeedbackSource()
    assert source.name == "feedback" and source.schedule == "*/10 * * * *"
    assert list(source.tables["feedback_answer"]) == [
        "answer_id",
        "received_on",
        "month",
        "municipality",
        "area_id",
        "task",
        "rating",
        "age_group",
        "lang",
        "status",
        "good_text",
        "change_text",
        "good_publishable",
        "change_publishable",
    ]
    assert list(source.tables["feedback_answer_theme"]) == ["answer_id", "theme", "origin"]
    assert list(source.tables["feedback_theme"]) == ["theme", "name_fi", "name_sv", "name_en", "task"]
