"""QR codes of a municipality's feedback link, for the posters in waiting rooms.

The code holds the absolute link ``<base>/palaute?kunta=<code>``: ``<base>`` is the setting
``public_base_url`` (``PERHEKESKUS_FEEDBACK_PUBLIC_BASE_URL``, e.g. ``https://perhekeskus.example.fi``)
when set, because behind a proxy or on a printed poster the address people can reach is not always the
one this request came to; otherwise the request's own scheme and host. segno is pure Python (no image
library needed) and writes both SVG (sharp at any print size) and PNG.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

PATH = "/palaute"


def form_link(base_url: str, municipality: str | None) -> str:
    """The absolute link to the form with ``municipality`` preselected (none: the plain form)."""
    query = "?" + urlencode({"kunta": municipality}) if municipality else ""
    return base_url.rstrip("/") + PATH + query


def _code(link: str):
    import segno

    return segno.make(link, error="m", micro=False)


def svg(link: str, title: str) -> bytes:
    """The QR code of ``link`` as an SVG document with a ``<title>`` (its text alternative)."""
    out = io.BytesIO()
    _code(link).save(out, kind="svg", scale=8, border=4, title=title, xmldecl=True)
    return out.getvalue()


def png(link: str) -> bytes:
    """The QR code of ``link`` as a PNG image (8 pixels per module, a quiet zone of 4)."""
    out = io.BytesIO()
    _code(link).save(out, kind="png", scale=8, border=4)
    return out.getvalue()
