"""Downloads: what a panel shows, as CSV or XLSX, with the source, the producer's licence, the retrieval
date and – for demo values – a demo mark in the file itself.

Plain links (``/vienti/<panel>.csv?path=/kunta/837&indicator=1086``) rather than a callback: they work
with the keyboard and without JavaScript, and the scope is rebuilt on the server from the path and
query exactly as for the page, never taken from the browser as-is.

A panel's ``export(ctx)`` returns the frame as people read it: headers in the page's language, values
rounded to the indicator's decimals, words instead of codes. It may tell what it holds in
``frame.attrs``: ``indicators`` (the indicators' (source, id) keys, for the citation lines) and ``demo`` (whether any value
is a demo value). A panel that does not say is treated as showing demo values whenever the warehouse
holds any, as the page banner does. Every download is written to the audit log.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import flask
import pandas as pd

from perhekeskus import registry
from perhekeskus.dashboard import attribution, queries, tabular
from perhekeskus.dashboard.access import audit
from perhekeskus.dashboard.access.web import client_address, current_user
from perhekeskus.dashboard.i18n import COOKIE, DEFAULT_LANG, Translator, normalise_lang
from perhekeskus.dashboard.scope import parse_query, scope_for_path
from perhekeskus.panels import PanelContext

log = logging.getLogger(__name__)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _retrieved(reader) -> datetime | None:
    """When the published statistics were fetched from the source (the last successful run)."""
    rows = reader.rows("SELECT max(finished_at) FROM etl_run WHERE status = 'success'")
    value = rows[0][0] if rows else None
    return value.astimezone(UTC) if value else None


def _warehouse_is_demo(reader) -> bool:
    """Whether the warehouse publishes demo values: the same test as the page's demo banner."""
    rows = queries.freshness(reader)
    return bool(len(rows) and rows["is_demo"].fillna(False).any())


def _demo_column(_: Translator, frame: pd.DataFrame) -> pd.DataFrame:
    """A panel that gives no demo column gets one that marks every row (the whole file is demo)."""
    if _("Demo") in frame.columns:
        return frame
    return frame.assign(**{_("Demo"): _("yes")})


def header_lines(
    _: Translator, reader, indicators: list, demo: bool, retrieved: datetime | None
) -> list[tuple[str, str]]:
    """(label, text) of what a file starts with: the demo mark, each indicator's citation and producer
    with its licence as its source declares them (perhekeskus.dashboard.attribution), and when the data
    was retrieved."""
    lines = [(_("Demo"), _("Demo data: invented values. Do not use them for decisions."))] if demo else []
    metas = attribution.indicator_metas(reader, indicators)
    for key, meta in metas.items():
        if meta is not None:
            lines.append((_("Source"), attribution.citation(_, meta, key.id, retrieved)))
            producer = _(
                "Producer of indicator {id}: {producer}. Licence: {licence}.",
                id=key.id,
                producer=attribution.producer_name(_, meta),
                licence=attribution.licence(_, meta),
            )
            lines.append((_("Producer"), producer))
    when = retrieved.strftime("%Y-%m-%d %H:%M UTC") if retrieved else _("not given")
    lines.append((_("Retrieved from source"), _("Retrieved from source: {when}", when=when)))
    return lines


def _panel_frame(panel, ctx: PanelContext) -> tuple[pd.DataFrame, list, bool | None]:
    """(frame, indicators: (source, id) keys or bare ids, demo flag or None when the panel does not say)."""
    frame: pd.DataFrame = panel.export(ctx)
    attrs = dict(frame.attrs)
    return frame.copy(), list(attrs.get("indicators") or []), attrs.get("demo")


def register_exports(server: flask.Flask, services) -> None:
    @server.route("/vienti/<panel_id>.<fmt>")
    def _export(panel_id: str, fmt: str):
        if fmt not in ("csv", "xlsx") or not re.fullmatch(r"[a-z0-9-]+", panel_id):
            flask.abort(404)
        panel = next(
            (p for p in registry.panels(services) if p.id == panel_id and p.export is not None), None
        )
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
            frame, indicators, demo = _panel_frame(panel, ctx)
            if demo is None:
                demo = _warehouse_is_demo(services.reader)
                frame = _demo_column(_, frame) if demo else frame
            retrieved = _retrieved(services.reader)
            lines = header_lines(_, services.reader, indicators, demo, retrieved)
        except Exception:
            log.exception("export of panel %s failed", panel_id)
            return flask.Response(
                _("The export failed; the error has been logged."), status=500, mimetype="text/plain"
            )
        view = path + "?" + flask.request.query_string.decode()
        audit.record(
            services.settings,
            "export",
            actor=user.username if user is not None else None,
            target="statistics",
            details={"panel": panel_id, "format": fmt, "path": path, "view": view[:500], "rows": len(frame)},
            client=client_address(),
        )
        stamp = datetime.now(UTC)
        name = f"{panel_id}-{scope.municipality or scope.area_id or 'maakunta'}-{stamp:%Y%m%d}"
        if fmt == "csv":
            return flask.Response(
                tabular.to_csv(frame, lang, [text for _label, text in lines]),
                mimetype="text/csv",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        about = [{_("Field"): label, _("Value"): text} for label, text in lines]
        about += [
            {_("Field"): _("Exported"), _("Value"): stamp.strftime("%Y-%m-%d %H:%M UTC")},
            {_("Field"): _("View"), _("Value"): view},
        ]
        body = tabular.to_xlsx(frame, _("Data"), extra_sheets={_("About"): about})
        return flask.Response(
            body,
            mimetype=XLSX_MIMETYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
