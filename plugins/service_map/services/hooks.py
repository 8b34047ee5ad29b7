"""What the services part adds to the product: the ``service_map`` source, the ``/palvelukartta`` page
and its navigation entry, the editors' blueprint, the ``perhekeskus services`` command, audit events
and settings. Heavy modules (Flask, Dash, pandas) are imported inside the functions, so the ETL worker
loads the plugin without the web app."""

from __future__ import annotations

import sys
from pathlib import Path

from perhekeskus import AuditEvent, Command, NavEntry, Page, Setting

PATH = "/palvelukartta"
ORDER = 55  # beside governance


def audit_events() -> list[AuditEvent]:
    return [
        AuditEvent(
            "service_edit", "A service of the service map was added, changed, deactivated or reactivated."
        ),
        AuditEvent("service_import", "Services were imported into the service map from a file."),
        AuditEvent("service_import_failed", "A service-map import was refused (nothing was saved)."),
    ]


def settings() -> list[Setting]:
    return [
        Setting(
            "expected_pairs",
            default="",
            help="a TOML file of the client groups each family-centre task is expected to serve (gaps); "
            "empty: the packaged default (plugins/service_map/services/expected_pairs.toml)",
        ),
        Setting(
            "task_indicators",
            default="",
            help="a TOML file of the indicators related to each family-centre task, shown beside the matrix; "
            "empty: the packaged default (plugins/service_map/services/task_indicators.toml)",
        ),
        Setting(
            "ptv_url",
            default="https://api.palvelutietovaranto.suomi.fi/api/v11",
            help="base address of the Suomi.fi service catalogue's open API (perhekeskus services ptv)",
        ),
        Setting(
            "publish_on_change",
            default="1",
            help="publish the map to the warehouse after each edit or import in the app (0: only nightly)",
            choices=("1", "0"),
        ),
    ]


def sources(services) -> list:
    from perhekeskus.plugins.service_map.services.source import ServiceMapSource

    return [ServiceMapSource()]


def dash_pages(services) -> list[Page]:
    from perhekeskus.plugins.service_map.services import page
    from perhekeskus.ui import LANGS, translator

    titles = {lang: translator(lang)("Service map") for lang in LANGS}
    return [Page(PATH, titles, page.layout, in_navigation=False)]


def navigation(lang: str) -> list[NavEntry]:
    from perhekeskus.ui import translator

    return [NavEntry(PATH, translator(lang)("Service map"), ORDER)]


def blueprints(services) -> list:
    from perhekeskus.plugins.service_map.services import routes

    return [routes.blueprint]


# --- the command line ----------------------------------------------------------------------------------------


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="services_command", required=True)
    template = sub.add_parser("template", help="write the import template (OUT.xlsx or OUT.csv)")
    template.add_argument("out", help="the file to write; .xlsx (with an instructions sheet) or .csv")
    template.add_argument("--lang", choices=("fi", "sv", "en"), default="fi", help="header language")
    imported = sub.add_parser("import", help="import services from a CSV or XLSX file (all rows or none)")
    imported.add_argument("file")
    imported.add_argument("--no-publish", action="store_true", help="do not publish to the warehouse")
    demo = sub.add_parser("demo", help="make an invented, clearly labelled service map across the province")
    demo.add_argument("--remove", action="store_true", help="remove the demo services instead")
    demo.add_argument("--no-publish", action="store_true", help="do not publish to the warehouse")
    sub.add_parser("publish", help="publish the active services to the warehouse")
    ptv = sub.add_parser(
        "ptv", help="read the national service catalogue (Palvelutietovaranto) into proposals for review"
    )
    ptv.add_argument(
        "--municipality", action="append", required=True, help="a municipality code (repeatable)"
    )
    for each in (template, imported):
        each.add_argument("--messages", choices=("fi", "sv", "en"), default="en", help="language of messages")


def _publish(services, quiet: bool = False) -> int:
    from perhekeskus.plugins.service_map.services.source import publish

    summary = publish(services.settings)
    if summary.status != "success":
        print(f"publishing the service map failed: {summary.message}", file=sys.stderr)
        return 1
    if not quiet:
        print(
            f"published the service map to the warehouse ({summary.rows_loaded} rows, {summary.seconds:.1f} s)"
        )
    return 0


def run(args, services) -> int:
    from perhekeskus.plugins.service_map.services import demo, importer, labels, template
    from perhekeskus.ui import translator

    command = args.services_command
    if command == "template":
        out = Path(args.out)
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            print("the template file must end in .xlsx or .csv", file=sys.stderr)
            return 2
        out.write_bytes(template.template_bytes(fmt, services.areas, args.lang))
        print(f"wrote {out}")
        return 0
    if command == "import":
        path = Path(args.file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        result = importer.import_services(services.settings, services.areas, None, data, path.name)
        _ = translator(args.messages)
        if not result.ok:
            print(f"nothing was imported: {len(result.errors)} problems in {path.name}", file=sys.stderr)
            for error in result.errors:
                print(labels.describe(_, error), file=sys.stderr)
            for notice in result.notices:  # how the rest was read: what to check once fixed
                print(labels.describe(_, notice), file=sys.stderr)
            return 1
        print(f"imported {result.rows} rows: {result.added} added, {result.updated} updated")
        for notice in result.notices:
            print(labels.describe(_, notice))
        return 0 if args.no_publish else _publish(services)
    if command == "demo":
        if args.remove:
            removed = demo.remove_demo(services.settings)
            print(f"removed {removed} demo services")
        else:
            made = demo.load_demo(services.settings, services.areas)
            print(f"made {made} invented demo services (labelled as demo everywhere)")
        return 0 if args.no_publish else _publish(services)
    if command == "ptv":
        return _ptv(args, services)
    return _publish(services)


def _ptv(args, services) -> int:
    from perhekeskus import SourceError
    from perhekeskus.plugins.service_map.services import ptv

    known = set(services.areas.municipalities)
    unknown = [m for m in args.municipality if m not in known]
    if unknown:
        print(f"not a municipality of the province: {', '.join(unknown)}", file=sys.stderr)
        return 2
    url = services.plugin_settings("service_map").get("ptv_url") or ptv.DEFAULT_URL
    session = ptv.session_for(services.settings)
    total = 0
    for municipality in args.municipality:
        try:
            found = ptv.fetch(url, municipality, session)
        except SourceError as exc:
            print(f"the service catalogue could not be read for {municipality}: {exc}", file=sys.stderr)
            return 1
        total += ptv.store(services.settings, found)
    print(
        f"{total} services of the catalogue are waiting for review at /palvelukartta/ehdotukset (none is on the map yet)"
    )
    return 0


def commands() -> list[Command]:
    return [Command("services", "the service map: template, import, demo, publish", run, add_arguments)]
