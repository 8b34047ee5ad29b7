"""Scrubbing personal data out of families' free text: realistic Finnish (and Swedish, English) answers,
and ordinary numbers that must stay."""

from __future__ import annotations

import pytest

from perhekeskus.plugins.feedback.form.clean import clean_text
from perhekeskus.plugins.feedback.form.scrub import hetu_check, scrub


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soittakaa minulle 040 123 4567, kiitos.", "Soittakaa minulle [puhelinnumero], kiitos."),
        ("numero 040-1234567", "numero [puhelinnumero]"),
        ("numero 0401234567!", "numero [puhelinnumero]!"),
        ("tavoittaa +358 40 123 4567 iltaisin", "tavoittaa [puhelinnumero] iltaisin"),
        ("+358401234567", "[puhelinnumero]"),
        ("kotiin 09 1234 5678", "kotiin [puhelinnumero]"),
        ("neuvola (03) 565 6111", "neuvola [puhelinnumero]"),
        ("mummo Lontoossa +44 20 7946 0958", "mummo Lontoossa [puhelinnumero]"),
        ("050 123 45 67", "[puhelinnumero]"),
    ],
)
def test_phone_numbers(text, expected):
    result = scrub(text, "fi")
    assert result.text == expected and result.removed == 1


def test_email_addresses():
    result = scrub("Laita viestiä: maija.meikalainen+neuvola@example.fi tai matti(at)posti.fi", "fi")
    assert result.text == "Laita viestiä: [sähköposti] tai [sähköposti]"
    assert result.removed == 2


def test_identity_codes_valid_and_mistyped():
    assert hetu_check("131052", "308") == "T"
    valid = scrub("Lapseni hetu on 131052-308T.", "fi")
    assert valid.text == "Lapseni hetu on [henkilötunnus]." and valid.removed == 1
    # the official shape with a wrong check character is still someone's (mistyped) code: removed
    assert scrub("hetu 131052-308A", "fi").text == "hetu [henkilötunnus]"
    assert scrub("syntynyt 010120A123C", "fi").text == "syntynyt [henkilötunnus]"
    # a looser shape counts only with the right check character
    assert scrub("tunnus 131052 308T", "fi").text == "tunnus [henkilötunnus]"
    assert scrub("tunnus 131052308t", "fi").text == "tunnus [henkilötunnus]"
    assert scrub("tilausnumero 131052 308A", "fi").text == "tilausnumero 131052 308A"
    # no real day and month: not a code
    assert scrub("koodi 451352-308T", "fi").text == "koodi 451352-308T"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Asumme Hämeenkatu 12 B 34, 33100 Tampere, ja", "Asumme [osoite], ja"),
        ("Mummola on Pispalan valtatie 5.", "Mummola on [osoite]."),
        ("asun hämeenkatu 12 b 34 lähellä", "asun [osoite] lähellä"),
        ("Mormor bor på Storgatan 3 i Tammerfors.", "Mormor bor på [osoite] i Tammerfors."),
        ("Postiosoite 33100 Tampere.", "Postiosoite [osoite]."),
        ("We live at 10 Downing Street now.", "We live at [address] now."),
    ],
)
def test_street_addresses(text, expected):
    lang = "en" if "We live" in text else "fi"
    result = scrub(text, lang)
    assert result.text == expected and result.removed == 1


@pytest.mark.parametrize(
    ("text", "lang", "expected", "removed"),
    [
        (
            "Nimeni on Maija Meikäläinen ja lapseni nimi on Eetu.",
            "fi",
            "Nimeni on [nimi] ja lapseni nimi on [nimi].",
            2,
        ),
        ("Kiitos kaikille!\nTerveisin Matti", "fi", "Kiitos kaikille!\nTerveisin [nimi]", 1),
        ("Ystävällisin terveisin,\nAnna-Liisa Virtanen", "fi", "Ystävällisin terveisin,\n[nimi]", 1),
        ("kiitos, terveisin maija", "fi", "kiitos, terveisin [nimi]", 1),
        ("Jag heter Anna Andersson. Mvh Kalle", "sv", "Jag heter [namn]. Mvh [namn]", 2),
        ("My name is John Smith. Kind regards, Mary", "en", "My name is [name]. Kind regards, [name]", 2),
        ("Nimi on tärkeä asia ja terveisin kaikille hoitajille tiedoksi", "fi", None, 0),
    ],
)
def test_names_after_introductions(text, lang, expected, removed):
    result = scrub(text, lang)
    assert result.text == (expected if expected is not None else text)
    assert result.removed == removed


@pytest.mark.parametrize(
    "text",
    [
        "Vuonna 2024 kävimme neuvolassa kolme kertaa.",
        "Aika oli klo 14.30 ja toinen klo 8.15.",
        "Maksu oli 12,50 € ja vuosimaksu 120 euroa.",
        "Meillä on 3–6-vuotias ja 0–1 v vauva.",
        "Auki ma–pe 09-16, la 10-14.",
        "Käynti 1.2.2024 ja 01.02.2024 sekä 2024-02-01.",
        "Leikkipuisto 3 kertaa viikossa oli kiva.",
        "Hämeenkadulla oli ruuhkaa.",
        "Perhetyöntekijä kävi 2 kertaa, 45 min kerrallaan, ja 100 % tyytyväinen.",
        "Kiitos 😀👨‍👩‍👧 مرحبا بكم שלום 你好",
    ],
)
def test_ordinary_numbers_and_words_stay(text):
    result = scrub(text, "fi")
    assert result.text == text and result.removed == 0


def test_clean_text_keeps_characters_and_strips_controls():
    assert clean_text("a\x00b\x1bc\x7f\x85d\r\ne\u202ef\u2067g") == "abcd\nefg"
    family = "👨‍👩‍👧"  # zero-width joiners are kept
    assert clean_text(family) == family
    assert clean_text("a\u0308") == "ä"  # NFC
