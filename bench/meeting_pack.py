"""Benchmark: how long the meeting pack (PDF) takes per level, on the bundled demo warehouse.

Loads the bundled Sotkanet demo snapshot through the real pipeline into a temporary folder, then makes the
province's, an area's and a municipality's pack several times: the HTML (the same functions as the
panels) and the PDF (WeasyPrint), timed apart. Prints p50 / max per level and the page count, and checks
what it made: the PDF's text names the region and carries the demo mark on every page.

    .venv/bin/python bench/meeting_pack.py [--runs 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pypdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support import load_bundled_snapshot

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.panels import PanelContext, Scope
from perhekeskus.plugins.indicators import meeting_pack
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    areas = load_areas()
    with tempfile.TemporaryDirectory(prefix="perhekeskus-bench-pack-") as work:
        settings, summary = load_bundled_snapshot(Path(work) / "home", demo=True)
        print(f"warehouse: {summary.line()}")
        reader = Reader(settings)
        area = areas.area_of("837")
        levels = {
            "province": (Scope("province", "fi", municipalities=tuple(areas.municipalities)), areas.name_fi),
            f"area {area.area_id}": (
                Scope("region", "fi", area_id=area.area_id, municipalities=tuple(area.municipalities)),
                area.name_fi,
            ),
            "municipality 837": (
                Scope("local", "fi", area_id=area.area_id, municipality="837", municipalities=("837",)),
                "Tampere",
            ),
        }
        ok = True
        for name, (scope, region) in levels.items():
            ctx = PanelContext(scope, reader, Translator("fi"), areas)
            html_times, pdf_times = [], []
            for _ in range(args.runs):
                started = time.perf_counter()
                html, _demo = meeting_pack.build_html(ctx)
                made = time.perf_counter()
                pdf = meeting_pack.render_pdf(html)
                html_times.append(made - started)
                pdf_times.append(time.perf_counter() - made)
            pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
            right = region in pages[0] and all("ESITTELY" in page for page in pages)
            ok &= right
            total = [h + p for h, p in zip(html_times, pdf_times, strict=True)]
            print(
                f"  {name:<22} total p50 {statistics.median(total):5.2f} s  max {max(total):5.2f} s"
                f"  (HTML p50 {statistics.median(html_times):4.2f} s, PDF p50 {statistics.median(pdf_times):4.2f} s)"
                f"  {len(pages)} pages, {len(pdf) // 1024} kB  {'text OK' if right else 'TEXT WRONG'}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
