"""Writes this part's catalogs (fi, sv, en) from the table below: the message ids are English, as the
code writes them. Run after changing a string (``.venv/bin/python plugins/feedback/views/locale/make_catalogs.py``);
the product reads the .po files at runtime (no compile step)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

HERE = Path(__file__).parent

# English id → (Finnish, Swedish)
MESSAGES: dict[str, tuple[str, str]] = {
    "Q{quarter} {year}": ("{year}/{quarter}. neljännes", "{year} kvartal {quarter}"),
    "Outside the province": ("Maakunnan ulkopuolelta", "Utanför landskapet"),
    "Municipality or area": ("Kunta tai alue", "Kommun eller område"),
    "Month or period": ("Kuukausi tai jakso", "Månad eller period"),
    "Family-centre task": ("Perhekeskuksen tehtävä", "Familjecentrets uppgift"),
    "Rating (1–5)": ("Arvio (1–5)", "Bedömning (1–5)"),
    "Rating in words": ("Arvio sanoin", "Bedömning i ord"),
    "Age of the children": ("Lasten ikä", "Barnens ålder"),
    "Themes": ("Teemat", "Teman"),
    "What was good": ("Mikä oli hyvää", "Vad var bra"),
    "What should change": ("Mitä pitäisi muuttaa", "Vad borde ändras"),
    "Anonymised answers of families' feedback.": (
        "Perheiden palautteen vastaukset anonymisoituina.",
        "Familjernas svar på responsen, anonymiserade.",
    ),
    "Months only, no dates. Every combination of place, time, task and age group appears on at least {n} rows: rarer answers are shown with less detail.": (
        "Vain kuukaudet, ei päivämääriä. Jokainen paikan, ajan, tehtävän ja ikäryhmän yhdistelmä esiintyy vähintään {n} rivillä: harvinaisemmat vastaukset näytetään karkeammin.",
        "Endast månader, inga datum. Varje kombination av plats, tid, uppgift och åldersgrupp finns på minst {n} rader: ovanligare svar visas med mindre detaljer.",
    ),
    "Texts only when a moderator approved the answer and marked the text publishable; personal data was removed before storing.": (
        "Tekstit vain, kun moderaattori on hyväksynyt vastauksen ja merkinnyt tekstin julkaistavaksi; henkilötiedot poistettiin ennen tallennusta.",
        "Texter endast när en moderator har godkänt svaret och märkt texten som publicerbar; personuppgifter togs bort före lagringen.",
    ),
    "All answers": ("Kaikki vastaukset", "Alla svar"),
    "not shown": ("ei näytetä", "visas inte"),
    "fewer than {n}": ("alle {n}", "färre än {n}"),
    "Fewer than {n} answers: not shown.": (
        "Alle {n} vastausta: ei näytetä.",
        "Färre än {n} svar: visas inte.",
    ),
    "Groups of fewer than {n} answers are never shown, so that no family can be recognised.": (
        "Alle {n} vastauksen ryhmiä ei koskaan näytetä, jotta yhtäkään perhettä ei voi tunnistaa.",
        "Grupper med färre än {n} svar visas aldrig, så att ingen familj kan kännas igen.",
    ),
    "Answers": ("Vastaukset", "Svar"),
    "Average rating (1–5)": ("Keskimääräinen arvio (1–5)", "Genomsnittlig bedömning (1–5)"),
    "Period": ("Jakso", "Period"),
    "No quotes have been published yet.": (
        "Lainauksia ei ole vielä julkaistu.",
        "Inga citat har publicerats ännu.",
    ),
    "By quarter": ("Neljännesvuosittain", "Per kvartal"),
    "By month": ("Kuukausittain", "Per månad"),
    "Narrow the view: {chosen}": ("Rajaa näkymää: {chosen}", "Avgränsa vyn: {chosen}"),
    "Narrow the feedback view": ("Rajaa palautenäkymää", "Avgränsa responsvyn"),
    "You see every answer that moderators have not hidden, also those still waiting for moderation.": (
        "Näet kaikki vastaukset, joita moderaattorit eivät ole piilottaneet, myös moderointia odottavat.",
        "Du ser alla svar som moderatorerna inte har dolt, även de som väntar på moderering.",
    ),
    "Moderated answers only, as in the public summary. Readers of the area see every answer after signing in.": (
        "Vain moderoidut vastaukset, kuten julkisessa yhteenvedossa. Alueen lukijat näkevät kaikki vastaukset kirjauduttuaan.",
        "Endast modererade svar, som i den offentliga sammanfattningen. Områdets läsare ser alla svar efter inloggning.",
    ),
    "Give feedback": ("Anna palautetta", "Ge respons"),
    "What families told us (public summary)": (
        "Mitä perheet kertoivat (julkinen yhteenveto)",
        "Vad familjerna berättade (offentlig sammanfattning)",
    ),
    "Anonymised answers:": ("Anonymisoidut vastaukset:", "Anonymiserade svar:"),
    "No feedback has been published yet.": (
        "Palautetta ei ole vielä julkaistu.",
        "Ingen respons har publicerats ännu.",
    ),
    "Answers and average rating: {place}, {group}": (
        "Vastaukset ja keskimääräinen arvio: {place}, {group}",
        "Svar och genomsnittlig bedömning: {place}, {group}",
    ),
    "{count} answers": ("{count} vastausta", "{count} svar"),
    "Average rating: {rating}": ("Keskimääräinen arvio: {rating}", "Genomsnittlig bedömning: {rating}"),
    "Bar chart of answers per period and a line of the average rating; the same numbers are in the table.": (
        "Pylväskaavio vastauksista jaksoittain ja viiva keskimääräisestä arviosta; samat luvut ovat taulukossa.",
        "Stapeldiagram över svar per period och en linje för den genomsnittliga bedömningen; samma siffror finns i tabellen.",
    ),
    "Show the numbers as a table": ("Näytä luvut taulukkona", "Visa siffrorna som tabell"),
    "How well families got help": ("Kuinka hyvin perheet saivat apua", "Hur väl familjerna fick hjälp"),
    "Answers by rating": ("Vastaukset arvion mukaan", "Svar enligt bedömning"),
    "Rating": ("Arvio", "Bedömning"),
    "Themes of the answers": ("Vastausten teemat", "Svarens teman"),
    "Theme": ("Teema", "Tema"),
    "No theme has {n} or more answers.": (
        "Millään teemalla ei ole vähintään {n} vastausta.",
        "Inget tema har {n} eller fler svar.",
    ),
    "Answers by area": ("Vastaukset alueittain", "Svar per område"),
    "Answers by municipality": ("Vastaukset kunnittain", "Svar per kommun"),
    "Place": ("Paikka", "Plats"),
    "In families' words": ("Perheiden sanoin", "Med familjernas ord"),
    "Some numbers are also hidden so that a smaller group cannot be worked out by subtracting one shown number from another.": (
        "Joitakin lukuja piilotetaan myös, jotta pienempää ryhmää ei voi päätellä vähentämällä näytetyn luvun toisesta.",
        "Vissa siffror döljs också så att en mindre grupp inte kan räknas ut genom att dra en visad siffra från en annan.",
    ),
    "Back to the summary": ("Takaisin yhteenvetoon", "Tillbaka till sammanfattningen"),
    "What families told us: {place}": (
        "Mitä perheet kertoivat: {place}",
        "Vad familjerna berättade: {place}",
    ),
    "Not found": ("Ei löytynyt", "Hittades inte"),
    "There is no such area.": ("Tällaista aluetta ei ole.", "Det finns inget sådant område."),
    "There is no such area or municipality.": (
        "Tällaista aluetta tai kuntaa ei ole.",
        "Det finns inget sådant område eller någon sådan kommun.",
    ),
    "Not allowed": ("Ei sallittu", "Inte tillåtet"),
    "You do not have the right to export this feedback.": (
        "Sinulla ei ole oikeutta viedä tätä palautetta.",
        "Du har inte rätt att exportera denna respons.",
    ),
    "No feedback yet": ("Ei vielä palautetta", "Ingen respons ännu"),
    "About": ("Tietoja aineistosta", "Om materialet"),
    "What families have said about family-centre services in the feedback form, after moderation. Groups of fewer than {n} answers are never shown, so that no family can be recognised.": (
        "Mitä perheet ovat kertoneet perhekeskuksen palveluista palautelomakkeella, moderoinnin jälkeen. Alle {n} vastauksen ryhmiä ei koskaan näytetä, jotta yhtäkään perhettä ei voi tunnistaa.",
        "Vad familjerna har berättat om familjecentrets tjänster i responsformuläret, efter moderering. Grupper med färre än {n} svar visas aldrig, så att ingen familj kan kännas igen.",
    ),
    "Summaries by area": ("Yhteenvedot alueittain", "Sammanfattningar per område"),
    "Whole province": ("Koko maakunta", "Hela landskapet"),
    "Main themes": ("Tärkeimmät teemat", "Viktigaste teman"),
    "Show the feedback in detail": ("Näytä palaute tarkemmin", "Visa responsen i detalj"),
    "Answers over time": ("Vastaukset ajan mittaan", "Svar över tid"),
    "Answers by place": ("Vastaukset paikan mukaan", "Svar per plats"),
    "How the feedback is used": ("Miten palautetta käytetään", "Hur responsen används"),
    "The steering groups read this feedback beside the statistics of their area when they plan family-centre services.": (
        "Ohjausryhmät lukevat tätä palautetta alueensa tilastojen rinnalla, kun ne suunnittelevat perhekeskuksen palveluja.",
        "Styrgrupperna läser denna respons vid sidan av sitt områdes statistik när de planerar familjecentrets tjänster.",
    ),
}


def write(lang: str) -> None:
    catalog = Catalog(locale=lang, project="perhekeskus-feedback-views", version="0.1", fuzzy=False)
    for english, (fi, sv) in MESSAGES.items():
        catalog.add(english, {"fi": fi, "sv": sv, "en": english}[lang])
    folder = HERE / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "messages.po", "wb") as out:
        write_po(out, catalog, width=0, omit_header=False)


if __name__ == "__main__":
    for lang in ("fi", "sv", "en"):
        write(lang)
