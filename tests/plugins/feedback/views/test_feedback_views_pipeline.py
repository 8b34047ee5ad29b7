"""End to end through the real path: answers written to the operational store as the form and the
moderators leave them, the ``feedback`` source run by the real pipeline (``run_pipeline``), and the views
reading the published warehouse: hidden answers count nowhere, four answers show nothing, five do, and
only approved publishable quotes appear. (One run: a run of the real pipeline with its suites takes
seconds, so the other cases are tested on warehouses written from the same contract.)"""

from __future__ import annotations

import json
import shutil

import plotly
import pytest
from feedback_views_support import AREAS

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.dashboard.scope import parse_query, scope_for_path
from perhekeskus.etl.pipeline import run_pipeline
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.feedback.views import aggregate, panel, summary
from perhekeskus.services import Services
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

pytest.importorskip("perhekeskus.plugins.feedback.moderation.source")


def store(services: Services, rows: list[tuple]) -> None:
    with services.transaction() as con:
        con.executemany(
            "INSERT INTO feedback_answer (received_on, municipality, task, rating, good_text, change_text, "
            "age_group, lang, status, good_publishable, change_publishable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def render(services: Services, path: str) -> str:
    scope = scope_for_path(path, parse_query(""), "en", AREAS)
    ctx = PanelContext(scope, services.reader, Translator("en"), AREAS, {"search": ""})
    return json.dumps(panel.layout(ctx, services), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def publish(settings: Settings) -> None:
    result = run_pipeline("feedback", settings)
    assert result.status == "success", result.message


def test_answers_from_the_store_reach_the_views_through_the_pipeline(tmp_path, published_template) -> None:
    settings = Settings(home=tmp_path / "home")
    settings.home.mkdir()
    shutil.copyfile(published_template[0], settings.warehouse_path)
    services = Services(settings, Reader(settings), AREAS)
    approved = [
        (f"2026-03-0{i + 1}", "418", None, 5, f"Hyvä neuvola {i}", "", "0_1", "fi", "approved", i == 0, 0)
        for i in range(5)
    ]
    store(services, approved)
    store(services, [("2026-03-10", "418", None, 1, "PIILOTETTU", "", None, "fi", "hidden", 1, 0)])
    store(services, [("2026-03-11", "536", None, 3, "UUSI", "", None, "fi", "new", 1, 0)] * 4)
    publish(settings)

    data = aggregate.feedback(services.reader, AREAS)
    assert data.tier(aggregate.PUBLIC).count(aggregate.municipality_unit("418"), aggregate.ALL) == 5
    text = render(services, "/kunta/418")
    assert '"5 answers"' in text and "Hyvä neuvola 0" in text  # approved and publishable
    assert "Hyvä neuvola 1" not in text and "PIILOTETTU" not in text
    nokia = render(services, "/kunta/536")
    assert "Fewer than 5 answers: not shown." in nokia and "UUSI" not in nokia

    # the region's public summary, read from the same published warehouse
    context = summary.summary_context(Translator("en"), services, "etelainen")
    assert context["published"] and context["answers"] == "5"
    assert [text for _kind, text in context["quotes"]] == ["Hyvä neuvola 0"]
