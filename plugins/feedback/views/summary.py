"""Server-rendered pages of the views part (one Flask blueprint, no JavaScript needed):

- ``GET /palaute/yhteenveto``: the public "what families told us" summary of the whole province, with a
  link to each coordination area's summary;
- ``GET /palaute/yhteenveto/<area_id>``: the same for one area;
- ``GET /palaute/vienti.csv`` and ``/palaute/vienti.xlsx`` (``?alue=<id>`` or ``?kunta=<code>``, none for
  the province): the anonymised answers (:mod:`.export`), for holders of ``feedback.export`` there.

The summary is the public tier of :mod:`.aggregate` whoever asks (approved answers, confirmed themes,
approved publishable quotes, never a group under five). Texts are shown through Jinja's autoescaping:
whatever a family wrote is shown as text, never as markup.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import flask

from perhekeskus import ui
from perhekeskus.plugins.feedback.model import MIN_GROUP, RATINGS, word
from perhekeskus.plugins.feedback.views import aggregate, visibility
from perhekeskus.plugins.feedback.views import export as anonymised
from perhekeskus.plugins.feedback.views.aggregate import PUBLIC
from perhekeskus.plugins.feedback.views.panel import count_text, period_label, place_name, rating_words

SUMMARY = "/palaute/yhteenveto"
EXPORT = "/palaute/vienti"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AUDIT_EVENT = "feedback_exported"
QUOTES_SHOWN = 4
THEMES_SHOWN = 5


def _message(_, title: str, text: str, status: int) -> flask.Response:
    return ui.render_page(
        "perhekeskus/message.html",
        status,
        title=title,
        text=text,
        back=SUMMARY,
        back_text=_("Back to the summary"),
    )


def summary_context(_, services: Any, area_id: str | None) -> dict:
    """What the summary template shows of the province (``area_id`` None) or one area, public tier."""
    areas = services.areas
    unit = aggregate.area_unit(area_id) if area_id else aggregate.PROVINCE
    place = place_name(_, unit, areas)
    data = aggregate.feedback(services.reader, areas)
    context: dict = {
        "title": _("What families told us: {place}", place=place),
        "place": place,
        "published": data is not None,
        "min_group": MIN_GROUP,
        "areas": [(a.area_id, a.name(_.lang)) for a in areas.areas],
        "area_id": area_id,
        "form_href": "/palaute",
    }
    if data is None:
        return context
    result = aggregate.view(data, unit, PUBLIC, quotes=QUOTES_SHOWN)
    context["result"] = result
    if result.shown:
        context.update(
            answers=_.number(result.answers, 0),
            rating=rating_words(_, result.mean),
            ratings=[
                (f"{k} – {word(RATINGS, k, _.lang)}", count_text(_, c)) for k, c in reversed(result.ratings)
            ],
            themes=[(data.theme_name(t, _.lang), _.number(c, 0)) for t, c in result.themes[:THEMES_SHOWN]],
            quotes=[
                (_("What was good") if kind == "good" else _("What should change"), text)
                for kind, text in result.quotes
            ],
            periods=[
                (period_label(_, k), count_text(_, c), rating_words(_, m)) for k, c, m in result.periods
            ],
            parts=[(place_name(_, u, areas), count_text(_, c)) for u, c in result.parts],
        )
    return context


def _summary(services: Any, area_id: str | None) -> flask.Response:
    _ = ui.translator(ui.request_lang())
    if area_id is not None and services.areas.area(area_id) is None:
        return _message(_, _("Not found"), _("There is no such area."), 404)
    return ui.render_page("feedback_views/summary.html", **summary_context(_, services, area_id))


def _place_of(services: Any, args: Any) -> tuple[str, str | None, str | None] | None:
    """(level, area id, municipality code) asked in ``?alue=`` / ``?kunta=``; None when unknown."""
    areas = services.areas
    code, area_id = args.get("kunta"), args.get("alue")
    if code:
        area = areas.area_of(code)
        return ("local", area.area_id, code) if area else None
    if area_id:
        return ("region", area_id, None) if areas.area(area_id) else None
    return ("province", None, None)


def _export(services: Any, fmt: str) -> flask.Response:
    _ = ui.translator(ui.request_lang())
    user = ui.current_user()
    if user is None:
        return flask.redirect("/kirjaudu", code=303)
    place = _place_of(services, flask.request.args)
    if place is None:
        return _message(_, _("Not found"), _("There is no such area or municipality."), 404)
    level, area_id, code = place
    if not visibility.may_export(services, user, level, area_id, code):
        return _message(_, _("Not allowed"), _("You do not have the right to export this feedback."), 403)
    data = aggregate.feedback(services.reader, services.areas)
    if data is None:
        return _message(_, _("No feedback yet"), _("No feedback has been published yet."), 404)
    table = anonymised.frame(_, data, level, area_id, code)
    services.audit(
        AUDIT_EVENT,
        actor=user.username,
        target=code or area_id or "maakunta",
        details={"format": fmt, "level": level, "rows": len(table), "lang": _.lang},
    )
    stamp = datetime.now(UTC)
    name = f"palaute-{code or area_id or 'maakunta'}-{stamp:%Y%m%d}"
    lines = anonymised.about_lines(_)
    if fmt == "csv":
        body, mimetype = ui.to_csv(table, _.lang, lines), "text/csv; charset=utf-8"
    else:
        about = [{_("About"): line} for line in lines]
        body, mimetype = ui.to_xlsx(table, _("Answers"), extra_sheets={_("About"): about}), XLSX_MIMETYPE
    response = flask.Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def blueprint(services: Any) -> flask.Blueprint:
    """The summary and export pages, bound to this app's ``services`` (one blueprint per app)."""
    bp = flask.Blueprint("feedback_views", __name__, template_folder="templates")

    @bp.get(SUMMARY)
    def province_summary() -> flask.Response:
        return _summary(services, None)

    @bp.get(f"{SUMMARY}/<area_id>")
    def area_summary(area_id: str) -> flask.Response:
        return _summary(services, area_id)

    @bp.get(f"{EXPORT}.csv")
    def export_csv() -> flask.Response:
        return _export(services, "csv")

    @bp.get(f"{EXPORT}.xlsx")
    def export_xlsx() -> flask.Response:
        return _export(services, "xlsx")

    return bp
