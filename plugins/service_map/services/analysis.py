"""The service map's analysis: the matrix, gaps, overlaps and chances to collaborate.

Rules (shown on the page in words, documented in docs and tested on a handmade map):

- **Where a service is**: in every municipality it serves; for every task and client group it names.
- **Relevance** (:class:`Expected`): not every task serves every client group. ``expected_pairs.toml``
  (configurable, ``PERHEKESKUS_SERVICE_MAP_EXPECTED_PAIRS``) lists the client groups each task is
  expected to serve; a pair not listed is *not expected* and never called a gap.
- **Gap** (katvealue): an expected task × client group with no service in a municipality. In the
  tasks × client groups matrix of an area or the province a cell is a gap when no municipality in view
  has it, and the cell names the municipalities that lack it. In the tasks × municipalities matrix a
  cell is a gap when the municipality has no service of the task for any (chosen) client group.
- **Overlap** (päällekkäisyys): two or more different provider organisations offering the same task to
  the same client group in the same municipality.
- **Single provider**: exactly one organisation offers the cell (vulnerable, worth knowing).
- **Collaboration chances**: (1) an overlap whose providers are of different actor types (e.g. an NGO and
  a parish) could coordinate; (2) a municipality lacking an expected task × client group that another
  municipality of the same coordination area has ("neighbouring" = the same area: the province file
  knows areas, not borders), naming those municipalities and their providers.

Everything works on plain :class:`Record` values, so it is the same for the warehouse copy, a test's
handmade map and the 5,000-service benchmark (one index pass, then dictionary look-ups).
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_EXPECTED = Path(__file__).parent / "expected_pairs.toml"
GAP, NOT_EXPECTED, SINGLE, OVERLAP, COVERED = "gap", "not_expected", "single", "overlap", "covered"
GROUPS, MUNICIPALITIES = "groups", "municipalities"


@dataclass(frozen=True)
class Record:
    """One active service as the analysis needs it."""

    service_id: int
    name: str
    provider: str
    actor_type: str
    municipalities: tuple[str, ...]
    tasks: tuple[str, ...]
    client_groups: tuple[str, ...]
    forms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    is_demo: bool = False
    description: str = ""
    contact_url: str = ""
    referral_needed: bool = False
    actors: tuple[str, ...] = ()

    @property
    def provider_key(self) -> str:
        return " ".join(self.provider.split()).casefold()


@dataclass(frozen=True)
class Expected:
    """Which client groups each task is expected to serve (tasks not listed: every group)."""

    pairs: dict[str, frozenset[str]]

    def __call__(self, task: str, group: str) -> bool:
        allowed = self.pairs.get(task)
        return allowed is None or "*" in allowed or group in allowed

    @classmethod
    def load(cls, path: Path | str | None = None) -> Expected:
        raw = tomllib.loads(Path(path or DEFAULT_EXPECTED).read_text(encoding="utf-8"))
        return cls({task: frozenset(groups) for task, groups in raw.get("expected", {}).items()})

    @classmethod
    def everything(cls) -> Expected:
        return cls({})


@dataclass
class Cell:
    row: str  # a task
    column: str  # a client group or a municipality
    services: list[Record] = field(default_factory=list)
    providers: list[str] = field(default_factory=list)
    status: str = GAP
    missing: list[str] = field(
        default_factory=list
    )  # municipalities (groups mode) or client groups lacking it
    overlaps: list[tuple[str, str, tuple[str, ...]]] = field(
        default_factory=list
    )  # (municipality, group, providers)


@dataclass
class Matrix:
    mode: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]

    def cell(self, row: str, column: str) -> Cell:
        return self.cells[(row, column)]

    def count(self, status: str) -> int:
        return sum(1 for c in self.cells.values() if c.status == status)


@dataclass(frozen=True)
class Suggestion:
    """A sentence's facts; the page words it in the reader's language."""

    kind: str  # "neighbour_has" | "overlap" | "coordinate"
    municipality: str
    task: str
    client_groups: tuple[str, ...]
    providers: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # municipalities of the same area that have it (neighbour_has)
    service_ids: tuple[int, ...] = ()
    actor_types: tuple[str, ...] = ()


class Index:
    """(municipality, task, client group) → the services there: built once, read by every view."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.at: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        for r in records:
            for m in r.municipalities:
                for t in r.tasks:
                    for g in r.client_groups:
                        self.at[(m, t, g)].append(r)

    def get(self, municipality: str, task: str, group: str) -> list[Record]:
        return self.at.get((municipality, task, group), [])


def filter_records(
    records: Iterable[Record],
    *,
    task: str | None = None,
    client_group: str | None = None,
    actor_type: str | None = None,
    form: str | None = None,
    language: str | None = None,
) -> list[Record]:
    """The services that match every filter given (None: any)."""
    return [
        r
        for r in records
        if (task is None or task in r.tasks)
        and (client_group is None or client_group in r.client_groups)
        and (actor_type is None or r.actor_type == actor_type)
        and (form is None or form in r.forms)
        and (language is None or language in r.languages)
    ]


def _providers(found: Iterable[Record]) -> list[str]:
    names: dict[str, str] = {}
    for r in found:
        names.setdefault(r.provider_key, r.provider)
    return sorted(names.values(), key=str.casefold)


def _unique(found: Iterable[Record]) -> list[Record]:
    seen: dict[int, Record] = {}
    for r in found:
        seen.setdefault(r.service_id, r)
    return sorted(seen.values(), key=lambda r: (r.name.casefold(), r.service_id))


def _status(services: list[Record], providers: list[str], overlaps: list, expected: bool) -> str:
    if not services:
        return GAP if expected else NOT_EXPECTED
    if overlaps:
        return OVERLAP
    return SINGLE if len(providers) == 1 else COVERED


def matrix(
    records: Sequence[Record],
    places: Sequence[str],
    tasks: Sequence[str],
    groups: Sequence[str],
    expected: Expected,
    mode: str = GROUPS,
    index: Index | None = None,
) -> Matrix:
    """Tasks × client groups over ``places`` (mode ``groups``), or tasks × each of ``places`` over
    ``groups`` (mode ``municipalities``). ``index``: one already built over ``records``."""
    index = index or Index(records)
    cells: dict[tuple[str, str], Cell] = {}
    columns = list(groups) if mode == GROUPS else list(places)
    for t in tasks:
        for column in columns:
            pairs = (
                [(m, column) for m in places] if mode == GROUPS else [(column, g) for g in groups]
            )  # (municipality, group) of this cell
            found: list[Record] = []
            overlaps: list[tuple[str, str, tuple[str, ...]]] = []
            missing: list[str] = []
            for m, g in pairs:
                here = index.get(m, t, g)
                found.extend(here)
                providers_here = _providers(here)
                if len(providers_here) >= 2:
                    overlaps.append((m, g, tuple(providers_here)))
                if not here and expected(t, g):
                    missing.append(m if mode == GROUPS else g)
            services = _unique(found)
            providers = _providers(services)
            is_expected = expected(t, column) if mode == GROUPS else any(expected(t, g) for g in groups)
            cells[(t, column)] = Cell(
                t,
                column,
                services,
                providers,
                _status(services, providers, overlaps, is_expected),
                missing,
                overlaps,
            )
    return Matrix(mode, list(tasks), columns, cells)


def overlaps(
    records: Sequence[Record], places: Sequence[str], index: Index | None = None
) -> list[Suggestion]:
    """Several organisations offering one task to the same client groups in one municipality, grouped
    by (municipality, task, providers) so that one set of organisations is named once."""
    index = index or Index(records)
    grouped: dict[tuple[str, str, tuple[str, ...]], list[str]] = defaultdict(list)
    ids: dict[tuple[str, str, tuple[str, ...]], set[int]] = defaultdict(set)
    types: dict[tuple[str, str, tuple[str, ...]], set[str]] = defaultdict(set)
    wanted = set(places)
    for (m, t, g), here in sorted(index.at.items()):
        if m not in wanted:
            continue
        providers = tuple(_providers(here))
        if len(providers) >= 2:
            key = (m, t, providers)
            grouped[key].append(g)
            ids[key].update(r.service_id for r in here)
            types[key].update(r.actor_type for r in here)
    return [
        Suggestion(
            "overlap",
            m,
            t,
            tuple(gs),
            providers,
            (),
            tuple(sorted(ids[(m, t, providers)])),
            tuple(sorted(types[(m, t, providers)])),
        )
        for (m, t, providers), gs in grouped.items()
    ]


def collaboration(
    records: Sequence[Record],
    places: Sequence[str],
    areas: object,
    tasks: Sequence[str],
    groups: Sequence[str],
    expected: Expected,
    index: Index | None = None,
    found_overlaps: list[Suggestion] | None = None,
) -> list[Suggestion]:
    """Chances to collaborate: overlaps across actor types, and what an area neighbour has and a
    municipality lacks (grouped by municipality and task). ``index`` and ``found_overlaps``: already
    computed over the same ``records`` and ``places`` (the page computes them once)."""
    index = index or Index(records)
    found = [
        Suggestion(
            "coordinate",
            s.municipality,
            s.task,
            s.client_groups,
            s.providers,
            (),
            s.service_ids,
            s.actor_types,
        )
        for s in (found_overlaps if found_overlaps is not None else overlaps(records, places, index))
        if len(s.actor_types) >= 2
    ]
    for m in places:
        area = areas.area_of(m)  # type: ignore[attr-defined]
        neighbours = [n for n in (area.municipalities if area else ()) if n != m]
        for t in tasks:
            lacking: list[str] = []
            others: set[str] = set()
            services: dict[int, Record] = {}
            for g in groups:
                if not expected(t, g) or index.get(m, t, g):
                    continue
                having = [(n, index.get(n, t, g)) for n in neighbours]
                having = [(n, rs) for n, rs in having if rs]
                if having:
                    lacking.append(g)
                    for n, rs in having:
                        others.add(n)
                        services.update({r.service_id: r for r in rs})
            if lacking:
                chosen = _unique(services.values())
                found.append(
                    Suggestion(
                        "neighbour_has",
                        m,
                        t,
                        tuple(lacking),
                        tuple(_providers(chosen)),
                        tuple(n for n in neighbours if n in others),
                        tuple(r.service_id for r in chosen),
                    )
                )
    return found
