"""The views through the real Dash app and Flask: the panel beside the key indicators (read as the browser
receives it from the router callback), the public summary, the anonymised export and its audit, scoping
and the three languages, on a published warehouse with the feedback tables (see conftest.py)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from feedback_views_support import PASSWORD
from openpyxl import load_workbook
from support import router_body

from perhekeskus.dashboard.access import audit
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE

ORIGIN = {"Origin": "http://localhost"}
SECRETS = ("PRIVATE-TEXT", "NEW-TEXT", "HIDDEN-TEXT")
TITLES = {"fi": "Perheiden ääni", "sv": "Familjernas röst", "en": "The voice of families"}


def client_for(app, username: str | None = None, lang: str = "en"):
    client = app.server.test_client()
    client.set_cookie(LANG_COOKIE, lang, domain="localhost")
    if username is not None:
        page = client.get("/kirjaudu")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = client.post(
            "/kirjaudu",
            data={"username": username, "password": PASSWORD, "csrf_token": token},
            headers=ORIGIN,
        )
        assert response.status_code == 303, response.text[:300]
    return client


@pytest.fixture(scope="module")
def clients(feedback_app) -> dict:
    return {name: client_for(feedback_app, name) for name in (None, "prov1", "west1", "tre1")}


def page(client, pathname: str, search: str = "") -> str:
    response = client.post("/_dash-update-component", json=router_body(pathname, search), headers=ORIGIN)
    assert response.status_code == 200, response.text[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def panel_of(text: str) -> dict:
    """The families-voice panel's component tree from a router answer."""
    tree = json.loads(text)["response"]["app-root"]["children"]

    def find(node):
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == "families-voice-panel":
                return node
            for value in node.values():
                found = find(value)
                if found is not None:
                    return found
        elif isinstance(node, list):
            for item in node:
                found = find(item)
                if found is not None:
                    return found
        return None

    found = find(tree)
    assert found is not None, "the feedback panel is not on the page"
    return found


def total_of(panel: dict) -> str | None:
    text = json.dumps(panel, ensure_ascii=False)
    match = re.search(r'"(\d+) answers"', text)
    return match.group(1) if match else None


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_panel_is_on_the_municipality_page_beside_the_key_indicators(clients, lang) -> None:
    text = page(clients[None], "/kunta/837", f"?lang={lang}")
    assert '"key-figures-panel"' in text and '"families-voice-panel"' in text
    assert text.index('"key-figures-panel"') < text.index('"families-voice-panel"')
    panel = json.dumps(panel_of(text), ensure_ascii=False)
    assert TITLES[lang] in panel
    words = {"fi": "12 vastausta", "sv": "12 svar", "en": "12 answers"}
    assert words[lang] in panel  # anonymous: the public tier (approved answers)
    assert '"type": "bar"' in panel and "families-voice-chart" in panel  # chart + its table
    for secret in SECRETS:
        assert secret not in panel


def test_the_router_gives_the_panel_the_signed_in_user_and_hides_small_groups(clients) -> None:
    assert total_of(panel_of(page(clients["tre1"], "/kunta/837", "?lang=en"))) == "15"
    small = panel_of(page(clients[None], "/kunta/536", "?lang=en"))
    assert total_of(small) is None and "Fewer than 5 answers: not shown." in json.dumps(small)


@pytest.mark.parametrize(
    ("lang", "title", "count"),
    [
        ("fi", "Mitä perheet kertoivat: Pohjoinen alue", "12 vastausta"),
        ("sv", "Vad familjerna berättade: Norra området", "12 svar"),
        ("en", "What families told us: Northern area", "12 answers"),
    ],
)
def test_the_public_summary_shows_only_public_content(feedback_app, lang, title, count) -> None:
    client = client_for(feedback_app, None, lang)
    response = client.get("/palaute/yhteenveto/pohjoinen")
    assert response.status_code == 200
    html = response.text
    assert f'lang="{lang}"' in html and title in html and count in html
    assert f'href="/palaute/yhteenveto">{TITLES[lang]}</a>' in html  # the navigation entry
    assert "PUBLIC-GOOD-2 &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    for secret in SECRETS:
        assert secret not in html
    assert "15" not in re.sub(r"<[^>]+>", " ", html).split()  # new answers are not public


def test_the_summary_of_small_groups_and_unknown_areas(feedback_app) -> None:
    client = client_for(feedback_app)
    province = client.get("/palaute/yhteenveto")
    assert province.status_code == 200 and "37 answers" in province.text
    assert "/palaute/yhteenveto/lantinen" in province.text
    west = client.get("/palaute/yhteenveto/lantinen").text
    assert "9 answers" in west and "SASTAMALA-TEXT" in west  # one of nine: quoted without a place
    cells = re.findall(r'<td class="num">([^<]*)</td>', west)
    assert "4" not in cells and "5" not in cells  # neither Nokia's 4 nor Sastamala's 5
    assert client.get("/palaute/yhteenveto/nowhere").status_code == 404


def read_csv(response) -> list[list[str]]:
    text = response.data.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=","))


def test_the_export_is_for_holders_of_feedback_export_in_scope(
    feedback_app, feedback_settings, clients
) -> None:
    anonymous = clients[None].get("/palaute/vienti.csv?alue=lantinen")
    assert anonymous.status_code == 303 and anonymous.headers["Location"].endswith("/kirjaudu")
    assert clients["west1"].get("/palaute/vienti.csv?alue=pohjoinen").status_code == 403
    assert clients["west1"].get("/palaute/vienti.csv?kunta=837").status_code == 403
    assert clients["west1"].get("/palaute/vienti.csv").status_code == 403  # the whole province
    assert clients["tre1"].get("/palaute/vienti.csv?kunta=837").status_code == 403  # local: read, no export
    assert clients["west1"].get("/palaute/vienti.csv?alue=nowhere").status_code == 404
    before = len(audit.entries(feedback_settings, action="feedback_exported"))
    response = clients["west1"].get("/palaute/vienti.csv?alue=lantinen&lang=en")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    records = read_csv(response)
    header = next(r for r in records if len(r) > 1)
    rows = records[records.index(header) + 1 :]
    assert "Municipality or area" in header and len(rows) == 9
    assert {r[0] for r in rows} == {"Western area"}
    entries = audit.entries(feedback_settings, action="feedback_exported")
    assert len(entries) == before + 1
    xlsx = clients["prov1"].get("/palaute/vienti.xlsx?lang=en")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Municipality or area" and len(values) - 1 == 15 + 4 + 5 + 5 + 6 + 5
    text = " ".join(str(v) for row in values for v in row if v is not None)
    for secret in SECRETS:
        assert secret not in text
    assert len(audit.entries(feedback_settings, action="feedback_exported")) == before + 2


def test_the_panel_download_shows_what_the_panel_shows(clients) -> None:
    small = clients[None].get("/vienti/families-voice.csv?path=/kunta/536&lang=en")
    assert small.status_code == 200
    assert not [r for r in read_csv(small) if len(r) > 1][1:]  # the header row only
    shown = clients[None].get("/vienti/families-voice.csv?path=/kunta/837&lang=en")
    rows = [r for r in read_csv(shown) if len(r) > 1]
    assert rows[0] == ["Period", "Answers", "Average rating (1–5)"]
    assert rows[1][:2] == ["Q1 2026", "12"]
