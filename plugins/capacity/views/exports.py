"""``/osaaminen/vienti.csv`` and ``.xlsx``: the aggregates of every place of the province (the province,
its areas, their municipalities) for one competence and a range of weeks, in the page's language.

Counts of families are suppressed exactly as on the page (the same states, computed over the whole
province per week), so the file holds nothing the page hides: a hidden count is a word ("fewer than 5",
"hidden") in its own column and an empty number. No family, team or meeting is read. Every download is
written to the audit log as ``capacity_export``; anonymous visitors are sent to sign in and users without
``capacity.view`` get 403.
"""

from __future__ import annotations

from typing import Any

import flask

from perhekeskus.plugins.capacity.analysis.places import all_places
from perhekeskus.plugins.capacity.model import competences_for
from perhekeskus.plugins.capacity.views import texts
from perhekeskus.plugins.capacity.views.figures import Computed, compute
from perhekeskus.plugins.capacity.views.page import EXPORT_PATH, allowed, make_choice


def rows(_, services: Any, computed: Computed) -> list[dict]:
    areas = services.areas
    competence = competences_for(services).label(computed.choice.competence, _.lang)
    kinds = {"province": _("Province"), "area": _("Coordination area"), "municipality": _("Municipality")}
    found = []
    for week in computed.choice.weeks:
        for place in all_places(areas):
            cell = computed.supply.at(place, week)
            state = computed.state(place, week)
            shown_wait = state == "shown" and cell.families and cell.longest_wait_days is not None
            found.append(
                {
                    _("Week"): week,
                    _("Competence"): competence,
                    _("Place type"): kinds[place.kind],
                    _("Place code"): place.code,
                    _("Place"): texts.place_name(areas, place, _.lang),
                    _("Workers with the competence"): cell.workers,
                    _("Hours available"): round(cell.available, 1),
                    _("Hours booked"): round(cell.booked, 1),
                    _("Free hours"): round(cell.free, 1),
                    _("Families waiting"): texts.families_number(cell.families, state),
                    _("Families waiting (as shown)"): texts.families_text(_, cell.families, state),
                    _("Longest wait (days)"): cell.longest_wait_days if shown_wait else None,
                    _("Demo data"): _("yes") if computed.demo else "",
                }
            )
    return found


def make_blueprint(services: Any) -> flask.Blueprint:
    from perhekeskus.ui import current_user, request_lang, to_csv, to_xlsx, translator

    bp = flask.Blueprint("capacity_views", __name__)

    def download(fmt: str):
        user = current_user()
        if user is None:
            return flask.redirect("/kirjaudu?next=/osaaminen", code=303)
        if not allowed(services, user):
            flask.abort(403)
        lang = request_lang()
        _ = translator(lang)
        args = flask.request.args
        level = args.get("level", "1")
        choice = make_choice(
            services,
            args.get("competence"),
            args.get("place"),
            args.get("from"),
            args.get("to"),
            int(level) if level.isdigit() else 1,
        )
        computed = compute(services, choice, with_warnings=False)
        table = rows(_, services, computed)
        services.audit(
            "capacity_export",
            actor=user.username,
            target=choice.competence,
            details={"format": fmt, "first": choice.first, "last": choice.last, "rows": len(table)},
        )
        name = f"osaaminen-{choice.competence}-{choice.first}-{choice.last}"
        if fmt == "csv":
            body, mimetype = to_csv(table, lang), "text/csv; charset=utf-8"
        else:
            body = to_xlsx(table, sheet=_("Competence and capacity"))
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = flask.Response(body, mimetype=mimetype)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        response.headers["Cache-Control"] = "no-store"
        return response

    bp.add_url_rule(f"{EXPORT_PATH}.csv", "export_csv", lambda: download("csv"))
    bp.add_url_rule(f"{EXPORT_PATH}.xlsx", "export_xlsx", lambda: download("xlsx"))
    return bp
