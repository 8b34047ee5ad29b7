"""The gettext catalogs (fi, sv, en): complete for the code as it is now, and consistent with each other.

The product's catalog (``dashboard/locale``) serves the dashboard and the built-in plugins that ship no
catalog of their own; a plugin that does (``plugins/<name>/locale``, registered through
``perhekeskus_translations``) has its code checked against its own catalog plus the product's, which the
translator looks up in that order: a message missing from both fails.

The message ids are re-extracted from the code here, with Babel and the method map of ``babel.cfg``
(as ``pybabel extract -F babel.cfg -k _`` does), so a string added to the code without updating the
catalogs fails the test even when ``messages.pot`` is stale. The code is also read with ``ast`` for what
Babel cannot see: ``_('...')`` inside f-strings (one token on Python 3.11) and ids passed as variables,
which must be listed in the ``locale/extra_messages.py`` of the catalog's owner.

Fixing a failure: re-extract and update with the two commands at the top of ``babel.cfg``, then fill in
the empty ``msgstr`` entries of fi, sv and en.
"""

from __future__ import annotations

import ast
import math
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from perhekeskus import registry
from perhekeskus.dashboard.i18n import LANGS, LOCALE_DIR, Translator

REPO = Path(__file__).resolve().parents[2]
BABEL_CFG = REPO / "babel.cfg"
SOURCE_DIR = REPO / "dashboard"
PLUGINS_DIR = REPO / "plugins"
NBSP, NNBSP = "\u00a0", "\u202f"


def plugin_locales() -> dict[str, Path]:
    """Catalogs the built-in plugins ship: ``<plugin>`` → its ``locale`` folder, and for a plugin made of
    parts (``perhekeskus.plugins.parts``) ``<plugin>/<part>`` → that part's ``locale`` folder."""
    found: dict[str, Path] = {}
    for plugin in sorted(p for p in PLUGINS_DIR.iterdir() if p.is_dir()):
        if (plugin / "locale").is_dir():
            found[plugin.name] = plugin / "locale"
        for part in sorted(q for q in plugin.iterdir() if (q / "locale").is_dir() and q.name != "locale"):
            found[f"{plugin.name}/{part.name}"] = part / "locale"
    return found


def units() -> dict[str, tuple[tuple[Path, ...], tuple[Path, ...]]]:
    """What is checked against what: name → (code folders, catalog folders in lookup order).

    The product: the dashboard and every built-in plugin without a catalog of its own, against the
    product's catalog; each plugin with catalogs: its folder, against the product's catalog and all of its
    own (a plugin made of parts has one per part; the translator looks in all of them)."""
    own: dict[str, list[Path]] = {}
    for name, folder in plugin_locales().items():
        own.setdefault(name.split("/")[0], []).append(folder)
    bare = tuple(p for p in sorted(PLUGINS_DIR.iterdir()) if p.is_dir() and p.name not in own)
    found = {"product": ((SOURCE_DIR, *(p for p in bare if list(p.rglob("*.py")))), (LOCALE_DIR,))}
    for name, folders in own.items():
        found[name] = ((PLUGINS_DIR / name,), (LOCALE_DIR, *folders))
    return found


UNITS = units()
CATALOG_DIRS = {"product": LOCALE_DIR, **plugin_locales()}

# Calls of ``_`` with a variable, by file and the argument's source: the ids each may receive. All
# of them must be in extra_messages.py (checked below). ``_(h) for h in ("Run", ...)`` over a literal
# tuple needs no entry here: the tuple is read from the code.
RUN_STATUSES = ("success", "failed", "blocked")  # etl_run.status
SEVERITIES = ("critical", "warning", "info")  # check_result.severity


def _fifths() -> tuple[str, ...]:
    from perhekeskus.plugins.indicators.key_figures import FIFTHS

    return tuple(FIFTHS)


KNOWN_DYNAMIC = {
    ("pages.py", "str(r.status)"): lambda: RUN_STATUSES,
    ("pages.py", "c.severity"): lambda: SEVERITIES,
    ("key_figures.py", "FIFTHS[int(place)]"): _fifths,
}


# --- reading the code and the catalogs --------------------------------------------------------------


def extracted_catalog(source_dirs: tuple[Path, ...] = UNITS["product"][0]) -> Catalog:
    """A fresh template from the code: Babel's extraction with babel.cfg's method map and ``-k _``."""
    with open(BABEL_CFG, encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(BABEL_CFG))
    keywords = {**DEFAULT_KEYWORDS, "_": None}
    catalog = Catalog(project="perhekeskus")
    for source_dir in source_dirs:
        for filename, lineno, message, comments, context in extract_from_dir(
            source_dir, method_map, options_map, keywords=keywords
        ):
            catalog.add(
                message,
                None,
                [(f"{source_dir.name}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _is_translate_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args != []
    )


def code_calls(
    source_dirs: tuple[Path, ...] = UNITS["product"][0],
) -> tuple[set[str], set[str], dict[tuple[str, str], int]]:
    """(literal ids, ids of ``_(x) for x in (literal tuple)``, other dynamic calls → line) in the folders."""
    literal: set[str] = set()
    looped: set[str] = set()
    dynamic: dict[tuple[str, str], int] = {}
    for path in sorted(p for d in source_dirs for p in d.rglob("*.py")):
        if path.name == "extra_messages.py" and path.parent.name == "locale":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        covered: set[int] = set()
        for node in ast.walk(tree):
            if not isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                continue
            for gen in node.generators:
                values = gen.iter.elts if isinstance(gen.iter, (ast.Tuple, ast.List)) else None
                if not isinstance(gen.target, ast.Name) or values is None:
                    continue
                if not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
                    continue
                for call in ast.walk(node):
                    arg = call.args[0] if _is_translate_call(call) else None
                    if isinstance(arg, ast.Name) and arg.id == gen.target.id:
                        looped.update(v.value for v in values)
                        covered.add(id(call))
        for node in ast.walk(tree):
            if not _is_translate_call(node) or id(node) in covered:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literal.add(arg.value)
            else:
                dynamic.setdefault((path.name, ast.unparse(arg)), node.lineno)
    return literal, looped, dynamic


def read_catalog(lang: str, folder: Path = LOCALE_DIR) -> Catalog:
    with open(folder / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def messages(catalog: Catalog) -> dict[str, str]:
    """msgid → msgstr, without the header."""
    return {str(m.id): str(m.string or "") for m in catalog if m.id}


def fields(text: str) -> set[str]:
    """The ``{placeholder}`` names of a str.format text; a malformed text raises ValueError."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def consistency_problems(catalogs: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong between catalogs (lang → msgid → msgstr): missing ids, empty or broken msgstr."""
    problems = []
    every_id = set().union(*(set(c) for c in catalogs.values()))
    for lang, catalog in catalogs.items():
        for msgid in sorted(every_id - set(catalog)):
            others = ", ".join(sorted(other for other, c in catalogs.items() if msgid in c))
            problems.append(f"{lang}: missing {msgid!r} (present in {others})")
        for msgid, msgstr in catalog.items():
            if not msgstr.strip():
                problems.append(f"{lang}: empty msgstr for {msgid!r}")
                continue
            try:
                wanted, got = fields(msgid), fields(msgstr)
            except ValueError as exc:
                problems.append(f"{lang}: {msgid!r} → {msgstr!r} is not a valid format string ({exc})")
                continue
            if wanted != got:
                problems.append(
                    f"{lang}: placeholders of {msgid!r} are {sorted(wanted)}, its msgstr {msgstr!r} has {sorted(got)}"
                )
            elif wanted:
                try:
                    msgstr.format(**dict.fromkeys(wanted, "x"))
                except (ValueError, KeyError, IndexError) as exc:
                    problems.append(f"{lang}: msgstr {msgstr!r} cannot be formatted ({exc})")
    return problems


def untranslated(code_ids: set[str], catalogs: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """(ids in no catalog, ids whose first catalog that has them gives an empty text), in the order the
    translator looks (the product's catalog, then the plugin's)."""
    missing, empty = [], []
    for msgid in sorted(code_ids):
        found = next((c[msgid] for c in catalogs if msgid in c), None)
        if found is None:
            missing.append(msgid)
        elif not found.strip():
            empty.append(msgid)
    return missing, empty


def ids_in_code(source_dirs: tuple[Path, ...]) -> set[str]:
    extracted = {str(m.id) for m in extracted_catalog(source_dirs) if m.id}
    literal, looped, dynamic = code_calls(source_dirs)
    known = {v for key, values in KNOWN_DYNAMIC.items() if key in dynamic for v in values()}
    return extracted | literal | looped | known


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    """The product's catalogs by language."""
    return {lang: read_catalog(lang) for lang in LANGS}


@pytest.fixture(scope="module")
def code_ids() -> set[str]:
    """Every id the product's code (and the plugins without a catalog) uses."""
    return ids_in_code(UNITS["product"][0])


# --- (a) every id the code uses is translated ------------------------------------------------------


def test_extraction_finds_the_code_strings() -> None:
    """Guards the method map: a pattern that matches no file would make every other check pass."""
    extracted = {str(m.id): m for m in extracted_catalog() if m.id}
    assert len(extracted) > 100, f"babel.cfg's method map extracted only {len(extracted)} messages"
    for msgid in ("Data quality", "Skip to content", "Run", "critical"):
        assert msgid in extracted, f"{msgid!r} not extracted: check babel.cfg"
    files = {loc[0] for m in extracted.values() for loc in m.locations}
    for name in ("dashboard/shell.py", "dashboard/pages.py", "dashboard/locale/extra_messages.py"):
        assert name in files, f"{name} not extracted: check babel.cfg"
    indicators = {str(m.id) for m in extracted_catalog(UNITS["indicators"][0]) if m.id}
    for msgid in ("Key figures: {theme}", "top fifth"):
        assert msgid in indicators, f"{msgid!r} not extracted from plugins/indicators"


@pytest.mark.parametrize("unit", sorted(UNITS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_code_string_is_translated(lang: str, unit: str) -> None:
    """A plugin's code against its own catalog plus the product's; the rest against the product's."""
    sources, folders = UNITS[unit]
    missing, empty = untranslated(ids_in_code(sources), [messages(read_catalog(lang, f)) for f in folders])
    assert not missing, f"{unit}, {lang}: {len(missing)} ids used in the code are in no catalog: {missing}"
    assert not empty, f"{unit}, {lang}: {len(empty)} ids used in the code have no translation: {empty}"


def test_a_message_missing_from_both_catalogs_fails_and_one_in_either_passes() -> None:
    product, plugin = {"Trend": "Kehitys"}, {"top fifth": "ylin viidennes", "blank": " "}
    assert untranslated({"Trend", "top fifth"}, [product, plugin]) == ([], [])
    assert untranslated({"Trend", "Nowhere"}, [product, plugin]) == (["Nowhere"], [])
    assert untranslated({"blank"}, [product, plugin]) == ([], ["blank"])


def test_the_indicator_panels_ship_their_own_catalog_through_the_hook() -> None:
    """Their messages are in plugins/indicators/locale, registered with ``perhekeskus_translations``
    like a third party's, and no longer in the product's catalog (which is looked up first)."""
    assert "indicators" in plugin_locales()
    registered = {p.resolve() for p in registry.translation_dirs()}
    for name, folder in plugin_locales().items():
        assert folder.resolve() in registered, f"plugin {name}: its catalogs are not registered"
    for lang in LANGS:
        own = messages(read_catalog(lang, CATALOG_DIRS["indicators"]))
        assert {"Key figures: {theme}", "top fifth"} <= set(own)
        twice = sorted(set(own) & set(messages(read_catalog(lang))))
        assert not twice, f"{lang}: in both the product's and the plugin's catalog: {twice}"


@pytest.mark.parametrize("owner", sorted(CATALOG_DIRS))
@pytest.mark.parametrize("lang", LANGS)
def test_no_fuzzy_translations(lang: str, owner: str) -> None:
    """The app shows fuzzy entries as they are, so a guessed translation must not be left in."""
    fuzzy = sorted(str(m.id) for m in read_catalog(lang, CATALOG_DIRS[owner]) if m.id and m.fuzzy)
    assert not fuzzy, f"{lang}: fuzzy entries (check the translation, then remove '#, fuzzy'): {fuzzy}"


@pytest.mark.parametrize("unit", sorted(UNITS))
def test_dynamic_ids_are_listed_for_extraction(unit: str) -> None:
    """Every ``_(variable)`` in the code is known, and the ids it may get are in extra_messages.py."""
    sources = UNITS[unit][0]
    _literal, looped, dynamic = code_calls(sources)
    unknown = {f"{name}:{line} _({source})" for (name, source), line in dynamic.items()}
    unknown -= {
        f"{name}:{dynamic[(name, source)]} _({source})"
        for name, source in KNOWN_DYNAMIC
        if (name, source) in dynamic
    }
    assert not unknown, (
        "_() called with a variable; list the ids it may receive in the owner's locale/extra_messages.py "
        f"and add the call to KNOWN_DYNAMIC in this test: {sorted(unknown)}"
    )
    listed = {
        str(m.id)
        for m in extracted_catalog(sources)
        if m.id and any("extra_messages.py" in loc[0] for loc in m.locations)
    }
    needed = looped | {v for key, values in KNOWN_DYNAMIC.items() if key in dynamic for v in values()}
    assert not needed - listed, f"{unit}: add to locale/extra_messages.py: {sorted(needed - listed)}"


# --- (b) the three catalogs agree --------------------------------------------------------------------


@pytest.mark.parametrize("owner", sorted(CATALOG_DIRS))
def test_catalogs_are_consistent(owner: str) -> None:
    """Same ids in fi, sv and en; every msgstr non-empty and with its msgid's {placeholders}."""
    folder = CATALOG_DIRS[owner]
    problems = consistency_problems({lang: messages(read_catalog(lang, folder)) for lang in LANGS})
    assert not problems, "\n".join(problems)


def test_consistency_check_catches_a_missing_string_and_a_lost_placeholder() -> None:
    good = {"Reason: {reason}": "Syy: {reason}", "Trend": "Kehitys"}
    assert consistency_problems({"fi": good, "en": {k: k for k in good}}) == []
    missing = consistency_problems({"fi": good, "sv": {"Trend": "Utveckling"}})
    assert any("sv: missing 'Reason: {reason}'" in p for p in missing), missing
    lost = consistency_problems({"sv": {"Reason: {reason}": "Orsak: {orsak}", "Trend": "Utveckling"}})
    assert any("placeholders" in p for p in lost), lost
    broken = consistency_problems({"sv": {"Reason: {reason}": "Orsak: {reason", "Trend": "Utveckling"}})
    assert any("not a valid format string" in p for p in broken), broken


def test_english_catalog_is_complete(catalogs: dict[str, Catalog]) -> None:
    english = messages(catalogs["en"])
    assert all(english.values()), "en: every msgstr is filled (with the msgid unless reworded)"


# --- (c) the translator at run time ------------------------------------------------------------------


@pytest.mark.parametrize("owner", sorted(CATALOG_DIRS))
@pytest.mark.parametrize("lang", LANGS)
def test_translator_uses_the_catalog(lang: str, owner: str) -> None:
    """The request's translator finds the product's messages and every built-in plugin's."""
    _ = Translator(lang)
    for msgid, msgstr in messages(read_catalog(lang, CATALOG_DIRS[owner])).items():
        values = dict.fromkeys(fields(msgid), "X")
        expected = msgstr.format(**values) if values else msgstr
        assert _(msgid, **values) == expected


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_numbers_have_a_decimal_comma_in_finnish_and_swedish(lang: str) -> None:
    _ = Translator(lang)
    assert _.number(1234.5, 1) in {f"1{NBSP}234,5", f"1{NNBSP}234,5"}
    assert _.number(0.25, 2) == "0,25"
    assert _.number(1234567, 0) in {f"1{s}234{s}567" for s in (NBSP, NNBSP)}
    assert _.signed(-1.5, 1) == "−1,5"


def test_numbers_have_a_decimal_point_in_english() -> None:
    _ = Translator("en")
    assert _.number(1234.5, 1) == "1,234.5"
    assert _.number(0.25, 2) == "0.25"
    assert _.signed(1.5, 1) == "+1.5"


@pytest.mark.parametrize("lang", LANGS)
def test_missing_number_is_no_data_in_the_language(lang: str, catalogs: dict[str, Catalog]) -> None:
    _ = Translator(lang)
    no_data = messages(catalogs[lang])["no data"]
    assert no_data
    assert _.number(None) == no_data
    assert _.number(math.nan, 1) == no_data
    assert _.signed(None) == no_data
    if lang != "en":
        assert no_data != "no data", f"{lang}: 'no data' is not translated"
