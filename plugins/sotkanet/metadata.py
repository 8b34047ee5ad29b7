"""Sotkanet's region list and indicator metadata turned into the warehouse's ``region`` and
``indicator`` rows.

Region rows keep Sotkanet's id (data rows only carry that) next to the Statistics Finland code.
The whole country is stored as Statistics Finland's ``SSS`` rather than Sotkanet's ``358``, so that a
second source (Statistics Finland's PxWeb uses ``SSS``) lands on the same key.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from perhekeskus import AreaConfig, html_to_text
from perhekeskus.plugins.sotkanet import producers

WHOLE_COUNTRY_CODE = "SSS"

REGION_COLUMNS = [
    "region_category",
    "region_code",
    "sotkanet_id",
    "name_fi",
    "name_sv",
    "name_en",
    "uri",
    "county_code",
    "province_code",
    "coordination_area",
]


def _text(obj: Any, lang: str) -> str | None:
    if isinstance(obj, dict):
        value = obj.get(lang)
        return None if value is None else str(value)
    return None


def region_code(category: str, code: Any) -> str | None:
    if code is None or str(code).strip() == "":
        return None
    if category == "MAA":
        return WHOLE_COUNTRY_CODE
    return str(code).strip()


def regions_frame(regions: list[dict], areas: AreaConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(region rows, membership rows) from ``/regions``.

    A municipality's county and province come from its ``memberOf`` links; for the municipalities of the
    province configuration the configuration wins, because memberOf links change over time (in 2021
    Kuhmoinen moved from one province to another and old snapshots still say otherwise).
    """
    by_id: dict[int, tuple[str, str | None]] = {}
    rows = []
    for item in regions:
        if not isinstance(item, dict):
            continue
        category = str(item.get("category") or "").strip().upper() or None
        rid = item.get("id")
        code = region_code(category or "", item.get("code"))
        if isinstance(rid, int) and category:
            by_id[rid] = (category, code)
        title = item.get("title") or {}
        rows.append(
            {
                "region_category": category,
                "region_code": code,
                "sotkanet_id": rid if isinstance(rid, int) else None,
                "name_fi": _text(title, "fi"),
                "name_sv": _text(title, "sv"),
                "name_en": _text(title, "en"),
                "uri": item.get("uri"),
                "member_of": [m for m in (item.get("memberOf") or []) if isinstance(m, int)],
            }
        )
    memberships = []
    configured = set(areas.municipalities)
    for row in rows:
        county = province = area = None
        for parent_id in row["member_of"]:
            parent = by_id.get(parent_id)
            if not parent or parent[1] is None:
                continue
            memberships.append(
                {
                    "region_category": row["region_category"],
                    "region_code": row["region_code"],
                    "parent_category": parent[0],
                    "parent_code": parent[1],
                }
            )
            if parent[0] == "HYVINVOINTIALUE":
                county = parent[1]
            elif parent[0] == "MAAKUNTA":
                province = parent[1]
        if row["region_category"] == "KUNTA" and row["region_code"] in configured:
            county, province = areas.county_code, areas.province_code
            found = areas.area_of(row["region_code"])
            area = found.area_id if found else None
        row.update(county_code=county, province_code=province, coordination_area=area)
    frame = pd.DataFrame(rows, columns=[*REGION_COLUMNS, "member_of"]).drop(columns=["member_of"])
    frame["sotkanet_id"] = frame["sotkanet_id"].astype("Int64")
    member_frame = pd.DataFrame(
        memberships, columns=["region_category", "region_code", "parent_category", "parent_code"]
    ).dropna()
    return frame, member_frame.drop_duplicates()


_PERCENT = re.compile(r"%|prosent|percent|procent", re.IGNORECASE)
_RATE = re.compile(r"PER\d+|/ ?1 ?000|/ ?100 ?000|tuhatta|1 000 ", re.IGNORECASE)
_COUNT = re.compile(r"\blkm\b|lukumäärä|^LKM$|COUNT|^NUMBER$", re.IGNORECASE)


def value_kind(meta: dict) -> str:
    """percentage | rate | count | other, from the unit code, the unit title and the indicator title.

    It drives the range checks (0–100 for percentages, no negatives for counts and rates). Sotkanet
    documents only ``PER1000``, so the titles are read too; an unknown kind gets no range check rather
    than a wrong one.
    """
    pvt = meta.get("primaryValueType") or {}
    code = str(pvt.get("code") or "")
    unit_title = " ".join(str(v) for v in (pvt.get("title") or {}).values() if v)
    title_fi = str((meta.get("title") or {}).get("fi") or "")
    if _PERCENT.search(code) or _PERCENT.search(unit_title):
        return "percentage"
    if _RATE.search(code) or re.search(r"tuhatta|per 1 ?000|per tusen", unit_title, re.IGNORECASE):
        return "rate"
    if _COUNT.search(code) or _COUNT.search(unit_title):
        return "count"
    if re.search(r",\s*%|%\s|%$", title_fi):
        return "percentage"
    if re.search(r"‰|/\s*1\s*000|/\s*100\s*000", title_fi):  # per mille is a rate per 1 000
        return "rate"
    if re.search(r"\(lkm\)|lukumäärä|^väestö\b|syntyneet|asiakkaat vuoden aikana", title_fi, re.IGNORECASE):
        return "count"
    return "other"


def _date(value: Any) -> str | None:
    text = str(value or "").strip()
    return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def indicator_row(source: str, indicator_id: int, meta: dict) -> dict:
    """One ``indicator`` row from ``/indicators/{id}``: titles, unit, producer, texts as plain text."""
    title = meta.get("title") or {}
    pvt = meta.get("primaryValueType") or {}
    org = meta.get("organization") or {}
    org_title = org.get("title") or {}
    rng = meta.get("range") or {}
    sex = ((meta.get("classifications") or {}).get("sex") or {}).get("values") or []
    org_id = _int_or_none(org.get("id"))
    producer_fi = (_text(org_title, "fi") or "").strip() or None
    row: dict[str, Any] = {
        "source": source,
        "indicator_id": str(int(indicator_id)),  # ids are text in the warehouse: Sotkanet's digits
        "title_fi": html_to_text(_text(title, "fi")),
        "title_sv": html_to_text(_text(title, "sv")),
        "title_en": html_to_text(_text(title, "en")),
        "unit": pvt.get("code"),
        "unit_fi": _text(pvt.get("title"), "fi"),
        "unit_sv": _text(pvt.get("title"), "sv"),
        "unit_en": _text(pvt.get("title"), "en"),
        "value_kind": value_kind(meta),
        "decimals": _int_or_none(meta.get("decimals")),
        "producer_id": org_id,
        "producer_fi": producer_fi,
        "producer_sv": (_text(org_title, "sv") or "").strip() or None,
        "producer_en": (_text(org_title, "en") or "").strip() or None,
        "data_updated": _date(meta.get("data-updated")),
        "range_start": _int_or_none(rng.get("start")),
        "range_end": _int_or_none(rng.get("end")),
        "genders": ",".join(str(s) for s in sex if s in ("total", "male", "female")) or None,
        # each producer's own licence (plugins/sotkanet/producers.toml); None: the producer's own terms
        "licence": producers.licence_for(org_id, producer_fi),
    }
    for field in ("description", "interpretation", "limits", "notices"):
        for lang in ("fi", "sv", "en"):
            row[f"{field}_{lang}"] = html_to_text(_text(meta.get(field), lang))
    return row
