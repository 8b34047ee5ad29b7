"""The page's callbacks: every control into every output, built by :func:`.page.render` for the user of
the server-side session (``callback_scope``), never for anything the browser claims (an anonymous
request, or one of a user without ``capacity.view``, gets empty outputs); and the choice into the URL
(:mod:`.url`), cleaned as any other value the browser sends, so that a link reopens the same view."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State

from perhekeskus.plugins.capacity.views import url
from perhekeskus.plugins.capacity.views.page import OUTPUTS, PATH, cid, make_choice, render

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

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        *(Input(cid(name), "value") for name in CONTROLS),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def keep_in_url(competence, place, first, last, level, pathname, search):
        if pathname != PATH or len(dash.ctx.triggered) > 1:
            # the router inserting the controls fires this with every value at once: they were drawn
            # from the URL, and writing them back would re-render the page and push a history entry
            return dash.no_update
        scope = callback_scope(services, pathname, search)
        if scope is None or scope.user is None:
            return dash.no_update
        choice = make_choice(services, competence, place, first, last, level)
        result = url.view_search(
            search, choice.competence, choice.place, choice.first, choice.last, choice.min_level
        )
        return dash.no_update if result == (search or "") else result
