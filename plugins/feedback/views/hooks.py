"""What the views part adds to the product: the "voice of families" panel on the province, area and
municipality pages (beside the key indicators), the public summary and export pages, a navigation link
to the public summary, and the audit event of an export. Flask and Dash are imported inside the hooks,
so the ETL worker loads this module without the web app."""

from __future__ import annotations

from typing import Any

from perhekeskus import LEVELS, AuditEvent, NavEntry, Panel

NAV_LABELS = {"fi": "Perheiden ääni", "sv": "Familjernas röst", "en": "The voice of families"}


def panels(services: Any) -> list[Panel]:
    """One panel on every leadership level, after the key figures (order 10) and before the charts."""
    from perhekeskus.plugins.feedback.views import panel

    return [
        Panel(
            panel.PANEL_ID,
            dict(panel.TITLES),
            LEVELS,
            lambda ctx: panel.layout(ctx, services),
            datasets=("feedback",),
            export=lambda ctx: panel.export(ctx, services),
            order=15,
            wide=True,
        )
    ]


def blueprints(services: Any) -> list:
    from perhekeskus.plugins.feedback.views import summary

    return [summary.blueprint(services)]


def navigation(user: Any, lang: str) -> list[NavEntry]:
    """The public summary, for everyone (it shows only what may be public)."""
    return [NavEntry("/palaute/yhteenveto", NAV_LABELS.get(lang, NAV_LABELS["fi"]), order=70)]


def audit_events() -> list[AuditEvent]:
    return [AuditEvent("feedback_exported", "Anonymised families' feedback was downloaded (CSV or XLSX).")]
