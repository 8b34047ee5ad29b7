"""Unit tests of the small pure parts: Retry-After, HTML to text, area and package configuration,
value kinds and settings from the environment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import load_fixture, metadata_127, metadata_from_list

from perhekeskus import plugin_settings
from perhekeskus.etl.http import retry_after_seconds
from perhekeskus.etl.textclean import html_to_text
from perhekeskus.plugins.sotkanet.client import SotkanetClient
from perhekeskus.plugins.sotkanet.metadata import indicator_row, region_code, value_kind
from perhekeskus.plugins.sotkanet.package import PackageConfigError, load_package
from perhekeskus.warehouse.areas import AreaConfigError, load_areas
from perhekeskus.warehouse.settings import USER_AGENT, Settings

# --- Retry-After -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (" 7 ", 7.0), ("0", 0.0), (None, None), ("", None), ("soon", None), ("-5", None)],
)
def test_retry_after_delta_seconds(header, expected):
    assert retry_after_seconds(header) == expected


def test_retry_after_http_date_is_relative_to_now():
    now = datetime(2015, 10, 21, 7, 27, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == pytest.approx(60.0)


def test_retry_after_date_in_the_past_means_no_wait():
    now = datetime(2015, 10, 21, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 0.0


# --- HTML in metadata ------------------------------------------------------------------------------


def test_html_to_text_of_a_real_sotkanet_description():
    meta = load_fixture("indicator_4_metadata_2016_oskari.json")
    text = html_to_text(meta["description"]["fi"])
    assert "<" not in text and ">" not in text
    assert "id=" not in text  # the attribute of <p id=suhteutus> is not text
    assert text.startswith("Indikaattori ilmaisee")
    assert text.endswith("Väestötilaston tietoja.")
    # the paragraph starts on its own line
    assert "\nVäestösuhteutus on tehty THL:ssä" in text


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("a<br />b", "a\nb"),
        ("a<br>b", "a\nb"),
        ("Tom &amp; Jerry&nbsp;&lt;3", "Tom & Jerry <3"),
        ("x<script>alert(1)</script>y<style>p{}</style>", "xy"),
        ("  many    spaces\t here ", "many spaces here"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        (" ", None),
        ("", None),
        (None, None),
        ("<p> </p>", None),
    ],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


def test_html_to_text_lists_become_bullets():
    text = html_to_text("<ul><li>one</li><li>two</li></ul>")
    assert [line for line in text.splitlines() if line] == ["• one", "• two"]


# --- coordination areas ----------------------------------------------------------------------------

AREA_HEADER = """\
province_code = "06"
county_code = "08"
name_fi = "Pirkanmaa"
"""


def _areas(tmp_path: Path, body: str, header: str = AREA_HEADER) -> Path:
    path = tmp_path / "areas.toml"
    path.write_text(header + body, encoding="utf-8")
    return path


def _area(area_id: str, codes: list[str]) -> str:
    return (
        f'[[area]]\nid = "{area_id}"\nname_fi = "A {area_id}"\nname_sv = "S {area_id}"\nname_en = "E {area_id}"\n'
        f"municipalities = {codes!r}\n".replace("'", '"')
    )


def test_default_area_configuration_covers_pirkanmaa():
    areas = load_areas()
    assert areas.province_code == "06"
    assert areas.county_code == "08"
    assert len(areas.municipalities) == 23 == len(set(areas.municipalities))
    assert areas.area_of("837").area_id == "pohjoinen"
    assert areas.area_of("291") is not None  # Kuhmoinen belongs to Pirkanmaa now
    assert areas.area_of("091") is None  # Helsinki does not
    assert {a.area_id for a in areas.areas} == {"lantinen", "etelainen", "pohjoinen"}


def test_valid_custom_area_file(tmp_path):
    areas = load_areas(_areas(tmp_path, _area("north", ["837", "980"]) + _area("south", ["020"])))
    assert areas.municipalities == ["837", "980", "020"]
    assert areas.area("south").name("sv") == "S south"
    assert areas.area("south").name("xx") == "A south"


def test_municipality_in_two_areas_is_refused(tmp_path):
    path = _areas(tmp_path, _area("north", ["837", "980"]) + _area("south", ["020", "837"]))
    with pytest.raises(AreaConfigError) as err:
        load_areas(path)
    message = str(err.value)
    assert "837" in message and "'north'" in message and "'south'" in message
    assert str(path) in message


@pytest.mark.parametrize("bad", ["83", "8370", "abc", "KU837"])
def test_bad_municipality_code_is_refused(tmp_path, bad):
    with pytest.raises(AreaConfigError, match=rf"{bad!r} is not a three-digit municipality code"):
        load_areas(_areas(tmp_path, _area("north", ["837", bad])))


def test_integer_code_loses_leading_zero_and_is_refused(tmp_path):
    # municipalities = [20] in TOML is the number 20, not the code "020"
    body = '[[area]]\nid = "x"\nname_fi = "a"\nname_sv = "b"\nname_en = "c"\nmunicipalities = [20]\n'
    with pytest.raises(AreaConfigError, match="three-digit"):
        load_areas(_areas(tmp_path, body))


@pytest.mark.parametrize(
    ("body", "header", "message"),
    [
        ("", AREA_HEADER, "missing area"),
        (_area("north", ["837"]), 'county_code = "08"\n', "missing province_code"),
        (_area("North Area", ["837"]), AREA_HEADER, "needs an id of lowercase letters"),
        (_area("north", []), AREA_HEADER, "has no municipalities"),
        (_area("north", ["837"]) + _area("north", ["980"]), AREA_HEADER, "two areas share an id"),
        (
            '[[area]]\nid = "x"\nname_fi = "a"\nname_sv = "b"\nmunicipalities = ["837"]\n',
            AREA_HEADER,
            "has no name_en",
        ),
        ("[[area]\n", AREA_HEADER, "cannot read the area configuration"),
    ],
)
def test_area_configuration_errors_say_what_is_wrong(tmp_path, body, header, message):
    with pytest.raises(AreaConfigError, match=message):
        load_areas(_areas(tmp_path, body, header))


def test_missing_area_file_is_a_clear_error(tmp_path):
    with pytest.raises(AreaConfigError, match="cannot read the area configuration"):
        load_areas(tmp_path / "nope.toml")


# --- indicator package -----------------------------------------------------------------------------

THEME = '[theme.t]\ntitle_fi = "fi"\ntitle_sv = "sv"\ntitle_en = "en"\n'


def _package(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "package.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_package_is_valid():
    package = load_package()
    assert len(package.ids) == len(set(package.ids)) >= 20
    assert {"1086", "127", "4"}.issubset(package.ids)
    themes = {t.theme_id for t in package.themes}
    assert all(i.theme_id in themes for i in package.indicators)
    assert package.first_year == 2010


def test_package_order_and_defaults(tmp_path):
    package = load_package(
        _package(
            tmp_path,
            "first_year = 2015\n"
            + THEME
            + '[[indicator]]\nid = 5\ntheme = "t"\n'
            + '[[indicator]]\nid = "3"\ntheme = "t"\npolarity = "higher_is_better"\n'
            + '[[indicator]]\nid = "children_0_6"\ntheme = "t"\n',
        )
    )
    assert package.ids == ["5", "3", "children_0_6"]  # ids are text, numbers or names alike
    assert package.first_year == 2015
    assert package.indicators[0].polarity == "neutral"
    assert package.indicators[1].position == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (THEME, "lists no indicators"),
        (THEME + '[[indicator]]\ntheme = "t"\n', "indicator entry 1 needs an id"),
        (THEME + '[[indicator]]\nid = " "\ntheme = "t"\n', "needs an id"),
        (
            THEME + '[[indicator]]\nid = 7\ntheme = "t"\n[[indicator]]\nid = "7"\ntheme = "t"\n',
            "7 is listed twice",
        ),
        (
            THEME + '[[indicator]]\nid = 7\ntheme = "t"\n[[indicator]]\nid = 7\ntheme = "t"\n',
            "7 is listed twice",
        ),
        (THEME + '[[indicator]]\nid = 7\ntheme = "nope"\n', "indicator 7: unknown theme 'nope'"),
        (THEME + '[[indicator]]\nid = 7\ntheme = "t"\npolarity = "up"\n', "polarity must be one of"),
        (
            '[theme.t]\ntitle_fi = "fi"\ntitle_sv = " "\n[[indicator]]\nid = 1\ntheme = "t"\n',
            "theme 't' has no title_sv",
        ),
        ("[[indicator]\nid = 1", "cannot read the indicator package"),
    ],
)
def test_package_errors_name_the_entry(tmp_path, text, message):
    path = _package(tmp_path, text)
    with pytest.raises(PackageConfigError, match=message) as err:
        load_package(path)
    assert str(path) in str(err.value)


def test_missing_package_file(tmp_path):
    with pytest.raises(PackageConfigError, match="cannot read"):
        load_package(tmp_path / "missing.toml")


# --- value kinds and metadata rows -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator_id", "kind"),
    [
        (1086, "percentage"),
        (191, "percentage"),
        (1085, "count"),
        (1315, "count"),
        (1243, "rate"),
        (2453, "rate"),
    ],
)
def test_value_kind_from_real_titles(indicator_id, kind):
    assert value_kind(metadata_from_list(indicator_id)) == kind


def test_value_kind_from_unit_code_and_title():
    assert value_kind(load_fixture("indicator_4_metadata_2016_oskari.json")) == "rate"  # PER1000
    assert value_kind(metadata_127()) == "count"  # "Väestö 31.12."
    assert value_kind({"primaryValueType": {"code": "PROSENTTI"}}) == "percentage"
    assert (
        value_kind({"primaryValueType": {"code": "X", "title": {"en": "percent of population"}}})
        == "percentage"
    )
    assert value_kind({"primaryValueType": {"code": "LKM"}}) == "count"
    assert value_kind({"title": {"fi": "Lasten pienituloisuusaste"}}) == "other"
    assert value_kind({}) == "other"


def test_indicator_row_from_real_metadata():
    meta = load_fixture("indicator_4_metadata_2016_oskari.json")
    row = indicator_row("sotkanet", 4, meta)
    assert row["title_fi"] == meta["title"]["fi"]
    assert row["title_sv"] == meta["title"]["sv"]
    assert row["title_en"] == meta["title"]["en"]
    assert row["unit"] == "PER1000" and row["unit_en"] == "Per 1 000 inhabitants"
    assert row["decimals"] == 1
    assert row["producer_fi"] == "Terveyden ja hyvinvoinnin laitos (THL)"
    assert row["licence"] == "CC BY 4.0"
    assert row["data_updated"] == "2016-11-02"
    assert (row["range_start"], row["range_end"]) == (1996, 2015)
    assert row["genders"] == "male,female,total"
    for field in ("description", "interpretation", "limits", "notices"):
        for lang in ("fi", "sv", "en"):
            assert "<" not in (row[f"{field}_{lang}"] or ""), f"{field}_{lang} keeps HTML"


def test_indicator_row_carries_its_own_producers_licence():
    """Statistics Finland's indicator gets Statistics Finland's licence; TEM's has none we can name."""
    row = indicator_row("sotkanet", 127, metadata_127())
    assert row["producer_en"] == "Statistics Finland" and row["producer_id"] == 3
    assert row["licence"] == "CC BY 4.0"
    tem = indicator_row("sotkanet", 189, metadata_from_list(189))
    assert tem["producer_fi"] == "Työ- ja elinkeinoministeriö (TEM)" and tem["licence"] is None
    unknown = indicator_row("sotkanet", 10012, metadata_from_list(10012))  # Eurostat: not in the table
    assert unknown["licence"] is None


@pytest.mark.parametrize(
    ("category", "code", "expected"),
    [
        ("MAA", "358", "SSS"),
        ("KUNTA", "837", "837"),
        ("KUNTA", " 020 ", "020"),
        ("KUNTA", "", None),
        ("KUNTA", None, None),
    ],
)
def test_region_code(category, code, expected):
    assert region_code(category, code) == expected


# --- settings --------------------------------------------------------------------------------------


def test_settings_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("PERHEKESKUS_HOME", str(tmp_path))
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_URL", "http://127.0.0.1:9/rest/1.1/")
    monkeypatch.setenv("PERHEKESKUS_HTTP_RETRIES", "3")
    monkeypatch.setenv("PERHEKESKUS_KEEP_RAW_RUNS", "-2")
    settings = Settings.from_env()
    assert settings.home == tmp_path
    assert settings.http_retries == 3
    assert settings.keep_raw_runs == 0
    assert settings.warehouse_path == tmp_path / "warehouse.duckdb"
    # the address is the Sotkanet plugin's own setting, under the same variable name as before
    assert not hasattr(settings, "sotkanet_url")
    assert SotkanetClient.from_settings(settings).base_url == "http://127.0.0.1:9/rest/1.1"
    assert plugin_settings("sotkanet", settings)["url"] == "http://127.0.0.1:9/rest/1.1/"


def test_settings_default_to_the_real_sotkanet(monkeypatch):
    monkeypatch.delenv("PERHEKESKUS_SOTKANET_URL", raising=False)
    settings = Settings.from_env()
    assert plugin_settings("sotkanet", settings)["url"] == "https://sotkanet.fi/rest/1.1"
    assert settings.schedule_cron is None  # no global override: each source keeps its own schedule


def test_a_runs_settings_override_a_plugins_setting_from_the_environment(monkeypatch):
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_URL", "http://127.0.0.1:9/env")
    settings = Settings(plugins={"sotkanet": {"url": "http://127.0.0.1:8/run"}})
    assert plugin_settings("sotkanet", settings)["url"] == "http://127.0.0.1:8/run"
    assert plugin_settings("sotkanet", Settings())["url"] == "http://127.0.0.1:9/env"


def test_bad_number_in_environment_names_the_variable(monkeypatch):
    monkeypatch.setenv("PERHEKESKUS_HTTP_TIMEOUT", "ten")
    with pytest.raises(ValueError, match="PERHEKESKUS_HTTP_TIMEOUT must be a number, got 'ten'"):
        Settings.from_env()


def test_user_agent_is_descriptive():
    assert USER_AGENT.startswith("perhekeskus")
    assert not USER_AGENT.lower().startswith(("python-requests", "python-urllib", "curl/", "mozilla"))
    assert "http" in USER_AGENT  # a way to reach the operator
