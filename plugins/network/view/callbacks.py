"""The page's Dash callbacks: the round choice into the URL, a tap on the map into the ego choice, and
:func:`~.page.render` for every other control.

Nothing the browser sends is trusted: the round comes from the URL and is checked against the published
rounds, the user from the server-side session (``callback_scope``), the control values are cleaned in
:func:`~.page.render`, and the answer is built from a network pseudonymised for that user.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State

from perhekeskus.plugins.network.view import data
from perhekeskus.plugins.network.view.page import (
    DATA_PART,
    MAP_PART,
    PATH,
    Controls,
    cid,
    query_values,
    render,
)

# (component, property, key of render()'s answer) of the map part and of the data part
MAP_OUTPUTS = (
    ("map", "elements", "elements"),
    ("map", "stylesheet", "stylesheet"),
    ("map", "layout", "layout"),
    ("legend", "children", "legend"),
    ("status", "children", "status"),
)
DATA_OUTPUTS = (
    ("table", "children", "table"),
    ("figures", "children", "figures"),
    ("answers", "children", "answers"),
    ("suggestion", "options", "suggestions"),
    ("comparison", "children", "comparison"),
    ("exports", "children", "exports"),
)
FILTERS = ("f-municipality", "f-type", "f-task", "f-kind", "f-frequency")
MAP_CONTROLS = ("layout", "colour", "size", *FILTERS, "ego", "ego-steps", "suggestion")
DATA_CONTROLS = (*FILTERS, "sort", "order")


def _nothing(outputs, message: str) -> tuple:
    """Empty outputs with ``message`` where text can go (the round vanished between page and callback)."""
    empty = {"elements": [], "stylesheet": [], "layout": {"name": "grid"}, "suggestions": []}
    return tuple(empty.get(key, message if key in ("status", "table") else "") for _c, _p, key in outputs)


def register_callbacks(app: Any, services: Any) -> None:
    from perhekeskus import callback_scope
    from perhekeskus.ui import translator, url_state

    @app.callback(
        Output("url", "search", allow_duplicate=True),
        Input(cid("round"), "value"),
        Input(cid("compare"), "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def choose_round(round_id, compare_id, pathname, search):
        if pathname != PATH or len(dash.ctx.triggered) > 1:
            return dash.no_update  # the router inserting the dropdowns fires this: the URL already says it
        query = query_values(search)
        query["round"] = round_id if isinstance(round_id, str) else ""
        query["compare"] = compare_id if isinstance(compare_id, str) else ""
        kept = {k: v for k, v in query.items() if v}
        result = "?" + urlencode(kept) if kept else ""
        return dash.no_update if result == (search or "") else result

    def answer(outputs, parts, pathname, search, **values):
        scope = callback_scope(services, pathname, search)
        lang = scope.lang if scope is not None else "fi"
        user = scope.user if scope is not None else None
        _ = translator(lang)
        found = data.rounds(services.reader)
        query = query_values(search)
        current = data.choose_round(found, query.get("round"))
        if current is None:
            return _nothing(outputs, _("No network map has been published yet."))
        other = data.other_round(found, current, query.get("compare"))
        try:
            controls = Controls(**values, services=query.get(data.SERVICE_PARAM))
            result = render(services, user, _, current, other, controls, parts)
        except LookupError:
            return _nothing(outputs, _("This round could not be read."))
        return tuple(result[key] for _c, _p, key in outputs)

    @app.callback(
        *(Output(cid(c), p) for c, p, _key in MAP_OUTPUTS),
        Output(cid("ego"), "value"),
        *(Input(cid(c), "value") for c in MAP_CONTROLS),
        Input(cid("map"), "tapNodeData"),
        Input(cid("ego-clear"), "n_clicks"),
        *url_state(),
        prevent_initial_call=True,
    )
    def update_map(
        layout,
        colour,
        size,
        municipalities,
        types,
        tasks,
        kinds,
        frequency,
        ego,
        steps,
        suggestion,
        tapped,
        _clicks,
        pathname,
        search,
    ):
        # a tap on an actor (or the "whole network" button) sets the ego choice in this same answer:
        # one round trip instead of two, and the dropdown (the keyboard's way) shows the choice
        chosen = ego
        if dash.ctx.triggered_id == cid("ego-clear"):
            chosen = None
        elif (
            dash.ctx.triggered_id == cid("map")
            and isinstance(tapped, dict)
            and isinstance(tapped.get("id"), str)
        ):
            chosen = tapped["id"]
        shown = answer(
            MAP_OUTPUTS,
            (MAP_PART,),
            pathname,
            search,
            layout=layout,
            colour_by=colour,
            size_by=size,
            municipalities=municipalities,
            actor_types=types,
            tasks=tasks,
            kinds=kinds,
            min_frequency=frequency,
            ego=chosen,
            ego_steps=steps,
            suggestion=suggestion,
        )
        return (*shown, dash.no_update if chosen == ego else chosen)

    @app.callback(
        *(Output(cid(c), p) for c, p, _key in DATA_OUTPUTS),
        *(Input(cid(c), "value") for c in DATA_CONTROLS),
        *url_state(),
    )
    def update_data(municipalities, types, tasks, kinds, frequency, sort, order, pathname, search):
        return answer(
            DATA_OUTPUTS,
            (DATA_PART,),
            pathname,
            search,
            municipalities=municipalities,
            actor_types=types,
            tasks=tasks,
            kinds=kinds,
            min_frequency=frequency,
            sort_by=sort,
            descending=order == "desc",
        )

    app.clientside_callback(
        """
        function(clicks) {
            if (!clicks) { return window.dash_clientside.no_update; }
            return {type: 'png', action: 'download', filename: 'verkosto'};
        }
        """,
        Output(cid("map"), "generateImage"),
        Input(cid("png"), "n_clicks"),
        prevent_initial_call=True,
    )
