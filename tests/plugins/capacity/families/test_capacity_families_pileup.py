"""The pile-up rule on handmade meetings with known answers (``pile_up_meetings`` N = 3 unless said)."""

from __future__ import annotations

from perhekeskus.plugins.capacity.families.pileup import DAY, WEEK, pile_ups
from perhekeskus.plugins.capacity.model import Meeting

# 2026-W10 is Monday 2 March to Sunday 8 March 2026
MON, TUE, WED, THU, FRI, SUN = (
    "2026-03-02",
    "2026-03-03",
    "2026-03-04",
    "2026-03-05",
    "2026-03-06",
    "2026-03-08",
)
NEXT_MON = "2026-03-09"  # 2026-W11


def week_warnings(meetings, limit=3):
    return [w for w in pile_ups(meetings, limit) if w.kind == WEEK]


def test_exactly_n_different_workers_in_a_week_is_not_a_pile_up() -> None:
    meetings = [Meeting(1, d, a) for d, a in ((MON, "a1"), (TUE, "a2"), (WED, "a3"))]
    assert pile_ups(meetings, 3) == []


def test_n_plus_one_different_workers_in_a_week_is_a_pile_up() -> None:
    meetings = [Meeting(1, d, a) for d, a in ((MON, "a1"), (TUE, "a2"), (WED, "a3"), (SUN, "a4"))]
    [warning] = pile_ups(meetings, 3)
    assert (warning.family_id, warning.kind, warning.when) == (1, WEEK, "2026-W10")
    assert warning.workers == ("a1", "a2", "a3", "a4") and warning.meetings == 4


def test_n_plus_one_meetings_with_the_same_worker_is_not_a_pile_up() -> None:
    meetings = [Meeting(1, d, "a1") for d in (MON, TUE, WED, THU)]
    assert pile_ups(meetings, 3) == []


def test_the_same_day_with_one_worker_twice_is_not_a_clash_but_two_workers_are() -> None:
    assert pile_ups([Meeting(1, MON, "a1"), Meeting(1, MON, "a1", "home_visit")], 3) == []
    [warning] = pile_ups([Meeting(1, MON, "a1"), Meeting(1, MON, "a2")], 3)
    assert (warning.kind, warning.when, warning.workers) == (DAY, MON, ("a1", "a2"))


def test_weeks_are_iso_weeks_and_families_are_apart() -> None:
    # four workers, but Sunday and the next Monday are in different ISO weeks
    split = [Meeting(1, d, a) for d, a in ((THU, "a1"), (FRI, "a2"), (SUN, "a3"), (NEXT_MON, "a4"))]
    assert week_warnings(split) == []
    # four workers in one week, but for two families: no family meets more than two
    apart = [Meeting(f, d, a) for f, d, a in ((1, MON, "a1"), (1, TUE, "a2"), (2, WED, "a3"), (2, THU, "a4"))]
    assert pile_ups(apart, 3) == []


def test_the_limit_is_the_setting_and_warnings_come_in_order() -> None:
    meetings = [Meeting(1, MON, "a1"), Meeting(1, MON, "a2"), Meeting(1, TUE, "a3")]
    assert [w.kind for w in pile_ups(meetings, 3)] == [DAY]
    assert [(w.kind, w.when) for w in pile_ups(meetings, 2)] == [(WEEK, "2026-W10"), (DAY, MON)]
    # a limit below 1 counts as 1: one worker a week is never a flood
    assert week_warnings([Meeting(1, MON, "a1")], 0) == []
