"""The /hallinto page's layout: what each user sees, the body selector, ids and the text alternative."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import dash
import plotly
import pytest
from dash import html

from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.governance import model, page
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ADMIN = User(1, "admin1", None, False, [Role("admin", "")])
REGION_WEST = User(3, "west1", None, False, [Role("region", "lantinen")])
LOCAL_NOKIA = User(4, "nokia1", None, False, [Role("local", "536")])
ENGINEER = User(5, "eng1", None, False, [Role("engineer", "")])


@pytest.fixture
def areas():
    return load_areas()


@pytest.fixture
def settings(tmp_path: Path, areas) -> Settings:
    settings = Settings(home=tmp_path)
    model.ensure_default_bodies(settings, areas)
    for body_id, name, comm in (
        ("maakunta", "Pia Province", "down"),
        ("alue-lantinen", "Leo West", "up,down,front_line"),
        ("kunta-536", "Niko Nokia", "up"),
        ("kunta-020", "Aino Akaa", "up"),
    ):
        model.add_member(
            settings,
            areas,
            ADMIN,
            body_id,
            {
                "name": name,
                "organisation": "Org",
                "actor_type": "ngo",
                "communication": comm,
                "email": f"{name.split()[0].lower()}@example.fi",
                "phone": "040 765 4321",
            },
        )
    return settings


def render(settings, areas, user, search: str = "", lang: str = "en") -> str:
    ctx = PanelContext(
        Scope("province", lang, user=user),
        None,
        Translator(lang),
        areas,
        {"search": search, "settings": settings},
    )
    return json.dumps(page.layout(ctx), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_anonymous_visitors_see_structure_and_counts_only(settings, areas) -> None:
    for search in ("", "?body=maakunta", "?body=alue-lantinen", "?body=kunta-536"):
        text = render(settings, areas, None, search)
        for secret in ("Pia Province", "Leo West", "Niko Nokia", "@example.fi", "040 765 4321"):
            assert secret not in text, (search, secret)
        assert "Sign in to see who sits in this body" in text
        assert "Representation balance" in text and "Active members: 1." in text


def test_a_region_user_sees_their_area_with_contacts_and_the_province_by_name(settings, areas) -> None:
    own = render(settings, areas, REGION_WEST, "?body=kunta-536")
    assert "Niko Nokia" in own and "niko@example.fi" in own and "040 765 4321" in own
    assert "Download members (CSV)" in own and "Edit members" not in own
    province = render(settings, areas, REGION_WEST, "?body=maakunta")
    assert "Pia Province" in province and "pia@example.fi" not in province and "040 765 4321" not in province
    assert "Contact details are shown only for the bodies of your own scope." in province
    other = render(settings, areas, REGION_WEST, "?body=kunta-020")
    assert "Aino Akaa" not in other and "aino@example.fi" not in other
    assert "The members of this body are not in your scope" in other
    assert "Leo West" in render(settings, areas, REGION_WEST)  # opens on their own coordination group


def test_a_local_user_sees_their_group_and_the_names_of_its_coordination_group(settings, areas) -> None:
    assert "niko@example.fi" in render(settings, areas, LOCAL_NOKIA)  # opens on their own local group
    group = render(settings, areas, LOCAL_NOKIA, "?body=alue-lantinen")
    assert "Leo West" in group and "leo@example.fi" not in group
    assert "Pia Province" not in render(settings, areas, LOCAL_NOKIA, "?body=maakunta")
    assert "Aino Akaa" not in render(settings, areas, LOCAL_NOKIA, "?body=kunta-020")
    assert "Pia Province" not in render(settings, areas, ENGINEER, "?body=maakunta")


def test_an_administrator_gets_the_edit_links(settings, areas) -> None:
    text = render(settings, areas, ADMIN, "?body=kunta-536")
    assert "/hallinto/muokkaa/kunta-536" in text and "/hallinto/historia/kunta-536" in text
    assert "/hallinto/tuonti" in text and "niko@example.fi" in text


@pytest.mark.parametrize("search", ["?body=kunta-999", "?body=<script>alert(1)</script>", "?body=../../etc"])
def test_an_unknown_body_falls_back_with_a_notice(settings, areas, search: str) -> None:
    text = render(settings, areas, None, search)
    assert "No such body; showing another one instead." in text
    assert "<script>" not in text and "kunta-999" not in text


def test_flags_for_missing_communication_and_actor_types(settings, areas) -> None:
    text = render(settings, areas, None, "?body=kunta-536")
    assert "nobody responsible" in text and "not needed at this level" in text
    assert "Missing actor types:" in text
    lacking = render(settings, areas, None)
    # Lantinen's coordination group has all three directions; the provincial group lacks the front line
    assert "Bodies without someone responsible for communication" in lacking
    assert "nobody responsible for: front line" in lacking


def test_the_layout_has_a_graph_a_text_alternative_and_prefixed_ids(settings, areas) -> None:
    ctx = PanelContext(
        Scope("province", "fi", user=None),
        None,
        Translator("fi"),
        areas,
        {"search": "", "settings": settings},
    )
    tree = page.layout(ctx)
    ids = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "to_plotly_json"):
            return
        if getattr(node, "id", None) is not None:
            ids.append(node.id)
        walk(getattr(node, "children", None))

    walk(tree)
    assert ids and all(i.startswith("governance-") for i in ids), ids
    assert {"governance-graph", "governance-tree", "governance-balance-graph"} <= set(ids)
    text = json.dumps(tree, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)
    assert "Koordinaatioryhmä – Läntinen alue" in text and "Perhekeskuksen ohjausryhmä – Nokia" in text
    app = dash.Dash(__name__)
    app.layout = html.Div(tree)  # Dash accepts it (the component tree validates)
    assert app.layout is not None


def test_the_page_speaks_swedish(settings, areas) -> None:
    text = render(settings, areas, None, lang="sv")
    assert "Familjecentralens styrgrupp – Tammerfors" in text


def test_every_translated_string_in_the_package_is_a_literal() -> None:
    """The catalog test refuses _(variable); keep the governance package extractable."""
    folder = Path(page.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
            ):
                arg = node.args[0]
                assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
                    f"{path.name}:{node.lineno}"
                )
            if isinstance(node, ast.JoinedStr):
                for part in ast.walk(node):
                    assert not (
                        isinstance(part, ast.Call) and isinstance(part.func, ast.Name) and part.func.id == "_"
                    ), f"{path.name}:{node.lineno}: _() inside an f-string is invisible to Babel"


def test_the_package_brings_finnish_and_swedish_for_every_string() -> None:
    """translations.py (merged into the shared catalogs with ``python -m perhekeskus.plugins.governance.translations``)
    has both languages for every id the governance views use, with the same {placeholders}."""
    import string

    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    from perhekeskus.plugins.governance.translations import TRANSLATIONS

    folder = Path(page.__file__).parent
    used = {
        str(message)
        for _name, _line, message, _comments, _context in extract_from_dir(
            folder,
            [("**.py", "python"), ("**/templates/**.html", "jinja2")],
            keywords={**DEFAULT_KEYWORDS, "_": None},
        )
    }
    from perhekeskus.dashboard.i18n import catalog

    shared = {msgid for msgid, text in catalog("sv").items() if text} & {
        m for m, t in catalog("fi").items() if t
    }
    assert used - set(TRANSLATIONS) - shared == set()  # ids of the shared catalogs need no entry
    assert set(TRANSLATIONS) - used == set(), "translations of ids no longer used"

    def fields(text: str) -> set[str]:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}

    for msgid, (fi, sv) in TRANSLATIONS.items():
        assert fi.strip() and sv.strip(), msgid
        assert fields(fi) == fields(msgid) == fields(sv), msgid


def test_merging_the_translations_into_a_copy_of_the_catalogs(tmp_path: Path) -> None:
    import shutil

    from babel.messages.pofile import read_po

    from perhekeskus.dashboard.i18n import LOCALE_DIR
    from perhekeskus.plugins.governance.translations import TRANSLATIONS, merge

    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    originals = {
        lang: (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        for lang in ("fi", "sv", "en")
    }
    merge(tmp_path / "locale")
    assert merge(tmp_path / "locale") == {"fi": 0, "sv": 0, "en": 0}  # idempotent
    for lang in ("fi", "sv", "en"):
        with open(tmp_path / "locale" / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
            merged = {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
            before = {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}
        assert all(merged[k] == v for k, v in before.items() if v)  # nothing already translated is changed
        assert all(merged[k] for k in TRANSLATIONS)
    assert originals["fi"] == (LOCALE_DIR / "fi" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
