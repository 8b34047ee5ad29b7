"""The registry's default bodies, made from the area configuration: the provincial steering group, a
coordination group per area and a local steering group per municipality (:func:`ensure_default_bodies`,
run when the web app starts and by ``perhekeskus governance sync-bodies``), and family centres that
cover several municipalities (:func:`add_family_centre`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from perhekeskus.dashboard.access import audit
from perhekeskus.plugins.governance.domain import (
    _CONTROL,
    _SLUG,
    COORDINATION,
    LIMITS,
    LOCAL,
    PROVINCE_BODY,
    PROVINCIAL,
    Body,
    FieldError,
    PermissionDenied,
    ValidationFailed,
)
from perhekeskus.plugins.governance.repository import _load_bodies, _write_history
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings


def _default_names(kind: str, areas: AreaConfig, area=None, code: str | None = None) -> tuple[str, str, str]:
    """The (fi, sv, en) name of a default body: the province configuration's [governance] names."""
    return areas.default_body_names(kind, area, code)


def _body_snapshot(con: sqlite3.Connection, body_id: str) -> dict | None:
    row = con.execute("SELECT * FROM gov_body WHERE body_id = ?", (body_id,)).fetchone()
    if row is None:
        return None
    data = dict(row)
    data["active"] = bool(data["active"])
    data["municipalities"] = [
        r[0]
        for r in con.execute(
            "SELECT municipality_code FROM gov_body_municipality WHERE body_id = ? ORDER BY 1", (body_id,)
        )
    ]
    return data


def _put_body(
    con: sqlite3.Connection,
    settings: Settings,
    actor: str,
    client: str | None,
    body_id: str,
    kind: str,
    names: tuple[str, str | None, str | None],
    parent_id: str | None,
    area_id: str | None,
    municipalities: tuple[str, ...] = (),
) -> None:
    con.execute(
        "INSERT INTO gov_body (body_id, kind, name_fi, name_sv, name_en, parent_id, area_id, active)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        (body_id, kind, *names, parent_id, area_id),
    )
    for code in municipalities:
        con.execute(
            "INSERT INTO gov_body_municipality (body_id, municipality_code) VALUES (?, ?)", (body_id, code)
        )
    _write_history(con, actor, "body", body_id, None, _body_snapshot(con, body_id))
    audit.record(
        settings,
        "registry_edit",
        actor=actor,
        target=f"gov_body:{body_id}",
        details={"op": "add_body", "kind": kind},
        client=client,
        con=con,
    )


def _set_body(
    con: sqlite3.Connection, settings: Settings, actor: str, client: str | None, body_id: str, **changes: Any
) -> bool:
    before = _body_snapshot(con, body_id)
    wanted = {k: v for k, v in changes.items() if before.get(k) != v}
    if not wanted:
        return False
    sets = ", ".join(f"{k} = ?" for k in wanted)  # keys are this module's own column names
    con.execute(
        f"UPDATE gov_body SET {sets} WHERE body_id = ?",
        [(1 if v else 0) if k == "active" else v for k, v in wanted.items()] + [body_id],
    )
    _write_history(con, actor, "body", body_id, before, _body_snapshot(con, body_id))
    audit.record(
        settings,
        "registry_edit",
        actor=actor,
        target=f"gov_body:{body_id}",
        details={"op": "update_body", "fields": sorted(wanted)},
        client=client,
        con=con,
    )
    return True


def ensure_default_bodies(settings: Settings, areas: AreaConfig, *, actor: str = "system") -> int:
    """Create the provincial group, a coordination group per area and a local group per municipality
    not yet covered by a family centre; bring areas and parents in line with the area configuration.

    Idempotent: a second call changes nothing and returns 0 (the number of bodies created or changed).
    A body an administrator deactivated stays deactivated, except that coordination groups follow the
    area configuration (an area removed from it deactivates its group; one added back reactivates it).
    """
    changes = 0
    with operational.transaction(settings) as con:
        existing = {r["body_id"]: r for r in con.execute("SELECT * FROM gov_body")}
        if PROVINCE_BODY not in existing:
            _put_body(
                con,
                settings,
                actor,
                None,
                PROVINCE_BODY,
                PROVINCIAL,
                _default_names(PROVINCIAL, areas),
                None,
                None,
            )
            changes += 1
        for area in areas.areas:
            body_id = f"alue-{area.area_id}"
            if body_id not in existing:
                names = _default_names(COORDINATION, areas, area)
                _put_body(
                    con, settings, actor, None, body_id, COORDINATION, names, PROVINCE_BODY, area.area_id
                )
                changes += 1
            else:
                changes += _set_body(
                    con,
                    settings,
                    actor,
                    None,
                    body_id,
                    parent_id=PROVINCE_BODY,
                    area_id=area.area_id,
                    active=True,
                )
        configured = {f"alue-{a.area_id}" for a in areas.areas}
        for body_id, row in existing.items():
            if row["kind"] == COORDINATION and body_id not in configured and row["active"]:
                changes += _set_body(con, settings, actor, None, body_id, active=False)
        covered = {
            r[0]
            for r in con.execute(
                "SELECT m.municipality_code FROM gov_body_municipality m JOIN gov_body b USING (body_id)"
                " WHERE b.active = 1 AND b.kind = ?",
                (LOCAL,),
            )
        }
        for area in areas.areas:
            for code in area.municipalities:
                body_id = f"kunta-{code}"
                if body_id not in existing and code not in covered:
                    names = _default_names(LOCAL, areas, area, code)
                    _put_body(
                        con,
                        settings,
                        actor,
                        None,
                        body_id,
                        LOCAL,
                        names,
                        f"alue-{area.area_id}",
                        area.area_id,
                        (code,),
                    )
                    changes += 1
        # a family centre's area and parent follow its municipalities in the area configuration
        for body_id, row in existing.items():
            if row["kind"] != LOCAL:
                continue
            codes = [
                r[0]
                for r in con.execute(
                    "SELECT municipality_code FROM gov_body_municipality WHERE body_id = ? ORDER BY 1",
                    (body_id,),
                )
            ]
            area = next((a for c in codes if (a := areas.area_of(c))), None)
            if area is not None:
                changes += _set_body(
                    con,
                    settings,
                    actor,
                    None,
                    body_id,
                    parent_id=f"alue-{area.area_id}",
                    area_id=area.area_id,
                )
    return changes


def add_family_centre(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    slug: str,
    names: tuple[str, str | None, str | None],
    municipalities: Iterable[str],
    *,
    client: str | None = None,
) -> Body:
    """A local steering group for a family centre covering several municipalities (``perhekeskus-<slug>``).

    Administrators only. The municipalities must be of one coordination area; their own default local
    groups (``kunta-<code>``) are deactivated, which is refused while they still have active members.
    """
    if user is None or not user.has("admin"):
        raise PermissionDenied("only administrators create family centres")
    codes = tuple(sorted({str(c).strip() for c in municipalities}))
    errors = []
    if not _SLUG.match(slug or ""):
        errors.append(FieldError("body_id", "unknown_body", str(slug)[:80]))
    clean_names = [" ".join(str(n or "").split()) for n in (*names, None, None)[:3]]
    for column, value in zip(("name", "name_sv", "name_en"), clean_names, strict=True):
        if column == "name" and not value:
            errors.append(FieldError(column, "missing"))
        elif _CONTROL.search(value):
            errors.append(FieldError(column, "control_chars", value[:80]))
        elif len(value) > LIMITS["name"]:
            errors.append(FieldError(column, "too_long", value[:80], None, LIMITS["name"]))
    name_fi = clean_names[0]
    found_areas = {a.area_id for c in codes if (a := areas.area_of(c))}
    if not codes or any(areas.area_of(c) is None for c in codes) or len(found_areas) != 1:
        errors.append(FieldError("municipalities", "unknown_body", ",".join(codes)[:80]))
    if errors:
        raise ValidationFailed(errors)
    area_id = found_areas.pop()
    body_id = f"perhekeskus-{slug}"
    with operational.transaction(settings) as con:
        if con.execute("SELECT 1 FROM gov_body WHERE body_id = ?", (body_id,)).fetchone():
            raise ValidationFailed([FieldError("body_id", "duplicate", body_id)])
        taken = con.execute(
            "SELECT b.body_id FROM gov_body_municipality m JOIN gov_body b USING (body_id) WHERE b.active = 1"
            f" AND b.kind = ? AND b.body_id NOT LIKE 'kunta-%' AND m.municipality_code IN ({','.join('?' * len(codes))})",
            (LOCAL, *codes),
        ).fetchone()
        if taken:
            raise ValidationFailed([FieldError("municipalities", "duplicate", taken[0])])
        for code in codes:
            busy = con.execute(
                "SELECT count(*) FROM gov_member WHERE body_id = ? AND active = 1", (f"kunta-{code}",)
            ).fetchone()[0]
            if busy:
                raise ValidationFailed([FieldError("municipalities", "duplicate", f"kunta-{code}")])
        stored_names = (name_fi, clean_names[1] or None, clean_names[2] or None)
        _put_body(
            con,
            settings,
            user.username,
            client,
            body_id,
            LOCAL,
            stored_names,
            f"alue-{area_id}",
            area_id,
            codes,
        )
        for code in codes:
            if con.execute("SELECT 1 FROM gov_body WHERE body_id = ?", (f"kunta-{code}",)).fetchone():
                _set_body(con, settings, user.username, client, f"kunta-{code}", active=False)
        body = _load_bodies(con, areas, include_inactive=False)[body_id]
    return body
