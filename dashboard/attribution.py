"""Whose data a number is, and how to cite it: the producer, its licence and Sotkanet's citation form.

Sotkanet (run by THL) publishes the indicators of several producers; 12 of the package's 28 are not
THL's (Statistics Finland, Kela, TEM). Pages and exports therefore name each indicator's own producer
and licence (``warehouse/producers.toml``) and cite Sotkanet in the form Sotkanet asks for, instead of
one blanket THL line.
"""

from __future__ import annotations

from datetime import date, datetime

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.warehouse import producers
from perhekeskus.warehouse.read import Reader

SOURCE = "sotkanet"


def producer_name(_: Translator, meta: dict | None) -> str:
    """The producer's name in the page's language as Sotkanet gives it."""
    if not meta:
        return _("not given")
    return _.pick(meta.get("producer_fi"), meta.get("producer_sv"), meta.get("producer_en")) or _("not given")


def _producer_id(meta: dict) -> int | None:
    value = meta.get("producer_id")
    return None if value is None or value != value else int(value)


def licence(_: Translator, meta: dict | None) -> str:
    """The producer's licence from the producer table (the stored one when the table does not know the
    producer), or "the producer's own terms" when no licence can be named."""
    if not meta:
        return _("the producer's own terms")
    producer = producers.find(_producer_id(meta), meta.get("producer_fi"))
    named = producer.licence if producer else meta.get("licence")
    return named or _("the producer's own terms")


def citation(_: Translator, meta: dict, indicator_id: int, when: date | datetime | None) -> str:
    """Sotkanet's citation form: "Tilasto- ja indikaattoripankki Sotkanet. Terveyden ja hyvinvoinnin
    laitos. <title> (ind. <id>). Viitattu <date>." in the page's language."""
    day = when.date() if isinstance(when, datetime) else when
    title = _.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en"))
    return _(
        "Statistics and Indicator Bank Sotkanet. Finnish Institute for Health and Welfare. {title} (ind. {id}). Cited {date}.",
        title=title,
        id=indicator_id,
        date=_.date(day or date.today()),
    )


def source_line(_: Translator, meta: dict | None) -> str:
    """One line for a page or file: the indicator's producer and licence, published in Sotkanet."""
    return _(
        "Source: {producer}; published in Sotkanet (THL). Licence: {licence}.",
        producer=producer_name(_, meta),
        licence=licence(_, meta),
    )


def indicator_metas(reader: Reader, ids: list[int] | None = None) -> dict[int, dict]:
    """indicator id → its metadata row (titles, producer, licence), for the given ids or all."""
    sql = (
        "SELECT indicator_id, title_fi, title_sv, title_en, decimals, producer_id, producer_fi, "
        "producer_sv, producer_en, licence FROM indicator WHERE source = ?"
    )
    params: list = [SOURCE]
    if ids is not None:
        if not ids:
            return {}
        sql += f" AND indicator_id IN ({', '.join('?' for _ in ids)})"
        params += [int(i) for i in ids]
    frame = reader.df(sql, params)
    return {int(r["indicator_id"]): r for r in frame.to_dict("records")}


def package_producers(reader: Reader) -> list[dict]:
    """The producers of the package's indicators (one metadata-like row each), most indicators first."""
    frame = reader.df(
        """
        SELECT any_value(i.producer_id) AS producer_id, i.producer_fi, any_value(i.producer_sv) AS producer_sv,
               any_value(i.producer_en) AS producer_en, any_value(i.licence) AS licence, count(*) AS indicators
        FROM indicator_package p JOIN indicator i USING (source, indicator_id)
        WHERE p.source = ? AND i.producer_fi IS NOT NULL
        GROUP BY i.producer_fi
        ORDER BY indicators DESC, i.producer_fi
        """,
        [SOURCE],
    )
    return frame.to_dict("records")


def producers_line(_: Translator, reader: Reader) -> str:
    """The footer's source line: Sotkanet, then every producer of the package with its licence."""
    parts = [f"{producer_name(_, p)} ({licence(_, p)})" for p in package_producers(reader)]
    if not parts:
        return _("Source: Sotkanet (THL); each indicator under its producer's licence.")
    return _("Source: Sotkanet (THL). Producers and licences: {producers}.", producers="; ".join(parts))
