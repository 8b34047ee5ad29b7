"""The /osaaminen page as the browser receives it (the router and the page's callback posted to
/_dash-update-component) and its exports: who gets what, the warnings in words, the suppression of small
counts, and that no answer to a province user (or anyone) carries a family code."""

from __future__ import annotations

import csv
import io
import re

import pytest
from capacity_views_world import (
    ACTORS,
    COMPETENCE,
    DEMO_NAME,
    WEEKS,
    call,
    controls,
    dependency,
    route,
    texts,
)

from perhekeskus.dashboard.access import audit
from perhekeskus.plugins.capacity.model import FAMILY_CODE, competences_for

CODE_LIKE = re.compile(r"PK-[2-9A-Z]{4}-[2-9A-Z]{4}")
NAMES = [name for _id, name, *_rest in ACTORS] + [DEMO_NAME]
PLACES = [
    "maakunta",
    "alue-lantinen",
    "alue-pohjoinen",
    "alue-etelainen",
    "kunta-536",
    "kunta-790",
    "kunta-837",
]


def update(world):
    return dependency(world.app, "capacity-demo")


def answer(world, client, **chosen) -> dict:
    response = call(client, update(world), controls(**chosen))
    assert response.status_code == 200, response.text[:300]
    return response.get_json()["response"]


def every_response(world, client) -> list:
    """The page in three languages, the callback for every place, competence, level and a reversed range,
    and both exports for every place."""
    found = [route(client, "/osaaminen", f"?lang={lang}") for lang in ("fi", "sv", "en")]
    found += [client.get("/_dash-layout"), client.get("/_dash-dependencies")]
    dep = update(world)
    for place in PLACES:
        found.append(call(client, dep, controls(place=place)))
    for competence in competences_for(world.services).codes():
        found.append(call(client, dep, controls(competence=competence, level=2)))
    found.append(call(client, dep, controls(**{"from": WEEKS[-1], "to": WEEKS[0], "url.search": "?lang=sv"})))
    found.append(call(client, dep, controls(competence="<script>", place="kunta-999", level="x")))
    for place in PLACES:
        for fmt in ("csv", "xlsx"):
            found.append(client.get(f"/osaaminen/vienti.{fmt}?competence={COMPETENCE}&place={place}"))
    return found


@pytest.mark.parametrize("who", ["prov1", "west1", "coord1"])
def test_no_response_carries_a_family_code(world, who):
    assert len(world.codes) == 6 and all(FAMILY_CODE.match(c) for c in world.codes)
    responses = every_response(world, world.client(who))
    assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]
    for response in responses:
        text = texts(response)
        if response.mimetype.endswith("sheet"):
            text = _xlsx_text(response.get_data())
        assert not any(code in text for code in world.codes)
        assert not CODE_LIKE.search(text)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None
    )


def test_anonymous_gets_a_sign_in_prompt_and_no_data(world):
    client = world.client()
    page = texts(route(client, "/osaaminen"))
    assert "/kirjaudu" in page and "capacity-competence" not in page and "2026-W" not in page
    outputs = answer(world, client)
    assert all(v["children"] is None for v in outputs.values())
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/osaaminen/vienti.{fmt}?competence={COMPETENCE}")
        assert response.status_code == 303 and "/kirjaudu" in response.headers["Location"]
    assert "/osaaminen" not in texts(route(client, "/"))  # no navigation entry


def test_navigation_entry_for_signed_in_users(world):
    page = texts(route(world.client("prov1"), "/", "?lang=fi"))
    assert "Osaaminen ja kapasiteetti" in page and '"/osaaminen"' in page.replace("\\u002f", "/")


def test_only_holders_of_capacity_find_see_who_has_free_competence(world):
    coordinator = answer(world, world.client("coord1"), place="kunta-536", **{"url.search": "?lang=en"})
    listed = texts_of(coordinator["capacity-finder"])
    assert "Bertta Actorname" in listed and "Aino Actorname" in listed and "@example.invalid" not in listed
    # nearest first: Nokia's own (Bertta level 3, then Aino), then Sastamala's Celia, then Tampere's Daniel
    order = [listed.index(n) for n in ("Bertta", "Aino", "Celia", "Daniel")]
    assert order == sorted(order)
    for who in ("prov1", "west1"):
        for response in every_response(world, world.client(who)):
            assert not any(name in texts(response) for name in NAMES)


def texts_of(node) -> str:
    import json

    return json.dumps(node, ensure_ascii=False)


def test_links_by_permission(world):
    coordinator = texts(route(world.client("coord1"), "/osaaminen")).replace("\\u002f", "/")
    province = texts(route(world.client("prov1"), "/osaaminen")).replace("\\u002f", "/")
    for path in ("/osaaminen/kirjaus", "/osaaminen/tuonti", "/osaaminen/perheet"):
        assert path in coordinator and path not in province


def test_warnings_in_words_without_hidden_numbers(world):
    outputs = answer(world, world.client("coord1"), place="alue-lantinen", **{"url.search": "?lang=en"})
    words = texts_of(outputs["capacity-warnings"])
    assert "grown 3 weeks in a row" in words and "6 → 7 → 9 → 12" in words  # Nokia
    assert "12 families wait for Parenting support in Nokia" in words  # free next door in Sastamala
    assert "fewer than 5 families wait for Parenting support in Sastamala" in words
    assert " 3 families" not in words


def test_small_counts_never_appear_and_cannot_be_derived(world):
    outputs = answer(world, world.client("prov1"), place="alue-lantinen", **{"url.search": "?lang=en"})
    table = texts_of(outputs["capacity-breakdown"])
    assert "fewer than 5" in table and "hidden" in table  # Sastamala small, Punkalaidun hidden for it
    response = world.client("prov1").get(
        f"/osaaminen/vienti.csv?competence={COMPETENCE}&from={WEEKS[0]}&to={WEEKS[-1]}&lang=en"
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=","))
    assert rows and {r["Week"] for r in rows} == set(WEEKS)
    for row in rows:
        value = row["Families waiting"]
        assert value == "" or not 1 <= int(value) <= 4, row
    for week in WEEKS:
        of_week = {r["Place code"]: r for r in rows if r["Week"] == week}
        area = of_week["lantinen"]
        parts = [of_week[c] for c in ("536", "790", "619", "108", "143", "581", "250")]
        hidden = [p for p in parts if p["Families waiting"] == ""]
        assert area["Families waiting"] != ""  # the area's total is shown (it is not small)
        assert len(hidden) != 1  # one hidden part would be the total minus the shown ones
        assert of_week["790"]["Families waiting (as shown)"] == "fewer than 5"


def test_exports_are_audited_and_in_the_pages_language(world):
    client = world.client("prov1", lang="sv")
    before = len(audit.entries(world.settings, actor="prov1", action="capacity_export"))
    response = client.get(f"/osaaminen/vienti.xlsx?competence={COMPETENCE}&place=kunta-536")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert "Vecka" in _xlsx_text(response.get_data())
    after = audit.entries(world.settings, actor="prov1", action="capacity_export")
    assert len(after) == before + 1


def test_demo_rows_are_labelled_as_demo(world):
    client = world.client("prov1")
    demo = answer(world, client, competence="child_development", **{"url.search": "?lang=en"})
    assert "Demo data" in texts_of(demo["capacity-demo"])
    real = answer(world, client, **{"url.search": "?lang=en"})
    assert real["capacity-demo"]["children"] is None
    response = client.get("/osaaminen/vienti.csv?competence=child_development&lang=en")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and all(r["Demo data"] == "yes" for r in rows)
