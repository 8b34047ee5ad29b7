"""Competence and capacity coordination: the shared words, shapes and rules of every part.

Why one module: the import writes competences, weeks and queues; the analysis reads them; the views show
them; the family-team pages and the retention job share the rule of what a family is. Each must use the
same week format, the same levels and meeting kinds, the same smallest group (:data:`MIN_GROUP`) and the
same competence vocabulary, so these are defined once.

The operational tables are in ``migrations/0001_capacity.sql``. The warehouse gets **aggregates only**
(the ``capacity`` source, see ``store/source.py``): never a family code, a team or a meeting, so that
what the retention job deletes from the operational store cannot survive in a published warehouse.

Who sees what (``access``):
- ``capacity.view``: the aggregates at ``/osaaminen`` (every signed-in role);
- ``capacity.edit``: enter and import competences, weekly capacity and queues (admin, coordinator in
  their own area or municipality);
- ``capacity.find``: "who has free competence X near Y", with workers' names (admin, coordinator);
- ``capacity.families``: keep family teams (coordinators only, in their own area or municipality);
- a family's team is seen only by its coordinator and the workers of its team (their accounts linked to
  network-map actors in ``capacity_worker_account``), decided by the shared policy with the team's
  usernames as the resource's holders. Province and area leaders never see a family.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MIN_GROUP = 5  # a count of families below this is never shown to leaders ("fewer than 5")
LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}
COMPETENCES_FILE = Path(__file__).parent / "competences.toml"

# competence level → (Finnish, Swedish, English)
LEVELS: dict[int, tuple[str, str, str]] = {
    1: ("Perustaso", "Grundnivå", "Basic"),
    2: ("Syventävä", "Fördjupad", "Advanced"),
    3: ("Erityisosaaminen", "Specialistkompetens", "Specialist"),
}

# meeting kind code → (Finnish, Swedish, English)
MEETING_KINDS: dict[str, tuple[str, str, str]] = {
    "appointment": ("Vastaanotto", "Mottagning", "Appointment"),
    "home_visit": ("Kotikäynti", "Hembesök", "Home visit"),
    "group": ("Ryhmä", "Grupp", "Group"),
    "network_meeting": ("Verkostopalaveri", "Nätverksmöte", "Network meeting"),
    "phone_or_video": ("Puhelin tai video", "Telefon eller video", "Phone or video"),
    "other": ("Muu", "Annat", "Other"),
}

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# family codes: 'PK-' and two groups of four from an alphabet without look-alikes (no 0/O, 1/I/L)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FAMILY_CODE = re.compile(r"^PK-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


def word(table: Mapping, key: object, lang: str) -> str:
    """The word for ``key`` of :data:`LEVELS` or :data:`MEETING_KINDS` in ``lang`` (the key when unknown)."""
    names = table.get(key)
    return names[LANG_INDEX.get(lang, 0)] if names else str(key)


def shown(count: int) -> bool:
    """Whether a count of families may be shown to a leader (0 may: "no one waits" reveals no family)."""
    return count == 0 or count >= MIN_GROUP


# --- weeks -------------------------------------------------------------------------------------------


def iso_week(day: dt.date) -> str:
    """The ISO week of ``day`` as 'YYYY-Www' (the week a Monday–Sunday belongs to, as Finnish calendars)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: object) -> str | None:
    """'2026-W49' (also '2026-w49', '2026 W49', '2026-49', '49/2026') → '2026-W49'; None when not a real
    ISO week (week 53 only in years that have one)."""
    raw = " ".join(str(text or "").split()).upper().replace(" ", "-")
    match = _WEEK.match(raw) or re.match(r"^(\d{4})-(\d{1,2})$", raw)
    if match:
        year, week = int(match.group(1)), int(match.group(2))
    else:
        alt = re.match(r"^(\d{1,2})/(\d{4})$", raw)
        if not alt:
            return None
        week, year = int(alt.group(1)), int(alt.group(2))
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return iso_week(monday)


def week_monday(week: str) -> dt.date:
    """The Monday of an ISO week 'YYYY-Www'."""
    match = _WEEK.match(week)
    if not match:
        raise ValueError(f"not an ISO week: {week!r}")
    return dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)


def weeks_back(last: str, count: int) -> list[str]:
    """The ``count`` ISO weeks ending with ``last``, oldest first."""
    monday = week_monday(last)
    return [iso_week(monday - dt.timedelta(weeks=n)) for n in range(count - 1, -1, -1)]


def new_family_code() -> str:
    """A random pseudonymous family code such as 'PK-7F3Q-K2M9' (about 58 bits): made by the store, so no
    one types a name or an identity code into it."""
    pick = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"PK-{pick[:4]}-{pick[4:]}"


# --- the competence vocabulary -----------------------------------------------------------------------


@dataclass(frozen=True)
class Competence:
    code: str
    names: tuple[str, str, str]  # fi, sv, en

    def name(self, lang: str) -> str:
        return self.names[LANG_INDEX.get(lang, 0)]


@dataclass(frozen=True)
class Competences:
    """The configured competences in file order."""

    items: tuple[Competence, ...]

    def codes(self) -> list[str]:
        return [c.code for c in self.items]

    def get(self, code: str) -> Competence | None:
        return next((c for c in self.items if c.code == code), None)

    def label(self, code: str, lang: str) -> str:
        """The name of ``code`` in ``lang``; the code itself for a retired one (data outlives lists)."""
        found = self.get(code)
        return found.name(lang) if found else code

    def resolve(self, value: object) -> str | None:
        """The code given as its code or as its name in any language (case and spacing ignored)."""
        wanted = " ".join(str(value or "").split()).casefold()
        if not wanted:
            return None
        for item in self.items:
            if wanted == item.code.casefold() or wanted in (n.casefold() for n in item.names):
                return item.code
        return None


class CompetenceFileError(ValueError):
    """The competence file is malformed; the message names the entry."""


def load_competences(path: Path | str | None = None) -> Competences:
    """The competences of ``path`` (default: the packaged ``competences.toml``), validated and cached."""
    return _load(Path(path) if path else COMPETENCES_FILE)


@lru_cache(maxsize=8)
def _load(path: Path) -> Competences:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CompetenceFileError(f"{path}: {exc}") from exc
    items = []
    for code, names in (data.get("competences") or {}).items():
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", code):
            raise CompetenceFileError(
                f"{path}: competence code {code!r} is not lower-case letters, digits and _"
            )
        if not isinstance(names, dict) or not all(
            isinstance(names.get(k), str) and names[k] for k in ("fi", "sv", "en")
        ):
            raise CompetenceFileError(f"{path}: competence {code!r} needs fi, sv and en names")
        items.append(Competence(code, (names["fi"], names["sv"], names["en"])))
    if not items:
        raise CompetenceFileError(f"{path}: no [competences.<code>] entries")
    return Competences(tuple(items))


def competences_for(services) -> Competences:
    """The competences configured for this installation (setting ``competences_file``)."""
    return load_competences(services.plugin_settings("capacity").get("competences_file") or None)


# --- records the parts pass to each other --------------------------------------------------------------


@dataclass(frozen=True)
class WorkerWeek:
    """One actor's capacity in one week."""

    actor_id: str
    week: str
    available_hours: float
    booked_hours: float

    @property
    def free_hours(self) -> float:
        return max(0.0, self.available_hours - self.booked_hours)


@dataclass(frozen=True)
class QueueWeek:
    """Families waiting for one competence in one municipality in one week."""

    competence: str
    municipality_code: str
    week: str
    families_waiting: int
    waiting_since: str | None = None  # YYYY-MM-DD


@dataclass(frozen=True)
class Meeting:
    """A planned meeting of a family with one worker."""

    family_id: int
    meeting_date: str  # YYYY-MM-DD
    actor_id: str
    kind: str = "appointment"
