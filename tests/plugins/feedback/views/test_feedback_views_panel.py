"""The "voice of families" panel's layout for each place, filter and user, rendered directly from its
``layout(ctx)`` with the scope the router would build (the router itself is exercised in
test_feedback_views_pages.py): the ≥ 5 rule, secondary suppression, filters, tiers, quotes, links."""

from __future__ import annotations

import json

import plotly
import pytest
from feedback_views_support import AREAS

from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.scope import parse_query, scope_for_path
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.feedback.views import panel
from perhekeskus.services import Services
from perhekeskus.warehouse.read import Reader

SECRETS = ("PRIVATE-TEXT", "NEW-TEXT", "HIDDEN-TEXT")
PROVINCE = User(1, "prov1", None, False, [Role("province", "")])
WEST = User(2, "west1", None, False, [Role("region", "lantinen")])
NORTH = User(3, "north1", None, False, [Role("region", "pohjoinen")])
TAMPERE = User(4, "tre1", None, False, [Role("local", "837")])
PEOPLE = (None, PROVINCE, WEST, NORTH, TAMPERE)


@pytest.fixture(scope="module")
def services(feedback_settings) -> Services:
    return Services(feedback_settings, Reader(feedback_settings), AREAS)


def render(services: Services, path: str, user=None, search: str = "", lang: str = "en") -> str:
    scope = scope_for_path(path, parse_query(search), lang, AREAS, user=user)
    ctx = PanelContext(scope, services.reader, Translator(lang), AREAS, {"search": search})
    return json.dumps(panel.layout(ctx, services), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def total(text: str) -> str | None:
    import re

    match = re.search(r'"(\d+) answers"', text)
    return match.group(1) if match else None


@pytest.mark.parametrize("code", ["536", "790"])
def test_a_small_group_shows_nothing_but_the_reason(services, code) -> None:
    for user in PEOPLE:
        text = render(services, f"/kunta/{code}", user)
        assert "families-voice-suppressed" in text and "Fewer than 5 answers: not shown." in text
        assert total(text) is None and "families-voice-chart" not in text
        assert "NOKIA-TEXT" not in text and "SASTAMALA-TEXT" not in text


def test_five_answers_are_shown_with_the_scale_words(services) -> None:
    text = render(services, "/kunta/418")
    assert total(text) == "5" and "5,0" not in text and "5.0 (Well)" in text


def test_the_province_and_area_show_their_parts_without_a_small_one(services) -> None:
    province = render(services, "/maakunta")
    assert total(province) == "37" and "Answers by area" in province
    area = render(services, "/alue/lantinen")
    assert total(area) == "9" and "Answers by municipality" in area
    assert "Nokia" in area and "Sastamala" in area and '"children": "fewer than 5"' in area
    assert '"children": "4"' not in area and '"children": "5"' not in area  # neither 4 nor 9 − 4


def test_a_filter_that_narrows_below_five_is_suppressed(services) -> None:
    narrow = render(services, "/kunta/837", search="?palaute=task:family_work")
    assert "Fewer than 5 answers: not shown." in narrow and total(narrow) is None
    assert "PUBLIC-GOOD" not in narrow
    assert total(render(services, "/kunta/837", search="?palaute=task:maternity_child_clinic")) == "5"
    assert total(render(services, "/kunta/837", search="?palaute=age:0_1")) == "6"
    assert total(render(services, "/kunta/837", search="?palaute=task:no_such_task")) == "12"  # ignored
    months = render(services, "/kunta/837", search="?palautejakso=m")
    assert '"1/2026"' in months and '"2/2026"' in months


def test_readers_in_scope_see_the_full_numbers_and_others_the_public_ones(services) -> None:
    assert total(render(services, "/kunta/837", TAMPERE)) == "15"
    assert total(render(services, "/kunta/837", NORTH)) == "15"
    assert total(render(services, "/kunta/837", PROVINCE)) == "15"
    assert total(render(services, "/kunta/837", WEST)) == "12"  # not their area: the public numbers
    assert total(render(services, "/alue/pohjoinen", NORTH)) == "15"
    # a local user of one municipality does not read the whole area's full numbers
    assert total(render(services, "/alue/pohjoinen", TAMPERE)) == "12"
    assert (
        total(render(services, "/maakunta", WEST)) == "37"
        and total(render(services, "/maakunta", PROVINCE)) == "40"
    )


def test_unpublishable_unapproved_and_hidden_texts_are_never_shown(services) -> None:
    for user in PEOPLE:
        for path in ("/maakunta", "/alue/pohjoinen", "/kunta/837"):
            for search in ("", "?palaute=age:0_1", "?palaute=task:maternity_child_clinic"):
                text = render(services, path, user, search)
                for secret in SECRETS:
                    assert secret not in text, (user, path, search, secret)
    quotes = render(services, "/kunta/837")
    assert "PUBLIC-GOOD-2 <script>alert(1)</script>" in quotes  # a text child: Dash shows it as text
    assert '"type": "Script"' not in quotes


def test_the_panel_links_to_the_form_the_summary_and_for_exporters_the_export(services) -> None:
    text = render(services, "/kunta/837")
    assert "/palaute?kunta=837" in text and "/palaute/yhteenveto/pohjoinen" in text
    assert "families-voice-export-csv" not in text
    assert "families-voice-export-csv" not in render(services, "/alue/lantinen", NORTH)
    assert "families-voice-export-csv" not in render(services, "/kunta/837", TAMPERE)  # local: no export
    west = render(services, "/alue/lantinen", WEST)
    assert "/palaute/vienti.csv?alue=lantinen" in west and "/palaute/vienti.xlsx?alue=lantinen" in west


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", ("12 vastausta", "Hyvin", "Kaikki vastaukset", "Alle 5 vastausta: ei näytetä.")),
        ("sv", ("12 svar", "Bra", "Alla svar", "Färre än 5 svar: visas inte.")),
        ("en", ("12 answers", "Well", "All answers", "Fewer than 5 answers: not shown.")),
    ],
)
def test_the_panel_speaks_finnish_swedish_and_english(services, lang, words) -> None:
    shown, scale, everyone, hidden = words
    text = render(services, "/kunta/837", lang=lang)
    assert shown in text and scale in text and everyone in text
    assert hidden in render(services, "/kunta/536", lang=lang)


def test_before_the_first_publish_the_panel_says_so(tmp_path, published_template) -> None:
    import shutil

    from perhekeskus.warehouse.settings import Settings

    settings = Settings(home=tmp_path)
    shutil.copyfile(published_template[0], settings.warehouse_path)
    text = render(Services(settings, Reader(settings), AREAS), "/kunta/837")
    assert "No feedback has been published yet." in text and "/palaute?kunta=837" in text


def test_without_any_published_warehouse_the_summary_says_so(tmp_path) -> None:
    from perhekeskus.plugins.feedback.views import summary
    from perhekeskus.warehouse.settings import Settings

    settings = Settings(home=tmp_path)
    context = summary.summary_context(Translator("en"), Services(settings, Reader(settings), AREAS), None)
    assert context["published"] is False and context["title"] == "What families told us: Pirkanmaa"
