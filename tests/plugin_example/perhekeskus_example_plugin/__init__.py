"""Example perhekeskus plugin: family-centre visits, written only against ``perhekeskus``.

It uses every hook: a source (with its suite inside the package), a panel, a Dash page, a
server-rendered page (a blueprint with a template), navigation, its own table (operational migrations),
a command, a permission, an audit event, translations, settings and ``after_publish``.
"""

from __future__ import annotations

from pathlib import Path

__version__ = "0.4.0"

PLUGIN = SOURCE_NAME = "example_visits"  # entry-point name, source name and settings prefix
PANEL_ID = "example-visits"  # every component id of the panel and the page starts with it
INDICATOR_ID = "visits_per_100_families"  # the source's own indicator id (text); ids are per source
PAGE_PATH = "/example-visits"  # the Dash page
NOTES_PATH = "/example-visits/notes"  # the server-rendered page (works without JavaScript)
PERMISSION = "example_visits.write_notes"
AUDIT_EVENT = "example_visits.note_added"
HERE = Path(__file__).parent
