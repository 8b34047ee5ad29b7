"""The request's scope and view state, resolved on the server from the path and the query string.

The view lives in the URL (``?indicator=sotkanet:1086&years=2015-2023&compare=837,536&gender=total&lang=sv``),
so a copied link opens exactly the same view and the browser's back button works. The indicator is
written ``<source>:<id>`` (ids are the sources' own text); an old link's bare id (``?indicator=1086``)
still opens: it leaves the source open, and the panels take the source that has that id.

``compare=`` lists what the charts compare with, comma-separated, in three unambiguous forms: a
municipality's three-digit Statistics Finland code (``837``, what every older link has), a wellbeing
services county as ``HVA:`` and its two-digit code (``HVA:05``), and a ready group as ``group:`` and its
name (``group:province``, ``group:similar``, ``group:counties``), which the indicator panels expand on the
server from the warehouse. At most 12 municipalities and counties are taken (a group counts as one);
anything else is dropped. ``avg=3`` asks for three-year moving averages (plugins/indicators/averages.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from perhekeskus.panels import Scope
from perhekeskus.warehouse.areas import AreaConfig

_CODE = re.compile(r"^\d{3}$")
GENDERS = ("total", "male", "female")


def parse_query(search: str | None) -> dict[str, str]:
    """The first value of each query parameter (``?a=1&b=2`` → {'a': '1', 'b': '2'})."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    return {k: v[0] for k, v in parsed.items() if v}


def build_query(params: dict[str, object]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [], ())}
    return ("?" + urlencode(clean, safe=",:")) if clean else ""  # "sotkanet:127" stays readable


def _years(text: str | None) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})-(\d{4})", text or "")
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    return (min(first, last), max(first, last))


_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_INDICATOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")


def _indicator(text: str | None) -> tuple[str | None, str | None]:
    """(source, id) from ``sotkanet:127``, (None, id) from a bare ``127``; (None, None) when malformed."""
    source, sep, ident = (text or "").strip().partition(":")
    if not sep:
        source, ident = "", source
    if not _INDICATOR_ID.match(ident) or (sep and not _SOURCE_NAME.match(source)):
        return None, None
    return (source or None), ident


def indicator_param(source: str, indicator_id: str) -> str:
    """The URL value naming an indicator: ``sotkanet:127`` (what every link the app writes uses)."""
    return f"{source}:{indicator_id}"


COUNTY_PREFIX = "HVA:"  # a wellbeing services county in ``compare=`` (hyvinvointialue)
GROUP_PREFIX = "group:"
GROUPS = ("province", "similar", "counties")  # the ready comparison groups, in the control's order
MAX_COMPARE = 12  # municipalities and counties picked one by one
_COUNTY = re.compile(r"^HVA:(\d{2})$", re.IGNORECASE)
AVERAGES = (1, 3)  # yearly figures, three-year moving averages


def compare_state(text: str | None) -> dict[str, tuple[str, ...]]:
    """The comparison of ``compare=``: municipalities, counties and groups, each in the URL's order.

    Malformed and unknown items are dropped (never passed on to a query); repeats count once; the
    first 12 municipalities and counties are kept, groups besides them.
    """
    munis: list[str] = []
    counties: list[str] = []
    groups: list[str] = []
    for item in (text or "").split(","):
        item = item.strip()
        if _CODE.match(item):
            if item not in munis and len(munis) + len(counties) < MAX_COMPARE:
                munis.append(item)
        elif match := _COUNTY.match(item):
            code = match.group(1)
            if code not in counties and len(munis) + len(counties) < MAX_COMPARE:
                counties.append(code)
        elif (group := item.removeprefix(GROUP_PREFIX)) in GROUPS and item != group and group not in groups:
            groups.append(group)
    return {"compare": tuple(munis), "compare_counties": tuple(counties), "compare_groups": tuple(groups)}


def compare_tokens(scope: Scope) -> list[str]:
    """The comparison as the URL and the comparison control write it: groups, counties, municipalities."""
    return [
        *(GROUP_PREFIX + g for g in scope.compare_groups),
        *(COUNTY_PREFIX + c for c in scope.compare_counties),
        *scope.compare,
    ]


def compare_param(items: list[str]) -> str:
    """The ``compare=`` value for what the comparison control sends: cleaned as a link would be
    (malformed items dropped, at most 12 picks), written back in the control's order."""
    state = compare_state(",".join(items))
    tokens = {
        *state["compare"],
        *(COUNTY_PREFIX + c for c in state["compare_counties"]),
        *(GROUP_PREFIX + g for g in state["compare_groups"]),
    }
    written: list[str] = []
    for item in items:
        item = item.strip()
        token = COUNTY_PREFIX + item[len(COUNTY_PREFIX) :] if _COUNTY.match(item) else item
        if token in tokens and token not in written:
            written.append(token)
    return ",".join(written)


def view_state(query: dict[str, str]) -> dict:
    """Indicator, years, comparison, gender and averaging from a query; malformed values are dropped,
    not trusted."""
    gender = query.get("gender") if query.get("gender") in GENDERS else "total"
    source, indicator = _indicator(query.get("indicator"))
    return {
        "source": source,
        "indicator": indicator,
        "years": _years(query.get("years")),
        **compare_state(query.get("compare")),
        "gender": gender,
        "average": 3 if query.get("avg") == "3" else 1,
    }


def user_compare(user, areas: AreaConfig) -> tuple[str, ...]:
    """What a signed-in user compares with first: their own municipality, else their area's municipalities."""
    if user is None:
        return ()
    for role in user.roles:
        code = role.scope.removeprefix("kunta-")
        if role.role == "local" and code in areas.municipalities:
            return (code,)
    for role in user.roles:
        if role.role == "region" and areas.area(role.scope) is not None:
            return tuple(areas.area(role.scope).municipalities)
    return ()


def scope_for_path(path: str, query: dict[str, str], lang: str, areas: AreaConfig, user=None) -> Scope | None:
    """The scope of a leadership-level page, or None when the path is not one (or names nothing known).

    Open statistics stay open to everyone; a signed-in user's own area only sets what they compare
    with when the URL does not say.
    """
    state = view_state(query)
    if "compare" not in query and user is not None:
        state["compare"] = user_compare(user, areas)
    if path == "/maakunta":
        return Scope("province", lang, municipalities=tuple(areas.municipalities), user=user, **state)
    match = re.fullmatch(r"/alue/([a-z0-9-]+)", path)
    if match:
        area = areas.area(match.group(1))
        if area is None:
            return None
        return Scope(
            "region", lang, area_id=area.area_id, municipalities=area.municipalities, user=user, **state
        )
    match = re.fullmatch(r"/kunta/(\d{3})", path)
    if match:
        code = match.group(1)
        area = areas.area_of(code)
        if area is None:
            return None
        return Scope(
            "local", lang, area_id=area.area_id, municipality=code, municipalities=(code,), user=user, **state
        )
    return None


LEVEL_PATH = re.compile(r"/maakunta|/alue/[^/]+|/kunta/[^/]+")


def request_scope(services, pathname: object, search: object) -> Scope | None:
    """The scope of the page at ``pathname`` + ``search`` for the user of the current request, resolved
    on the server exactly as the router resolves it (public: ``perhekeskus.panels.callback_scope``).

    Only the URL is taken from the browser, and only as the router takes it: the level, area and
    municipality are checked against the area configuration, the view state is parsed and cleaned, the
    language comes from ``?lang=``, then the cookie. The user is the server-side session's, never a value
    the callback was sent. A leadership-level path that names nothing known gives None; any other page
    (an extra page of a plugin) gets the province scope the router gives it.
    """
    import flask

    from perhekeskus.dashboard.i18n import COOKIE, DEFAULT_LANG, normalise_lang

    pathname = (pathname if isinstance(pathname, str) else "/").rstrip("/") or "/"
    query = parse_query(search if isinstance(search, str) else "")
    lang = normalise_lang(query.get("lang")) or DEFAULT_LANG
    user = None
    if flask.has_request_context():
        lang = normalise_lang(query.get("lang")) or normalise_lang(flask.request.cookies.get(COOKIE)) or lang
        if getattr(services, "access", None) is not None:
            from perhekeskus.dashboard.access.web import current_user

            user = current_user(services.access)
    if LEVEL_PATH.fullmatch(pathname):
        return scope_for_path(pathname, query, lang, services.areas, user=user)
    return Scope("province", lang, user=user)
