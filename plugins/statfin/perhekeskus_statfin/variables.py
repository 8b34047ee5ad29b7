"""Finding a table's variables by their role (area, time, sex, age, contents) from their values.

Why not by code: in June 2026 Statistics Finland renamed every variable code (``Alue`` became
``alue_23_20260101``, ``Vuosi`` ``timeperiod_y``, ``Tiedot`` ``contentscode``) and content codes gained
prefixes (``vaesto`` → ``vaerak-vaesto``). Values say what a variable is far more stably than codes do:
an area variable holds ``SSS`` and ``KU###``/``MK##``/``HVA##`` codes, a time variable years, a sex
variable exactly ``SSS``/``1``/``2``, an age variable single years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

AREA_CODE = re.compile(r"^(KU\d{3}|MK\d{2}|HVA\d{2}|\d{3})$")
YEAR = re.compile(r"^(19|20)\d{2}$")
AGE = re.compile(r"^(\d{1,3})(-|\+)?$")
SEX_VALUES = {"SSS", "1", "2"}


class VariableError(ValueError):
    """A table's variables cannot be matched to the roles the source needs."""


@dataclass
class Variable:
    code: str
    text: str
    values: list[str]
    value_texts: list[str]
    time: bool = False
    elimination: bool = False

    @classmethod
    def from_meta(cls, raw: dict[str, Any]) -> Variable:
        values = [str(v) for v in raw.get("values") or []]
        texts = [str(t) for t in raw.get("valueTexts") or values]
        return cls(
            str(raw.get("code", "")),
            str(raw.get("text", "")),
            values,
            texts,
            bool(raw.get("time")),
            bool(raw.get("elimination")),
        )


@dataclass
class Roles:
    """A table's variables by role; ``others`` are variables with no known role."""

    area: Variable | None = None
    time: Variable | None = None
    sex: Variable | None = None
    age: Variable | None = None
    contents: Variable | None = None
    others: list[Variable] = field(default_factory=list)

    def by_code(self) -> dict[str, str]:
        """Variable code → role name."""
        found = {}
        for role in ("area", "time", "sex", "age", "contents"):
            variable = getattr(self, role)
            if variable is not None:
                found[variable.code] = role
        return found


def age_of(code: str) -> int | None:
    """A single-year age code (``7``, ``007``, ``100-``) as a number; None for a total or a range."""
    match = AGE.match(code)
    return int(match.group(1)) if match else None


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _is_time(v: Variable) -> bool:
    code = v.code.lower()
    return (
        v.time
        or code.startswith(("timeperiod", "vuosi", "year", "tid"))
        or _share(v.values, lambda x: bool(YEAR.match(x))) == 1.0
    )


def _is_contents(v: Variable) -> bool:
    code, text = v.code.lower(), v.text.lower()
    return code.startswith(("contents", "tiedot")) or text in ("tiedot", "information", "uppgifter")


def _is_area(v: Variable) -> bool:
    rest = [x for x in v.values if x != "SSS"]
    return v.code.lower().startswith(("alue", "area", "region")) or (
        len(rest) > 0 and _share(rest, lambda x: bool(AREA_CODE.match(x))) >= 0.5 and len(v.values) > 3
    )


def _is_sex(v: Variable) -> bool:
    return v.code.lower().startswith(("sukupuoli", "sex", "kön")) or (
        set(v.values) == SEX_VALUES and len(v.values) == 3
    )


def _is_age(v: Variable) -> bool:
    rest = [x for x in v.values if x != "SSS"]
    return v.code.lower().startswith(("ikä", "ika", "age", "ålder")) or (
        len(rest) >= 10 and _share(rest, lambda x: age_of(x) is not None) >= 0.9
    )


def resolve(table: str, meta: dict[str, Any]) -> Roles:
    """Assign each variable of a table's metadata to a role (tested in this order: time, contents,
    sex, age, area); two variables of one role is an error naming the table."""
    roles = Roles()
    tests = (
        ("time", _is_time),
        ("contents", _is_contents),
        ("sex", _is_sex),
        ("age", _is_age),
        ("area", _is_area),
    )
    for raw in meta.get("variables") or []:
        variable = Variable.from_meta(raw)
        for role, test in tests:
            if test(variable):
                if getattr(roles, role) is not None:
                    raise VariableError(
                        f"two variables look like the {role}: {getattr(roles, role).code!r} and {variable.code!r}"
                    )
                setattr(roles, role, variable)
                break
        else:
            roles.others.append(variable)
    if roles.contents is None and len(roles.others) == 1 and not roles.others[0].elimination:
        roles.contents = roles.others.pop()  # the one variable left is what the table counts
    missing = [r for r in ("area", "time") if getattr(roles, r) is None]
    if missing:
        codes = ", ".join(repr(str(v.get("code"))) for v in meta.get("variables") or [])
        raise VariableError(f"no {' or '.join(missing)} variable among {codes or 'no variables'}")
    return roles


def match_content(contents: Variable | None, wanted: list[str]) -> str:
    """The table's content code for a configured one: the same code, or the code with a prefix
    (``vaerak-vaesto`` for ``vaesto``), compared without case. Raises :class:`VariableError`."""
    if contents is None:
        if wanted:
            raise VariableError("the table has no contents variable")
        return ""
    for stem in wanted:
        s = stem.lower()
        for value in contents.values:
            v = value.lower()
            if v == s or v.endswith(("-" + s, "_" + s, "." + s)):
                return value
    raise VariableError(
        f"content code {' / '.join(wanted)!r} not found in {contents.code!r} (has {', '.join(contents.values[:8])})"
    )
