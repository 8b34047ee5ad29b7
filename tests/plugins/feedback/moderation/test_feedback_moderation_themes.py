"""Theme suggestions from families' own words: Finnish, Swedish and English, inflected forms, compounds,
nothing for unrelated text, the same answer every time; and the theme file's rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from perhekeskus.plugins.feedback.moderation import themes as themes_module
from perhekeskus.plugins.feedback.moderation.themes import ThemeConfigError, load_themes, text_languages
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse.settings import Settings

PART = Path(themes_module.__file__).parent


@pytest.fixture(scope="module")
def dictionary():
    return load_themes()


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # inflected Finnish: the locative, the illative, an infinitive and a past tense
        ("Olimme jonossa kolme viikkoa.", "fi", {"waiting"}),
        ("Pääsimme jonoon vasta kuukauden päästä.", "fi", {"waiting"}),
        ("Piti odottaa pitkään.", "fi", {"waiting"}),
        ("Odotimme neuvolassa tunnin.", "fi", {"waiting"}),
        # Finnish compounds: a lemma at the start or the end of a longer word
        ("Jonotusaika oli kohtuuton.", "fi", {"waiting"}),
        ("Lähisuhdeväkivallasta ei uskaltanut puhua kenellekään.", "fi", {"domestic_safety"}),
        ("Asiakasmaksut ovat liian korkeat.", "fi", {"cost"}),
        (
            "Terveydenhoitaja vaihtui joka kerta, eikä minua kuunneltu.",
            "fi",
            {"staff_continuity", "being_heard"},
        ),
        ("Avioeron jälkeen saimme sovitteluapua.", "fi", {"divorce"}),
        ("Palvelua ei saanut ruotsiksi eikä tulkkia ollut.", "fi", {"language"}),
        ("Vertaistukiryhmä auttoi jaksamaan arjessa.", "fi", {"peer_support", "parenting_support"}),
        ("Ajanvaraus netissä ei toiminut.", "fi", {"digital_services"}),
        ("Parisuhteessamme oli vaikeaa vauvan synnyttyä.", "fi", {"couple_relationship"}),
        # Swedish
        ("Vi väntade länge i kön och personalen byttes hela tiden.", "sv", {"waiting", "staff_continuity"}),
        (
            "Det var svårt att få information om öppettiderna.",
            "sv",
            {"information_guidance", "accessibility"},
        ),
        ("Efter skilsmässan fick vi hjälp med medling.", "sv", {"divorce"}),
        ("Avgiften var för dyr för oss.", "sv", {"cost"}),
        # English
        (
            "We waited for weeks on the waiting list and nobody listened to us.",
            "en",
            {"waiting", "being_heard"},
        ),
        ("I could not afford the fees and the opening hours were bad.", "en", {"cost", "accessibility"}),
        ("The peer group for fathers was the best part.", "en", {"peer_support"}),
        # a Swedish answer given on the Finnish form is read as Swedish too
        ("Vi väntade länge och det var inte bra.", "fi", {"waiting"}),
    ],
)
def test_inflected_answers_get_their_themes(dictionary, text: str, lang: str, expected: set[str]) -> None:
    assert set(dictionary.suggest(text, lang)) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Kiitos kaikesta!", "fi"),
        ("Neuvolassa oli mukavaa ja lapsi tykkäsi leluista.", "fi"),  # neuvola is not "neuvo" (advice)
        ("Tack så mycket!", "sv"),
        ("Thank you, the coffee was nice.", "en"),
        ("A couple of weeks ago it was fine.", "en"),  # "couple" alone is not the couple relationship
        ("", "fi"),
        ("1234 !!! ???", "fi"),
    ],
)
def test_unrelated_text_gets_no_theme(dictionary, text: str, lang: str) -> None:
    assert dictionary.suggest(text, lang) == []


def test_expecting_a_child_is_not_waiting(dictionary) -> None:
    assert "waiting" not in dictionary.suggest("Odotamme lasta ja saimme hyvää tietoa.", "fi")
    assert "waiting" in dictionary.suggest("Odotamme lasta, mutta jouduimme odottamaan kuukauden.", "fi")
    assert "waiting" not in dictionary.suggest("Vi väntar barn och fick bra stöd.", "sv")


def test_suggestions_are_deterministic_and_in_file_order(dictionary) -> None:
    text = "Jonossa odotimme kauan, asiakasmaksu oli kallis eikä tulkkia ollut."
    first = dictionary.suggest(text, "fi")
    assert first == ["waiting", "cost", "language"]
    assert all(dictionary.suggest(text, "fi") == first for _ in range(5))
    assert load_themes().suggest(text, "fi") == first  # a fresh load of the same file agrees


def test_language_of_the_text_is_found_from_function_words() -> None:
    assert text_languages("Vi väntade och det var långt", "fi") == ("fi", "sv")
    assert text_languages("Odotimme ja se oli pitkä", "fi") == ("fi",)
    assert text_languages("We waited and it was long", "sv") == ("sv", "en")


def test_default_themes_are_complete_and_map_to_known_tasks(dictionary) -> None:
    tasks = set(load_vocabulary().codes("task"))
    codes = dictionary.codes()
    for wanted in (
        "waiting",
        "being_heard",
        "staff_continuity",
        "accessibility",
        "information_guidance",
        "peer_support",
        "digital_services",
        "cooperation",
        "child_wellbeing",
        "parenting_support",
        "couple_relationship",
        "divorce",
        "domestic_safety",
        "cost",
        "language",
    ):
        assert wanted in codes
    for theme in dictionary.themes:
        assert theme.name_fi and theme.name_sv and theme.name_en
        assert theme.task is None or theme.task in tasks
        assert all(theme.keywords[lang] for lang in ("fi", "sv", "en")), theme.code
    assert dictionary.theme("divorce").task == "divorce_services"


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


THEME = """[[theme]]
code = "{code}"
name_fi = "Pysäköinti"
name_sv = "Parkering"
name_en = "Parking"
task = "{task}"
fi = ["parkkipaikka"]
sv = ["parkering"]
en = ["parking"]
"""


def test_a_province_file_set_by_the_plugin_setting_replaces_the_default(tmp_path: Path) -> None:
    own = _write(tmp_path / "themes.toml", THEME.format(code="parking", task=""))
    settings = Settings(home=tmp_path / "home", plugins={"feedback": {"themes_file": str(own)}})
    dictionary = load_themes(settings)
    assert dictionary.codes() == ["parking"]
    assert dictionary.suggest("Parkkipaikkoja ei ollut.", "fi") == ["parking"]
    assert dictionary.digest != load_themes().digest


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (THEME.format(code="parking", task="no_such_task"), "no_such_task"),
        (THEME.format(code="Parking!", task=""), "code"),
        (THEME.format(code="parking", task="") * 2, "twice"),
        ('[[theme]]\ncode = "x"\nname_fi = "x"\nname_sv = "x"\nname_en = "x"\n', "keyword"),
        ("title = 'no themes'\n", "no themes"),
        ("[[theme]\n", "cannot read"),
    ],
)
def test_a_broken_theme_file_is_refused_with_the_reason(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ThemeConfigError, match=message):
        load_themes(path=_write(tmp_path / "themes.toml", body))


def _msgids(text: str) -> set[str]:
    return set(re.findall(r'_\(\s*"((?:[^"\\]|\\.)*)"', text)) | set(
        re.findall(r"_\(\s*'((?:[^'\\]|\\.)*)'", text)
    )


def test_every_text_of_the_queue_is_translated_in_finnish_swedish_and_english() -> None:
    used = _msgids((PART / "routes.py").read_text(encoding="utf-8"))
    used |= _msgids((PART / "templates/feedback_moderation/queue.html").read_text(encoding="utf-8"))
    assert len(used) > 40
    for lang in ("fi", "sv", "en"):
        with open(PART / f"locale/{lang}/LC_MESSAGES/messages.po", "rb") as handle:
            catalog = read_po(handle)
        missing = sorted(m for m in used if not (catalog.get(m) and catalog.get(m).string))
        assert not missing, (lang, missing)
