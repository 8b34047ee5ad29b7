"""Downloads: what a panel shows, as CSV or XLSX, with the source and retrieval date in the file.

Plain links (``/vienti/<panel>.csv?path=/kunta/837&indicator=1086``) rather than a callback: they work
with the keyboard and without JavaScript, and the scope is rebuilt on the server from the path and
query exactly as for the page, never taken from the browser as-is.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime

import flask
import pandas as pd

from dashboard.access.web import current_user
from dashboard.i18n import COOKIE, DEFAULT_LANG, Translator, normalise_lang
from dashboard.scope import parse_query, scope_for_path
from plugins import registry
from plugins.panels import PanelContext

log = logging.getLogger(__name__)
ATTRIBUTION = "THL, Sotkanet (https://sotkanet.fi); CC BY 4.0 for THL's own data"


def _retrieved(reader) -> str | None:
    rows = reader.rows("SELECT max(finished_at) FROM etl_run WHERE status = 'success'")
    value = rows[0][0] if rows else None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else None


def register_exports(server: flask.Flask, services) -> None:
    @server.route("/vienti/<panel_id>.<fmt>")
    def _export(panel_id: str, fmt: str):
        if fmt not in ("csv", "xlsx") or not re.fullmatch(r"[a-z0-9-]+", panel_id):
            flask.abort(404)
        panel = next((p for p in registry.panels() if p.id == panel_id and p.export is not None), None)
        if panel is None:
            flask.abort(404)
        query = {k: v for k, v in flask.request.args.items()}
        lang = (
            normalise_lang(query.get("lang"))
            or normalise_lang(flask.request.cookies.get(COOKIE))
            or DEFAULT_LANG
        )
        path = query.get("path") or "/maakunta"
        user = current_user(services.access) if services.access is not None else None
        scope = scope_for_path(
            path, parse_query(flask.request.query_string.decode()), lang, services.areas, user=user
        )
        if scope is None or scope.level not in panel.levels:
            flask.abort(404)
        _ = Translator(lang)
        ctx = PanelContext(scope, services.reader, _, services.areas, {"settings": services.settings})
        try:
            frame: pd.DataFrame = panel.export(ctx)
        except Exception:
            log.exception("export of panel %s failed", panel_id)
            return flask.Response(
                _("The export failed; the error has been logged."), status=500, mimetype="text/plain"
            )
        frame = frame.copy()
        retrieved = _retrieved(services.reader)
        frame[_("Source")] = ATTRIBUTION
        frame[_("Retrieved from source")] = retrieved
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        name = f"{panel_id}-{scope.municipality or scope.area_id or 'maakunta'}-{stamp}"
        if fmt == "csv":
            body = frame.to_csv(
                index=False,
                sep=";" if lang in ("fi", "sv") else ",",
                decimal="," if lang in ("fi", "sv") else ".",
            )
            return flask.Response(
                "\ufeff" + body,
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=_("Data")[:31])
            pd.DataFrame(
                {
                    _("Field"): [_("Source"), _("Retrieved from source"), _("Exported"), _("View")],
                    _("Value"): [
                        ATTRIBUTION,
                        retrieved,
                        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                        path + "?" + flask.request.query_string.decode(),
                    ],
                }
            ).to_excel(writer, index=False, sheet_name=_("About")[:31])
        return flask.Response(
            buffer.getvalue(),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
