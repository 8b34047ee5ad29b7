"""The ``perhekeskus`` hook specifications (pluggy), modelled on Datasette's plugin hooks and Kedro's
lifecycle hooks.

Every hook receives what it needs **by name**: an implementation may take any subset of the arguments
(pluggy passes only those it names), so a hook can gain an argument without breaking plugins. Every hook
is documented here and in docs/plugins.md (its arguments, return type and an example); a test fails when
a hook is undocumented. Implement a hook in your package with ``@hookimpl`` (``from perhekeskus import
hookimpl``) and expose the module through the entry-point group ``perhekeskus``.

``services`` is a :class:`perhekeskus.services.Services`: the settings, the area configuration, a reader of
the published warehouse, the operational store, the access policy and the plugin's own settings.
"""

from __future__ import annotations

import pluggy

PROJECT = "perhekeskus"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class PerhekeskusSpec:
    """Hook specifications of the ``perhekeskus`` namespace."""

    # --- data -------------------------------------------------------------------------------------

    @hookspec
    def perhekeskus_sources(self, services) -> list:
        """Return the data sources this plugin provides, as objects following ``perhekeskus.Source``.

        A source declares its datasets, its canonical frame (columns and types, checked at normalise time),
        its expectation suites (JSON files in the ``expectations/`` folder beside the module that defines
        the source, or ``suite_dir``), its schedule, its attribution and licence, its indicator package
        (themes, polarity) and optionally a demo snapshot; it implements ``extract(ctx)`` and
        ``normalise(ctx, extracted)``. The pipeline creates ``ctx.raw_dir``, runs it as a Prefect flow and
        does the audit, quarantine, load and atomic publish. ``perhekeskus etl run --source NAME`` runs it once.
        """

    @hookspec
    def perhekeskus_after_publish(self, summary, services) -> None:
        """Called after a run of any source has published a new warehouse (a lifecycle hook, as Kedro's).

        ``summary`` is the run's ``RunSummary`` (source, run id, status, rows). Use it to warm caches or to
        notify; an exception is logged and never undoes the publish.
        """

    # --- the dashboard ----------------------------------------------------------------------------

    @hookspec
    def perhekeskus_panels(self, services) -> list:
        """Return dashboard panels, as ``perhekeskus.Panel`` objects.

        A panel has an id (its component ids must start with ``"<id>-"``), titles in fi/sv/en, the
        levels it appears on (``province``, ``region``, ``local``), the sources it needs (``datasets``),
        a ``layout(ctx)`` function that receives a ``PanelContext`` (the request's scope, a warehouse
        reader and a translator with the plugin's own catalogs) and returns Dash components, and optionally
        ``register_callbacks(app, services)`` to add Dash callbacks whose ids are namespaced by the panel
        id. A panel that raises is replaced by an error card; other panels keep working.
        """

    @hookspec
    def perhekeskus_dash_pages(self, services) -> list:
        """Return extra Dash pages, as ``perhekeskus.Page`` objects (path, fi/sv/en titles, layout).

        The page gets the same shell (navigation, language switch, freshness) as built-in pages and
        its ``layout(ctx)`` receives a ``PanelContext``. A path that a built-in page already uses is refused.
        Pages that must work without JavaScript are server-rendered: see ``perhekeskus_blueprints``.
        """

    @hookspec
    def perhekeskus_blueprints(self, services) -> list:
        """Return Flask blueprints of server-rendered pages (forms, imports, links that work without
        JavaScript).

        Templates extend ``perhekeskus/base.html`` (the product's shell: header, navigation, language
        choice, footer) and get ``_`` (the request's translator with the plugin's catalogs), ``lang``,
        ``user`` and ``csrf_field()``; the core refuses a POST from another origin, and a view checks the
        form's CSRF token with ``perhekeskus.ui.csrf_ok()`` (or a ``perhekeskus.ui.ProtectedForm``) before acting.
        """

    @hookspec
    def perhekeskus_navigation(self, user, lang, services) -> list:
        """Return navigation entries (``perhekeskus.NavEntry``: path, label, order) for this user and
        language; return none for a user who may not open the page."""

    # --- operations -------------------------------------------------------------------------------

    @hookspec
    def perhekeskus_operational_migrations(self) -> list:
        """Return ``perhekeskus.Migrations`` (an owner name and a folder of numbered ``NNNN_name.sql``
        files) for the operational store (SQLite). Versions are kept per owner, so two plugins never
        collide; a plugin adds its own tables this way."""

    @hookspec
    def perhekeskus_commands(self) -> list:
        """Return command-line commands, as ``perhekeskus.Command`` (name, help, ``add_arguments(parser)``,
        ``run(args, services) -> int``). ``perhekeskus NAME ...`` runs it."""

    @hookspec
    def perhekeskus_permissions(self) -> list:
        """Return permissions (``perhekeskus.Permission``: name such as ``network.view_names``, a
        description, the roles that hold it and whether it is limited to the user's scope). One policy
        (``services.policy.allows(user, permission, scope)``) checks them all, the built-ins' included."""

    @hookspec
    def perhekeskus_audit_events(self) -> list:
        """Return the audit event types (``perhekeskus.AuditEvent``: name, description) this plugin
        writes to the append-only audit log; writing an undeclared type is an error."""

    @hookspec
    def perhekeskus_translations(self) -> list:
        """Return folders of gettext catalogs (``<folder>/<lang>/LC_MESSAGES/messages.po``). ``ctx._`` and
        templates' ``_`` look in the plugin's catalogs after the product's own."""

    @hookspec
    def perhekeskus_jobs(self, services) -> list:
        """Return scheduled maintenance jobs (``perhekeskus.Job``: name, description, ``run(services) ->
        summary``, cron). The ETL worker serves each as a Prefect deployment of the ``plugin-job`` flow;
        ``perhekeskus jobs run NAME`` runs one now. For work that is not loading a source: e.g. enforcing a
        retention time on a plugin's operational tables."""

    @hookspec
    def perhekeskus_settings(self) -> list:
        """Return the plugin's settings (``perhekeskus.Setting``: name, default, help). Each is read from the
        environment as ``PERHEKESKUS_<PLUGIN>_<NAME>`` and reaches the plugin as
        ``services.plugin_settings("<plugin>")``; ``perhekeskus plugins list`` shows them."""
