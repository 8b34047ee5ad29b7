"""StatFin's values on a municipality page (``/kunta/837``), credited to Statistics Finland.

The page is the platform's own (its built-in indicator panels read every source's indicator package);
this test renders it after a real ``etl run --source statfin`` into an empty warehouse.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from statfin_testing import serving

from perhekeskus import Settings, registry
from perhekeskus.dashboard.app import create_app, resolve_page
from perhekeskus.dashboard.i18n import Translator

CLI = Path(sys.executable).parent / "perhekeskus"


def texts(node) -> list[str]:
    """Every string in a Dash layout tree."""
    if node is None:
        return []
    if isinstance(node, str | int | float):
        return [str(node)]
    if isinstance(node, list | tuple):
        return [t for child in node for t in texts(child)]
    return texts(getattr(node, "children", None))


def test_statfin_values_on_the_municipality_page_with_their_own_attribution(tmp_path):
    with serving() as server:
        env = {**os.environ, "PERHEKESKUS_HOME": str(tmp_path), "PERHEKESKUS_STATFIN_URL": server.base_url}
        env.pop("PREFECT_API_URL", None)
        done = subprocess.run(
            [str(CLI), "etl", "run", "--source", "statfin", "--no-prefect"],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        population = server.state.tables["vaerak/11re"]
    tampere = sum(population.cells[("KU837", "2024", "SSS", f"{a:03d}", "vaerak-vaesto")] for a in range(7))
    registry.reset()
    services = create_app(Settings(home=tmp_path)).services
    for lang, credit, title in (
        ("fi", "Lähde: Tilastokeskus", "0–6-vuotiaat lapset"),
        ("sv", "Källa: Statistikcentralen", "Barn i åldern 0–6 år"),
    ):
        _title, body = resolve_page(Translator(lang), services, "/kunta/837", "", [])
        page = " ".join(texts(body)).replace("\xa0", " ").replace("\u202f", " ")
        assert title in page, lang
        assert f"{tampere:,}".replace(",", " ") in page, (lang, tampere)
        assert credit in str(body), lang
