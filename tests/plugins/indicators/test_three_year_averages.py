"""Three-year averages for small municipalities (issue 14): counts are the mean of the three years; rates
and shares are recomputed from numerators and denominators (which differs from the mean of the rates);
an indicator that is neither, or a rate without numerators, is refused with a visible reason and keeps
its yearly figures; every averaged figure is labelled "3-year average 2021–2023" in charts, tables, key
figures and downloads, in fi, sv and en; a small municipality's page suggests the averages.

Hand-computed rules first, then the panels on the demo warehouse (``reader``, conftest.py).
"""

from __future__ import annotations

import pandas as pd
import pytest
from dash import dcc, html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import averages, charts, key_figures
from perhekeskus.warehouse.areas import load_areas

AREAS = load_areas(None)
TAMPERE, JUUPAJOKI = "837", "177"  # 215,345 and 2,154 inhabitants in the demo's 2023
RATE_WITH_NUMERATORS = "191"  # placements outside the home, % of 0-17 (numerators published)
SHARE_WITHOUT_NUMERATORS = "74"  # single-parent families, % (no numerators)
NOT_A_RATE = "228"  # at-risk-of-poverty rate for children (value_kind 'other')
COUNT = "127"  # population at year end


# --- the rules, by hand ----------------------------------------------------------------------------------


def test_a_rate_is_recomputed_from_numerators_and_denominators_not_averaged() -> None:
    # 1 case of 10 (10 %), 4 of 20 (20 %), 1 of 20 (5 %): 6 of 50 is 12 %, the mean of the rates 11.67 %
    years = [(10.0, 1.0), (20.0, 4.0), (5.0, 1.0)]
    value, numerator = averages.combine(averages.RATIO, years)
    assert value == pytest.approx(12.0)
    assert value != pytest.approx((10.0 + 20.0 + 5.0) / 3)
    assert numerator == 6.0  # the cases behind the figure: the three years together


def test_a_count_is_the_mean_of_the_three_years() -> None:
    assert averages.combine(averages.MEAN, [(100.0, None), (110.0, None), (126.0, None)]) == (112.0, None)


def test_a_zero_year_borrows_the_windows_other_denominators() -> None:
    # 0 of ? (0 %), 2 of 20 (10 %), 2 of 10 (20 %): the zero year's denominator is (20 + 10) / 2 = 15
    value, numerator = averages.combine(averages.RATIO, [(0.0, 0.0), (10.0, 2.0), (20.0, 2.0)])
    assert value == pytest.approx(4 / 45 * 100) and numerator == 4.0
    assert averages.combine(averages.RATIO, [(0.0, 0.0)] * 3) == (0.0, 0.0)


def test_a_window_with_a_missing_value_or_numerator_is_left_empty() -> None:
    assert averages.combine(averages.RATIO, [(10.0, 1.0), (20.0, None), (5.0, 1.0)]) == (None, None)
    assert averages.combine(averages.MEAN, [(1.0, None), (None, None), (2.0, None)]) == (None, None)


def test_which_indicators_are_averaged_and_why_not() -> None:
    assert averages.method("count", False) == (averages.MEAN, None)
    assert averages.method("percentage", True) == (averages.RATIO, None)
    assert averages.method("rate", True) == (averages.RATIO, None)
    assert averages.method("percentage", False) == (None, averages.NO_NUMERATORS)
    assert averages.method("other", True) == (None, averages.NOT_A_RATE)
    assert averages.method(None, True) == (None, averages.NOT_A_RATE)


def test_windows_need_three_consecutive_years_so_a_survey_every_second_year_is_never_averaged() -> None:
    def frame(years):
        return pd.DataFrame(
            {
                "region_category": "KUNTA",
                "region_code": "837",
                "year": years,
                "value": [10.0] * len(years),
                "abs_value": [1.0] * len(years),
                "is_demo": False,
            }
        )

    yearly = averages.moving(frame([2019, 2020, 2021, 2022, 2023]), averages.RATIO)
    assert list(yearly["year"]) == [2021, 2022, 2023] and list(yearly["first_year"]) == [2019, 2020, 2021]
    assert not len(averages.moving(frame([2019, 2021, 2023]), averages.RATIO))


# --- the panels on the demo warehouse -------------------------------------------------------------------


def ctx_for(reader, lang: str = "en", code: str = TAMPERE, **view) -> PanelContext:
    area = AREAS.area_of(code)
    scope = Scope("local", lang, area_id=area.area_id, municipality=code, municipalities=(code,), **view)
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS, extras={"search": ""})


def walk(component):
    if isinstance(component, (list, tuple)):
        for item in component:
            yield from walk(item)
        return
    if component is None or isinstance(component, (str, int, float)):
        return
    yield component
    yield from walk(getattr(component, "children", None))


def text_of(component) -> str:
    if isinstance(component, (list, tuple)):
        return " ".join(filter(None, (text_of(c) for c in component)))
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    return text_of(getattr(component, "children", None))


def headers(layout) -> list[str]:
    return [text_of(c) for c in walk(layout) if isinstance(c, html.Th)]


def stored(reader, indicator: str, code: str) -> dict[int, tuple[float, float | None]]:
    rows = reader.rows(
        "SELECT year, value, abs_value FROM indicator_value WHERE source = 'sotkanet' AND indicator_id = ? "
        "AND region_category = 'KUNTA' AND region_code = ? AND gender = 'total'",
        [indicator, code],
    )
    return {int(y): (v, a) for y, v, a in rows}


def test_the_trend_of_a_rate_is_the_recomputed_three_year_rate(reader) -> None:
    ctx = ctx_for(reader, indicator=RATE_WITH_NUMERATORS, average=3)
    _indicator, _meta, frame = charts.trend_frame(ctx)
    tampere = frame[(frame["region_category"] == "KUNTA") & (frame["region_code"] == TAMPERE)]
    by_year = dict(zip(tampere["year"], tampere["value"], strict=True))
    raw = stored(reader, RATE_WITH_NUMERATORS, TAMPERE)
    window = [raw[y] for y in (2021, 2022, 2023)]
    expected = sum(a for _v, a in window) / sum(a / v for v, a in window)
    assert by_year[2023] == pytest.approx(expected)
    assert min(by_year) == min(raw) + 2  # the first window ends two years after the first data year


def test_the_trend_of_a_count_is_the_mean(reader) -> None:
    _indicator, _meta, frame = charts.trend_frame(ctx_for(reader, indicator=COUNT, average=3))
    tampere = frame[(frame["region_category"] == "KUNTA") & (frame["region_code"] == TAMPERE)]
    raw = stored(reader, COUNT, TAMPERE)
    assert dict(zip(tampere["year"], tampere["value"], strict=True))[2023] == pytest.approx(
        sum(raw[y][0] for y in (2021, 2022, 2023)) / 3
    )


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("fi", "3 vuoden keskiarvo 2021–2023"),
        ("sv", "3-årsmedelvärde 2021–2023"),
        ("en", "3-year average 2021–2023"),
    ],
)
def test_every_averaged_figure_is_labelled_in_the_pages_language(reader, lang, label) -> None:
    ctx = ctx_for(reader, lang, indicator=RATE_WITH_NUMERATORS, average=3)
    trend = charts.trend_layout(ctx)
    assert label in headers(trend)  # the table's columns
    figure = next(c for c in walk(trend) if isinstance(c, dcc.Graph)).figure
    assert label in figure["data"][0]["customdata"]  # each point's hover
    comparison = charts.comparison_layout(ctx)
    assert any(label in text_of(c) for c in walk(comparison) if isinstance(c, html.Caption))
    assert label in next(c for c in walk(comparison) if isinstance(c, dcc.Graph)).figure["layout"]["title"][
        "subtitle"
    ]["text"].replace("<br>", " ")
    exported = charts.trend_export(ctx)
    t = Translator(lang)
    assert label in set(exported[t("Figure")]) and t("Absolute number, three years together") in exported
    key = key_figures.layout(ctx_for(reader, lang, average=3))
    assert label in text_of(key)
    key_export = key_figures.export(ctx_for(reader, lang, average=3))
    assert label in set(key_export[t("Figure")])


def test_a_share_without_numerators_is_refused_with_the_reason_and_stays_yearly(reader) -> None:
    layout = charts.trend_layout(ctx_for(reader, indicator=SHARE_WITHOUT_NUMERATORS, average=3))
    assert "numerators are not published" in text_of(layout)
    assert "2023" in headers(layout) and not any("3-year average" in h for h in headers(layout))
    yearly = charts.trend_frame(ctx_for(reader, indicator=SHARE_WITHOUT_NUMERATORS))[2]
    refused = charts.trend_frame(ctx_for(reader, indicator=SHARE_WITHOUT_NUMERATORS, average=3))[2]
    assert list(refused["value"]) == list(yearly["value"])  # the yearly figures, not a mean of them
    exported = charts.trend_export(ctx_for(reader, indicator=SHARE_WITHOUT_NUMERATORS, average=3))
    assert set(exported["Figure"]) == {"yearly figure (cannot be averaged)"}


def test_an_indicator_that_is_not_a_count_or_rate_is_refused_in_the_key_figures_too(reader) -> None:
    layout = charts.trend_layout(ctx_for(reader, indicator=NOT_A_RATE, average=3))
    assert "neither a count nor a rate with numerators" in text_of(layout)
    result = key_figures.compute(ctx_for(reader, average=3)).set_index("indicator_id")
    assert not result.loc[NOT_A_RATE, "averaged"] and result.loc[RATE_WITH_NUMERATORS, "averaged"]
    assert "2023 (yearly figure: cannot be averaged)" in text_of(
        key_figures.layout(ctx_for(reader, average=3))
    )


def test_key_figures_average_the_value_and_its_references(reader) -> None:
    yearly = key_figures.compute(ctx_for(reader)).set_index("indicator_id")
    averaged = key_figures.compute(ctx_for(reader, average=3)).set_index("indicator_id")
    raw = stored(reader, COUNT, TAMPERE)
    assert averaged.loc[COUNT, "value"] == pytest.approx(sum(raw[y][0] for y in (2021, 2022, 2023)) / 3)
    assert yearly.loc[COUNT, "value"] == raw[2023][0]
    assert (
        averaged.loc[RATE_WITH_NUMERATORS, "fifth"] == averaged.loc[RATE_WITH_NUMERATORS, "fifth"]
    )  # placed


def test_a_small_municipality_is_offered_the_averages_and_a_large_one_is_not(reader) -> None:
    small = charts.trend_layout(ctx_for(reader, code=JUUPAJOKI, indicator=RATE_WITH_NUMERATORS))
    hint = next(c for c in walk(small) if getattr(c, "className", None) == "average-hint")
    assert "fewer than 5,000 inhabitants" in text_of(hint)
    link = next(c for c in walk(hint) if isinstance(c, dcc.Link))
    assert "avg=3" in link.href
    large = charts.trend_layout(ctx_for(reader, indicator=RATE_WITH_NUMERATORS))
    assert "fewer than 5,000 inhabitants" not in text_of(large)
    on = charts.trend_layout(ctx_for(reader, code=JUUPAJOKI, indicator=RATE_WITH_NUMERATORS, average=3))
    assert not [c for c in walk(on) if getattr(c, "className", None) == "average-hint"]
