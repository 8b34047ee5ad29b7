"""Whose data a number is, and how to cite it, as each source declares it.

The core knows no source and no producer: a source declares its credit line and licence
(``attribution``, ``licence``, ``licence_url``), and a source that republishes several producers' data
(Sotkanet publishes THL's, Statistics Finland's, Kela's and TEM's) gives each indicator's own producer,
licence and citation form through ``attribution_for(meta, _)``. Pages and exports ask here, with the
indicator's ``indicator`` row (which carries its ``source``), so a plugin's data is credited to the
plugin's producer and never to another source.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from perhekeskus import registry
from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import IndicatorKey
from perhekeskus.source import Attribution, credit
from perhekeskus.warehouse.read import Reader


def source_named(name: str | None):
    """The enabled source of that name, or None (a source whose plugin was disabled since the load)."""
    if not name:
        return None
    try:
        return registry.sources().get(str(name))
    except Exception:  # attribution must never take a page down
        return None


def source_title(name: str | None) -> str:
    """A source's human name ("THL Sotkanet") for a table or file column; its name when not enabled."""
    found = source_named(name)
    return str(getattr(found, "title", None) or name or "")


def attribution(_: Translator, meta: dict, when: date | datetime | None = None) -> Attribution:
    """The attribution of one indicator: the source's ``attribution_for`` when it has one, else the
    source's own credit and licence with the producer stored in the indicator row."""
    source = source_named(meta.get("source"))
    per_indicator = getattr(source, "attribution_for", None)
    if callable(per_indicator):
        return per_indicator(meta, _, when)
    producer = _.pick(meta.get("producer_fi"), meta.get("producer_sv"), meta.get("producer_en"))
    return Attribution(
        credit=credit(source, _.lang) if source is not None else str(meta.get("source") or ""),
        licence=meta.get("licence") or getattr(source, "licence", None),
        licence_url=getattr(source, "licence_url", None),
        producer=producer or None,
    )


def producer_name(_: Translator, meta: dict | None) -> str:
    """The indicator's producer in the page's language (the source's title when it names none)."""
    if not meta:
        return _("not given")
    found = attribution(_, meta).producer
    if found:
        return found
    source = source_named(meta.get("source"))
    return getattr(source, "title", None) or _("not given")


def licence(_: Translator, meta: dict | None) -> str:
    """The licence of the indicator's data, or "the producer's own terms" when none can be named."""
    if not meta:
        return _("the producer's own terms")
    return attribution(_, meta).licence or _("the producer's own terms")


def citation(_: Translator, meta: dict, indicator_id: str | int, when: date | datetime | None) -> str:
    """How to cite the indicator: the source's own form, else credit, title, id and date."""
    found = attribution(_, {**meta, "indicator_id": meta.get("indicator_id", indicator_id)}, when)
    if found.citation:
        return found.citation
    day = when.date() if isinstance(when, datetime) else when
    return _(
        "{credit}. {title} ({id}). Cited {date}.",
        credit=found.credit,
        title=_.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en")),
        id=indicator_id,
        date=_.date(day or date.today()),
    )


def source_line(_: Translator, meta: dict | None) -> str:
    """One line for a page or file: the source's credit, the indicator's producer and its licence."""
    if not meta:
        return _("the producer's own terms")
    found = attribution(_, meta)
    if found.line:
        return found.line
    terms = found.licence or _("the producer's own terms")
    if found.producer:
        return _(
            "{credit}. Producer: {producer}. Licence: {licence}.",
            credit=found.credit,
            producer=found.producer,
            licence=terms,
        )
    return _("{credit}. Licence: {licence}.", credit=found.credit, licence=terms)


def as_indicator_key(item: object, source: str | None = None) -> IndicatorKey | str:
    """An :class:`IndicatorKey` from a key, a (source, id) pair or ``"source:id"``; a bare id as text."""
    if isinstance(item, tuple | list) and len(item) == 2:
        return IndicatorKey(str(item[0]), str(item[1]))
    text = str(item)
    key = IndicatorKey.parse(text)
    if key is not None:
        return key
    return IndicatorKey(source, text) if source is not None else text


def indicator_metas(
    reader: Reader, ids: list | None = None, source: str | None = None
) -> dict[IndicatorKey, dict]:
    """(source, id) → the indicator's metadata row (source, titles, producer, licence), for the given
    indicators or all, of one source or of all.

    ``ids`` holds :class:`IndicatorKey` (or (source, id) pairs, or ``"source:id"``); a bare id (an old
    panel's ``127``) names the indicator of that id in any source (``source`` narrows it).
    """
    sql = (
        "SELECT source, indicator_id, title_fi, title_sv, title_en, decimals, producer_id, producer_fi, "
        "producer_sv, producer_en, licence FROM indicator WHERE true"
    )
    params: list = []
    if source is not None:
        sql += " AND source = ?"
        params.append(source)
    if ids is not None:
        if not ids:
            return {}
        wanted = [as_indicator_key(i, source) for i in ids]
        terms = [
            "(source = ? AND indicator_id = ?)" if isinstance(k, tuple) else "indicator_id = ?"
            for k in wanted
        ]
        sql += f" AND ({' OR '.join(terms)})"
        params += [x for k in wanted for x in (k if isinstance(k, tuple) else (k,))]
    frame = reader.df(sql + " ORDER BY source, indicator_id", params)
    found = {IndicatorKey(r["source"], str(r["indicator_id"])): r for r in frame.to_dict("records")}
    if ids is None:
        return found
    ordered = {}  # in the order asked for (a file's citation lines follow its rows)
    for want in wanted:
        for key, row in found.items():
            if key == want or (not isinstance(want, tuple) and key.id == want):
                ordered.setdefault(key, row)
    return ordered


def package_producers(reader: Reader) -> list[dict]:
    """The producers of the package's indicators (one metadata-like row each, with its source), most
    indicators first."""
    frame = reader.df(
        """
        SELECT i.source, any_value(i.producer_id) AS producer_id, i.producer_fi,
               any_value(i.producer_sv) AS producer_sv, any_value(i.producer_en) AS producer_en,
               any_value(i.licence) AS licence, count(*) AS indicators
        FROM indicator_package p JOIN indicator i USING (source, indicator_id)
        WHERE i.producer_fi IS NOT NULL
        GROUP BY i.source, i.producer_fi
        ORDER BY i.source, indicators DESC, i.producer_fi
        """
    )
    return frame.to_dict("records")


def producers_line(_: Translator, reader: Reader) -> str:
    """The footer's source line: each enabled source's credit, with the producers of its package
    indicators and their licences when it republishes others' data."""
    by_source: dict[str, list[str]] = {}
    for row in package_producers(reader):
        by_source.setdefault(str(row["source"]), []).append(f"{producer_name(_, row)} ({licence(_, row)})")
    published = {str(r[0]) for r in reader.rows("SELECT DISTINCT source FROM indicator")}
    parts = []
    for name, source in sorted(registry.sources().items()):
        if name not in published:
            continue
        if by_source.get(name):
            parts.append(
                _(
                    "{credit}. Producers and licences: {producers}.",
                    credit=credit(source, _.lang),
                    producers="; ".join(by_source[name]),
                )
            )
        else:
            parts.append(
                _(
                    "{credit}. Licence: {licence}.",
                    credit=credit(source, _.lang),
                    licence=getattr(source, "licence", None) or _("the producer's own terms"),
                )
            )
    return " ".join(parts) or credits_line(_)


def credits_line(_: Translator) -> str:
    """Every enabled source's credit line, for a footer while nothing is published."""
    return _credits_line(_.lang, id(registry.plugin_manager()))


@functools.lru_cache(maxsize=16)
def _credits_line(lang: str, _manager: int) -> str:
    # the enabled sources are fixed while the app runs (keyed by the plugin manager, which a reset
    # replaces); building them on every page cost 13–120 ms of a server-rendered form's answer
    return " ".join(
        credit(source, lang)
        for _name, source in sorted(registry.sources().items())
        if _publishes_statistics(source)
    )


def _publishes_statistics(source) -> bool:
    """Whether a source publishes indicator values (the footer credits those); a source that only copies
    what people entered into tables of its own (the network map, families' feedback) is no statistics
    producer and is credited on its own pages."""
    datasets = set(getattr(source, "datasets", ()) or ())
    return not datasets or bool(datasets & {"indicator_value", "indicator", "region"})
