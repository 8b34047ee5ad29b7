"""The page's one callback: every control into every output, built by :func:`.page.render` for the user of
the server-side session (``callback_scope``), never for anything the browser claims. An anonymous
request, or one of a user without ``capacity.view``, gets empty outputs."""

from __future__ import annotations

from typing import Any

from dash import Input, Output

from perhekeskus.plugins.capacity.views.page import OUTPUTS, cid, make_choice, render

CONTROLS = ("competence", "place", "from", "to", "level")


def register_callbacks(app: Any, services: Any) -> None:
    from perhekeskus import callback_scope
    from perhekeskus.ui import translator, url_state

    @app.callback(
        *(Output(cid(name), "children") for name in OUTPUTS),
        *(Input(cid(name), "value") for name in CONTROLS),
        *url_state(),
    )
    def update(competence, place, first, last, level, pathname, search):
        scope = callback_scope(services, pathname, search)
        user = scope.user if scope is not None else None
        _ = translator(scope.lang if scope is not None else "fi")
        if user is None:
            return tuple(None for _name in OUTPUTS)
        choice = make_choice(services, competence, place, first, last, level)
        answer = render(services, user, _, choice)
        return tuple(answer[name] for name in OUTPUTS)
