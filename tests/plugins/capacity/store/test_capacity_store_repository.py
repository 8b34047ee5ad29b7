"""The store's writes and reads: history only for real changes, the editor's scope by the shared policy,
and the history filtered to what an editor may see."""

from __future__ import annotations

from capacity_store_world import history, services_for

from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.plugins.capacity.store import repository


def person(*roles: tuple[str, str]) -> User:
    return User(91, "someone", None, False, [Role(r, s) for r, s in roles])


def test_only_real_changes_are_written_and_recorded(cs_settings) -> None:
    services = services_for(cs_settings)
    with services.transaction() as con:
        assert repository.put_week(con, "A1", "2026-W10", 20, 5, by="u1") == "insert"
        assert repository.put_week(con, "A1", "2026-W10", 20.0, 5.0, by="u2") is None
        assert repository.put_week(con, "A1", "2026-W10", 20, 6, by="u2") == "update"
        assert repository.put_week(con, "A1", "2026-W10", None, by="u3") == "delete"
        assert repository.put_week(con, "A1", "2026-W10", None, by="u3") is None
        assert repository.put_queue(con, "home_help", "536", "2026-W10", 0, "2026-01-01", by="u1") == "insert"
    assert history(cs_settings) == [
        ("week", "A1|2026-W10", "insert", "app", "u1"),
        ("week", "A1|2026-W10", "update", "app", "u2"),
        ("week", "A1|2026-W10", "delete", "app", "u3"),
        ("queue", "home_help|536|2026-W10", "insert", "app", "u1"),
    ]
    with services.reading() as con:
        rows, total = repository.history(con, kind="week", changed_by="U2")
        assert total == 1 and rows[0].before == {"available_hours": 20.0, "booked_hours": 5.0}
        assert rows[0].after == {"available_hours": 20.0, "booked_hours": 6.0}
        # no one waiting has no waiting date
        assert con.execute("SELECT waiting_since FROM capacity_queue").fetchone()[0] is None


def test_the_scope_of_an_editor(cs_settings) -> None:
    services = services_for(cs_settings)
    with services.reading() as con:
        actors = repository.load_actors(con)
    west = repository.EditScope(services, person(("coordinator", "lantinen")))
    assert [a for a in sorted(actors) if west.actor(actors[a])] == ["A1", "A2"]
    assert west.municipality("536") and not west.municipality("837")
    assert "837" not in west.municipalities() and "790" in west.municipalities()
    everywhere = repository.EditScope(services, person(("coordinator", "")))
    assert all(everywhere.actor(a) for a in actors.values())
    nobody = repository.EditScope(services, person(("province", "")))
    assert not any(nobody.actor(a) for a in actors.values())
    assert repository.may_edit_somewhere(services, person(("coordinator", "837")))
    assert not repository.may_edit_somewhere(services, person(("worker", "")))


def test_the_history_shown_to_a_scoped_editor(cs_settings) -> None:
    services = services_for(cs_settings)
    with services.transaction() as con:
        repository.put_week(con, "A1", "2026-W10", 20, 5, by="u1")
        repository.put_week(con, "A4", "2026-W10", 20, 5, by="u1")
        repository.put_competence(con, "A4", "home_help", 2, by="u1")
        repository.put_queue(con, "home_help", "536", "2026-W10", 3, None, by="u1")
        repository.put_queue(con, "home_help", "837", "2026-W10", 3, None, by="u1")
    with services.reading() as con:
        rows, total = repository.history(con, keys=["A1", "A2", "536", "790"])
        assert total == 2 and {r.item_key for r in rows} == {"A1|2026-W10", "home_help|536|2026-W10"}
        assert repository.history(con, keys=[])[1] == 0
        assert repository.history(con, contains="w10", limit=2)[1] == 4
