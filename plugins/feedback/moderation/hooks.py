"""What the moderation part adds to the product: the warehouse source ``feedback``, the queue's pages,
their navigation entry, the audit event and the part's settings (see ``perhekeskus.plugins.parts``).
Flask and simplemma are imported inside the functions, so the ETL worker loads this module cheaply."""

from __future__ import annotations

from perhekeskus import AuditEvent, NavEntry, Setting

PATH = "/palaute/moderointi"
LABELS = {"fi": "Palautteen moderointi", "sv": "Moderering av respons", "en": "Feedback moderation"}


def sources(services) -> list:
    from perhekeskus.plugins.feedback.moderation.source import FeedbackSource

    return [FeedbackSource()]


def blueprints(services) -> list:
    from perhekeskus.plugins.feedback.moderation.routes import make_blueprint

    return [make_blueprint()]


def navigation(user, lang, services) -> list:
    """The queue, for users who may moderate somewhere (an administrator, a moderator)."""
    from perhekeskus.plugins.feedback.access import MODERATE

    if user is None or not services.policy.allows(user, MODERATE, None):
        return []
    return [NavEntry(PATH, LABELS.get(lang, LABELS["fi"]), order=75)]


def audit_events() -> list:
    return [
        AuditEvent(
            "feedback_moderated",
            "A family's feedback answer was approved, hidden, marked publishable or had its themes set "
            "(answer id and action; never the text).",
        )
    ]


def settings() -> list:
    return [
        Setting(
            "themes_file",
            default="",
            help="the theme dictionary of families' feedback (TOML); empty: the documented default themes.toml",
        ),
        Setting(
            "publish_after_moderation",
            default="true",
            help="run the feedback source in the background after a moderation action, so views update soon",
            choices=("true", "false"),
        ),
    ]
