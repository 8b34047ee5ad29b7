"""Finnish and Swedish texts of the governance views, for the shared gettext catalogs.

The views' message ids are English literals inside ``_(...)`` (see ``labels.py``, ``page.py`` and
``routes.py``); the app reads translations only from ``dashboard/locale/<lang>/LC_MESSAGES/messages.po``.
This table carries the governance package's translations until they are in those catalogs:
``python -m perhekeskus.plugins.governance.translations`` adds the missing ids and fills empty ``msgstr`` entries
(English: the id itself) and never overwrites a translation that is already there. Then run
``tests/test_i18n_catalogs.py``.

This module is not imported by the app.
"""

from __future__ import annotations

import sys
from pathlib import Path

# msgid → (Finnish, Swedish)
TRANSLATIONS: dict[str, tuple[str, str]] = {
    "Chair": ("Puheenjohtaja", "Ordförande"),
    "Vice-chair": ("Varapuheenjohtaja", "Vice ordförande"),
    "Secretary": ("Sihteeri", "Sekreterare"),
    "Member": ("Jäsen", "Medlem"),
    "Deputy member": ("Varajäsen", "Ersättare"),
    "Up, to the parent body": ("Ylös, ylemmälle toimielimelle", "Uppåt, till det överordnade organet"),
    "Down, to the bodies below": ("Alas, alemman tason toimielimille", "Nedåt, till organen under"),
    "To front-line workers and families": (
        "Perustyöntekijöille ja perheille",
        "Till personalen i grundarbetet och till familjerna",
    ),
    "up": ("ylös", "uppåt"),
    "down": ("alas", "nedåt"),
    "front line": ("perustyö", "grundarbetet"),
    "Provincial steering group": ("Maakunnallinen ohjausryhmä", "Landskapets styrgrupp"),
    "Coordination group": ("Koordinaatioryhmä", "Koordineringsgrupp"),
    "Local steering group": ("Paikallinen ohjausryhmä", "Lokal styrgrupp"),
    "represented": ("edustettuna", "representerad"),
    "missing": ("puuttuu", "saknas"),
    "under-represented": ("aliedustettuna", "underrepresenterad"),
    "not compared": ("ei verrata", "jämförs inte"),
    "Body": ("Toimielin", "Organ"),
    "Name": ("Nimi", "Namn"),
    "Organisation": ("Organisaatio", "Organisation"),
    "Actor type": ("Toimijatyyppi", "Aktörstyp"),
    "Role": ("Rooli", "Roll"),
    "Communication responsibility": ("Viestintävastuu", "Kommunikationsansvar"),
    "Email": ("Sähköposti", "E-post"),
    "Phone": ("Puhelin", "Telefon"),
    "User account": ("Käyttäjätunnus", "Användarkonto"),
    "Active": ("Aktiivinen", "Aktiv"),
    "Level": ("Taso", "Nivå"),
    "Name in Finnish": ("Nimi suomeksi", "Namn på finska"),
    "Name in Swedish": ("Nimi ruotsiksi", "Namn på svenska"),
    "Name in English": ("Nimi englanniksi", "Namn på engelska"),
    "Parent body": ("Ylempi toimielin", "Överordnat organ"),
    "Coordination area": ("Koordinaatioalue", "Koordineringsområde"),
    "File": ("Tiedosto", "Fil"),
    "added": ("lisätty", "tillagd"),
    "changed": ("muutettu", "ändrad"),
    "deactivated": ("poistettu käytöstä", "inaktiverad"),
    "reactivated": ("palautettu käyttöön", "återaktiverad"),
    "removed": ("poistettu", "borttagen"),
    "This is required.": ("Tämä tieto on pakollinen.", "Uppgiften är obligatorisk."),
    "Longer than {limit} characters.": ("Pidempi kuin {limit} merkkiä.", "Längre än {limit} tecken."),
    "Contains control characters.": ("Sisältää ohjausmerkkejä.", "Innehåller styrtecken."),
    "Unknown body: {value}": ("Tuntematon toimielin: {value}", "Okänt organ: {value}"),
    "You may not edit this body: {value}": (
        "Sinulla ei ole oikeutta muokata tätä toimielintä: {value}",
        "Du får inte redigera detta organ: {value}",
    ),
    "Unknown actor type: {value}": ("Tuntematon toimijatyyppi: {value}", "Okänd aktörstyp: {value}"),
    "Unknown role: {value}. Use chair, vice_chair, secretary, member or deputy.": (
        "Tuntematon rooli: {value}. Käytä arvoa chair, vice_chair, secretary, member tai deputy.",
        "Okänd roll: {value}. Använd chair, vice_chair, secretary, member eller deputy.",
    ),
    "Unknown communication direction: {value}. Use up, down or front_line.": (
        "Tuntematon viestinnän suunta: {value}. Käytä arvoa up, down tai front_line.",
        "Okänd kommunikationsriktning: {value}. Använd up, down eller front_line.",
    ),
    "Not an email address: {value}": ("Ei ole sähköpostiosoite: {value}", "Inte en e-postadress: {value}"),
    "Not a phone number: {value}": ("Ei ole puhelinnumero: {value}", "Inte ett telefonnummer: {value}"),
    "Not a username: {value}": (
        "Ei kelvollinen käyttäjätunnus: {value}",
        "Inte ett giltigt användarnamn: {value}",
    ),
    "There is no user {value}.": ("Käyttäjää {value} ei ole.", "Det finns ingen användare {value}."),
    "Only administrators link members to user accounts.": (
        "Vain ylläpitäjät voivat liittää jäsenen käyttäjätunnukseen.",
        "Endast administratörer kan koppla medlemmar till användarkonton.",
    ),
    "The same person is already on an earlier row for this body.": (
        "Sama henkilö on jo aiemmalla rivillä samassa toimielimessä.",
        "Samma person finns redan på en tidigare rad för samma organ.",
    ),
    "The file has no rows.": ("Tiedostossa ei ole rivejä.", "Filen har inga rader."),
    "The file is larger than {limit} MB.": (
        "Tiedosto on suurempi kuin {limit} Mt.",
        "Filen är större än {limit} MB.",
    ),
    "The file cannot be read as CSV or XLSX.": (
        "Tiedostoa ei voi lukea CSV- eikä XLSX-tiedostona.",
        "Filen kan inte läsas som CSV eller XLSX.",
    ),
    "The column {value} is missing.": ("Sarake {value} puuttuu.", "Kolumnen {value} saknas."),
    "Unknown column: {value}": ("Tuntematon sarake: {value}", "Okänd kolumn: {value}"),
    "The file has more than {limit} rows.": (
        "Tiedostossa on yli {limit} riviä.",
        "Filen har fler än {limit} rader.",
    ),
    "The three levels: the provincial steering group, the coordination groups of the areas and the local steering groups of the family centres. A thick yellow ring marks the body shown below, a dashed orange ring a body that lacks someone for a communication direction. The same structure, with links to each body, is in the list below.": (
        "Kolme tasoa: maakunnallinen ohjausryhmä, alueiden koordinaatioryhmät ja perhekeskusten paikalliset ohjausryhmät. Paksu keltainen rengas merkitsee alla näytettävää toimielintä, katkoviivainen oranssi rengas toimielintä, jolta puuttuu vastuuhenkilö jollekin viestinnän suunnalle. Sama rakenne linkkeineen on alla olevassa luettelossa.",
        "De tre nivåerna: landskapets styrgrupp, områdenas koordineringsgrupper och familjecentralernas lokala styrgrupper. En tjock gul ring markerar organet som visas nedan, en streckad orange ring ett organ som saknar någon ansvarig för en kommunikationsriktning. Samma struktur, med länkar till varje organ, finns i listan nedan.",
    ),
    "selected": ("valittu", "vald"),
    "members: {n}": ("jäseniä: {n}", "medlemmar: {n}"),
    "nobody responsible for: {directions}": (
        "ei vastuuhenkilöä: {directions}",
        "ingen ansvarig för: {directions}",
    ),
    "Members": ("Jäsenet", "Medlemmar"),
    "Active members: {n}.": ("Aktiivisia jäseniä: {n}.", "Aktiva medlemmar: {n}."),
    "Sign in to see who sits in this body. Without signing in you see the structure and the balance of actor types.": (
        "Kirjaudu sisään nähdäksesi, keitä toimielimeen kuuluu. Kirjautumatta näet rakenteen ja toimijatyyppien tasapainon.",
        "Logga in för att se vilka som sitter i organet. Utan inloggning ser du strukturen och balansen mellan aktörstyperna.",
    ),
    "Sign in": ("Kirjaudu sisään", "Logga in"),
    "The members of this body are not in your scope: you see the structure and the balance of actor types.": (
        "Tämän toimielimen jäsenet eivät kuulu käyttöoikeutesi piiriin: näet rakenteen ja toimijatyyppien tasapainon.",
        "Organets medlemmar ingår inte i din behörighet: du ser strukturen och balansen mellan aktörstyperna.",
    ),
    "Members of {body}": ("Jäsenet: {body}", "Medlemmar: {body}"),
    "No members have been recorded yet.": (
        "Jäseniä ei ole vielä kirjattu.",
        "Inga medlemmar har registrerats ännu.",
    ),
    "Contact details are shown only for the bodies of your own scope.": (
        "Yhteystiedot näytetään vain käyttöoikeutesi piiriin kuuluvista toimielimistä.",
        "Kontaktuppgifter visas endast för organ inom din egen behörighet.",
    ),
    "Missing actor types: {types}.": (
        "Puuttuvat toimijatyypit: {types}.",
        "Aktörstyper som saknas: {types}.",
    ),
    "Under-represented: {types}.": ("Aliedustettuina: {types}.", "Underrepresenterade: {types}."),
    "Every actor type is represented.": (
        "Kaikki toimijatyypit ovat edustettuina.",
        "Alla aktörstyper är representerade.",
    ),
    "Representation balance": ("Edustuksen tasapaino", "Representationens balans"),
    "Active members per actor type, deputies not counted. A type with nobody is missing; a type with fewer than half the median count of the represented types is under-represented.": (
        "Aktiiviset jäsenet toimijatyypeittäin, varajäseniä ei lasketa. Toimijatyyppi, jolla ei ole yhtään jäsentä, puuttuu; toimijatyyppi, jolla on alle puolet edustettujen tyyppien jäsenmäärien mediaanista, on aliedustettuna.",
        "Aktiva medlemmar per aktörstyp, ersättare räknas inte. En typ utan medlemmar saknas; en typ med färre än hälften av medianantalet bland de representerade typerna är underrepresenterad.",
    ),
    "Bar chart: members per actor type. The same numbers are in the table below.": (
        "Pylväskaavio: jäsenet toimijatyypeittäin. Samat luvut ovat alla olevassa taulukossa.",
        "Stapeldiagram: medlemmar per aktörstyp. Samma siffror finns i tabellen nedan.",
    ),
    "Representation balance of {body}": ("Edustuksen tasapaino: {body}", "Representationens balans: {body}"),
    "Front-line workers and families": (
        "Perustyöntekijät ja perheet",
        "Personalen i grundarbetet och familjerna",
    ),
    "persons: {n}": ("henkilöitä: {n}", "personer: {n}"),
    "not needed at this level": ("ei tarvita tällä tasolla", "behövs inte på denna nivå"),
    "nobody responsible": ("ei vastuuhenkilöä", "ingen ansvarig"),
    "covered": ("hoidossa", "täckt"),
    "Who carries messages from {body}": (
        "Kuka vie viestit eteenpäin: {body}",
        "Vem för budskapen vidare: {body}",
    ),
    "Direction": ("Suunta", "Riktning"),
    "Between": ("Kenelle", "Till vem"),
    "Responsible": ("Vastuuhenkilö", "Ansvarig"),
    "Every body has someone for each communication direction it needs.": (
        "Jokaisella toimielimellä on vastuuhenkilö jokaiselle tarvittavalle viestinnän suunnalle.",
        "Varje organ har någon ansvarig för varje kommunikationsriktning som behövs.",
    ),
    "Bodies without someone responsible for communication": (
        "Toimielimet, joilta puuttuu viestinnän vastuuhenkilö",
        "Organ som saknar kommunikationsansvarig",
    ),
    "Up means to the parent body (not needed for the provincial steering group), down to the bodies below (not needed for local steering groups), front line to front-line workers and families.": (
        "Ylös tarkoittaa ylemmälle toimielimelle (ei tarvita maakunnallisessa ohjausryhmässä), alas alemman tason toimielimille (ei tarvita paikallisissa ohjausryhmissä) ja perustyö perustyöntekijöille ja perheille.",
        "Uppåt betyder till det överordnade organet (behövs inte i landskapets styrgrupp), nedåt till organen under (behövs inte i lokala styrgrupper) och grundarbetet till personalen i grundarbetet och familjerna.",
    ),
    "The governance registry is empty.": ("Hallintorekisteri on tyhjä.", "Förvaltningsregistret är tomt."),
    "No such body; showing another one instead.": (
        "Toimielintä ei löydy; sen sijaan näytetään toinen.",
        "Organet finns inte; ett annat visas i stället.",
    ),
    "Edit members": ("Muokkaa jäseniä", "Redigera medlemmar"),
    "Change history": ("Muutoshistoria", "Ändringshistorik"),
    "Import from a file": ("Tuo tiedostosta", "Importera från fil"),
    "Download members (CSV)": ("Lataa jäsenet (CSV)", "Ladda ner medlemmarna (CSV)"),
    "Download members (Excel)": ("Lataa jäsenet (Excel)", "Ladda ner medlemmarna (Excel)"),
    "The family-centre network is led on three levels. Every actor type should be represented equally at every level, and each body needs people who carry messages up, down and to the front line.": (
        "Perhekeskusverkostoa johdetaan kolmella tasolla. Kaikkien toimijatyyppien tulee olla tasapuolisesti edustettuina jokaisella tasolla, ja jokainen toimielin tarvitsee henkilöt, jotka vievät viestit ylös, alas ja perustyöhön.",
        "Familjecentralsnätverket leds på tre nivåer. Alla aktörstyper ska vara jämlikt representerade på varje nivå, och varje organ behöver personer som för budskapen uppåt, nedåt och ut till grundarbetet.",
    ),
    "Three-level structure": ("Kolmitasoinen rakenne", "Strukturen i tre nivåer"),
    "Bodies": ("Toimielimet", "Organ"),
    "Back to governance": ("Takaisin hallintoon", "Tillbaka till förvaltningen"),
    "Not allowed": ("Ei sallittu", "Inte tillåtet"),
    "You do not have the right to do this.": (
        "Sinulla ei ole oikeutta tähän.",
        "Du har inte rätt att göra detta.",
    ),
    "Not found": ("Ei löytynyt", "Hittades inte"),
    "There is no such body or member.": (
        "Tällaista toimielintä tai jäsentä ei ole.",
        "Det finns inget sådant organ eller ingen sådan medlem.",
    ),
    "The form had expired": ("Lomake oli vanhentunut", "Formuläret hade gått ut"),
    "The form had expired. Please try again.": (
        "Lomake oli vanhentunut. Yritä uudelleen.",
        "Formuläret hade gått ut. Försök igen.",
    ),
    "Nothing was saved. Please correct these:": (
        "Mitään ei tallennettu. Korjaa nämä:",
        "Ingenting sparades. Rätta till följande:",
    ),
    "Links the member to a user account; a linked secretary may edit this body.": (
        "Liittää jäsenen käyttäjätunnukseen; liitetty sihteeri voi muokata tätä toimielintä.",
        "Kopplar medlemmen till ett användarkonto; en kopplad sekreterare får redigera detta organ.",
    ),
    "Edit member": ("Muokkaa jäsentä", "Redigera medlem"),
    "Add a member": ("Lisää jäsen", "Lägg till en medlem"),
    "Fields marked with * are required.": (
        "Tähdellä (*) merkityt kentät ovat pakollisia.",
        "Fält markerade med * är obligatoriska.",
    ),
    "Save": ("Tallenna", "Spara"),
    "Cancel": ("Peruuta", "Avbryt"),
    "Contact details": ("Yhteystiedot", "Kontaktuppgifter"),
    "Actions": ("Toiminnot", "Åtgärder"),
    "Edit": ("Muokkaa", "Redigera"),
    "inactive": ("ei aktiivinen", "inaktiv"),
    "Deactivate": ("Poista käytöstä", "Inaktivera"),
    "Reactivate": ("Palauta käyttöön", "Återaktivera"),
    "Edit members: {body}": ("Muokkaa jäseniä: {body}", "Redigera medlemmar: {body}"),
    "The member was added.": ("Jäsen lisättiin.", "Medlemmen lades till."),
    "The changes were saved.": ("Muutokset tallennettiin.", "Ändringarna sparades."),
    "The member was deactivated.": ("Jäsen poistettiin käytöstä.", "Medlemmen inaktiverades."),
    "The member was reactivated.": ("Jäsen palautettiin käyttöön.", "Medlemmen återaktiverades."),
    "Too large": ("Liian suuri", "För stor"),
    "The form was too large.": ("Lomake oli liian suuri.", "Formuläret var för stort."),
    "Unknown action": ("Tuntematon toiminto", "Okänd åtgärd"),
    "The form asked for something unknown.": (
        "Lomake pyysi tuntematonta toimintoa.",
        "Formuläret bad om en okänd åtgärd.",
    ),
    "Imported {rows} rows: {added} added, {updated} updated, {unchanged} unchanged.": (
        "Tuotiin {rows} riviä: {added} lisätty, {updated} päivitetty, {unchanged} ennallaan.",
        "Importerade {rows} rader: {added} tillagda, {updated} uppdaterade, {unchanged} oförändrade.",
    ),
    "And {n} more problems.": ("Lisäksi {n} muuta ongelmaa.", "Och ytterligare {n} problem."),
    "Nothing was imported. Correct these problems in the file and upload it again.": (
        "Mitään ei tuotu. Korjaa nämä ongelmat tiedostoon ja lataa se uudelleen.",
        "Ingenting importerades. Rätta till problemen i filen och ladda upp den igen.",
    ),
    "Problems in the file": ("Tiedoston ongelmat", "Problem i filen"),
    "Problem": ("Ongelma", "Problem"),
    "Import members from a file": ("Tuo jäsenet tiedostosta", "Importera medlemmar från en fil"),
    "Upload a CSV or Excel (XLSX) file of at most 2 MB with a header row and these columns (an export is a ready template):": (
        "Lataa enintään 2 Mt:n CSV- tai Excel (XLSX) -tiedosto, jossa on otsikkorivi ja nämä sarakkeet (vientitiedosto käy valmiiksi pohjaksi):",
        "Ladda upp en CSV- eller Excelfil (XLSX) på högst 2 MB med en rubrikrad och dessa kolumner (en exportfil är en färdig mall):",
    ),
    "A row adds a member, or updates the body's member with the same name and organisation. Role is chair, vice_chair, secretary, member or deputy; communication lists up, down and front_line. If any row is wrong, nothing is saved.": (
        "Rivi lisää jäsenen tai päivittää toimielimen jäsenen, jolla on sama nimi ja organisaatio. Rooli on chair, vice_chair, secretary, member tai deputy; viestintävastuu luettelee arvot up, down ja front_line. Jos yksikin rivi on virheellinen, mitään ei tallenneta.",
        "En rad lägger till en medlem eller uppdaterar organets medlem med samma namn och organisation. Roll är chair, vice_chair, secretary, member eller deputy; kommunikation anger up, down och front_line. Om någon rad är felaktig sparas ingenting.",
    ),
    "Import": ("Tuo", "Importera"),
    "Bodies you may import into": (
        "Toimielimet, joihin voit tuoda jäseniä",
        "Organ som du får importera till",
    ),
    "Actor types": ("Toimijatyypit", "Aktörstyper"),
    "Change history: {body}": ("Muutoshistoria: {body}", "Ändringshistorik: {body}"),
    "When (UTC)": ("Milloin (UTC)", "När (UTC)"),
    "Who": ("Kuka", "Vem"),
    "What": ("Mitä", "Vad"),
    "Whom": ("Kenen tiedot", "Vems uppgifter"),
    "Changes": ("Muutokset", "Ändringar"),
    "No changes yet.": ("Ei vielä muutoksia.", "Inga ändringar ännu."),
}


def merge(locale_dir: Path) -> dict[str, int]:
    """Add this package's ids to the fi, sv and en catalogs under ``locale_dir``; returns entries changed per language."""
    from babel.messages.pofile import read_po, write_po

    changed = {}
    for lang in ("fi", "sv", "en"):
        path = locale_dir / lang / "LC_MESSAGES" / "messages.po"
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=lang)
        count = 0
        for msgid, (fi, sv) in TRANSLATIONS.items():
            text = {"fi": fi, "sv": sv, "en": msgid}[lang]
            message = catalog.get(msgid)
            if message is None:
                catalog.add(msgid, text)
                count += 1
            elif not message.string:
                message.string = text
                count += 1
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=76)
        changed[lang] = count
    return changed


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "locale"
    print(merge(folder))
