"""About this indicator: what it measures and how to read it, in plain text, with its source."""

from __future__ import annotations

from dash import html

from dashboard import queries
from dashboard.panels import data
from plugins.panels import PanelContext


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
        (_("Unit"), text("unit") or _("not given")),
        (_("Producer"), text("producer") or _("not given")),
        (
            _("Last updated at the source"),
            _.date(meta.get("data_updated")) if meta.get("data_updated") else _("not given"),
        ),
        (_("Years available"), f"{years[0]}–{years[-1]}" if years else _("no data")),
        (_("Licence"), meta.get("licence") or _("the producer's own terms")),
    ]
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
            html.Dl(
                [item for label, value in facts for item in (html.Dt(label), html.Dd(value))],
                className="facts",
            ),
            *sections,
            html.P(
                [
                    _("Source: THL, Sotkanet"),
                    " – ",
                    html.A(
                        _("the indicator's page at Sotkanet"),
                        href=f"https://sotkanet.fi/sotkanet/{_.lang}/metadata/indicators/{indicator}",
                    ),
                ]
            ),
        ],
        id="about-indicator-body",
    )
