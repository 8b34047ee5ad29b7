"""``perhekeskus example-visits add-note|notes``: the plugin's command."""

from __future__ import annotations

import argparse
import getpass

from perhekeskus import Services
from perhekeskus_example_plugin import notes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="example_command", required=True)
    add = sub.add_parser("add-note", help="add a note on a municipality's visit numbers")
    add.add_argument("--municipality", required=True, help="three-digit municipality code")
    add.add_argument("--text", required=True)
    sub.add_parser("notes", help="list the notes")


def run(args: argparse.Namespace, services: Services) -> int:
    if args.example_command == "add-note":
        notes.add_note(services, args.municipality, args.text, f"cli:{getpass.getuser()}")
        print(f"note on {args.municipality} added")
    else:
        for note in notes.list_notes(services):
            print(f"{note.municipality}  {note.text}  ({note.author})")
    return 0
