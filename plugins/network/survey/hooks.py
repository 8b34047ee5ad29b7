"""What the network survey adds to the product: its pages (the coordinator's and the respondent's
blueprints), a navigation entry for those who may run surveys, and its audit event types."""

from __future__ import annotations

from perhekeskus import AuditEvent, NavEntry, Setting

AUDIT_EVENTS = (
    AuditEvent("network_round_opened", "A network survey round was opened for an area."),
    AuditEvent("network_round_closed", "A network survey round was closed (no more answers accepted)."),
    AuditEvent(
        "network_links_issued", "Personal survey links were issued (a re-issued link revokes the old one)."
    ),
)


def settings() -> list:
    return [
        Setting(
            "survey_publish",
            "background",
            "How a closed survey round reaches the warehouse: background (the network source's flow runs in a "
            "thread of the web app), now (the coordinator's page waits for it) or off (the next scheduled run).",
            ("background", "now", "off"),
        )
    ]


def blueprints(services) -> list:
    from perhekeskus.plugins.network.survey import coordinator, respondent

    return [coordinator.blueprint, respondent.blueprint]


def audit_events() -> list:
    return list(AUDIT_EVENTS)


def navigation(user, lang, services) -> list:
    """ "Network surveys" for a signed-in user who may run a survey somewhere."""
    if user is None:
        return []
    from perhekeskus.plugins.network.access import EDIT, may
    from perhekeskus.ui import translator

    areas = [None, *(a.area_id for a in services.areas.areas)]
    if not any(may(services, user, EDIT, area_id) for area_id in areas):
        return []
    return [NavEntry("/verkosto/kyselyt", translator(lang)("Network surveys"), 60)]
