"""The network as files: GraphML and GEXF for Gephi, and the actors' metrics as CSV, at
``/verkosto/vienti/<round>.graphml|.gexf|.csv?<filters>``.

Each request decides names again on the server, by the same rule as the page (signed in and allowed
``network.view_names`` on the round's area); everyone else gets the pseudonymised network, with the
actor type instead of organisation and title. A demo round says so in the file (a graph attribute, the
CSV's first line) and in the file name.
"""

from __future__ import annotations

import io
import re
from typing import Any

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS, word
from perhekeskus.plugins.network.view import data, filters
from perhekeskus.plugins.network.view.page import EXPORT_PREFIX, analysed, round_label

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "csv": "text/csv; charset=utf-8",
}


def graph(view, net, found, _, areas, municipality_names: dict, task_names: dict):
    """A networkx MultiDiGraph of what the reader may see (one edge per tie: kinds can differ)."""
    import networkx as nx

    type_names = view.type_names or {}
    round_ = view.round
    g = nx.MultiDiGraph()
    g.graph["round"] = round_label(round_, areas, _)
    g.graph["round_date"] = round_.round_date
    g.graph["names"] = _("with names") if view.named else _("anonymised")
    if round_.is_demo:
        g.graph["note"] = (
            _("Demo data")
            + ": "
            + _("this network is generated for trying the map; it describes no real people.")
        )
    for actor in net.actors:
        attributes: dict[str, Any] = {
            "label": actor.name,
            "actor_type": type_names.get(actor.actor_type, actor.actor_type),
            "municipality": ", ".join(municipality_names.get(m, m) for m in actor.municipalities),
            "tasks": ", ".join(task_names.get(t, t) for t in actor.tasks),
            "community": int(found.communities.get(actor.actor_id, 0)),
        }
        if view.named:
            attributes["organisation"] = actor.organisation
            attributes["job_title"] = actor.job_title
        for metric in found.metrics:
            value = found.values.get(actor.actor_id, {}).get(metric.key)
            attributes[metric.key] = float(value) if value is not None and value == value else 0.0
        g.add_node(actor.actor_id, **attributes)
    for number, tie in enumerate(net.ties, start=1):
        g.add_edge(
            tie.source,
            tie.target,
            key=f"e{number}",
            kind=word(TIE_KINDS, tie.kind, _.lang),
            frequency=int(tie.frequency),
            frequency_text=word(FREQUENCIES, tie.frequency, _.lang),
            task=task_names.get(tie.task, tie.task) if tie.task else "",
            weight=float(tie.frequency),
        )
    return g


def make_blueprint(services: Any):
    import flask
    import networkx as nx

    from perhekeskus.ui import current_user, request_lang, to_csv, translator

    blueprint = flask.Blueprint(
        "network_view",
        __name__,
        url_prefix=EXPORT_PREFIX,
        static_folder="assets",
        static_url_path="/static",
    )

    @blueprint.route("/<round_id>.<fmt>")
    def export(round_id: str, fmt: str):
        if fmt not in FORMATS:
            flask.abort(404)
        current = next((r for r in data.rounds(services.reader) if r.round_id == round_id), None)
        if current is None:
            flask.abort(404)
        lang = request_lang()
        _ = translator(lang)
        view = data.shown_view(services, current_user(), lang, current, None, via=f"export:{fmt}")
        if view is None:
            flask.abort(404)
        chosen = filters.from_query(view.network, flask.request.args)
        net = filters.apply(view.network, chosen)
        found = analysed(services, view, net, _, (current.round_id, None, repr(chosen)))
        municipality_names = data.municipality_names(services.areas, lang)
        task_names = data.task_names(lang)
        safe_id = re.sub(r"[^A-Za-z0-9_-]", "_", current.round_id)[:80]
        name = (
            f"verkosto-{safe_id}" + ("-demo" if current.is_demo else "") + ("" if view.named else "-anonyymi")
        )
        if fmt == "csv":
            type_names = view.type_names or {}
            rows = []
            for actor in net.actors:
                row = {
                    _("Actor"): actor.name,
                    _("Actor type"): type_names.get(actor.actor_type, actor.actor_type),
                }
                if view.named:
                    row[_("Organisation")] = actor.organisation
                    row[_("Job title")] = actor.job_title
                row[_("Municipality")] = ", ".join(municipality_names.get(m, m) for m in actor.municipalities)
                row[_("Community")] = found.communities.get(actor.actor_id)
                for metric in found.metrics:
                    value = found.values.get(actor.actor_id, {}).get(metric.key)
                    row[metric.label] = None if value is None or value != value else round(float(value), 4)
                rows.append(row)
            header = [round_label(current, services.areas, _)]
            if current.is_demo:
                header.append(
                    _("Demo data")
                    + ": "
                    + _("this network is generated for trying the map; it describes no real people.")
                )
            body = to_csv(rows, lang, header_lines=header)
        else:
            g = graph(view, net, found, _, services.areas, municipality_names, task_names)
            out = io.BytesIO()
            if fmt == "graphml":
                nx.write_graphml(g, out, encoding="utf-8")
            else:
                nx.write_gexf(g, out, encoding="utf-8")
            body = out.getvalue()
        response = flask.Response(body, mimetype=FORMATS[fmt].split(";")[0])
        if fmt == "csv":
            response.headers["Content-Type"] = FORMATS[fmt]
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response.headers["Cache-Control"] = "no-store"
        return response

    return blueprint
