"""The demo community's stories and replies: fictional, respectful, never graphic.

Bodies are written as wrapped text for readability here; :func:`text` joins the lines of a
paragraph again, because a single newline is a line break in what members write. No story
names a real person, an address or a phone number.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

_OWN_LINE = re.compile(r"^(?:[-*] |\d+\. |>)")


def text(source: str) -> str:
    """Dedent ``source`` and join wrapped lines; list items and quote lines keep their line."""
    lines: list[str] = []
    for line in inspect.cleandoc(source).split("\n"):
        if lines and lines[-1] and line and not _OWN_LINE.match(line):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class DemoReply:
    """A reply, written ``hours_after`` the story was published."""

    author: str
    body: str
    hours_after: float
    anonymous: bool = False


@dataclass(frozen=True)
class DemoStory:
    """A story, published ``days_ago`` days before the demo is loaded."""

    group: str
    author: str
    title: str
    body: str
    days_ago: float
    anonymous: bool = False
    replies: tuple[DemoReply, ...] = ()


STORIES: tuple[DemoStory, ...] = (
    # --- Geweld en overvallen -------------------------------------------------------------
    DemoStory(
        group="geweld",
        author="Duinroos",
        title="Ingebroken terwijl we lagen te slapen",
        days_ago=34,
        body=text(
            """
            Drie weken geleden werd ik wakker van een geluid beneden. Mijn man ging kijken en
            zag nog net iemand door de achterdeur wegrennen. Er was niemand gewond, en
            eigenlijk was er ook niet veel weg: een laptop en wat sieraden van mijn moeder.

            Toch slaap ik sindsdien slecht. Elk geluid in huis hoor ik. Ik loop 's avonds
            drie keer langs alle deuren. Mensen om me heen zeggen: "Wees blij dat er niks
            ergers is gebeurd." Dat ben ik ook. Maar het voelt alsof mijn eigen huis niet
            meer van mij is.

            Herkent iemand dit? Gaat dit gevoel weer over?
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Wat naar dat je dit meemaakte, en wat herkenbaar wat je schrijft. Bij mij
                    voelde het huis ook maanden als een vreemde plek. Het is een normale
                    reactie op iets wat niet normaal is.

                    Wat mij hielp: samen met mijn partner de kamers opnieuw inrichten, zodat het
                    weer echt óns huis werd. En erover blijven praten, ook als anderen vonden dat
                    het "wel weer klaar" moest zijn. Het gevoel werd langzaam minder. Neem de tijd
                    die je nodig hebt.
                    """
                ),
                hours_after=3,
            ),
            DemoReply(
                "Kompas",
                text(
                    """
                    Dat langs de deuren lopen deed ik ook. Ik heb het mezelf toegestaan, maar wel
                    met een afspraak: één ronde, en dan naar bed. Na een paar weken vergat ik het
                    soms. Sterkte!
                    """
                ),
                hours_after=20,
            ),
        ),
    ),
    DemoStory(
        group="geweld",
        author="Zeewind",
        title="Geslagen op weg naar huis",
        days_ago=26,
        body=text(
            """
            Na een verjaardag fietste ik naar huis. Bij het station werd ik zonder reden
            aangevallen door twee jongens. Ik heb een gebroken neus en een blauw oog gehad.
            Dat is inmiddels genezen.

            Wat niet geneest, is dat ik nu niet meer alleen de deur uit wil als het donker is.
            Ik was altijd degene die overal heen fietste. Nu vraag ik vrienden om me op te
            halen en ik schaam me daarvoor. Ik ben toch een volwassen man?

            Ik schrijf dit vooral om het ergens kwijt te kunnen.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Goed dat je het hier opschrijft. Je hoeft je echt niet te schamen: na zoiets
                    is het heel gewoon dat je lichaam op scherp blijft staan. Dat heeft niets
                    met sterk of zwak te maken.

                    Vrienden vragen om je op te halen is juist slim. Zo zorg je goed voor
                    jezelf. Merk je dat het na een paar maanden niet minder wordt? Dan kan
                    praten met je huisarts of een psycholoog echt helpen. Dat deed ik ook.
                    """
                ),
                hours_after=2,
            ),
            DemoReply(
                "Eikenblad",
                "Ik herken het schamen zo erg. Je bent niet de enige. Fijn dat je vrienden er "
                "voor je zijn.",
                hours_after=30,
            ),
        ),
    ),
    DemoStory(
        group="geweld",
        author="Kraanvogel",
        title="Overval in de winkel waar ik werk",
        days_ago=15,
        anonymous=True,
        body=text(
            """
            Ik werk al jaren in een kleine supermarkt. Vorige maand kwam er vlak voor
            sluitingstijd iemand binnen met een bivakmuts. Hij wilde het geld uit de kassa.
            Het duurde misschien een minuut. Ik heb gedaan wat hij zei.

            Mijn baas was heel lief en ik kreeg een paar dagen vrij. Maar nu sta ik weer achter
            de kassa en elke keer als de deur opengaat, schrik ik. Ik durf het niet goed tegen
            mijn collega's te zeggen, want zij lijken er gewoon mee door te gaan.

            Hoe hebben jullie dat gedaan, weer aan het werk gaan?
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Dank je dat je dit deelt. Wat je beschrijft, het schrikken bij de deur,
                    hoort bij wat je hebt meegemaakt. Het zegt niet dat je het niet aankunt.

                    Misschien schrikken je collega's ook, maar zeggen ze het net zo min als jij.
                    Bij ons op het werk hielp het dat we er één keer samen over praatten. Is
                    er iemand bij wie je dat zou durven beginnen?
                    """
                ),
                hours_after=4,
            ),
            DemoReply(
                "Havenlicht",
                "Ik ging eerst een paar korte diensten draaien, samen met een vaste collega. "
                "Dat maakte de stap kleiner. Heel veel sterkte.",
                hours_after=26,
            ),
        ),
    ),
    DemoStory(
        group="geweld",
        author="demo-lid",
        title="Hoe lang duurt het voordat de schrik weggaat?",
        days_ago=9,
        body=text(
            """
            Een paar maanden geleden werd ik op straat bedreigd en geduwd. Lichamelijk was er
            niet veel aan de hand. Toch ben ik nog steeds snel moe en prikkelbaar. Mijn
            omgeving begint het een beetje zat te worden, denk ik.

            Ik vraag me af: hoe lang duurde het bij jullie? En wat hielp?
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Wat fijn dat je deze vraag stelt. Bij mij duurde het ruim een half jaar
                    voordat ik merkte dat ik weer "gewoon" moe was in plaats van op-moe.

                    Wat mij hielp:

                    - vaste tijden voor slapen en opstaan, ook in het weekend
                    - elke dag even naar buiten, op een rustig moment
                    - tegen mijn omgeving zeggen wat ik nodig had, in plaats van hopen dat ze
                      het zagen

                    Je bent welkom om hier te blijven vertellen hoe het gaat.
                    """
                ),
                hours_after=1.5,
            ),
            DemoReply(
                "Zeewind",
                "Bij mij is het nog niet over, maar het wordt wel langzaam minder. "
                "Lezen dat anderen hetzelfde hebben, helpt me al.",
                hours_after=40,
            ),
        ),
    ),
    DemoStory(
        group="geweld",
        author="Eikenblad",
        title="Aangifte gedaan, en nu?",
        days_ago=3,
        body=text(
            """
            Ik heb eindelijk aangifte gedaan van de mishandeling door een buurman. Dat was een
            grote stap. Nu hoor ik niks meer en weet ik niet wat er gaat gebeuren. Moet ik zelf
            bellen? Of krijg ik vanzelf bericht?

            Het wachten maakt me onrustig.
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Wat knap dat je die stap hebt gezet. Het wachten is voor veel mensen het
                    zwaarste deel, dus je onrust is heel begrijpelijk.

                    Je mag zelf vragen hoe het met je zaak staat. Bij je aangifte hoort een
                    nummer; daarmee kun je informeren. Slachtofferhulp kan je ook helpen met
                    uitzoeken wat de volgende stappen zijn.
                    """
                ),
                hours_after=5,
            ),
        ),
    ),
    # --- Seksueel misbruik (besloten) -----------------------------------------------------
    DemoStory(
        group="seksueel-misbruik",
        author="Waterlelie",
        title="Voor het eerst opgeschreven",
        days_ago=30,
        anonymous=True,
        body=text(
            """
            Ik ben nu veertig. Wat er gebeurde toen ik tiener was, heb ik nooit aan iemand
            verteld. Niet aan mijn ouders, niet aan mijn vriendinnen, zelfs niet helemaal aan
            mijn therapeut.

            Vanavond schrijf ik het voor het eerst op. Niet wat er precies gebeurde, dat hoeft
            ook niet. Alleen dit: het is gebeurd, en het was niet mijn schuld.

            Ik weet niet goed wat ik verder wil. Misschien alleen dat iemand dit leest.
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Ik heb het gelezen. En ik geloof je. Het was niet jouw schuld.

                    Wat moedig dat je dit na al die jaren opschrijft. Je hoeft nu niets verder te
                    willen. Dit is al een grote stap. Als je ooit meer wilt vertellen, hier of
                    ergens anders, dan is dat goed. En als je dat niet wilt, ook.
                    """
                ),
                hours_after=1,
            ),
            DemoReply(
                "demo-lid",
                "Ik heb het ook gelezen. Ik heb er zelf twintig jaar over gedaan om het "
                "hardop te zeggen. Je bent niet alleen.",
                hours_after=14,
            ),
        ),
    ),
    DemoStory(
        group="seksueel-misbruik",
        author="Stille Kracht",
        title="Mijn partner weet het nu",
        days_ago=18,
        body=text(
            """
            Na lang twijfelen heb ik het mijn partner verteld. Ik was bang dat hij me anders
            zou zien. Hij werd stil, pakte mijn hand en zei: "Dank je dat je het me vertelt."

            Sindsdien is hij heel voorzichtig met me, soms té voorzichtig. Ik wil niet dat hij
            me als breekbaar ziet. Hoe hebben jullie het aangepakt om samen weer gewoon te
            doen?
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Wat een mooie reactie van je partner. En wat goed dat je ook zegt wat je
                    lastig vindt.

                    Bij ons hielp het dat ik hem letterlijk vertelde wat ik wél fijn vond. Hij
                    wist het gewoon niet, en was bang om iets fout te doen. Misschien vindt hij
                    het ook fijn om te lezen in de groep voor naasten en helpers.
                    """
                ),
                hours_after=6,
            ),
            DemoReply(
                "Waterlelie",
                "Wat dapper dat je het hebt verteld. Ik hoop dat ik dat ooit ook durf.",
                hours_after=22,
                anonymous=True,
            ),
        ),
    ),
    DemoStory(
        group="seksueel-misbruik",
        author="demo-lid",
        title="Slapen gaat slecht",
        days_ago=6,
        anonymous=True,
        body=text(
            """
            Sinds ik in therapie ben, komt er veel boven. Overdag gaat het redelijk, maar 's
            nachts lig ik uren wakker. Mijn therapeut zegt dat dit erbij hoort en dat het
            tijdelijk is. Ik hoop dat ze gelijk heeft.

            Hebben jullie tips voor de nachten?
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Herkenbaar. Tijdens mijn therapie waren de nachten ook het zwaarst.

                    Wat mij hielp: een schriftje naast mijn bed. Als mijn hoofd vol zat,
                    schreef ik het op, en dan mocht het tot de volgende sessie daar blijven.
                    Ook een rustig luisterboek hielp. En ja: het werd echt beter.
                    """
                ),
                hours_after=3,
            ),
        ),
    ),
    # --- Fraude en oplichting -------------------------------------------------------------
    DemoStory(
        group="fraude",
        author="Appelbloesem",
        title="\u201cHoi mam, dit is mijn nieuwe nummer\u201d",
        days_ago=28,
        body=text(
            """
            Op een doordeweekse ochtend kreeg ik dit bericht via WhatsApp:

            > Hoi mam, dit is mijn nieuwe nummer. Mijn telefoon is in de wc gevallen.
            > Kun je het oude nummer verwijderen?

            Een uur later vroeg "mijn dochter" of ik even een rekening kon betalen, omdat haar
            bankapp nog niet werkte op de nieuwe telefoon. Ik heb het gedaan. Twee keer zelfs.
            Pas toen ik mijn echte dochter 's avonds sprak, begreep ik wat er was gebeurd.

            Ik voel me zo dom. Ik weet toch dat dit bestaat? Wat ik nu anders doe:

            - bij een nieuw nummer altijd eerst bellen naar het oude nummer
            - een geheime vraag afgesproken met mijn kinderen
            - nooit betalen als iemand haast maakt

            Ik deel het hier zodat het jullie niet overkomt.
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Je bent niet dom. Deze oplichters zijn heel goed in wat ze doen: ze spelen
                    in op je liefde voor je kind. Dat je meteen wilde helpen, zegt iets moois
                    over jou.

                    Heb je al aangifte gedaan en je bank gebeld? Soms lukt het om (een deel
                    van) het geld terug te krijgen, vooral als je er snel bij bent.
                    """
                ),
                hours_after=2,
            ),
            DemoReply(
                "Margriet",
                "Dank je voor je tips. Ik heb de geheime vraag meteen met mijn zoon afgesproken.",
                hours_after=9,
            ),
            DemoReply(
                "Lavendel",
                "Bij mijn vader ging het precies zo. Ik stuur hem je lijstje door.",
                hours_after=31,
            ),
        ),
    ),
    DemoStory(
        group="fraude",
        author="Margriet",
        title="Ik schaam me zo",
        days_ago=20,
        anonymous=True,
        body=text(
            """
            Iemand belde namens mijn bank. Hij wist mijn naam en het laatste deel van mijn
            rekeningnummer. Hij zei dat mijn geld in gevaar was en dat ik het naar een
            "veilige rekening" moest overmaken. Het klonk allemaal zo echt.

            Ik ben een groot deel van mijn spaargeld kwijt. Mijn kinderen weten het nog niet.
            Ik durf het niet te zeggen, want ik ben altijd degene die op geld let.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Wat verschrikkelijk dat dit je is overkomen. Deze mensen zijn getraind
                    om je in paniek te brengen, zodat je niet meer rustig kunt nadenken. Dat
                    kan iedereen gebeuren, ook iemand die altijd goed op geld let.

                    Schaamte maakt het vaak zwaarder dan het al is. Veel mensen hier merkten
                    dat hun familie juist heel steunend reageerde. Misschien kun je beginnen
                    bij het kind bij wie je je het veiligst voelt?
                    """
                ),
                hours_after=1,
            ),
            DemoReply(
                "Appelbloesem",
                "Ik schaamde me ook zo. Toen ik het eenmaal vertelde, viel er een last van me "
                "af. Sterkte.",
                hours_after=12,
            ),
        ),
    ),
    DemoStory(
        group="fraude",
        author="Kiezelsteen",
        title="Nepwebshop: klein bedrag, grote boosheid",
        days_ago=11,
        body=text(
            """
            Ik bestelde een winterjas bij een webshop die er heel betrouwbaar uitzag. De jas
            kwam nooit, en de site bestaat inmiddels niet meer. Het ging om een bedrag dat ik
            kan missen.

            Toch ben ik vooral boos. Op hen, maar ook op mezelf. Is het raar dat het me zo
            bezighoudt, terwijl het "maar" om een jas gaat?
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Helemaal niet raar. Het gaat niet alleen om het geld, maar om het gevoel dat
                    iemand misbruik maakte van je vertrouwen. Boosheid is daar een gezonde
                    reactie op.

                    Aangifte doen kan ook online, en helpt om dit soort winkels op te sporen.
                    """
                ),
                hours_after=7,
            ),
        ),
    ),
    DemoStory(
        group="fraude",
        author="Lavendel",
        title="Moet ik mijn vader vertellen dat hij is opgelicht?",
        days_ago=4,
        body=text(
            """
            Mijn vader is tachtig en denkt dat hij een prijs heeft gewonnen. Hij heeft al een
            paar keer "administratiekosten" betaald. Ik weet bijna zeker dat het oplichting is.

            Als ik het zeg, voelt hij zich misschien dom en oud. Als ik niets zeg, betaalt hij
            misschien nog meer. Wie heeft zoiets meegemaakt met een ouder?
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Wat zorgzaam dat je hier zo goed over nadenkt. Veel kinderen van oudere
                    ouders lopen hier tegenaan.

                    Wat vaak helpt: niet zeggen "je bent opgelicht", maar samen kijken. "Pap,
                    ik las laatst over dit soort prijzen, zullen we samen even uitzoeken of het
                    klopt?" Dan blijft hij zelf aan het stuur. In de groep voor naasten en
                    helpers lees je meer ervaringen van kinderen en partners.
                    """
                ),
                hours_after=3,
            ),
        ),
    ),
    # --- Verkeersongevallen ---------------------------------------------------------------
    DemoStory(
        group="verkeer",
        author="Kompas",
        title="De auto reed gewoon door",
        days_ago=31,
        body=text(
            """
            Ik stak over bij een zebrapad toen een auto me raakte. De bestuurder stopte even,
            en reed toen door. Een voorbijganger heeft de ambulance gebeld en bij me gewacht.
            Ik ben haar nog steeds dankbaar.

            Mijn been is bijna hersteld. Maar ik blijf denken: wie doet zoiets? Hoe kun je
            iemand op straat laten liggen? De politie heeft de bestuurder nog niet gevonden.
            Dat maakt het moeilijk om het af te sluiten.
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Wat heftig, en wat goed dat er iemand bij je bleef. Dat het nog niet is
                    opgelost, maakt het extra zwaar: je verhaal heeft nog geen einde.

                    Mij hielp het om op te schrijven wat ik de bestuurder zou willen zeggen.
                    Niet om te versturen, alleen voor mezelf. Het gaf een beetje rust.
                    """
                ),
                hours_after=5,
            ),
            DemoReply(
                "Noorderlicht",
                "Die vraag, wie doet zoiets, heb ik ook heel lang gehad. Ik wens je veel "
                "herstel, voor je been en voor de rest.",
                hours_after=28,
            ),
        ),
    ),
    DemoStory(
        group="verkeer",
        author="Noorderlicht",
        title="Weer op de fiets stappen",
        days_ago=19,
        body=text(
            """
            Een jaar geleden werd ik op de fiets aangereden door een bestelbus. Ik fiets al
            mijn hele leven, maar sinds het ongeluk durfde ik niet meer.

            Vandaag heb ik voor het eerst weer een rondje gefietst. Alleen door het park,
            waar geen auto's komen. Twintig minuten. Ik moest na afloop huilen, maar van
            opluchting. Ik wilde het gewoon even met jullie delen.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                "Wat een mooie stap! Twintig minuten is een hele overwinning. Dank je dat je "
                "dit deelt: het geeft anderen hier hoop.",
                hours_after=2,
            ),
            DemoReply(
                "Kompas",
                "Dit maakt me blij om te lezen. Ik ben nog niet zover, maar nu weet ik dat het "
                "kan.",
                hours_after=10,
            ),
        ),
    ),
    DemoStory(
        group="verkeer",
        author="Merel",
        title="Mijn zoon lag drie weken in het ziekenhuis",
        days_ago=10,
        body=text(
            """
            Mijn zoon van zestien werd op zijn scooter geschept. Hij lag drie weken in het
            ziekenhuis en moet nu veel revalideren. Hij is er gelukkig nog, en daar ben ik
            elke dag dankbaar voor.

            Maar ik ben zelf ook kapot. Ik slaap slecht en schrik van elke telefoon. Tegelijk
            moet ik sterk zijn voor hem. Ik voel me slachtoffer én helper tegelijk. Mag dat
            eigenlijk wel?
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Dat mag zeker. Als je kind iets overkomt, overkomt het jou ook. Veel ouders
                    hier herkennen dat dubbele gevoel.

                    Zorg dat er ook iemand is die vraagt hoe het met jóu gaat. En kijk eens in
                    de groep voor naasten en helpers: daar schrijven meer ouders over hoe ze
                    zelf overeind blijven.
                    """
                ),
                hours_after=4,
            ),
        ),
    ),
    DemoStory(
        group="verkeer",
        author="Kompas",
        title="Over een paar weken is de rechtszaak",
        days_ago=1.5,
        body=text(
            """
            De bestuurder die mij aanreed, is toch gevonden. Over een paar weken is de
            rechtszaak. Ik mag spreekrecht gebruiken, maar ik weet niet of ik dat durf. Ik ben
            bang dat ik ga trillen of huilen in de rechtszaal.

            Wie heeft dat gedaan? Hoe was dat?
            """
        ),
    ),
    # --- Stalking -------------------------------------------------------------------------
    DemoStory(
        group="stalking",
        author="Lentebries",
        title="Mijn ex blijft berichten sturen",
        days_ago=25,
        anonymous=True,
        body=text(
            """
            Het is al een half jaar uit. Mijn ex blijft me berichten sturen, via steeds
            nieuwe accounts. Soms lief, soms boos. Ik blokkeer hem, en een dag later is er
            weer een nieuw account.

            Vrienden zeggen dat ik het gewoon moet negeren. Maar ik schrik van elke melding
            op mijn telefoon. Ik voel me nergens meer echt ontspannen.
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Wat uitputtend, om steeds op je hoede te moeten zijn. Dit is geen kwestie
                    van "gewoon negeren": wat hij doet, is stalking, en dat is strafbaar.

                    Veel mensen hier bewaren alle berichten in een aparte map, met datum. Dat
                    helpt als je later aangifte wilt doen. Je hoeft ze niet te lezen: alleen
                    bewaren is genoeg.
                    """
                ),
                hours_after=2,
            ),
            DemoReply(
                "Klaproos",
                "Dat schrikken van je telefoon ken ik zo goed. Ik zet hem nu 's avonds op stil. "
                "Dat geeft me een paar uur rust per dag.",
                hours_after=19,
            ),
        ),
    ),
    DemoStory(
        group="stalking",
        author="Klaproos",
        title="Ik kijk steeds achterom",
        days_ago=14,
        body=text(
            """
            Iemand die ik van mijn werk ken, stond een tijd lang steeds op plekken waar ik ook
            was. Bij de supermarkt, bij mijn sportschool. Het is gestopt sinds de politie met
            hem heeft gepraat.

            Toch kijk ik nog steeds achterom als ik over straat loop. Mijn verstand zegt dat het
            voorbij is, mijn lijf niet.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Zo mooi gezegd: mijn verstand weet het, mijn lijf nog niet. Zo werkt het
                    vaak na een lange tijd van dreiging. Je lijf heeft je al die tijd
                    beschermd, en moet nog leren dat het mag ontspannen.

                    Geef het tijd. En vertel het als het niet minder wordt: dan zijn er mensen
                    die je kunnen helpen om je lijf weer rust te geven.
                    """
                ),
                hours_after=6,
            ),
        ),
    ),
    DemoStory(
        group="stalking",
        author="Morgenrood",
        title="Contactverbod, maar ik voel me nog niet veilig",
        days_ago=0.8,
        anonymous=True,
        body=text(
            """
            Sinds vorige week heeft mijn ex een contactverbod. Iedereen zegt: "Fijn, nu is het
            voorbij." Maar ik lig nog steeds wakker. Wat als hij zich er niet aan houdt?

            Hoe was dat bij jullie, de eerste tijd na een contactverbod?
            """
        ),
    ),
    # --- Nabestaanden na moord of doodslag ------------------------------------------------
    DemoStory(
        group="nabestaanden-moord",
        author="Havenlicht",
        title="Mijn broer",
        days_ago=38,
        body=text(
            """
            Twee jaar geleden kwam mijn broer om het leven door geweld. Hij was mijn grote
            broer, degene die ik altijd belde als ik iets niet wist.

            De eerste tijd was alles chaos: politie, pers, de begrafenis, een rechtszaak.
            Nu is het stil geworden om ons heen. Mensen vragen niet meer naar hem. Ik snap dat
            wel, het leven gaat door. Maar ik wil zijn naam blijven horen.

            Ik schrijf hier om hem niet te vergeten. Hij hield van voetbal, van slechte grappen
            en van zijn dochtertje.
            """
        ),
        replies=(
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Dank je dat je ons over je broer vertelt. Een grote broer die je altijd kon
                    bellen, die van slechte grappen hield: hij is nu ook een beetje hier.

                    Dat het stil wordt om je heen, herkennen veel nabestaanden. Het verdriet
                    wordt niet kleiner omdat anderen verder gaan. Je mag hier over hem blijven
                    vertellen, zo vaak als je wilt.
                    """
                ),
                hours_after=3,
            ),
            DemoReply(
                "Sterrenmos",
                "Ik herken dat zo: je wilt de naam blijven horen. Wij zetten op zijn "
                "verjaardag altijd zijn lievelingsmuziek op.",
                hours_after=11,
            ),
            DemoReply(
                "demo-ambassadeur",
                "Wat mooi hoe je over hem schrijft. Zijn dochtertje heeft een tante die hem "
                "levend houdt.",
                hours_after=27,
            ),
        ),
    ),
    DemoStory(
        group="nabestaanden-moord",
        author="Sterrenmos",
        title="Zijn verjaardag zonder hem",
        days_ago=16,
        body=text(
            """
            Volgende week zou mijn zoon dertig zijn geworden. Het is de vierde verjaardag
            zonder hem. Elk jaar weet ik niet wat ik met die dag moet. Taart voelt raar, niets
            doen voelt ook raar.

            Hoe gaan jullie om met verjaardagen en andere speciale dagen?
            """
        ),
        replies=(
            DemoReply(
                "Havenlicht",
                "Wij gaan op die dag met de hele familie wandelen op zijn lievelingsplek. "
                "Niet vrolijk, niet somber, gewoon samen. Veel sterkte volgende week.",
                hours_after=8,
            ),
            DemoReply(
                "Vuurtoren",
                text(
                    """
                    Er is geen goede of foute manier. Sommige jaren steek ik een kaars aan,
                    andere jaren ga ik juist aan het werk. Het mag elk jaar anders zijn.

                    Laat je na die dag hier weten hoe het ging?
                    """
                ),
                hours_after=15,
            ),
        ),
    ),
    DemoStory(
        group="nabestaanden-moord",
        author="Walnoot",
        title="Het strafproces vreet energie",
        days_ago=7,
        body=text(
            """
            De rechtszaak over de dood van mijn vader duurt nu al anderhalf jaar. Elke zitting
            haalt alles weer naar boven. Tussendoor probeer ik te werken en er te zijn voor
            mijn kinderen.

            Ik ben zo moe. Hoe houden jullie het vol, zo'n lang proces?
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Anderhalf jaar is ontzettend lang, en elke zitting is weer een berg om over
                    te klimmen. Geen wonder dat je moe bent.

                    Mij hielp het om niet elke zitting zelf te gaan. Een familielid ging soms in
                    mijn plaats en vertelde me daarna alleen wat ik wilde weten. Je advocaat of
                    je contactpersoon bij Slachtofferhulp kan ook meedenken.
                    """
                ),
                hours_after=4,
            ),
        ),
    ),
    # --- Nabestaanden na zelfdoding (besloten) --------------------------------------------
    DemoStory(
        group="nabestaanden-zelfdoding",
        author="Nachtegaal",
        title="Waarom heb ik niets gezien?",
        days_ago=27,
        anonymous=True,
        body=text(
            """
            Vier maanden geleden overleed mijn zus. Ze maakte zelf een einde aan haar leven.
            De week ervoor hadden we nog samen gegeten en gelachen.

            Ik blijf maar terugdenken aan dat etentje. Had ik iets moeten zien? Had ik iets
            moeten vragen? Iedereen zegt dat het niet mijn schuld is, maar die vraag gaat niet
            weg.
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Wat een verdriet, en wat een zware vraag draag je mee. Bijna iedereen hier
                    heeft diezelfde vraag gesteld. Het zegt hoeveel je van je zus houdt.

                    Mensen laten vaak niet zien hoe slecht het met ze gaat, juist aan wie ze
                    liefhebben. Dat etentje was echt: jullie lachten samen. Dat mag je ook
                    bewaren.

                    Praat je met iemand over deze vraag? Met je huisarts kun je bespreken welke
                    hulp er is voor nabestaanden.
                    """
                ),
                hours_after=2,
            ),
            DemoReply(
                "Populier",
                "Ik heb die vraag ook heel lang gehad. Het werd langzaam een vraag waar ik mee "
                "kon leven, in plaats van een vraag die mij beheerste. Je bent hier welkom.",
                hours_after=16,
            ),
        ),
    ),
    DemoStory(
        group="nabestaanden-zelfdoding",
        author="Populier",
        title="Een jaar later",
        days_ago=12,
        body=text(
            """
            Vandaag is het een jaar geleden dat mijn partner overleed. Ik had gedacht dat ik
            deze dag niet zou halen. Toch zit ik hier, met een kop thee, en schrijf ik dit.

            Het verdriet is er nog elke dag. Maar er zijn ook weer momenten dat ik lach, en
            dan voel ik me niet meer meteen schuldig. Voor wie net in deze groep komt: het
            wordt anders. Niet weg, maar anders.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                "Dank je voor deze woorden. Ze zijn een cadeau voor iedereen die hier net "
                "binnenkomt. Ik denk vandaag aan jou en je partner.",
                hours_after=3,
            ),
            DemoReply(
                "Nachtegaal",
                "Dit had ik nodig vandaag. Dank je.",
                hours_after=9,
                anonymous=True,
            ),
        ),
    ),
    # --- Online criminaliteit -------------------------------------------------------------
    DemoStory(
        group="online-criminaliteit",
        author="Zandloper",
        title="Mijn account is overgenomen",
        days_ago=22,
        body=text(
            """
            Op een zondagochtend kon ik niet meer inloggen op mijn sociale media. Iemand had
            mijn account overgenomen en vroeg mijn vrienden om geld. Een paar mensen hebben
            ook echt betaald.

            Ik heb het account terug, maar ik voel me verantwoordelijk voor het geld van mijn
            vrienden. En ik vertrouw mijn telefoon niet meer.
            """
        ),
        replies=(
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Wat vervelend, en wat begrijpelijk dat je je verantwoordelijk voelt. Maar
                    de oplichter is verantwoordelijk, niet jij.

                    Wat veel mensen hier deden:

                    1. overal een nieuw, apart wachtwoord instellen
                    2. inloggen in twee stappen aanzetten
                    3. aangifte doen, ook voor je vrienden die betaalden
                    """
                ),
                hours_after=4,
            ),
            DemoReply(
                "Kiezelsteen",
                "Bij mij ging het ook zo. Mijn vrienden waren gelukkig niet boos op mij, maar "
                "op de oplichter. Ik hoop dat het bij jou ook zo gaat.",
                hours_after=21,
            ),
        ),
    ),
    DemoStory(
        group="online-criminaliteit",
        author="IJsvogel",
        title="Iemand dreigt foto's van mij te verspreiden",
        days_ago=13,
        anonymous=True,
        body=text(
            """
            Ik had online contact met iemand die heel aardig leek. Ik heb foto's gestuurd
            waar ik nu spijt van heb. Nu eist hij geld, anders stuurt hij ze naar mijn
            familie.

            Ik weet niet wat ik moet doen en ik durf het aan niemand te vertellen.
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Goed dat je het hier vertelt: dat is al een eerste stap. Wat hij doet, heet
                    afpersing, en dat is strafbaar. Jij hebt niets strafbaars gedaan.

                    Wat vaak wordt aangeraden:

                    - niet betalen, want dan houdt het meestal niet op
                    - niet meer reageren, maar de berichten wel bewaren
                    - aangifte doen bij de politie; zij kennen dit soort zaken goed

                    Je hoeft dit niet alleen te doen. Slachtofferhulp kan met je meedenken.
                    """
                ),
                hours_after=1,
            ),
            DemoReply(
                "Zilverberk",
                "Je schrijft dat je je schaamt om het te vertellen. Dat snap ik, maar de "
                "schaamte hoort bij hem, niet bij jou. Laat je weten hoe het gaat?",
                hours_after=5,
            ),
        ),
    ),
    DemoStory(
        group="online-criminaliteit",
        author="Tulpenveld",
        title="Een nepprofiel met mijn foto's",
        days_ago=0.2,
        body=text(
            """
            Een vriendin stuurde me vanmorgen een screenshot: er is een profiel met mijn
            foto's en een andere naam. Het profiel stuurt berichten naar mannen. Ik heb het
            gemeld, maar het staat er nog steeds.

            Ik voel me zo machteloos. Heeft iemand dit meegemaakt? Hoe lang duurt het
            voordat zo'n profiel weg is?
            """
        ),
    ),
    # --- Naasten en helpers ---------------------------------------------------------------
    DemoStory(
        group="naasten-en-helpers",
        author="Wilg",
        title="Doe ik het goed?",
        days_ago=24,
        body=text(
            """
            Mijn dochter van negentien werd een paar maanden geleden mishandeld op een feest.
            Ze woont weer even thuis. Ik wil haar zo graag helpen, maar ik weet niet hoe.

            Vraag ik te veel, dan klapt ze dicht. Vraag ik niets, dan denk ik dat ze zich
            alleen voelt. Soms huil ik in de auto, zodat zij het niet ziet.

            Doe ik het goed? Hoe doen jullie dat?
            """
        ),
        replies=(
            DemoReply(
                "demo-ambassadeur",
                text(
                    """
                    Dat je deze vraag stelt, zegt al heel veel. Je bent er voor haar, en je
                    let goed op. Dat is het belangrijkste.

                    Wat veel ouders helpt: niet vragen "hoe gaat het?", maar iets samen doen.
                    Koken, wandelen, een serie kijken. Dan komt het gesprek soms vanzelf. En
                    je mag ook zelf ergens je verdriet kwijt, zoals hier.
                    """
                ),
                hours_after=2,
            ),
            DemoReply(
                "Heide",
                "Dat huilen in de auto herken ik. Het is zwaar om sterk te zijn voor een ander. "
                "Fijn dat je hier bent.",
                hours_after=8,
            ),
            DemoReply(
                "Veldkers",
                "Mijn zoon zei later dat het meeste hielp dat ik gewoon 'normaal' bleef doen. "
                "Misschien werkt dat bij je dochter ook.",
                hours_after=30,
            ),
        ),
    ),
    DemoStory(
        group="naasten-en-helpers",
        author="Heide",
        title="Hoe blijf ik zelf overeind?",
        days_ago=17,
        body=text(
            """
            Mijn partner werd een jaar geleden overvallen. Sindsdien draait ons leven om
            hem: zijn angst, zijn afspraken, zijn slechte nachten. Ik doe dat met liefde.

            Maar ik merk dat ik zelf opraak. Ik zie mijn vriendinnen bijna niet meer en ik
            ben snel geïrriteerd. Daar voel ik me dan weer schuldig over. Hoe zorgen jullie
            voor jezelf, zonder je schuldig te voelen?
            """
        ),
        replies=(
            DemoReply(
                "Wilg",
                "Ik heb geleerd dat ik pas goed voor een ander kan zorgen als ik ook voor "
                "mezelf zorg. Eén avond per week is nu van mij. Dat voelde eerst egoïstisch, "
                "nu niet meer.",
                hours_after=5,
            ),
            DemoReply(
                "Zilverberk",
                text(
                    """
                    Wat je beschrijft, zien we bij veel partners. Zorgen voor een ander kost
                    energie, en die moet ergens vandaan komen.

                    Tijd voor jezelf nemen is geen verraad aan je partner. Het is juist een
                    manier om het langer vol te houden. Misschien kun je het er samen met hem
                    over hebben?
                    """
                ),
                hours_after=12,
            ),
        ),
    ),
    DemoStory(
        group="naasten-en-helpers",
        author="Veldkers",
        title="Tip: een vaste wandeling",
        days_ago=8,
        body=text(
            """
            Even iets wat ons hielp, voor wie er iets aan heeft. Mijn zoon werd vorig jaar
            beroofd en wilde er met niemand over praten.

            We zijn elke zondag samen een uur gaan wandelen. Zonder telefoon, zonder doel.
            De eerste weken zeiden we bijna niets. Na een maand begon hij te vertellen. Naast
            elkaar lopen is blijkbaar makkelijker dan tegenover elkaar zitten.
            """
        ),
        replies=(
            DemoReply(
                "Heide",
                "Wat een mooie tip. Ik ga het proberen met mijn partner.",
                hours_after=6,
            ),
        ),
    ),
    DemoStory(
        group="naasten-en-helpers",
        author="Regenboog",
        title="Mijn beste vriendin wordt gestalkt en ik weet niet wat ik moet zeggen",
        days_ago=2.5,
        body=text(
            """
            Mijn beste vriendin wordt al maanden lastiggevallen door haar ex. Ze vertelt me
            er steeds minder over. Ik weet niet of dat komt omdat het beter gaat, of omdat ze
            bang is dat ik het niet meer wil horen.

            Ik wil er voor haar zijn, maar ik weet niet goed wat ik moet zeggen. Hebben
            jullie tips?
            """
        ),
    ),
    # --- Onderzoeksgroep naasten (verborgen) ----------------------------------------------
    DemoStory(
        group="onderzoeksgroep-naasten",
        author="demo-onderzoeker",
        title="Dag 1: wat hielp jou in de eerste week?",
        days_ago=9,
        body=text(
            """
            Welkom allemaal, en dank je wel dat jullie tien dagen met ons willen meedenken.

            De vraag van vandaag: denk terug aan de eerste week nadat je naaste slachtoffer
            werd. **Wat hielp jou toen het meest?** Dat mag iets kleins zijn, een gesprek, een
            folder, een buurvrouw die soep bracht.

            Reageer wanneer het je uitkomt. Vanavond om acht uur kijken we samen terug op wat
            jullie schreven.
            """
        ),
        replies=(
            DemoReply(
                "Wilg",
                "Een buurvrouw die gewoon de boodschappen deed zonder iets te vragen. Ik had "
                "de ruimte niet om na te denken over eten.",
                hours_after=2,
            ),
            DemoReply(
                "Heide",
                "Een telefoontje van iemand die zei: je hoeft niks te zeggen, ik wil alleen "
                "weten of je wat nodig hebt.",
                hours_after=4,
            ),
            DemoReply(
                "Zonnedauw",
                "Eerlijk gezegd weinig. Ik wist niet dat er ook hulp voor mij als naaste "
                "bestond. Dat had ik graag eerder geweten.",
                hours_after=6,
            ),
            DemoReply(
                "demo-onderzoeker",
                text(
                    """
                    Dank jullie wel. Wat ik vanavond terugzie: praktische hulp zonder vragen
                    (boodschappen, een telefoontje) werd het meest gewaardeerd. En meerdere
                    mensen wisten niet dat er hulp voor naasten is. Dat nemen we mee.
                    """
                ),
                hours_after=10,
            ),
        ),
    ),
    DemoStory(
        group="onderzoeksgroep-naasten",
        author="demo-onderzoeker",
        title="Dag 2: waar liep je tegenaan bij het zoeken naar hulp?",
        days_ago=8,
        body=text(
            """
            Goedemorgen! Vandaag een vraag over hulp zoeken.

            Toen je hulp zocht, voor je naaste of voor jezelf: **waar liep je tegenaan?**
            Denk aan wachtlijsten, ingewikkelde formulieren, of het gevoel dat je het niet
            "verdiende".
            """
        ),
        replies=(
            DemoReply(
                "Veldkers",
                "Overal moest ik het hele verhaal opnieuw vertellen. Dat was telkens weer zwaar.",
                hours_after=3,
            ),
            DemoReply(
                "Zonnedauw",
                "Ik vond het moeilijk om hulp te vragen voor mezelf. Het ging toch om mijn "
                "broer, niet om mij?",
                hours_after=5,
            ),
            DemoReply(
                "Wilg",
                "Herkenbaar, Zonnedauw. Ik dacht ook lang dat mijn verdriet er niet toe deed.",
                hours_after=7,
            ),
        ),
    ),
)
