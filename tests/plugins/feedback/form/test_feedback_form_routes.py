"""The public feedback form through Flask: a real answer, every kind of bad input sent as direct POSTs,
and what reached the operational store (a real SQLite file) each time."""

from __future__ import annotations

import html as htmllib
import re
import time

import pytest
from feedback_form_support import ORIGIN, answer, build_server, client_in, post_answer, stored, token_of

from perhekeskus.plugins.feedback.form import csrf, limits

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def main_of(page_html: str) -> str:
    return page_html[page_html.index("<main") : page_html.index("</main>")]


def test_form_page_is_light_server_rendered_and_preselects_the_municipality(server):
    page = client_in(server, "fi").get("/palaute?kunta=418")
    assert page.status_code == 200
    text = page.text
    assert '<html lang="fi">' in text
    assert "<script" not in text.lower()  # no JavaScript at all
    assert len(page.data) < 20_000
    assert '<option value="418" selected>Lempäälä</option>' in text
    assert text.count('type="radio" name="rating"') == 5
    assert "Hyvin" in text and "Melko huonosti" in text  # the scale has words
    assert (
        '<fieldset class="control" id="fb-rating"' in text
        and "<legend>Kuinka hyvin sait apua?</legend>" in text
    )
    assert '<label for="fb-good_text">' in text and '<label for="fb-municipality">' in text
    assert (
        "nimi" not in re.sub(r"<[^>]+>", "", main_of(text)).lower().split("poistetaan")[0]
    )  # nothing asks a name
    assert csrf.COOKIE in page.headers.get("Set-Cookie", "")
    # 23 municipalities of the province and "other"
    assert (
        len(re.findall(r'<select id="fb-municipality".*?</select>', text, re.S)[0].split("<option")) - 2 == 24
    )


@pytest.mark.parametrize(
    ("lang", "heading", "button"),
    [
        ("fi", "Palaute perhekeskukselle", "Lähetä palaute"),
        ("sv", "Respons till familjecentralen", "Skicka respons"),
        ("en", "Feedback to the family centre", "Send feedback"),
    ],
)
def test_each_language_and_the_choice_is_kept_through_the_submit(server, lang, heading, button):
    """(The language cookie that keeps the choice between pages is the app's: see the browser test.)"""
    client = server.test_client()
    page = client.get(f"/palaute?lang={lang}")
    assert f'<html lang="{lang}">' in page.text and heading in page.text and button in page.text
    assert f'action="/palaute?lang={lang}"' in page.text
    refused = client.post(f"/palaute?lang={lang}", data=answer(municipality=""), headers=ORIGIN)
    assert refused.status_code == 400 and f'<html lang="{lang}">' in refused.text and heading in refused.text


def test_an_answer_is_stored_scrubbed_with_the_day_only(server):
    client = client_in(server, "fi")
    response = post_answer(
        client,
        "fi",
        task="maternity_child_clinic",
        good_text="Terveydenhoitaja oli ihana. Soittakaa 040 123 4567 tai maija.m@example.fi.\nTerveisin Maija",
        change_text="Asun Hämeenkatu 12 B 34, 33100 Tampere; hetu 131052-308T.",
    )
    assert response.status_code == 200, response.text[:300]
    assert "Kiitos palautteestasi" in response.text
    (row,) = stored(server)
    assert row["municipality"] == "418" and row["task"] == "maternity_child_clinic" and row["rating"] == 4
    assert row["status"] == "new" and row["lang"] == "fi" and row["age_group"] == "0_1"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["received_on"])
    assert row["good_text"] == (
        "Terveydenhoitaja oli ihana. Soittakaa [puhelinnumero] tai [sähköposti].\nTerveisin [nimi]"
    )
    assert row["change_text"] == "Asun [osoite]; hetu [henkilötunnus]."
    assert row["scrubbed"] == 5
    assert "040 123 4567" not in response.text and "[puhelinnumero]" in response.text


def test_swedish_answer_gets_swedish_markers(server):
    response = post_answer(client_in(server, "sv"), "sv", good_text="Jag heter Anna Berg, ring 050-7654321.")
    assert response.status_code == 200
    assert stored(server)[0]["good_text"] == "Jag heter [namn], ring [telefonnummer]."


def test_script_is_stored_as_text_and_escaped_on_the_confirmation(server):
    response = post_answer(client_in(server), good_text=SCRIPT)
    assert response.status_code == 200
    assert stored(server)[0]["good_text"] == SCRIPT
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert htmllib.escape(SCRIPT, quote=False) in response.text.replace("&#34;", '"').replace("&#39;", "'")


def test_emoji_mixed_scripts_and_rtl_are_stored_intact(server):
    text = "Kiitos 😀👨‍👩‍👧 neuvolalle! مرحبا بكم שלום Привет 你好 ñ"
    response = post_answer(client_in(server), good_text=text)
    assert response.status_code == 200
    assert stored(server)[0]["good_text"] == text
    assert text in htmllib.unescape(response.text)


def test_control_characters_are_stripped_not_refused(server):
    response = post_answer(client_in(server), good_text="Hyvä\x00 palvelu\x07\r\nkiitos\u202e")
    assert response.status_code == 200
    assert stored(server)[0]["good_text"] == "Hyvä palvelu\nkiitos"


def test_one_megabyte_is_refused_with_a_413_page_in_the_forms_language(server):
    client = client_in(server, "sv")
    page = client.get("/palaute?lang=sv")
    data = answer(good_text="a" * 1_000_000)
    data["csrf_token"] = token_of(page.text)
    response = client.post("/palaute?lang=sv", data=data, headers=ORIGIN)
    assert response.status_code == 413
    assert "Svaret var för långt" in response.text and '<html lang="sv">' in response.text
    assert stored(server) == []


def test_a_text_over_the_limit_is_a_400_with_the_text_kept(server):
    long_text = "Pitkä palaute. " * 300  # 4,500 characters, within the body limit
    response = post_answer(client_in(server), change_text=long_text, good_text="jää talteen")
    assert response.status_code == 400
    assert stored(server) == []
    body = response.text
    assert 'aria-invalid="true"' in body and 'id="fb-change_text-error"' in body
    assert "at most 4,000 fit" in body
    kept = re.search(r'<textarea id="fb-change_text"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert htmllib.unescape(kept) == long_text.strip()
    assert "jää talteen" in body
    assert '<option value="418" selected>' in body  # the other values are kept too


def test_missing_fields_are_a_400_with_errors_tied_to_fields(server):
    response = post_answer(client_in(server), municipality="", rating="", good_text="", change_text="")
    assert response.status_code == 400
    body = response.text
    assert stored(server) == []
    assert 'href="#fb-municipality"' in body and 'href="#fb-rating"' in body
    assert re.search(r'<select id="fb-municipality"[^>]*aria-describedby="fb-municipality-error"', body)
    assert re.search(r'<fieldset class="control" id="fb-rating" aria-describedby="fb-rating-error"', body)
    assert "<title>Error: " in body


def test_unknown_choices_are_refused(server):
    response = post_answer(client_in(server), municipality="999", rating="9", age_group="old")
    assert response.status_code == 400
    assert stored(server) == []


def test_a_filled_honeypot_looks_accepted_but_nothing_is_stored(server):
    response = post_answer(client_in(server), fb_homepage="http://spam.example")
    assert response.status_code == 200
    assert "Thank you for your feedback" in response.text
    assert stored(server) == []


@pytest.mark.parametrize("case", ["missing", "forged", "expired", "no cookie", "other client's"])
def test_bad_csrf_tokens_are_400_and_nothing_is_stored(server, case):
    client = client_in(server)
    page = client.get("/palaute")
    good = token_of(page.text)
    data = answer(good_text="Tämä säilyy lomakkeella.")
    if case == "missing":
        pass
    elif case == "forged":
        nonce, issued, mac = good.split(".")
        data["csrf_token"] = f"{nonce}.{issued}.{'0' * len(mac)}"
        client.set_cookie(csrf.COOKIE, data["csrf_token"], domain="localhost", path="/palaute")
    elif case == "expired":
        key = server.extensions["perhekeskus_access"].sessions.key
        old = csrf.FormTokens(key).issue(now=time.time() - csrf.LIFETIME - 10)
        data["csrf_token"] = old
        client.set_cookie(csrf.COOKIE, old, domain="localhost", path="/palaute")
    elif case == "no cookie":
        data["csrf_token"] = good
        client.delete_cookie(csrf.COOKIE, domain="localhost", path="/palaute")
    else:
        data["csrf_token"] = token_of(client_in(server).get("/palaute").text)
    response = client.post("/palaute?lang=en", data=data, headers=ORIGIN)
    assert response.status_code == 400
    assert "Your answer was not saved yet" in response.text
    assert "Tämä säilyy lomakkeella." in response.text  # nothing typed is lost
    assert token_of(response.text) != data.get("csrf_token")  # a fresh token to send again with
    assert stored(server) == []


def test_a_cross_site_post_is_refused_by_the_core(server):
    client = client_in(server)
    data = answer()
    data["csrf_token"] = token_of(client.get("/palaute").text)
    response = client.post("/palaute", data=data, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert stored(server) == []


def test_a_burst_from_one_client_gets_the_429_page(tmp_path):
    server = build_server(tmp_path / "home", form_rate_limit="3 per minute")
    client = client_in(server, "fi")
    statuses = [post_answer(client, "fi").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = post_answer(client, "fi")
    assert "Liian monta vastausta" in refused.text and refused.headers["Retry-After"] == "60"
    assert len(stored(server)) == 3
    other = server.test_client()  # another address is counted apart
    page = other.get("/palaute", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    data = answer()
    data["csrf_token"] = token_of(page.text)
    ok = other.post("/palaute", data=data, headers=ORIGIN, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert ok.status_code == 200


def test_the_rate_limit_key_is_a_salted_hash_that_changes_daily():
    from datetime import UTC, datetime

    key = b"k" * 40
    today = limits.client_key("192.0.2.7", key, datetime(2026, 12, 1, tzinfo=UTC))
    assert "192.0.2.7" not in today and today == limits.client_key(
        "192.0.2.7", key, datetime(2026, 12, 1, 23, tzinfo=UTC)
    )
    assert today != limits.client_key("192.0.2.7", key, datetime(2026, 12, 2, tzinfo=UTC))
    assert today != limits.client_key("192.0.2.8", key, datetime(2026, 12, 1, tzinfo=UTC))


def test_only_get_and_post(server):
    client = client_in(server)
    assert client.put("/palaute").status_code == 405
    assert client.delete("/palaute").status_code == 405


def test_qr_codes_encode_the_absolute_link(tmp_path):
    server = build_server(tmp_path / "home", public_base_url="https://perhekeskus.example.fi/")
    client = client_in(server)
    svg = client.get("/palaute/qr/418.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert (
        b"<svg" in svg.data and b"https://perhekeskus.example.fi/palaute?kunta=418" in svg.data
    )  # its title
    png = client.get("/palaute/qr/418.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert client.get("/palaute/qr/999.svg").status_code == 404
    local = client_in(build_server(tmp_path / "home2")).get("/palaute/qr/837.svg")
    assert b"http://localhost/palaute?kunta=837" in local.data  # the request's own host without the setting


@pytest.mark.parametrize(
    ("lang", "heading"), [("fi", "Anna palautetta"), ("sv", "Ge respons"), ("en", "Give feedback")]
)
def test_printable_poster(server, lang, heading):
    page = client_in(server, lang).get("/palaute/tuloste?kunta=418")
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.text
    assert "<svg" in page.text and "localhost/palaute?kunta=418" in page.text
    assert "@media print" in page.text
