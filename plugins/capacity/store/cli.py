"""``perhekeskus capacity template|import|demo``: the store's command line.

``import`` exits 0 with a summary after saving and publishing the aggregates; when any row is wrong it
saves nothing, lists every problem on stderr and exits 1 (2 when the import was saved but the publish
failed: the views then update at the nightly run). ``--as USERNAME`` checks the rows against that user's
scope (a coordinator of one area may not import another's); without it the command line may change
everything, as whoever runs it can read the store's file anyway.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from perhekeskus import Command

EXIT_PROBLEMS = 1
EXIT_PUBLISH_FAILED = 2


def _translator(lang: str = "en"):
    from perhekeskus.ui import translator

    return translator(lang)


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="capacity_command", required=True)
    tpl = sub.add_parser(
        "template", help="write the import template (OUT.xlsx: all three sheets; OUT.csv: one kind)"
    )
    tpl.add_argument("out", metavar="OUT", help="a file name ending .xlsx or .csv")
    tpl.add_argument(
        "--kind",
        choices=("competences", "weeks", "queues"),
        default="weeks",
        help="the kind of a CSV template",
    )
    tpl.add_argument("--lang", choices=("fi", "sv", "en"), default="fi", help="language of the headers")
    imp = sub.add_parser("import", help="import competences, weekly capacity and queues (all rows or none)")
    imp.add_argument("file", metavar="FILE", help="an XLSX workbook or a CSV file of one kind")
    imp.add_argument("--as", dest="as_user", metavar="USERNAME", help="import within this user's scope")
    imp.add_argument("--messages", choices=("fi", "sv", "en"), default="en", help="language of the messages")
    imp.add_argument("--no-publish", action="store_true", help="save only; the nightly run publishes it")
    demo = sub.add_parser("demo", help="invented, labelled DEMO figures for the network map's demo actors")
    demo.add_argument("--remove", action="store_true", help="remove the demo figures instead")
    demo.add_argument("--no-publish", action="store_true")


def _publish(services: Any) -> int:
    from perhekeskus.plugins.capacity.store.source import publish

    summary = publish(services.settings)
    if summary.status != "success":
        print(f"saved, but publishing failed ({summary.status}): {summary.message}", file=sys.stderr)
        return EXIT_PUBLISH_FAILED
    print("published: /osaaminen shows it now")
    return 0


def run_template(args, services) -> int:
    from perhekeskus.plugins.capacity import model
    from perhekeskus.plugins.capacity.store import repository, template

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        print("the template is OUT.xlsx or OUT.csv", file=sys.stderr)
        return EXIT_PROBLEMS
    if suffix == ".xlsx":
        with services.reading() as con:
            actors = list(repository.load_actors(con).values())
        data = template.template_xlsx(
            _translator(args.lang), model.competences_for(services), services.areas, actors, args.lang
        )
    else:
        data = template.template_csv(template.KIND_OPTIONS[args.kind], args.lang)
    out.write_bytes(data)
    print(f"wrote {out}")
    return 0


def run_import(args, services) -> int:
    from perhekeskus.dashboard.access import users
    from perhekeskus.plugins.capacity.store import importer
    from perhekeskus.plugins.capacity.store.problems import Problem, as_line
    from perhekeskus.plugins.capacity.store.sheets import MAX_FILE_BYTES

    _ = _translator(args.messages)
    path = Path(args.file)
    user = None
    if args.as_user:
        user = users.get(services.settings, args.as_user)
        if user is None or user.disabled:
            print(f"nothing was imported: unknown or disabled user {args.as_user!r}", file=sys.stderr)
            return EXIT_PROBLEMS
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # refused unread: a huge file never fills the memory
            big = Problem("", None, "", "too_large", extra={"mb": MAX_FILE_BYTES // 2**20})
            print(f"nothing was imported: {as_line(_, big)}", file=sys.stderr)
            return EXIT_PROBLEMS
        data = path.read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_PROBLEMS
    result = importer.import_file(
        services, path.name, data, user=user, username=user.username if user else "cli"
    )
    if not result.ok:
        print(f"nothing was imported: {len(result.problems)} problem(s) in {path.name}", file=sys.stderr)
        for problem in result.problems:
            print(f"  {as_line(_, problem)}", file=sys.stderr)
        return EXIT_PROBLEMS
    for warning in result.warnings:
        print(f"  warning: {as_line(_, warning)}")
    counts = result.changes.counts
    rows = result.rows
    print(
        f"imported {path.name}: {rows['competences']} competence rows, {rows['weeks']} week rows, "
        f"{rows['queues']} queue rows; changed {result.changes.total} "
        f"(competences {_ops(counts['competence'])}, weeks {_ops(counts['week'])}, queues {_ops(counts['queue'])}), "
        f"{len(result.warnings)} warning(s)"
    )
    return 0 if args.no_publish else _publish(services)


def _ops(ops: dict[str, int]) -> str:
    return f"+{ops['insert']} ~{ops['update']} -{ops['delete']}"


def run_demo(args, services) -> int:
    from perhekeskus.plugins.capacity.store import demo

    if args.remove:
        removed = demo.remove_demo(services)
        print(f"removed {removed} demo rows")
    else:
        demo.ensure_network_demo(services.settings)
        made = demo.load_demo(services)
        if not any(made.values()):
            print("the network map has no demo actors: run `perhekeskus network demo` first", file=sys.stderr)
            return EXIT_PROBLEMS
        print(
            f"DEMO figures (invented, labelled as demo): {made['competence']} competences, "
            f"{made['week']} actor-weeks, {made['queue']} queue figures"
        )
    return 0 if args.no_publish else _publish(services)


def run(args, services) -> int:
    return {"template": run_template, "import": run_import, "demo": run_demo}[args.capacity_command](
        args, services
    )


COMMAND = Command("capacity", "competence and capacity: template, import, demo", run, add_arguments)

__all__ = ["COMMAND"]
