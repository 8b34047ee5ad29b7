"""What to ask a table for: the selection of each variable, split to fit the server's cell limit.

The plan is built from the table's metadata and the configured series only (never from hard-coded
variable codes), so a table whose codes were renamed still gets the right query.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from perhekeskus_statfin.series import Series
from perhekeskus_statfin.variables import YEAR, Roles, Variable, VariableError, age_of, match_content

SEX_CODES = ("SSS", "1", "2")
TOTAL = "SSS"


@dataclass
class TablePlan:
    table: str
    roles: Roles
    series: list[Series]
    selection: dict[str, list[str]]  # variable code → value codes
    years: list[int]
    contents: dict[str, str] = field(default_factory=dict)  # series id → the table's content code
    fixed: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # series id → other code → values

    @property
    def cells(self) -> int:
        return math.prod(len(v) for v in self.selection.values())

    def scope(self) -> str:
        """What the plan covers, for the incremental state: a changed range or series set refetches."""
        ids = ",".join(sorted(s.id for s in self.series))
        return f"{self.years[0]}-{self.years[-1]}:{ids}"

    def probe(self) -> dict[str, list[str]]:
        """A one-cell query (its answer carries the table's ``updated`` time)."""
        return {code: values[:1] for code, values in self.selection.items()}


def fingerprint(meta: dict[str, Any]) -> str:
    """A short hash of a table's metadata: variables, codes and texts."""
    return hashlib.sha256(json.dumps(meta, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _fixed_for(series: Series, variable: Variable) -> tuple[str, ...] | None:
    for key, values in series.fixed.items():
        k = key.lower()
        if variable.code.lower().startswith(k) or k in variable.text.lower():
            return values
    return None


def _ages_in(variable: Variable, first: int, last: int) -> list[str]:
    found = {age_of(v): v for v in variable.values if v != TOTAL and age_of(v) is not None}
    missing = [a for a in range(first, last + 1) if a not in found]
    if missing:
        raise VariableError(f"ages {missing[0]}–{missing[-1]} are not in {variable.code!r}")
    return [found[a] for a in range(first, last + 1)]


def build_plan(
    table: str, roles: Roles, series: list[Series], years: tuple[int, int] | None = None
) -> TablePlan:
    """The selection for all of one table's series. Raises :class:`VariableError` when a configured
    content code, age or fixed value is not in the table, or no year is in range."""
    assert roles.area is not None and roles.time is not None  # resolve() guarantees both
    first = years[0] if years else min(s.first_year for s in series)
    last = years[1] if years else 9999
    table_years = sorted(int(v) for v in roles.time.values if YEAR.match(v) and first <= int(v) <= last)
    if not table_years:
        raise VariableError(
            f"no year from {first} to {last if last < 9999 else 'now'} in {roles.time.code!r}"
        )
    wanted: dict[str, list[str]] = {roles.area.code: list(roles.area.values)}
    wanted[roles.time.code] = [str(y) for y in table_years]
    plan = TablePlan(table, roles, series, {}, table_years)
    if roles.sex is not None:
        sexes = SEX_CODES if any(s.by_sex for s in series) else (TOTAL,)
        present = [c for c in sexes if c in roles.sex.values]
        if TOTAL not in present:
            raise VariableError(f"no total ({TOTAL}) in the sex variable {roles.sex.code!r}")
        wanted[roles.sex.code] = present
    if roles.age is not None:
        ages: list[str] = []
        for s in series:
            if s.ages:
                ages += _ages_in(roles.age, *s.ages)
            if s.derive in ("share", "value"):
                if TOTAL not in roles.age.values:
                    raise VariableError(f"no age total ({TOTAL}) in {roles.age.code!r}")
                ages.append(TOTAL)
        wanted[roles.age.code] = [v for v in roles.age.values if v in set(ages)]
    elif any(s.derive in ("sum", "share") for s in series):
        raise VariableError("the table has no age variable for a sum of ages")
    if roles.contents is not None:
        codes = {s.id: match_content(roles.contents, list(s.contents)) for s in series}
        plan.contents = codes
        wanted[roles.contents.code] = [v for v in roles.contents.values if v in set(codes.values())]
    for variable in roles.others:
        chosen: list[str] = []
        for s in series:
            values = _fixed_for(s, variable)
            if values is None:
                if variable.elimination and TOTAL not in variable.values:
                    continue  # left out of the query: the server adds it up
                values = (TOTAL,)
            absent = [v for v in values if v not in variable.values]
            if absent:
                raise VariableError(f"value {absent[0]!r} is not in {variable.code!r}")
            plan.fixed.setdefault(s.id, {})[variable.code] = list(values)
            chosen += values
        if chosen:
            wanted[variable.code] = [v for v in variable.values if v in set(chosen)]
    order = [v.code for v in _all(roles)]
    plan.selection = {code: wanted[code] for code in order if code in wanted}
    return plan


def _all(roles: Roles) -> list[Variable]:
    found = [getattr(roles, r) for r in ("area", "time", "sex", "age", "contents")]
    return [v for v in found if v is not None] + roles.others


def split(selection: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Queries of at most ``max_cells`` cells that together ask for the whole selection: the variable
    with the most values is cut into chunks (recursively, when one value of it is still too many)."""
    cells = math.prod(len(v) for v in selection.values())
    if cells <= max_cells:
        return [selection]
    code = max(selection, key=lambda c: len(selection[c]))
    values = selection[code]
    if len(values) <= 1:
        raise VariableError(f"the server allows {max_cells} cells, fewer than one query needs")
    rest = cells // len(values)
    if rest <= max_cells:
        per = max_cells // rest
        return [{**selection, code: values[i : i + per]} for i in range(0, len(values), per)]
    return [part for value in values for part in split({**selection, code: [value]}, max_cells)]
