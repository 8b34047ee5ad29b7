"""What the family-team part adds to the product: its pages (one blueprint), their navigation entry for
coordinators and workers, and the ``capacity-retention`` job. Flask is imported inside the functions, so
the ETL worker loads this module cheaply."""

from __future__ import annotations

from perhekeskus import Job, NavEntry

FAMILIES_PATH = "/osaaminen/perheet"
MINE_PATH = "/osaaminen/omat"
LABELS = {"fi": "Perheiden tiimit", "sv": "Familjernas team", "en": "Family teams"}


def blueprints(services) -> list:
    from perhekeskus.plugins.capacity.families.routes import make_blueprint

    return [make_blueprint()]


def navigation(user, lang, services) -> list:
    """Coordinators go to their families, workers to their own teams; nobody else sees the entry."""
    if user is None or getattr(user, "disabled", False):
        return []
    roles = {getattr(r, "role", None) for r in getattr(user, "roles", [])}
    if "coordinator" in roles:
        return [NavEntry(FAMILIES_PATH, LABELS.get(lang, LABELS["fi"]), order=86)]
    if "worker" in roles:
        return [NavEntry(MINE_PATH, LABELS.get(lang, LABELS["fi"]), order=86)]
    return []


def jobs(services) -> list:
    from perhekeskus.plugins.capacity.families import retention

    cron = services.plugin_settings("capacity").get("retention_cron") or "15 2 * * *"
    return [
        Job(
            "capacity-retention",
            "Delete family teams and meetings past the retention time (capacity retention_days).",
            retention.run,
            cron=cron,
        )
    ]
