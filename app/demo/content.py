"""The demo community's groups and members: fictional, Dutch, recognisable at first sight.

Everything here is invented. Pseudonyms are not real people; stories (in
``content_stories.py``) hold no names of real people, no addresses and no phone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import SiteRole
from app.groups.models import GroupKind, Visibility


@dataclass(frozen=True)
class DemoGroup:
    """A group as the demo creates it."""

    slug: str
    name: str
    description: str
    kind: GroupKind
    theme: str
    visibility: Visibility
    extra_rules: str = ""

    @property
    def house_rules(self) -> str:
        """The community's shared rules, followed by this group's own."""
        return (
            f"{SHARED_HOUSE_RULES}\n\n{self.extra_rules}"
            if self.extra_rules
            else SHARED_HOUSE_RULES
        )


@dataclass(frozen=True)
class DemoMember:
    """A demo account: its site role and the groups it joins, serves or manages."""

    pseudonym: str
    role: SiteRole = SiteRole.MEMBER
    groups: tuple[str, ...] = ()
    ambassador_in: tuple[str, ...] = ()
    manager_of: tuple[str, ...] = ()
    # Shown next to the account when the demo password is printed; empty for story writers.
    purpose: str = ""


SHARED_HOUSE_RULES = (
    "Je deelt hier alleen wat je zelf wilt delen. Je mag ook anoniem schrijven.\n\n"
    "Noem geen namen, adressen of telefoonnummers, ook niet van de dader of van anderen.\n\n"
    "Iedereen verwerkt op een eigen manier. We oordelen niet en geven geen ongevraagd advies: "
    "we vertellen wat ons zelf hielp.\n\n"
    "Maak je je zorgen over iemand, of over jezelf? Meld het bij de moderatie. "
    "Bij direct gevaar: bel meteen de hulpdiensten."
)

GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        slug="geweld",
        name="Geweld en overvallen",
        description=(
            "Voor iedereen die geweld meemaakte: mishandeling, een overval of een inbraak "
            "terwijl je thuis was.\n\n"
            "Hier lees je hoe anderen de eerste tijd doorkwamen, en wat hen hielp om zich "
            "weer veilig te voelen."
        ),
        kind=GroupKind.PEER,
        theme="geweld",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="seksueel-misbruik",
        name="Seksueel misbruik",
        description=(
            "Een besloten groep voor mensen die seksueel misbruik of seksueel geweld "
            "meemaakten, kort geleden of lang geleden.\n\n"
            "Alleen leden lezen mee. Je kiest zelf wat je vertelt, en hoeveel."
        ),
        kind=GroupKind.PEER,
        theme="seksueel-misbruik",
        visibility=Visibility.CLOSED,
        extra_rules=(
            "Beschrijf wat er gebeurde niet in detail: anderen kunnen daardoor zelf weer "
            "veel voelen. Schrijf liever over hoe het nu met je gaat."
        ),
    ),
    DemoGroup(
        slug="fraude",
        name="Fraude en oplichting",
        description=(
            "Opgelicht via WhatsApp, de telefoon of een nepwinkel? Je bent niet dom en niet "
            "de enige.\n\n"
            "Hier delen mensen wat er gebeurde, hoe ze het geld probeerden terug te krijgen "
            "en hoe ze met de schaamte omgingen."
        ),
        kind=GroupKind.PEER,
        theme="fraude",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="verkeer",
        name="Verkeersongevallen",
        description=(
            "Voor slachtoffers van een verkeersongeval en hun naasten: na een aanrijding, "
            "een doorrijder of een ongeluk met blijvend letsel."
        ),
        kind=GroupKind.PEER,
        theme="verkeer",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="stalking",
        name="Stalking",
        description=(
            "Voor mensen die gestalkt worden of werden, bijvoorbeeld door een ex.\n\n"
            "Deel hier hoe je omgaat met de onrust. Zet geen details in je bericht waardoor "
            "je of de ander herkenbaar wordt."
        ),
        kind=GroupKind.PEER,
        theme="stalking",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="nabestaanden-moord",
        name="Nabestaanden na moord of doodslag",
        description=(
            "Voor wie een dierbare verloor door moord of doodslag.\n\n"
            "Rouw, een strafzaak en aandacht van buitenaf tegelijk: hier vind je mensen die "
            "weten hoe zwaar dat is."
        ),
        kind=GroupKind.PEER,
        theme="nabestaanden-moord",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="nabestaanden-zelfdoding",
        name="Nabestaanden na zelfdoding",
        description=(
            "Een besloten groep voor wie een dierbare verloor door zelfdoding.\n\n"
            "Alleen leden lezen mee. Hier mag alles er zijn: verdriet, boosheid, schuldgevoel "
            "en ook de dagen dat het iets beter gaat."
        ),
        kind=GroupKind.PEER,
        theme="nabestaanden-zelfdoding",
        visibility=Visibility.CLOSED,
        extra_rules=(
            "Schrijf niet over hoe iemand een einde aan zijn leven maakte. "
            "Denk je zelf aan zelfdoding? Praat erover: onderaan elke pagina staat waar je "
            "dag en nacht terechtkunt."
        ),
    ),
    DemoGroup(
        slug="online-criminaliteit",
        name="Online criminaliteit",
        description=(
            "Gehackt, afgeperst, een nepprofiel met jouw foto's of bedreigd via sociale "
            "media? Hier vind je anderen die dat ook meemaakten."
        ),
        kind=GroupKind.PEER,
        theme="online-criminaliteit",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="naasten-en-helpers",
        name="Naasten en helpers",
        description=(
            "Voor partners, ouders, kinderen, vrienden en buren van iemand die slachtoffer "
            "werd.\n\n"
            "Doe ik het goed? Hoe blijf ik zelf overeind? Hier delen helpers hun ervaringen "
            "en tips."
        ),
        kind=GroupKind.HELPERS,
        theme="helpers",
        visibility=Visibility.PUBLIC,
    ),
    DemoGroup(
        slug="onderzoeksgroep-naasten",
        name="Onderzoeksgroep naasten: tien dagen meedenken",
        description=(
            "Een kleine groep naasten denkt tien dagen mee over betere hulp voor helpers. "
            "Elke dag staat er een vraag klaar; aan het eind van de dag kijken we samen "
            "terug.\n\n"
            "Deelnemen gaat op uitnodiging. Wat je hier schrijft, gebruiken we alleen "
            "zonder je schuilnaam."
        ),
        kind=GroupKind.RESEARCH,
        theme="onderzoek",
        visibility=Visibility.HIDDEN,
    ),
)

PEER_AND_HELPER_GROUPS = tuple(
    group.slug for group in GROUPS if group.kind in (GroupKind.PEER, GroupKind.HELPERS)
)
RESEARCH_GROUP = "onderzoeksgroep-naasten"

DEMO_ACCOUNTS: tuple[DemoMember, ...] = (
    DemoMember(
        "demo-lid",
        groups=("geweld", "seksueel-misbruik", "fraude", "naasten-en-helpers"),
        purpose="lid, ook van de besloten groep Seksueel misbruik",
    ),
    DemoMember(
        "demo-ambassadeur",
        ambassador_in=PEER_AND_HELPER_GROUPS,
        purpose="ambassadeur in alle lotgenoten- en helpersgroepen",
    ),
    DemoMember("demo-moderator", role=SiteRole.MODERATOR, purpose="moderator"),
    DemoMember(
        "demo-contentbeheer",
        role=SiteRole.CONTENT_MANAGER,
        manager_of=PEER_AND_HELPER_GROUPS,
        purpose="content- en communitymanager, beheert alle groepen",
    ),
    DemoMember(
        "demo-onderzoeker",
        role=SiteRole.RESEARCHER,
        manager_of=(RESEARCH_GROUP,),
        purpose="onderzoeker, beheert de verborgen onderzoeksgroep",
    ),
    DemoMember("demo-beheerder", role=SiteRole.ADMIN, purpose="beheerder van de hele site"),
    DemoMember(
        "demo-groepsbeheer",
        manager_of=("verkeer", "stalking"),
        groups=("geweld",),
        purpose="groepsbeheerder van Verkeersongevallen en Stalking",
    ),
)

AMBASSADORS: tuple[DemoMember, ...] = (
    DemoMember(
        "Vuurtoren",
        ambassador_in=("geweld", "verkeer", "nabestaanden-moord"),
    ),
    DemoMember(
        "Zilverberk",
        ambassador_in=(
            "seksueel-misbruik",
            "fraude",
            "stalking",
            "nabestaanden-zelfdoding",
            "online-criminaliteit",
            "naasten-en-helpers",
        ),
    ),
)

# Writers of the demo stories. Everyone who writes in a group is made a member of it.
MEMBERS: tuple[DemoMember, ...] = (
    DemoMember("Duinroos"),
    DemoMember("Zeewind"),
    DemoMember("Kompas", groups=("geweld",)),
    DemoMember("Kraanvogel"),
    DemoMember("Eikenblad"),
    DemoMember("Havenlicht", groups=("geweld",)),
    DemoMember("Waterlelie"),
    DemoMember("Stille Kracht"),
    DemoMember("Appelbloesem"),
    DemoMember("Margriet", groups=("online-criminaliteit",)),
    DemoMember("Kiezelsteen"),
    DemoMember("Lavendel", groups=("naasten-en-helpers",)),
    DemoMember("Noorderlicht"),
    DemoMember("Merel", groups=("naasten-en-helpers",)),
    DemoMember("Lentebries"),
    DemoMember("Klaproos"),
    DemoMember("Morgenrood"),
    DemoMember("Sterrenmos"),
    DemoMember("Walnoot"),
    DemoMember("Nachtegaal"),
    DemoMember("Populier"),
    DemoMember("Zandloper"),
    DemoMember("IJsvogel"),
    DemoMember("Tulpenveld"),
    DemoMember("Wilg", groups=(RESEARCH_GROUP,)),
    DemoMember("Heide", groups=(RESEARCH_GROUP,)),
    DemoMember("Veldkers", groups=(RESEARCH_GROUP,)),
    DemoMember("Regenboog"),
    DemoMember("Zonnedauw", groups=("naasten-en-helpers", RESEARCH_GROUP)),
    DemoMember("Blauwe Reiger", groups=("verkeer", "online-criminaliteit")),
)

ALL_MEMBERS: tuple[DemoMember, ...] = DEMO_ACCOUNTS + AMBASSADORS + MEMBERS
