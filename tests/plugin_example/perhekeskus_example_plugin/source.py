"""The ``example_visits`` source: family-centre visits from a small JSON API.

It follows ``perhekeskus.Source``: ``extract`` fetches the answer into the run's raw folder and
``normalise`` turns it into the canonical frame. Everything after that — the audit with the suite in
``expectations/`` beside this module, quarantine, load and the atomic publish — is the pipeline's. The
API's address is the plugin's setting ``url`` (``PERHEKESKUS_EXAMPLE_VISITS_URL``).
"""

from __future__ import annotations

import json
from typing import ClassVar

import pandas as pd

from perhekeskus import Batch, Extracted, PoliteSession, RunContext
from perhekeskus_example_plugin import INDICATOR_ID, SOURCE_NAME

USER_AGENT = "perhekeskus-example-plugin/0.4 (family-centre dashboard example)"


class VisitsSource:
    name = SOURCE_NAME
    title = "Example: family-centre visits"
    datasets = ("indicator_value",)
    suites: ClassVar[dict[str, str]] = {"indicator_value": f"{SOURCE_NAME}.indicator_value"}
    schedule = "0 4 * * 1"
    attribution: ClassVar[dict[str, str]] = {
        "fi": "Lähde: esimerkkikunnat, perhekeskusten käynnit",
        "sv": "Källa: exempelkommunerna, besök på familjecentraler",
        "en": "Source: example municipalities, family-centre visits",
    }
    licence = "CC BY 4.0"

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def extract(self, ctx: RunContext) -> Extracted:
        if not self.url:
            raise ValueError("PERHEKESKUS_EXAMPLE_VISITS_URL is not set: the address of the visits API")
        ctx.progress("visits", 0, 1)
        session = PoliteSession(
            user_agent=USER_AGENT,
            timeout=ctx.settings.http_timeout,
            retries=ctx.settings.http_retries,
            backoff=ctx.settings.http_backoff,
        )
        ctx.raw_dir.mkdir(parents=True, exist_ok=True)
        landed = ctx.raw_dir / "visits.json"
        session.get(f"{self.url}/visits", dest=landed)
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
                "abs_value": visits.astype("float64"),
                # kept for the quarantine record: what the API said
                "raw_municipality": raw["municipality"].astype("string"),
            }
        )
        if ctx.years:
            values = values[values["year"].between(*ctx.years) | values["year"].isna()]
        replace = (
            values.dropna(subset=["year"])[["indicator_id", "year"]]
            .drop_duplicates()
            .astype({"indicator_id": "str", "year": "int64"})
        )
        return Batch(
            values=values.reset_index(drop=True),
            replace=replace.reset_index(drop=True),
            rows_fetched=len(raw),
            record_columns={"municipality": "raw_municipality", "year": "year", "visits": "abs_value"},
        )
