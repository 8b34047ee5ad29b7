"""Clear refusals for requests to Dash's own routes that no browser of ours sends.

Dash raises on an unknown file under ``/_dash-component-suites/`` and on a callback body of the wrong
shape (not JSON, not an object, an output no callback has, too few inputs); Flask turns each of those
into a 500 and a full traceback in the log, one per request, so anyone can fill the log and every real
error drowns. Here such requests get 404 or 400 and one log line, before Dash sees them (a
``before_request`` guard) or from Flask's error handling (what Dash itself raises for a bad path). A
well-formed callback whose function raises is still a 500 with its traceback: that is a bug to find.

``/_reload-hash`` (Dash's hot-reload poll, which lists the served packages) answers 404 unless the app
runs with Dash's dev tools (``debug=True``), which the product never does.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
import flask
from dash.exceptions import DependencyException

log = logging.getLogger(__name__)
MAX_LOGGED_PATH = 200


def _printable(text: str) -> str:
    """A client-chosen text made safe for one log line: no line breaks or control characters, bounded."""
    cleaned = "".join(c if c.isprintable() else "?" for c in text[:MAX_LOGGED_PATH])
    return cleaned + ("…" if len(text) > MAX_LOGGED_PATH else "")


def refuse(status: int, reason: str) -> flask.Response:
    """A plain-text refusal, logged as one line with the method, path and reason."""
    request = flask.request
    log.warning("refused %s %s with %d: %s", request.method, _printable(request.path), status, reason)
    text = "not found" if status == 404 else "bad request"
    return flask.Response(text, status=status, mimetype="text/plain")


def _is_prop_ref(item: Any) -> bool:
    """``{"id": ..., "property": ...}``: how the renderer names one component property."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | dict)
        and isinstance(item.get("property"), str)
    )


def _prop_refs_ok(items: Any) -> bool:
    """A list of property references; a pattern-matching (ALL) entry is itself a list of them."""
    if not isinstance(items, list):
        return False
    return all(
        _is_prop_ref(item) or (isinstance(item, list) and all(_is_prop_ref(i) for i in item))
        for item in items
    )


def _output_ok(spec: str, given: Any) -> bool:
    """One output as the renderer sends it: a list only for a pattern-matching id (``{"type": ...}``)."""
    if spec.startswith("{"):
        return _is_prop_ref(given) or (isinstance(given, list) and all(_is_prop_ref(g) for g in given))
    return _is_prop_ref(given)


def _outputs_ok(output: str, outputs: Any) -> bool:
    """``outputs`` matches the callback's output string: one reference, or a list for "..a.x...b.y.."."""
    if not output.startswith(".."):
        return _output_ok(output, outputs)
    specs = output[2:-2].split("...")
    return (
        isinstance(outputs, list)
        and len(outputs) == len(specs)
        and all(_output_ok(spec, given) for spec, given in zip(specs, outputs, strict=True))
    )


def callback_body_problem(callback_map: dict, body: Any) -> str | None:
    """Why ``body`` cannot be a callback request of this app (None when it can).

    Checks what Dash reads before it calls the function: the output names a server-side callback, and
    outputs, inputs and state are lists of property references of the callback's lengths.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str):
        return "the body names no output"
    entry = callback_map.get(output)
    if not isinstance(entry, dict) or "callback" not in entry:
        return f"no callback has the output {_printable(output)[:80]!r}"
    inputs, state = body.get("inputs"), body.get("state", [])
    if not _prop_refs_ok(inputs) or not _prop_refs_ok(state):
        return "inputs or state are not lists of component properties"
    if len(inputs) != len(entry.get("inputs") or []) or len(state) != len(entry.get("state") or []):
        return "the number of inputs or state values does not match the callback"
    if not entry.get("no_output") and not _outputs_ok(output, body.get("outputs")):
        return "the outputs do not match the callback"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds is not a list of names"
    return None


def _dev_tools_on(app: dash.Dash) -> bool:
    """Whether Dash's dev tools (hot reload) were switched on, as ``app.run(debug=True)`` does."""
    tools = getattr(app, "_dev_tools", None) or {}
    return bool(tools.get("hot_reload"))


def register(app: dash.Dash) -> None:
    """The guard and error handlers on ``app``'s Flask server (after Dash has set up its own)."""
    server = app.server
    prefix = app.config.routes_pathname_prefix or "/"
    callback_path = f"{prefix}_dash-update-component"
    reload_path = f"{prefix}_reload-hash"

    @server.before_request
    def _guard_dash_routes():
        request = flask.request
        if request.path == reload_path and not _dev_tools_on(app):
            return refuse(404, "hot reload is off")
        if request.path == callback_path and request.method == "POST":
            body = request.get_json(silent=True) if request.is_json else None
            if body is None:
                return refuse(400, "the callback body is not JSON")
            problem = callback_body_problem(app.callback_map, body)
            if problem:
                return refuse(400, problem)
        return None

    @server.errorhandler(DependencyException)
    def _unknown_component_file(_error: DependencyException):
        # Dash's message lists every registered file; the log line needs only the path asked for
        return refuse(404, "no such component file")
