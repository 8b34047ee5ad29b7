"""The meeting pack (issue 14): a PDF per level, made on the server with no browser, whose text names the
region, the producers and, for demo data, the demo mark on every page; the area's pack shows the area's
own figures; an unknown region is a 404."""

from __future__ import annotations

import io

import pypdf
import pytest

from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import meeting_pack
from perhekeskus.warehouse.areas import load_areas

AREAS = load_areas(None)


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def tampere_pdf(reader) -> bytes:
    scope = Scope(
        "local", "fi", area_id=AREAS.area_of("837").area_id, municipality="837", municipalities=("837",)
    )
    html, demo = meeting_pack.build_html(PanelContext(scope, reader, Translator("fi"), AREAS))
    assert demo
    return meeting_pack.render_pdf(html)


def test_the_municipality_pack_names_the_region_the_producers_and_marks_every_page_as_demo(
    tampere_pdf,
) -> None:
    pages = pages_of(tampere_pdf)
    assert len(pages) >= 3
    assert "Kokousaineisto: Tampere" in pages[0]
    assert "Terveyden ja hyvinvoinnin laitos (THL) (CC BY 4.0)" in pages[0]
    assert all("ESITTELY: keksittyjä lukuja" in page for page in pages), "the demo mark is on every page"
    text = "\n".join(pages)
    assert "Avainluvut" in text and "Kehitys" in text and "Laatuhuomiot" in text
    assert "<svg" not in text  # charts are drawn into the PDF, not left as markup


def test_the_area_pack_shows_the_areas_own_figures(reader) -> None:
    area = AREAS.area("lantinen")
    scope = Scope("region", "sv", area_id=area.area_id, municipalities=tuple(area.municipalities))
    html, _demo = meeting_pack.build_html(PanelContext(scope, reader, Translator("sv"), AREAS))
    assert "Mötesmaterial: Västra området" in html
    assert "kan inte kombineras" in html  # survey shares without numerators are not averaged
    assert "Översikt: jämfört med hela landet" in html


def test_the_pdf_routes(reader) -> None:
    client = create_app(reader.settings).server.test_client()
    answer = client.get("/raportti/kunta/837.pdf?lang=en")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert "Meeting pack: Tampere" in pages_of(answer.data)[0]
    assert client.get("/raportti/kunta/999.pdf").status_code == 404
    assert client.get("/raportti/alue/atlantis.pdf").status_code == 404
