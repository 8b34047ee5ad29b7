"""``perhekeskus network …``: import a network file, write the import template, load the demo network.

``import`` exits 0 after writing the round and publishing it to the warehouse (the ``network`` source's
pipeline); when any row is wrong it writes nothing, lists every problem on stderr and exits 1 (2 when
the import was saved but the publish failed: the map then updates at the next scheduled run).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from perhekeskus import Command

EXIT_PROBLEMS = 1
EXIT_PUBLISH_FAILED = 2


def _translator():
    from perhekeskus.ui import translator

    return translator("en")


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="network_command", required=True)
    imp = sub.add_parser(
        "import",
        help="import a network (XLSX with sheets elements + connections, or CSV) as one round",
    )
    imp.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="one XLSX file, or a CSV file with a 'sheet' column, or an elements CSV and a connections CSV",
    )
    imp.add_argument(
        "--round", dest="round_date", metavar="YYYY-MM-DD", help="the round's date (default today)"
    )
    imp.add_argument(
        "--area", dest="area_id", metavar="AREA_ID", help="coordination area (default: the whole province)"
    )
    imp.add_argument("--title", default="", help="the round's title")
    imp.add_argument("--no-publish", action="store_true", help="save only; the scheduled run publishes it")
    tpl = sub.add_parser("template", help="write the import template (OUT.xlsx or OUT.csv)")
    tpl.add_argument("out", metavar="OUT", help="a file name ending .xlsx or .csv")
    tpl.add_argument("--lang", choices=("fi", "sv", "en"), default="fi", help="language of the headers")
    demo = sub.add_parser("demo", help="generate and import a DEMO network (invented actors, marked as demo)")
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--size", type=int, default=150, help="invented actors (default 150)")
    demo.add_argument("--rounds", type=int, default=2, choices=(1, 2, 3), help="rounds half a year apart")
    demo.add_argument("--round", dest="round_date", metavar="YYYY-MM-DD", help="the newest round's date")
    demo.add_argument(
        "--registry-members",
        type=int,
        default=0,
        help="include up to N governance registry members as themselves (their ties are invented, so "
        "never on a real registry: the default is none)",
    )
    demo.add_argument("--no-publish", action="store_true")


def _publish(services: Any) -> int:
    from perhekeskus.plugins.network.store.source import publish_network

    print("publishing to the warehouse …", flush=True)
    summary = publish_network(services.settings)
    if summary.status != "success":
        print(
            f"the import was saved, but publishing failed ({summary.status}): {summary.message}",
            file=sys.stderr,
        )
        return EXIT_PUBLISH_FAILED
    print("published: the network map shows it now")
    return 0


def run_import(args, services) -> int:
    from perhekeskus.plugins.network.store.importer import import_network
    from perhekeskus.plugins.network.store.problems import as_line

    files = []
    for name in args.files:
        path = Path(name)
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(f"cannot read {name}: {exc.strerror}", file=sys.stderr)
            return EXIT_PROBLEMS
    result = import_network(
        services,
        files,
        round_date=args.round_date,
        area_id=args.area_id,
        title=args.title,
        username="cli",
    )
    if not result.ok:
        _ = _translator()
        print(f"nothing was imported: {len(result.problems)} problem(s)", file=sys.stderr)
        for problem in result.problems:
            print(f"  {as_line(_, problem)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"round {result.round_id}{' (replaced)' if result.replaced else ''}: {result.actors} actors "
        f"({result.added} new, {result.updated} known), {result.ties} connections, "
        f"{result.matched_members} matched to the governance registry"
    )
    return 0 if args.no_publish else _publish(services)


def run_template(args, services) -> int:
    from perhekeskus.plugins.network.store import codes, template

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        print("the template is OUT.xlsx or OUT.csv", file=sys.stderr)
        return EXIT_PROBLEMS
    if suffix == ".xlsx":
        data = template.template_xlsx(codes.Lookups.load(services.areas), args.lang)
    else:
        data = template.template_csv(args.lang)
    out.write_bytes(data)
    print(f"wrote {out}")
    return 0


def run_demo(args, services) -> int:
    from perhekeskus.plugins.network.store.demo import load_demo
    from perhekeskus.plugins.network.store.problems import as_line

    results = load_demo(
        services,
        seed=args.seed,
        size=args.size,
        rounds=args.rounds,
        round_date=args.round_date,
        registry_members_wanted=args.registry_members,
    )
    _ = _translator()
    for result in results:
        if not result.ok:
            for problem in result.problems:
                print(f"  {as_line(_, problem)}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(
            f"DEMO round {result.round_id}: {result.actors} invented actors, {result.ties} connections, "
            f"{result.matched_members} registry members"
        )
    return 0 if args.no_publish else _publish(services)


def run(args, services) -> int:
    return {"import": run_import, "template": run_template, "demo": run_demo}[args.network_command](
        args, services
    )


COMMAND = Command("network", "the network map: import, template, demo", run, add_arguments)

__all__ = ["COMMAND"]
