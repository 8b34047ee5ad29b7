"""What the form part adds to the product: its blueprint and its settings (heavy modules imported in the
functions, so the ETL worker loads the plugin without Flask)."""

from __future__ import annotations

from perhekeskus import Setting


def blueprints(services) -> list:
    from perhekeskus.plugins.feedback.form.routes import make_blueprint

    return [make_blueprint(services)]


def settings() -> list:
    from perhekeskus.plugins.feedback.form.limits import DEFAULT_RATE, DEFAULT_STORAGE

    return [
        Setting(
            "form_rate_limit",
            default=DEFAULT_RATE,
            help="answers one client (a salted hash of its address) may send, in Flask-Limiter's notation; "
            "'off' turns the limit off",
        ),
        Setting(
            "form_rate_limit_storage",
            default=DEFAULT_STORAGE,
            help="where the rate limit's counters live: memory:// is per worker process; "
            "redis://host:6379 shares them between workers",
        ),
        Setting(
            "public_base_url",
            default="",
            help="the address families reach the service at (https://…), for QR codes and posters; "
            "empty: the request's own",
        ),
    ]
