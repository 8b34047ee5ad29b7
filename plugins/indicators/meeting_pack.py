"""The meeting pack: a PDF a steering group takes into its meeting, per level.

``/raportti/maakunta.pdf``, ``/raportti/alue/<id>.pdf`` and ``/raportti/kunta/<code>.pdf`` (``?lang=``): a
cover (the level, the date, the sources and their data dates), the overview (province and areas), the key
figures with their trend charts drawn on the server as vector images, what changed in the last 90 days,
quality and small-number notes, the demo mark on every page when values are demo, and the attribution of
every producer. HTML and CSS made into PDF with WeasyPrint: the same numbers as the panels, from the same
functions (key figures, overview, what changed), so the pack never disagrees with the page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import flask
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.plugins.indicators import changes, data, key_figures, overview, trust
from perhekeskus.plugins.indicators.common import SMALL, is_small
from perhekeskus.plugins.indicators.svg_chart import Line, trend_svg
from perhekeskus.ui import indicator_metas, licence, producer_name

TEMPLATES = Path(__file__).parent / "templates"
_ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
# text inside the style sheet's content: "..." strings (page margins): CSS escapes, not HTML entities
_ENV.filters["css"] = lambda text: Markup(
    "".join(c if c.isalnum() or c in " .,:;–-()" else f"\\{ord(c):x} " for c in str(text))
)
OWN, AREA_STYLE, COUNTY, FINLAND = (
    ("#D55E00", ""),
    ("#1F4E79", "10 4"),
    ("#6e6e6e", "2 3"),
    ("#000000", "6 3"),
)


class PackUnavailable(RuntimeError):
    """The PDF library (WeasyPrint and its Pango) cannot be loaded on this server."""


def _subject(ctx: PanelContext) -> tuple[str, str] | None:
    s = ctx.scope
    if s.level == "local":
        return ("KUNTA", s.municipality)
    if s.level == "region":
        return (data.AREA, s.area_id)
    return ("MAAKUNTA", ctx.areas.province_code)


def _title(ctx: PanelContext) -> str:
    _ = ctx._
    s = ctx.scope
    if s.level == "local":
        names = data.municipalities(ctx).set_index("region_code")
        name = (
            _.pick(*names.loc[s.municipality, ["name_fi", "name_sv", "name_en"]])
            if s.municipality in names.index
            else s.municipality
        )
        return _("Meeting pack: {name}", name=name)
    if s.level == "region":
        return _("Meeting pack: {name}", name=ctx.areas.area(s.area_id).name(_.lang))
    return _("Meeting pack: {name}", name=ctx.areas.province_name(_.lang))


def _charts(ctx: PanelContext, figures) -> list[dict]:
    """One trend chart per theme: its first indicator with a value, the page's region against its area,
    the county and Finland."""
    _ = ctx._
    subject = _subject(ctx)
    refs = [*([] if ctx.scope.level != "local" else data.area_regions(ctx)), *data.reference_regions(ctx)]
    chosen = figures.drop_duplicates("theme")
    out = []
    for row in chosen.itertuples(index=False):
        key = IndicatorKey(row.source, row.indicator_id)
        frame = data.values(ctx, key, [subject, *refs], "total")
        if not len(frame):
            continue
        styles = {
            subject: OWN,
            **{
                r: (AREA_STYLE if r[0] == data.AREA else COUNTY if r[0] == "HYVINVOINTIALUE" else FINLAND)
                for r in refs
            },
        }
        lines = []
        for region, group in frame.groupby(["region_category", "region_code"], sort=False):
            colour, dash = styles.get(region, ("#555555", ""))
            name = _.pick(*group.iloc[0][["name_fi", "name_sv", "name_en"]]) or region[1]
            if region[0] == data.AREA:
                name = data.area_names(ctx).get(region[1], name)
            lines.append(
                Line(
                    name,
                    list(zip(group["year"].astype(int), group["value"].astype(float), strict=True)),
                    colour,
                    dash,
                    3.5 if region == subject else 2,
                )
            )
        lines.sort(key=lambda line: line.width, reverse=True)
        svg = trend_svg(row.title, lines, lambda v, d=row.decimals: _.number(v, d))
        if svg:
            out.append({"title": row.title, "theme": row.theme, "svg": Markup(svg)})
    return out


def _key_rows(ctx: PanelContext, figures) -> tuple[list[dict], bool]:
    _ = ctx._
    rows, small = [], False
    uncombinable = data.not_combinable(ctx)
    for r in figures.itertuples(index=False):
        if ctx.scope.level == "region":
            value = getattr(r, f"area_{ctx.scope.area_id}", None)
            if IndicatorKey(r.source, r.indicator_id) in uncombinable:
                shown = _("cannot be combined")
            else:
                shown = _.number(value, r.decimals)
            change = ""
        else:
            is_few = is_small(getattr(r, "abs_value", None))
            small |= is_few
            shown = _.number(r.value, r.decimals) + (" *" if is_few else "")
            change = (
                _.signed(round(r.change_1y, trust.precision_step_digits(r.decimals)), r.decimals)
                if r.change_1y is not None and r.change_1y == r.change_1y
                else "–"
            )
        rows.append(
            {
                "theme": r.theme,
                "title": r.title,
                "year": "–" if r.year is None or r.year != r.year else int(r.year),
                "value": shown,
                "change": change,
                "county": _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                "finland": _.number(r.ref_MAA, r.decimals),
                "stale": bool(r.stale),
            }
        )
    return rows, small


def _overview(ctx: PanelContext) -> list[dict]:
    if ctx.scope.level not in ("province", "region"):
        return []
    _ = ctx._
    sections = []
    regions = overview.rows_of(ctx)
    for theme_id, theme_title in overview.themes(ctx):
        cells, indicators, _demo = overview.matrix(ctx, theme_id, "finland")
        by_cell = {(c["code"], c["source"], c["indicator_id"]): c for c in cells.to_dict("records")}
        rows = []
        for region in regions:
            row = [region.name]
            for ind in indicators:
                cell = by_cell.get((region.code, ind["key"].source, ind["key"].id), {})
                verdict = cell.get("verdict", overview.NO_DATA)
                row.append(
                    (
                        overview.STYLE[verdict][0] + " " + overview._word(_, verdict),
                        overview.STYLE[verdict][1],
                    )
                )
            rows.append(row)
        sections.append({"title": theme_title, "headers": [i["title"] for i in indicators], "rows": rows})
    return sections


def _sources(ctx: PanelContext) -> list[dict]:
    """Each source's last successful publish and its indicators' newest data date."""
    rows = ctx.reader.rows(
        """
        SELECT r.source, max(r.finished_at) FILTER (WHERE r.status = 'success'),
               (SELECT max(i.data_updated) FROM indicator i WHERE i.source = r.source),
               arg_max(r.status, r.started_at), bool_or(r.is_demo) FILTER (WHERE r.status = 'success')
        FROM etl_run r GROUP BY r.source ORDER BY r.source
        """
    )
    _ = ctx._
    return [
        {
            "source": source,
            "published": _.date(published) if published else "–",
            "data_date": _.date(updated) if updated else "–",
            "last_status": status,
            "demo": bool(demo),
        }
        for source, published, updated, status, demo in rows
    ]


def _producers(ctx: PanelContext, figures) -> list[str]:
    _ = ctx._
    keys = [IndicatorKey(s, i) for s, i in zip(figures["source"], figures["indicator_id"], strict=True)]
    metas = indicator_metas(ctx.reader, keys)
    lines = sorted({f"{producer_name(_, m)} ({licence(_, m)})" for m in metas.values()})
    return lines


def build_html(ctx: PanelContext, today: date | None = None) -> tuple[str, bool]:
    """(the pack as HTML, whether it shows demo values)."""
    _ = ctx._
    today = today or trust.today(ctx.extras)
    figures = key_figures.compute(ctx)
    demo = bool(len(figures) and figures["is_demo"].any())
    key_rows, any_small = _key_rows(ctx, figures) if len(figures) else ([], False)
    since = date.fromordinal(today.toordinal() - changes.DEFAULT_DAYS)
    updated = changes.updated_indicators(ctx, since)
    moved = changes.moves(ctx, updated)
    sources = _sources(ctx)
    html = _ENV.get_template("indicators/pack.html").render(
        _=_,
        lang=_.lang,
        title=_title(ctx),
        today=_.date(today),
        level=ctx.scope.level,
        demo=demo,
        sources=sources,
        key_rows=key_rows,
        area_column=ctx.scope.level == "region",
        charts=_charts(ctx, figures) if len(figures) else [],
        overview=_overview(ctx),
        since=_.date(since),
        updated=[
            {
                "title": _.pick(r.title_fi, r.title_sv, r.title_en),
                "date": _.date(r.data_updated),
                "year": "–" if r.newest is None or r.newest != r.newest else int(r.newest),
            }
            for r in updated.itertuples(index=False)
        ],
        moved=[
            {
                "region": m["region"],
                "title": m["title"],
                "verdict": _("better")
                if m["verdict"] == trust.BETTER
                else _("worse")
                if m["verdict"] == trust.WORSE
                else "",
                "change": _.signed(
                    round(m["change"], trust.precision_step_digits(m["decimals"])), m["decimals"]
                ),
                "year": m["year"],
            }
            for m in moved
        ],
        quality=[s for s in sources if s["last_status"] != "success"],
        small_note=_("* Based on fewer than {n} cases: interpret with care.", n=SMALL) if any_small else "",
        producers=_producers(ctx, figures) if len(figures) else [],
        stale=any(r["stale"] for r in key_rows),
    )
    return html, demo


def render_pdf(html: str) -> bytes:
    """The HTML as a PDF (WeasyPrint); :class:`PackUnavailable` when the library cannot load."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: Pango is missing on this server
        raise PackUnavailable(str(exc)) from exc
    return weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def blueprint(services) -> flask.Blueprint:
    """``/raportti/...pdf``: the pack of a leadership-level page, in the request's language."""
    from perhekeskus import callback_scope
    from perhekeskus.ui import request_lang, translator

    bp = flask.Blueprint("meeting_pack", __name__)

    def answer(path: str):
        lang = request_lang()
        scope = callback_scope(services, path, f"?lang={lang}")
        _ = translator(lang)
        if scope is None:
            return flask.Response(_("There is no such page."), status=404, mimetype="text/plain")
        ctx = PanelContext(scope, services.reader, _, services.areas, {"settings": services.settings})
        html, _demo = build_html(ctx)
        try:
            pdf = render_pdf(html)
        except PackUnavailable:
            flask.current_app.logger.exception("the meeting pack cannot be made: WeasyPrint did not load")
            return flask.Response(
                _("The meeting pack cannot be made on this server right now. Print the page instead."),
                status=503,
                mimetype="text/plain",
            )
        name = path.strip("/").replace("/", "-") or "maakunta"
        response = flask.Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="perhekeskus-{name}.pdf"'
        response.headers["Cache-Control"] = "no-store"
        return response

    bp.add_url_rule("/raportti/maakunta.pdf", "province", lambda: answer("/maakunta"))
    bp.add_url_rule("/raportti/alue/<area_id>.pdf", "area", lambda area_id: answer(f"/alue/{area_id}"))
    bp.add_url_rule("/raportti/kunta/<code>.pdf", "municipality", lambda code: answer(f"/kunta/{code}"))
    return bp
