"""The one aggregation module (``views/aggregate.py``) on a real published DuckDB warehouse read through the
platform's reader: the ≥ 5 rule, hidden answers, filters, secondary suppression against differencing,
tiers and quotes, and the k-anonymous export."""

from __future__ import annotations

from pathlib import Path

import pytest
from feedback_views_support import AREAS, Answers, standard_answers, write_feedback

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.feedback.views import aggregate
from perhekeskus.plugins.feedback.views import export as anonymised
from perhekeskus.plugins.feedback.views.aggregate import (
    ALL,
    FULL,
    PROVINCE,
    PUBLIC,
    area_unit,
    municipality_unit,
)
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

M = municipality_unit


def feedback_of(tmp: Path, data: Answers):
    settings = Settings(home=tmp)
    tmp.mkdir(parents=True, exist_ok=True)
    write_feedback(settings.warehouse_path, data)
    return aggregate.feedback(Reader(settings), AREAS)


@pytest.fixture(scope="module")
def standard(tmp_path_factory):
    return feedback_of(tmp_path_factory.mktemp("aggregate") / "home", standard_answers())


def test_four_answers_show_nothing_and_five_show(standard) -> None:
    public = standard.tier(PUBLIC)
    assert public.count(M("536"), ALL) is None  # 4 approved (+1 hidden that does not count)
    nokia = aggregate.view(standard, M("536"), FULL)
    assert not nokia.shown and nokia.mean is None and not nokia.quotes and not nokia.ratings
    assert public.count(M("418"), ALL) == 5  # exactly five: shown
    assert aggregate.view(standard, M("418"), PUBLIC).quotes  # and its publishable quotes


def test_hidden_answers_count_nowhere(tmp_path) -> None:
    data = Answers()
    for _i in range(4):
        data.add("418")
    data.add("418", status="hidden", good="HIDDEN", good_pub=True)
    found = feedback_of(tmp_path / "home", data)
    for tier in (PUBLIC, FULL):
        assert found.tier(tier).count(M("418"), ALL) is None
        assert found.tier(tier).counts[(M("418"), ALL, "n")] == 4
        assert found.tier(tier).counts[(PROVINCE, ALL, "n")] == 4
    data.add("418")  # a fifth answer that is not hidden: now shown
    found = feedback_of(tmp_path / "home2", data)
    assert found.tier(PUBLIC).count(M("418"), ALL) == 5
    assert all("HIDDEN" not in text for _kind, text in found.quotes(M("418")))


def test_a_filter_down_to_four_is_suppressed(standard) -> None:
    public = standard.tier(PUBLIC)
    assert public.count(M("837"), ALL) == 12
    assert public.count(M("837"), ("task", "family_work")) is None  # 4
    assert public.count(M("837"), ("task", "maternity_child_clinic")) == 5
    narrowed = aggregate.view(standard, M("837"), PUBLIC, ("task", "family_work"))
    assert not narrowed.shown and narrowed.quotes == [] and narrowed.themes == []
    assert public.count(M("837"), ("age", "0_1")) == 6


def test_complementary_cells_are_hidden_so_that_subtraction_reveals_no_small_group(standard) -> None:
    public = standard.tier(PUBLIC)
    # area lantinen: Nokia 4 (hidden) + Sastamala 5 = 9; showing 9 and 5 would reveal 4
    assert public.count(area_unit("lantinen"), ALL) == 9
    assert public.count(M("790"), ALL) is None
    # etelainen: Lempäälä 5 + Akaa 6 = 11, nothing left to subtract: both shown
    assert public.count(M("418"), ALL) == 5 and public.count(M("020"), ALL) == 6
    # ratings of Tampere: 5×6, 4×5, 1×1: the 1 is hidden, and so is the 4 (12 − 6 would give 6 = 5 + 1)
    ratings = dict(aggregate.view(standard, M("837"), PUBLIC).ratings)
    assert ratings[1] is None and ratings[5] == 6 and ratings[4] is None
    # filters: Tampere's tasks family_work 4 (hidden), maternity 5, none 3: 12 − 5 = 7 ≥ 5, maternity stays
    for tier in (PUBLIC, FULL):
        tables = standard.tier(tier)
        for parent, children in aggregate.partitions(tables, AREAS):
            if parent in tables.hidden:
                assert all(c in tables.hidden for c in children), parent
                continue
            rest = tables.counts.get(parent, 0) - sum(
                tables.counts.get(c, 0) for c in children if c not in tables.hidden
            )
            assert rest == 0 or rest >= 5, (tier, parent, rest)


def test_outside_answers_count_in_the_province_but_are_never_shown_on_their_own(standard) -> None:
    public = standard.tier(PUBLIC)
    assert public.count(PROVINCE, ALL) == 12 + 4 + 5 + 5 + 6 + 5
    assert public.count(aggregate.OUTSIDE, ALL) is None


def test_the_full_tier_counts_new_answers_and_the_public_tier_only_approved(standard) -> None:
    assert standard.tier(PUBLIC).count(M("837"), ALL) == 12
    assert standard.tier(FULL).count(M("837"), ALL) == 15
    public_themes = dict(aggregate.view(standard, M("837"), PUBLIC).themes)
    full_themes = dict(aggregate.view(standard, M("837"), FULL).themes)
    assert public_themes == {"waiting": 12, "staff": 5}  # confirmed only; "rare" (2) never shown
    assert full_themes == {"waiting": 12, "staff": 8}  # suggested themes of new answers too


def test_quotes_are_only_approved_publishable_and_from_groups_of_five(standard) -> None:
    texts = [text for _k, text in aggregate.view(standard, M("837"), FULL, quotes=50).quotes]
    assert len(texts) == 3 and all(t.startswith("PUBLIC-GOOD-") for t in texts)
    everything = " ".join(
        text
        for unit in (PROVINCE, area_unit("lantinen"), M("536"), M("790"), M("837"))
        for tier in (PUBLIC, FULL)
        for _k, text in aggregate.view(standard, unit, tier, quotes=100).quotes
    )
    for secret in ("PRIVATE-TEXT", "NEW-TEXT", "HIDDEN-TEXT"):
        assert secret not in everything
    # Nokia's four answers give no quote on Nokia's own page, only as one of the area's nine
    assert aggregate.view(standard, M("536"), FULL, quotes=50).quotes == []
    area = " ".join(t for _k, t in aggregate.view(standard, area_unit("lantinen"), PUBLIC, quotes=50).quotes)
    assert "NOKIA-TEXT" in area and "SASTAMALA-TEXT" in area


def test_ratings_over_time_only_for_periods_of_five(tmp_path) -> None:
    data = Answers()
    for month, n in (("2026-01", 6), ("2026-02", 4), ("2026-04", 5), ("2026-05", 5)):
        for _i in range(n):
            data.add("837", month=month, rating=4)
    found = feedback_of(tmp_path / "home", data)
    months = {
        key: (count, mean) for key, count, mean in aggregate.view(found, M("837"), PUBLIC, period="m").periods
    }
    assert months["2026-02"] == (None, None)
    assert months["2026-01"] == (None, None)  # Q1 is 10: 10 − 6 would reveal February's 4
    assert months["2026-04"] == (5, 4.0) and months["2026-05"] == (5, 4.0)
    quarters = {key: count for key, count, _m in aggregate.view(found, M("837"), PUBLIC).periods}
    assert quarters == {"2026-Q1": 10, "2026-Q2": 10}


def test_the_export_is_k_anonymous_with_months_and_publishable_texts_only(standard) -> None:
    _ = Translator("en")
    table = anonymised.frame(_, standard, "province", None, None)
    describing = ["Municipality or area", "Month or period", "Family-centre task", "Age of the children"]
    sizes = table.groupby(describing, dropna=False).size()
    assert len(table) and sizes.min() >= 5, sizes
    assert not table["Month or period"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").any()  # no exact dates
    text = " ".join(table["What was good"].fillna("")) + " ".join(table["What should change"].fillna(""))
    assert "PUBLIC-GOOD-0" in text
    for secret in ("PRIVATE-TEXT", "NEW-TEXT", "HIDDEN-TEXT"):
        assert secret not in text
    assert len(table) == 15 + 4 + 5 + 5 + 6 + 5  # every answer that is not hidden, none left out
    places = table["Municipality or area"].value_counts().to_dict()
    # Tampere and Lempäälä, Akaa are shown on the pages; Nokia (4) and Sastamala (hidden so that 9 − 5
    # does not tell Nokia's 4) only as their area; the answers from outside only in the province's total
    assert places == {"Tampere": 15, "Lempäälä": 5, "Akaa": 6, "Western area": 9, "Pirkanmaa": 5}, places
    west = anonymised.frame(_, standard, "region", "lantinen", None)
    assert west["Municipality or area"].tolist() == ["Western area"] * 9
    assert anonymised.frame(_, standard, "local", "lantinen", "536").empty  # hidden on the pages: empty


def test_a_mean_cannot_be_differenced_down_to_a_few_ratings(tmp_path) -> None:
    data = Answers()
    for _i in range(7):
        data.add("837", rating=5)
    for rating in (1, 1, None, None, None):  # Ylöjärvi: five answers, only two rated
        data.add("980", rating=rating)
    found = feedback_of(tmp_path / "home", data)
    public = found.tier(PUBLIC)
    assert public.count(M("837"), ALL) == 7 and public.count(M("980"), ALL) == 5
    assert public.mean(area_unit("pohjoinen"), ALL) == pytest.approx(37 / 9)
    # area (37 / 9 ratings) and Tampere (35 / 7) together would give Ylöjärvi's two ratings: 2 / 2
    assert public.mean(M("837"), ALL) is None and public.mean(M("980"), ALL) is None
