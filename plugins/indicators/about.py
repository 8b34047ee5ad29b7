"""About this indicator: what it measures and how to read it, in plain text, with its source."""

from __future__ import annotations

from dash import html

from perhekeskus.dashboard import attribution, queries
from perhekeskus.panels import PanelContext
from perhekeskus.plugins.indicators import data, trust


def _retrieved(ctx: PanelContext):
    """When the shown values were fetched from Sotkanet (the date a citation names)."""
    rows = ctx.reader.rows(
        "SELECT max(finished_at) FROM etl_run WHERE status = 'success' AND source = ?", [data.SOURCE]
    )
    return rows[0][0] if rows and rows[0][0] else None


def layout(ctx: PanelContext):
    _ = ctx._
    indicator = data.chosen_indicator(ctx)
    meta = data.indicator_meta(ctx, indicator) if indicator is not None else None
    if meta is None:
        return html.P(_("No indicators have been loaded yet."))

    def text(field: str) -> str | None:
        return _.pick(meta.get(f"{field}_fi"), meta.get(f"{field}_sv"), meta.get(f"{field}_en")) or None

    years = queries.years_available(ctx.reader, indicator)
    facts = [
        (_("Indicator"), _("{title} (Sotkanet id {id})", title=text("title"), id=indicator)),
        (_("Unit"), trust.unit_label(_, meta) or _("not stated")),
        (_("Producer"), text("producer") or _("not given")),
        (
            _("Last updated at the source"),
            _.date(updated) if (updated := trust.as_day(meta.get("data_updated"))) else _("not given"),
        ),
        (_("Years available"), f"{years[0]}–{years[-1]}" if years else _("no data")),
        (
            _("Data by gender"),
            _("yes") if indicator in data.indicators_by_gender(ctx.reader) else _("no data by gender"),
        ),
        (_("Licence"), attribution.licence(_, meta)),
    ]
    old_data = (
        [html.P(_("Data is old: newest year {year}", year=years[-1]), className="stale-flag", role="note")]
        if years and trust.is_stale(years[-1], trust.today(ctx.extras))
        else []
    )
    sections = []
    for field, heading in (
        ("description", _("Definition")),
        ("interpretation", _("How to read it")),
        ("limits", _("Limitations")),
        ("notices", _("Notes")),
    ):
        value = text(field)
        if value:
            sections += [html.H3(heading), *[html.P(p) for p in value.split("\n\n")]]
    return html.Div(
        [
            *old_data,
            html.Dl(
                [item for label, value in facts for item in (html.Dt(label), html.Dd(value))],
                className="facts",
            ),
            *sections,
            html.P(
                [
                    attribution.source_line(_, meta),
                    " – ",
                    html.A(
                        _("the indicator's page at Sotkanet"),
                        href=f"https://sotkanet.fi/sotkanet/{_.lang}/metadata/indicators/{indicator}",
                    ),
                ],
                className="attribution",
            ),
            html.P(
                [_("How to cite:"), " ", attribution.citation(_, meta, indicator, _retrieved(ctx))],
                className="citation",
            ),
        ],
        id="about-indicator-body",
    )
