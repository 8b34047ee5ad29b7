"""Statistics Finland's area codes → the warehouse's (region_category, region_code).

``SSS`` is the whole country (the warehouse keeps it as ``MAA``/``SSS``), ``KU###`` a municipality,
``MK##`` a region (maakunta), ``HVA##`` a wellbeing services county. Only a region that exists is
mapped: the warehouse's region list when it has one, else the bundled list of today's regions
(``data/regions.json``). A table's own area list is not proof that an area exists (tables keep merged
municipalities for years), so anything else stays unmapped and the suite quarantines it with its code.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from perhekeskus import Services, Settings

log = logging.getLogger(__name__)
BUNDLED = Path(__file__).parent / "data" / "regions.json"
PATTERNS = (
    (re.compile(r"^SSS$"), "MAA"),
    (re.compile(r"^KU(\d{3})$"), "KUNTA"),
    (re.compile(r"^MK(\d{2})$"), "MAAKUNTA"),
    (re.compile(r"^HVA(\d{2})$"), "HYVINVOINTIALUE"),
)
CATEGORIES = ("MAA", "KUNTA", "MAAKUNTA", "HYVINVOINTIALUE")


@dataclass(frozen=True)
class KnownRegions:
    """The regions values may be loaded for, and where the list came from."""

    keys: frozenset[tuple[str, str]]
    origin: str

    def map(self, code: str) -> tuple[str | None, str | None]:
        """(category, code) of a StatFin area code, or (None, None) when it is not a known region."""
        code = str(code).strip()
        for pattern, category in PATTERNS:
            match = pattern.match(code)
            if match:
                key = (category, "SSS" if category == "MAA" else match.group(1))
                return key if key in self.keys else (None, None)
        return None, None


def bundled_regions(path: Path = BUNDLED) -> KnownRegions:
    rows = json.loads(path.read_text(encoding="utf-8"))["regions"]
    return KnownRegions(frozenset((r["category"], r["code"]) for r in rows), "bundled")


def known_regions(settings: Settings) -> KnownRegions:
    """The published warehouse's regions when it holds municipalities, else the bundled list."""
    try:
        rows = Services.create(settings).reader.rows(
            "SELECT region_category, region_code FROM region "
            "WHERE region_category IN (SELECT unnest(?::VARCHAR[]))",
            [list(CATEGORIES)],
        )
    except Exception as exc:  # nothing published yet, or an older warehouse: the bundled list serves
        log.info("StatFin: no region list in the warehouse (%s); using the bundled one", type(exc).__name__)
        rows = []
    keys = {(str(c), str(k)) for c, k in rows}
    if not any(c == "KUNTA" for c, _ in keys):
        return bundled_regions()
    keys.add(("MAA", "SSS"))
    return KnownRegions(frozenset(keys), "warehouse")
