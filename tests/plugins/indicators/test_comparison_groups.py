"""Comparison beyond the province (issue 14): the URL names municipalities, counties (``HVA:05``) and ready
groups (``group:similar``); malformed items are dropped, explicit picks stay capped at 12 and old links
(``compare=837,536``) keep working; the groups expand on the server from the warehouse, the municipalities
of similar population being the known nearest on a small handmade warehouse; and the charts name the
chosen regions, mark those outside the province and say what the group is.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from dash import dcc, html

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.pages import _controls
from perhekeskus.dashboard.scope import compare_param, compare_tokens, scope_for_path, view_state
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import charts, comparison_groups
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.migrate import apply_migrations
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

AREAS = load_areas(None)  # Pirkanmaa: county 08, Tampere 837 in the northern area
TAMPERE = "837"


# --- the URL -------------------------------------------------------------------------------------------


def test_old_links_with_municipality_codes_still_open_the_same_comparison() -> None:
    state = view_state({"compare": "837,536"})
    assert state["compare"] == ("837", "536")
    assert state["compare_counties"] == () and state["compare_groups"] == ()
    assert state["average"] == 1


def test_counties_and_groups_are_read_and_malformed_items_dropped() -> None:
    state = view_state({"compare": "837,HVA:05,hva:21,group:similar,group:nope,HVA:5,83,8370,x;y,<b>,group:"})
    assert state["compare"] == ("837",)
    assert state["compare_counties"] == ("05", "21")  # written in either case, kept as the code
    assert state["compare_groups"] == ("similar",)


def test_twelve_explicit_picks_at_most_and_groups_besides_them() -> None:
    codes = [f"{n:03d}" for n in range(100, 115)]
    state = view_state({"compare": ",".join([*codes[:10], "HVA:01", "HVA:02", "HVA:03", *codes[10:]])})
    assert len(state["compare"]) + len(state["compare_counties"]) == 12
    assert state["compare"] == tuple(codes[:10]) and state["compare_counties"] == ("01", "02")
    grouped = view_state(
        {"compare": ",".join([*codes, "group:counties", "group:province", "group:counties"])}
    )
    assert len(grouped["compare"]) == 12 and grouped["compare_groups"] == ("counties", "province")


def test_averages_are_asked_for_only_by_avg_3() -> None:
    assert view_state({"avg": "3"})["average"] == 3
    for other in ("2", "33", "yes", ""):
        assert view_state({"avg": other})["average"] == 1


def test_the_scope_carries_the_comparison_and_writes_it_back_as_the_control_does() -> None:
    scope = scope_for_path("/kunta/837", {"compare": "group:similar,HVA:05,536", "avg": "3"}, "fi", AREAS)
    assert scope.compare == ("536",) and scope.compare_counties == ("05",)
    assert scope.compare_groups == ("similar",) and scope.average == 3
    assert compare_tokens(scope) == ["group:similar", "HVA:05", "536"]
    # what the control sends is cleaned as a link is, in the control's order
    assert compare_param(["536", "hva:05", "nonsense", "group:similar", "536"]) == "536,HVA:05,group:similar"


# --- a small handmade warehouse ------------------------------------------------------------------------

POPULATION_2023 = {
    TAMPERE: 1000.0,
    "020": 1030.0,  # Akaa, in the province
    "536": 5000.0,  # Nokia, in the province
    "005": 1000.0,  # the same as Tampere: nearest
    "091": 1010.0,
    "049": 985.0,
    "853": 900.0,
    "179": 1100.0,
}
COUNTIES = {
    "05": "Varsinais-Suomen hyvinvointialue",
    "08": "Pirkanmaan hyvinvointialue",
    "21": "Lapin hyvinvointialue",
}


@pytest.fixture(scope="module")
def small_reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    settings = Settings(home=tmp_path_factory.mktemp("comparison-groups") / "home")
    Path(settings.warehouse_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(settings.warehouse_path))
    apply_migrations(con)
    regions = [
        ("KUNTA", code, f"Kunta {code}", "08" if code in ("837", "020", "536") else "05")
        for code in POPULATION_2023
    ]
    regions += [("KUNTA", "999", "Kunta 999", "21")]
    regions += [("HYVINVOINTIALUE", code, name, None) for code, name in COUNTIES.items()]
    for category, code, name, county in regions:
        con.execute(
            "INSERT INTO region (region_category, region_code, name_fi, name_sv, name_en, county_code) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [category, code, name, name, name, county],
        )
    rows = [(code, 2023, value) for code, value in POPULATION_2023.items()]
    rows += [("999", 2020, 1000.0)]  # as near as can be, but only in an older year: not taken
    rows += [(code, 2022, 1000.0) for code in ("853",)]  # an older year of a candidate does not count
    frame = pd.DataFrame(rows, columns=["region_code", "year", "value"])
    frame = frame.assign(
        source="sotkanet",
        indicator_id="127",
        region_category="KUNTA",
        gender="total",
        abs_value=None,
        run_id="r1",
    )
    con.register("rows", frame)
    con.execute(
        "INSERT INTO indicator_value (source, indicator_id, region_code, region_category, year, gender, value, "
        "abs_value, run_id) SELECT source, indicator_id, region_code, region_category, year, gender, value, "
        "abs_value, run_id FROM rows"
    )
    con.close()
    return Reader(settings)


def ctx_for(reader: Reader, level: str = "local", lang: str = "en", **view) -> PanelContext:
    if level == "local":
        area = AREAS.area_of(TAMPERE)
        scope = Scope(
            "local", lang, area_id=area.area_id, municipality=TAMPERE, municipalities=(TAMPERE,), **view
        )
    else:
        scope = Scope("region", lang, area_id="x", municipalities=("837", "020", "536"), **view)
    return PanelContext(scope=scope, reader=reader, _=Translator(lang), areas=AREAS)


def test_nearest_breaks_ties_by_code_and_leaves_out_what_it_is_told() -> None:
    populations = {"a": 10.0, "b": 12.0, "c": 8.0, "d": 11.0}
    assert comparison_groups.nearest(populations, 10.0, 3, {"a"}) == ["d", "b", "c"]  # b and c both 2 away


def test_similar_population_is_the_known_nearest_to_the_municipality(small_reader) -> None:
    group = comparison_groups.similar_population(ctx_for(small_reader), n=3)
    # distances to Tampere's 1,000: 005 → 0, 091 → 10, 049 → 15, 020 → 30, ...; 999 is only in 2020
    assert group.codes == ("005", "091", "049")
    assert (group.year, group.target, group.basis) == (2023, 1000.0, "own")


def test_similar_population_on_an_area_page_is_nearest_to_the_median(small_reader) -> None:
    group = comparison_groups.similar_population(ctx_for(small_reader, "region"), n=2)
    # the area's 1,000, 1,030 and 5,000: median 1,030; its own municipalities are left out
    assert group.target == 1030.0 and group.basis == "median"
    assert group.codes == ("091", "005")  # 20 and 30 away (049 is 45 away)


def test_groups_expand_on_the_server_without_the_own_municipality_or_county(small_reader) -> None:
    ctx = ctx_for(
        small_reader,
        compare=("536",),
        compare_counties=("05", "08"),
        compare_groups=("similar", "counties", "province"),
    )
    comparison = comparison_groups.expand(ctx)
    assert comparison.regions[:2] == [("KUNTA", "536"), ("HYVINVOINTIALUE", "05")]
    assert ("HYVINVOINTIALUE", "08") not in comparison.regions  # the county is a reference already
    assert ("KUNTA", TAMPERE) not in comparison.regions  # the page's own line is drawn anyway
    assert len(comparison.regions) == len(set(comparison.regions))  # 05 picked and in the group: once
    assert comparison.groups["counties"] == (("HYVINVOINTIALUE", "05"), ("HYVINVOINTIALUE", "21"))
    assert [c for _cat, c in comparison.groups["similar"]][:3] == ["005", "091", "049"]
    assert {("KUNTA", c) for c in AREAS.municipalities if c != TAMPERE} <= set(comparison.regions)
    assert ("KUNTA", "005") in comparison.outside and ("HYVINVOINTIALUE", "21") in comparison.outside
    assert ("KUNTA", "536") not in comparison.outside


def test_no_groups_asked_for_reads_nothing_extra(small_reader) -> None:
    comparison = comparison_groups.expand(ctx_for(small_reader, compare=("536",)))
    assert comparison.regions == [("KUNTA", "536")] and comparison.groups == {} and comparison.similar is None


# --- on the demo warehouse: charts, tables and downloads name the chosen regions -----------------------


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


def table_rows(layout) -> list[str]:
    return [text_of(row) for row in walk(layout) if isinstance(row, html.Tr)]


def test_the_similar_group_is_drawn_named_in_the_table_and_explained(reader) -> None:
    ctx = ctx_for(reader, compare_groups=("similar",))
    group = comparison_groups.similar_population(ctx)
    assert len(group.codes) == comparison_groups.SIMILAR_COUNT and TAMPERE not in group.codes
    names = dict(reader.rows("SELECT region_code, name_en FROM region WHERE region_category = 'KUNTA'"))
    trend = charts.trend_layout(ctx)
    rows = table_rows(trend)
    for code in group.codes:
        assert any(row.startswith(names[code]) for row in rows), names[code]
    assert f"nearest in population ({group.year})" in text_of(trend)
    exported = charts.trend_export(ctx)
    assert {names[c] for c in group.codes} <= set(exported["Area"])


def test_a_region_outside_the_province_gets_its_own_bar_mark_and_caption(reader) -> None:
    """The demo holds values for Pirkanmaa only, so a county elsewhere is given values here by
    renaming the county's rows: the chart must then draw it as an outside bar, not as the reference."""
    ctx = ctx_for(reader, compare_counties=("05",))
    _indicator, meta, year, frame = charts.comparison_frame(ctx)
    county = frame[frame["region_category"] == "HYVINVOINTIALUE"].iloc[0:1]
    other = county.assign(region_code="05", name_en="Southwest Finland wellbeing services county", value=3.0)
    frame = pd.concat([frame, other], ignore_index=True)
    _bars, highlight = charts.bar_regions(ctx)
    munis = charts._bar_labels(ctx, frame, highlight)
    outside = munis[munis["role"] == "outside"]
    assert list(outside["label"]) == ["Southwest Finland wellbeing services county ○"]
    figure = charts.comparison_figure(ctx, meta, year, frame, "Total")
    bars = {t["name"]: t for t in figure["data"] if t["type"] == "bar"}
    assert bars["Outside Pirkanmaa ○"]["marker"]["color"] == charts.BAR_COLOURS["outside"]
    assert all("<br>" in y or len(y) <= charts.BAR_LABEL_WIDTH for y in bars["Outside Pirkanmaa ○"]["y"])
    caption = charts.comparison_caption(ctx, frame, highlight)
    assert "Purple bars (○): regions outside Pirkanmaa chosen for comparison." in caption
    # the own county stays the grey reference line, never a bar
    assert "Pirkanmaa wellbeing services county" not in " ".join(munis["label"])


def test_the_control_offers_groups_counties_and_municipalities_labelled_with_their_county(reader) -> None:
    class Services:
        def __init__(self, reader) -> None:
            self.reader, self.areas = reader, AREAS

    scope = Scope(
        "local",
        "fi",
        area_id=AREAS.area_of(TAMPERE).area_id,
        municipality=TAMPERE,
        municipalities=(TAMPERE,),
        compare=("536",),
        compare_groups=("similar",),
    )
    controls = _controls(
        Translator("fi"), Services(reader), scope, "?compare=group:similar,536", "/kunta/837"
    )
    dropdown = next(c for c in walk(controls) if isinstance(c, dcc.Dropdown) and c.id == "view-compare")
    labels = {o["value"]: o["label"] for o in dropdown.options}
    assert dropdown.value == ["group:similar", "536"] and getattr(dropdown, "searchable", True) is not False
    assert labels["group:similar"].startswith("Ryhmä:") and labels["group:counties"].startswith("Ryhmä:")
    assert labels["536"] == "Nokia – Pirkanmaan hyvinvointialue"
    assert labels["HVA:08"] == "Pirkanmaan hyvinvointialue – hyvinvointialue"
    label = next(c for c in walk(controls) if isinstance(c, html.Label) and c.htmlFor == "view-compare")
    assert "hyvinvointialueisiin" in text_of(label)
    average = next(c for c in walk(controls) if getattr(c, "role", None) == "group")
    links = {c.id: c for c in walk(average) if isinstance(c, dcc.Link)}
    assert "avg=3" in links["view-average-3"].href and links["view-average-3"].href.startswith("/kunta/837?")
    assert "avg" not in links["view-average-1"].href
    assert "(valittu)" in text_of(links["view-average-1"])  # the current choice said in words
