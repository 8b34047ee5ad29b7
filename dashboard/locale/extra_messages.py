"""Message ids that the dashboard passes to ``_`` as variables, listed here so extraction finds them.

``pybabel extract`` only sees string literals written inside ``_( )``. A few
ids reach the translator at run time instead: table headers looped over in ``dashboard/pages.py``
(``_(h)``), run statuses from the warehouse (``_(str(r.status))``), check severities
(``_(c.severity)``); the indicator panels list theirs in ``plugins/indicators/locale/extra_messages.py``.
Two more are invisible to the extractor for other reasons: ``Translator`` in ``dashboard/i18n.py``
calls itself (``self("no date")``), and on Python 3.11 the tokenizer gives an f-string as one token,
so ``_('Family centre knowledge')`` inside the f-string of the page title in ``dashboard/app.py`` is not
seen (the same id is also a plain literal in ``dashboard/shell.py``; it is listed so that it stays
extracted if that one goes).
Each is written out below as a literal call so that it gets into ``messages.pot`` and the catalogs.

This file is read by the extractor, never imported by the app (``dashboard/locale`` is not a
package). When code starts passing a new id as a variable, add the ids it may get here, add the call
to ``KNOWN_DYNAMIC`` in ``tests/test_i18n_catalogs.py`` (which fails on any unlisted ``_(variable)``),
and re-extract (see babel.cfg).
"""

from __future__ import annotations


def _(message: str) -> str:
    """Marks a message id for extraction; returns it unchanged."""
    return message


# Table headers, dashboard/pages.py: runs, quality checks, quarantined rows and plugins.
RUN_HEADERS = (
    _("Run"),
    _("Source"),
    _("Started"),
    _("Status"),
    _("Fetched"),
    _("Loaded"),
    _("Quarantined"),
    _("Demo"),
    _("Message"),
)
CHECK_HEADERS = (
    _("Dataset"),
    _("Check"),
    _("Column"),
    _("Severity"),
    _("Result"),
    _("Blocked publish"),
    _("Observed"),
    _("Expected"),
    _("Failing keys"),
)
QUARANTINE_HEADERS = (_("Dataset"), _("Reason"), _("Row"))
PLUGIN_HEADERS = (_("Plugin"), _("Version"), _("Hooks"), _("State"), _("Error"))

# Run statuses (etl_run.status), dashboard/pages.py: _(str(r.status)).
RUN_STATUSES = (_("success"), _("failed"), _("blocked"))

# Check severities (check_result.severity), dashboard/pages.py: _(c.severity).
SEVERITIES = (_("critical"), _("warning"), _("info"))

# Translator's own messages, dashboard/i18n.py: self("no data"), self("no date").
TRANSLATOR = (_("no data"), _("no date"))

# Inside an f-string, dashboard/app.py (the page title): f"{title} – {_('Family centre knowledge')}".
IN_FSTRINGS = (_("Family centre knowledge"),)
