"""The ``example_visits`` source: family-centre visits from a small JSON API.

It follows ``perhekeskus.source.Source``: ``extract`` fetches the answer into the run's raw folder and
``normalise`` turns it into the canonical frame. Everything after that — the audit with the suite in
``suites/``, quarantine, load and the atomic publish — is the pipeline's.
"""

from __future__ import annotations

import json
import os
from typing import ClassVar

import pandas as pd
import requests

from perhekeskus.source import Batch, Extracted, RunContext
from perhekeskus_example_plugin import INDICATOR_ID, SOURCE_NAME

URL_VARIABLE = "EXAMPLE_SOURCE_URL"
USER_AGENT = "perhekeskus-example-plugin/0.3 (family-centre dashboard example)"


class VisitsSource:
    name = SOURCE_NAME
    title = "Example: family-centre visits"
    datasets = ("indicator_value",)
    suites: ClassVar[dict[str, str]] = {"indicator_value": f"{SOURCE_NAME}.indicator_value"}
    schedule = "0 4 * * 1"

    def extract(self, ctx: RunContext) -> Extracted:
        base = os.environ.get(URL_VARIABLE, "").rstrip("/")
        if not base:
            raise ValueError(f"{URL_VARIABLE} is not set: the address of the visits API")
        ctx.progress("visits", 0, 1)
        response = requests.get(
            f"{base}/visits",
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            timeout=ctx.settings.http_timeout,
        )
        response.raise_for_status()
        ctx.raw_dir.mkdir(parents=True, exist_ok=True)
        landed = ctx.raw_dir / "visits.json"
        landed.write_bytes(response.content)
        ctx.progress("visits", 1, 1)
        return Extracted(payload=landed, items_requested=1, items_fetched=1)

    def normalise(self, ctx: RunContext, extracted: Extracted) -> Batch:
        answer = json.loads(extracted.payload.read_text(encoding="utf-8"))
        raw = pd.DataFrame(answer.get("rows") or [], columns=["municipality", "year", "visits", "families"])
        year = pd.to_numeric(raw["year"], errors="coerce").astype("Int64")
        visits = pd.to_numeric(raw["visits"], errors="coerce")
        families = pd.to_numeric(raw["families"], errors="coerce")
        code = raw["municipality"].astype("string").str.strip()
        values = pd.DataFrame(
            {
                "source": self.name,
                "indicator_id": INDICATOR_ID,
                "region_code": code.where(code.str.fullmatch(r"\d{3}").fillna(False)),
                "region_category": "KUNTA",
                "year": year,
                "gender": "total",
                "value": (100 * visits / families.where(families > 0)).round(1),
                "abs_value": visits,
                # kept for the quarantine record: what the API said
                "raw_municipality": raw["municipality"].astype("string"),
            }
        )
        if ctx.years:
            values = values[values["year"].between(*ctx.years) | values["year"].isna()]
        replace = (
            values.dropna(subset=["year"])[["indicator_id", "year"]]
            .drop_duplicates()
            .astype({"indicator_id": "int64", "year": "int64"})
        )
        return Batch(
            values=values.reset_index(drop=True),
            replace=replace.reset_index(drop=True),
            rows_fetched=len(raw),
            record_columns={
                "municipality": "raw_municipality",
                "year": "year",
                "visits": "abs_value",
            },
        )
