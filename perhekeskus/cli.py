"""The ``perhekeskus`` command line.

``etl run`` runs a source once (under Prefect when a Prefect API is configured, otherwise the same
steps directly, which saves the temporary Prefect server's start-up); ``serve`` serves the dashboard;
``up`` serves the schedule and the dashboard together; ``plugins list`` shows the plugins.
Every command exits 0 on success and non-zero with one line on stderr otherwise.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys

from perhekeskus.warehouse.settings import Settings, configure_prefect_env


class UsageError(ValueError):
    """A command-line value is not usable."""


def parse_years(text: str | None) -> tuple[int, int] | None:
    """'2018-2020' or '2020' → (first, last)."""
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if not match:
        raise UsageError(f"--years must look like 2018-2020 or 2020, got {text!r}")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if first > last:
        raise UsageError(f"--years: {first} is after {last}")
    return first, last


def parse_items(text: str | None) -> list[str] | None:
    if not text:
        return None
    items = [i.strip() for i in text.split(",") if i.strip()]
    # ids are text chosen by each source (Sotkanet's are numbers, StatFin's words): letters, digits, _ . -
    bad = [i for i in items if not re.fullmatch(r"[\w.-]+", i)]
    if bad:
        raise UsageError(f"--indicators takes indicator ids separated by commas, not {', '.join(bad)}")
    return items


def _use_prefect(args: argparse.Namespace) -> bool:
    if args.prefect is not None:
        return args.prefect
    return bool(os.environ.get("PREFECT_API_URL"))


def cmd_etl_run(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.etl.pipeline import resolve_source
    from perhekeskus.etl.progress import ProgressPrinter

    years = parse_years(args.years)
    items = parse_items(args.indicators)
    args.source = resolve_source(args.source)
    printer = ProgressPrinter()
    if _use_prefect(args):
        from perhekeskus.etl.flows import run_flow

        summary = run_flow(args.source, settings, items=items, years=years, full=args.full, progress=printer)
    else:
        from perhekeskus.etl.pipeline import run_pipeline

        summary = run_pipeline(
            args.source, settings, items=items, years=years, full=args.full, progress=printer
        )
    printer.finish()
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    if summary.status == "success":
        print(summary.line())
        return 0
    print(f"{summary.source} run {summary.status}: {summary.message}", file=sys.stderr)
    return 1 if summary.status == "failed" else 2


def cmd_demo_load(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.etl.demo import load_demos
    from perhekeskus.etl.progress import ProgressPrinter

    printer = ProgressPrinter()
    summaries = load_demos(settings, [args.source] if args.source else None, progress=printer)
    printer.finish()
    if not summaries:
        print("demo load: no enabled source brings a demo snapshot", file=sys.stderr)
        return 1
    failed = [s for s in summaries if s.status != "success"]
    for summary in failed:
        print(f"demo load of {summary.source} {summary.status}: {summary.message}", file=sys.stderr)
    for summary in summaries:
        if summary.status == "success":
            print(
                "demo values loaded (invented values, labelled as demo in the dashboard): " + summary.line()
            )
    return 1 if failed else 0


SECRET_WORDS = ("password", "secret", "token", "key")


def setting_lines(plugin: str, settings: Settings) -> list[str]:
    """One line per setting the plugin declares (``perhekeskus_settings``): its environment variable
    (``PERHEKESKUS_<PLUGIN>_<NAME>``), current value, default and help; secrets are shown as set or not."""
    from perhekeskus.registry import plugin_settings_declared
    from perhekeskus.services import SETTINGS_PREFIX, plugin_settings

    try:
        declared = plugin_settings_declared(plugin)
        values = plugin_settings(plugin, settings)
    except Exception as exc:  # a broken hook must not hide the other plugins
        return [f"settings: error: {type(exc).__name__}: {exc}"]
    lines = []
    for setting in declared:
        env = f"{SETTINGS_PREFIX}{plugin.upper().replace('-', '_')}_{setting.name.upper()}"
        value = values.get(setting.name.lower(), setting.default)
        if any(word in setting.name.lower() for word in SECRET_WORDS):
            value = "(set)" if value else "(not set)"
        default = f"default {setting.default!r}" if setting.default else "no default"
        lines.append(f"setting {env}={value}  ({default}{'; ' + setting.help if setting.help else ''})")
    return lines


def cmd_plugins_list(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.registry import plugin_infos

    infos = plugin_infos()
    width = max([len(i.name) for i in infos] + [6])
    print(f"{'plugin':<{width}}  {'version':<10} {'enabled':<8} hooks")
    for info in infos:
        state = "yes" if info.enabled else ("error" if info.error else "no")
        print(f"{info.name:<{width}}  {info.version:<10} {state:<8} {', '.join(info.hooks) or '-'}")
        if info.error:
            print(f"{'':<{width}}  error: {info.error}")
        if info.enabled:
            for line in setting_lines(info.name, settings):
                print(f"{'':<{width}}  {line}")
    return 0


def cmd_plugins_new(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.scaffold import new_plugin

    target = new_plugin(args.name, args.dir)
    print(f"plugin package written to {target}; pip install it, then run its tests with pytest")
    return 0


def cmd_plugins_check(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.check import check_plugins

    problems = check_plugins()
    for problem in problems:
        print(problem)
    if not problems:
        print("plugins check: no problems")
    return 1 if problems else 0


def _read_password(args: argparse.Namespace) -> str:
    if not args.password_stdin:
        raise UsageError(
            "give the password on standard input with --password-stdin (never on the command line)"
        )
    return sys.stdin.readline().rstrip("\r\n")


def _roles(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    """--role ROLE [--scope S] pairs; a scope applies to the role before it (or to all when one is given)."""
    roles = args.role or []
    scopes = args.scope or []
    if len(scopes) > len(roles):
        raise UsageError("each --scope belongs to a --role before it")
    if len(scopes) == 1 and len(roles) > 1:
        return [(r, scopes[0] if r in ("region", "local") else None) for r in roles]
    return [(r, scopes[i] if i < len(scopes) else None) for i, r in enumerate(roles)]


def cmd_users(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus.dashboard.access import users
    from perhekeskus.warehouse.areas import load_areas

    areas = load_areas(settings.areas_file)
    actor = f"cli:{os.environ.get('USER') or 'unknown'}"
    if args.users_command == "add":
        user = users.add(
            settings,
            areas,
            args.username,
            _read_password(args),
            _roles(args),
            display_name=args.display_name,
            actor=actor,
        )
        print(
            f"user {user.username} added: "
            + ", ".join(f"{r.role}:{r.scope}" if r.scope else r.role for r in user.roles)
        )
    elif args.users_command == "list":
        for user in users.list_users(settings):
            roles = ", ".join(f"{r.role}:{r.scope}" if r.scope else r.role for r in user.roles)
            print(f"{user.username:<24} {'disabled' if user.disabled else 'enabled ':<9} {roles}")
    elif args.users_command == "disable":
        users.set_disabled(settings, args.username, True, actor=actor)
        print(f"user {args.username} disabled; their sessions have ended")
    elif args.users_command == "enable":
        users.set_disabled(settings, args.username, False, actor=actor)
        print(f"user {args.username} enabled")
    elif args.users_command == "set-password":
        users.set_password(settings, args.username, _read_password(args), actor=actor)
        print(f"password of {args.username} changed; their sessions have ended")
    elif args.users_command == "set-roles":
        user = users.set_roles(settings, areas, args.username, _roles(args), actor=actor)
        print(
            f"roles of {user.username}: "
            + ", ".join(f"{r.role}:{r.scope}" if r.scope else r.role for r in user.roles)
        )
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus import compose

    compose.serve(settings, host=args.host, port=args.port)
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus import compose

    compose.up(settings, host=args.host, port=args.port, demo_if_empty=not args.no_demo)
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from perhekeskus import compose

    compose.worker(settings)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perhekeskus", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    etl = sub.add_parser("etl", help="data pipeline").add_subparsers(dest="etl_command", required=True)
    run = etl.add_parser("run", help="run a source once and publish the result")
    run.add_argument(
        "--source",
        default=None,
        help="source plugin name (default: the only enabled source; required with several)",
    )
    run.add_argument("--indicators", help="comma-separated indicator ids (default: the indicator package)")
    run.add_argument("--years", help="first-last year, e.g. 2018-2020 (default: each indicator's range)")
    run.add_argument(
        "--full", action="store_true", help="fetch everything even when data-updated is unchanged"
    )
    run.add_argument(
        "--prefect",
        dest="prefect",
        action="store_true",
        default=None,
        help="run as a Prefect flow (default when PREFECT_API_URL is set)",
    )
    run.add_argument("--no-prefect", dest="prefect", action="store_false", help="run the steps directly")
    run.set_defaults(func=cmd_etl_run)

    demo = sub.add_parser("demo", help="bundled demo data").add_subparsers(dest="demo_command", required=True)
    demo_load = demo.add_parser("load", help="load the demo snapshots (invented values, labelled)")
    demo_load.add_argument("--source", help="only this source's demo (default: every source that has one)")
    demo_load.set_defaults(func=cmd_demo_load)
    sub.add_parser(
        "worker", help="serve every source's schedule (the ETL worker; no dashboard)"
    ).set_defaults(func=cmd_worker)

    plugins = sub.add_parser("plugins", help="plugins").add_subparsers(dest="plugins_command", required=True)
    plugins.add_parser("list", help="list plugins, versions, hooks and state").set_defaults(
        func=cmd_plugins_list
    )
    new = plugins.add_parser("new", help="write a new plugin package (source, suite, panel, page, tests)")
    new.add_argument("name", help="plugin and source name, e.g. child_visits")
    new.add_argument("--dir", default=".", help="folder to write the package into (default: here)")
    new.set_defaults(func=cmd_plugins_new)
    plugins.add_parser("check", help="validate the installed plugins, one line per problem").set_defaults(
        func=cmd_plugins_check
    )

    users_parser = sub.add_parser("users", help="user accounts").add_subparsers(
        dest="users_command", required=True
    )
    for name, text in (("add", "add a user"), ("set-roles", "replace a user's roles")):
        cmd = users_parser.add_parser(name, help=text)
        cmd.add_argument("--username", required=True)
        cmd.add_argument(
            "--role",
            action="append",
            required=True,
            help="admin, province, region, local, engineer or moderator (repeatable)",
        )
        cmd.add_argument("--scope", action="append", help="area id for region, municipality code for local")
        if name == "add":
            cmd.add_argument("--display-name")
            cmd.add_argument(
                "--password-stdin", action="store_true", help="read the password from standard input"
            )
        cmd.set_defaults(func=cmd_users)
    users_parser.add_parser("list", help="list users and roles").set_defaults(func=cmd_users)
    for name, text in (
        ("disable", "disable a user (ends their sessions)"),
        ("enable", "enable a user"),
        ("set-password", "set a new password (from standard input)"),
    ):
        cmd = users_parser.add_parser(name, help=text)
        cmd.add_argument("--username", required=True)
        if name == "set-password":
            cmd.add_argument(
                "--password-stdin", action="store_true", help="read the password from standard input"
            )
        cmd.set_defaults(func=cmd_users)

    jobs = sub.add_parser("jobs", help="plugins' scheduled jobs").add_subparsers(
        dest="jobs_command", required=True
    )
    jobs.add_parser("list", help="list the jobs and their schedules").set_defaults(func=cmd_jobs)
    job_run = jobs.add_parser("run", help="run a job now, through its Prefect flow")
    job_run.add_argument("name")
    job_run.set_defaults(func=cmd_jobs)

    for name, func, text in (
        ("serve", cmd_serve, "serve the dashboard"),
        ("up", cmd_up, "schedule + dashboard"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--host", default=os.environ.get("PERHEKESKUS_HOST", "127.0.0.1"))
        cmd.add_argument("--port", type=int, default=int(os.environ.get("PERHEKESKUS_PORT", "8050")))
        if name == "up":
            cmd.add_argument(
                "--no-demo", action="store_true", help="do not load demo data into an empty warehouse"
            )
        cmd.set_defaults(func=func)
    add_plugin_commands(sub)
    return parser


def cmd_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """``jobs list``: each plugin job with its cron; ``jobs run NAME``: run it now (exit 1 when it fails)."""
    from perhekeskus import registry

    found = registry.jobs()
    if args.jobs_command == "list":
        for name, job in sorted(found.items()):
            print(f"{name}\t{job.cron}\t{job.description}")
        return 0
    if args.name not in found:
        print(f"no job named {args.name!r}; known: {', '.join(sorted(found)) or 'none'}", file=sys.stderr)
        return 2
    from perhekeskus.etl.flows import run_job

    ok, summary = run_job(args.name, settings)
    print(summary, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def add_plugin_commands(sub) -> None:
    """A subcommand for every ``perhekeskus.Command`` of the enabled plugins (``perhekeskus_commands``).

    A name the core or another plugin already uses is refused with a warning; the command runs with the
    same ``Services`` object the web app and the ETL worker build."""
    from perhekeskus import registry

    for group in registry.plugin_manager().hook.perhekeskus_commands():
        for command in group or []:
            if command.name in sub.choices:
                logging.getLogger(__name__).warning(
                    "plugin command %r refused: the name is taken", command.name
                )
                continue
            parser = sub.add_parser(command.name, help=command.help)
            if command.add_arguments is not None:
                command.add_arguments(parser)
            parser.set_defaults(func=_plugin_command(command))


def _plugin_command(command):
    def run(args: argparse.Namespace, settings: Settings) -> int:
        from perhekeskus.services import Services

        return int(command.run(args, Services.create(settings)) or 0)

    run.__name__ = f"cmd_{command.name}"
    return run


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        settings = Settings.from_env()
        configure_prefect_env(settings)
        return args.func(args, settings)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for people; details with --verbose
        if args.verbose:
            logging.exception("command failed")
        lines = str(exc).strip().splitlines()
        print(f"error: {lines[0] if lines else type(exc).__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
