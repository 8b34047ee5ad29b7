"""About this indicator: what it measures and how to read it, in plain text, with its source."""

from __future__ import annotations

from dash import html

from perhekeskus import IndicatorKey, PanelContext, ui
from perhekeskus.plugins.indicators import data, trust


def _retrieved(ctx: PanelContext, source: str):
    """When the shown values were fetched from their source (the date a citation names)."""
    rows = ctx.reader.rows(
        "SELECT max(finished_at) FROM etl_run WHERE status = 'success' AND source = ?", [source]
    )
    return rows[0][0] if rows and rows[0][0] else None


def _source_page(ctx: PanelContext, indicator: IndicatorKey) -> list:
    """A link to the indicator's own page at its source, for the sources the panel knows the address of."""
    if indicator.source != data.SOURCE:
        return []
    href = f"https://sotkanet.fi/sotkanet/{ctx._.lang}/metadata/indicators/{indicator.id}"
    return [" – ", html.A(ctx._("the indicator's page at Sotkanet"), href=href)]


def layout(ctx: PanelContext):
    _ = ctx._
    indicator = data.chosen_indicator(ctx)
    meta = data.indicator_meta(ctx, indicator) if indicator is not None else None
    if meta is None:
        return html.P(_("No indicators have been loaded yet."))

    def text(field: str) -> str | None:
        return _.pick(meta.get(f"{field}_fi"), meta.get(f"{field}_sv"), meta.get(f"{field}_en")) or None

    years = data.years_available(ctx, indicator)
    facts = [
        (
            _("Indicator"),
            _(
                "{title} ({source} id {id})",
                title=text("title"),
                source=ui.source_title(indicator.source),
                id=indicator.id,
            ),
        ),
        (_("Unit"), trust.unit_label(_, meta) or _("not stated")),
        (_("Producer"), text("producer") or _("not given")),
        (
            _("Last updated at the source"),
            _.date(updated) if (updated := ui.as_day(meta.get("data_updated"))) else _("not given"),
        ),
        (_("Years available"), f"{years[0]}–{years[-1]}" if years else _("no data")),
        (
            _("Data by gender"),
            _("yes") if indicator in data.indicators_by_gender(ctx.reader) else _("no data by gender"),
        ),
        (_("Licence"), ui.licence(_, meta)),
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
        if not value:
            continue
        paragraphs = [html.P(p) for p in value.split("\n\n")]
        if field == "description":
            sections += [html.H3(heading), *paragraphs]
        else:  # the producer's longer texts one click away: a phone page stays a few screens long
            sections.append(
                html.Details([html.Summary(html.H3(heading, className="summary-heading")), *paragraphs])
            )
    return html.Div(
        [
            *old_data,
            # the technical facts one click away: the definition and the source stay in view
            html.Details(
                [
                    html.Summary(_("Facts about the indicator")),
                    html.Dl(
                        [item for label, value in facts for item in (html.Dt(label), html.Dd(value))],
                        className="facts",
                    ),
                ]
            ),
            *sections,
            html.P(
                [ui.source_line(_, meta), *_source_page(ctx, indicator)],
                className="attribution",
            ),
            html.P(
                [
                    _("How to cite:"),
                    " ",
                    ui.citation(_, meta, indicator.id, _retrieved(ctx, indicator.source)),
                ],
                className="citation",
            ),
        ],
        id="about-indicator-body",
    )
