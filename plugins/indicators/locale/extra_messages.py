"""Message ids the indicator panels pass to ``_`` as variables, listed so that extraction finds them.

``_(FIFTHS[int(place)])`` in ``key_figures.py``: a municipality's place among the province's
municipalities. Read by the extractor only, never imported (``locale`` is not a package).
"""

from __future__ import annotations


def _(message: str) -> str:
    """Marks a message id for extraction; returns it unchanged."""
    return message


# A municipality's place among the province's municipalities, key_figures.py: FIFTHS.
FIFTHS = (_("top fifth"), _("second fifth"), _("middle fifth"), _("fourth fifth"), _("bottom fifth"))
