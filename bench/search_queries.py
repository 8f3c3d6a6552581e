"""The benchmark's search queries: what members plausibly type, from one very common word to
four rare ones, with phrases and words left out, read by the project's own query parser."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from app.search.engine import SearchRequest, SortOrder
from app.search.query_text import parse

SEED = 2026

WRITTEN = (
    "inbraak nacht kinderen", "oplichting whatsapp moeder", "verhaal", "rechtszaak",
    '"aangifte bij de politie"', "angst slapen -politie", "verhalen", "kinderen",
    "slachtofferhulp", "rouw", "zelfdoding vader", "moord broer rechtszaak", "slapen",
    "niet slapen nacht", "boos", "verdriet", "geslagen", "slaan", "kind", "inbrekers",
    "bank geld terug", "whatsapp", "hoi mam nieuwe nummer", '"hoi mam"', "nepkoerier pinpas",
    "reünie", "reunie", "café", "cafe", "geïnd", "één jaar", "schadefonds",
    "spreekrecht rechtszaal", "tbs", "stalking ex", "contactverbod", "ex volgt mij",
    "verkeersongeluk fiets", "doorgereden bestuurder", "letselschade verzekering",
    "emdr", "therapeut", "huisarts slaappillen", "nachtmerries", "angst donker",
    "schuldgevoel zelfdoding", "afscheidsbrief", "graf verjaardag", "herdenking",
    "hoger beroep", "officier van justitie", "uitspraak rechter", "zitting",
    '"slachtofferhulp ging mee"', "aangifte oplichting", "identiteitsfraude",
    "account gehackt", "nepprofiel foto's", "datingsite geld", "chantage foto's",
    "misbruik jeugd", "zedenpolitie", "schaamte", "moeder", "vader", "zus",
    "zus belt avond", "kinderen school", "vrachtwagen", "rotonde", "snelweg",
    "harmonica", "vogelkooi", "trouwring oma", "postzegelverzameling", "accordeon",
    "spaarpot kinderen", "urn", "knuffel", "intervisie", "mantelzorger",
    "coördinator training", "onderzoek herstel", "vragenlijst", "interview anoniem",
    "deelnemers", "politie doet niets", "wijkagent", "advocaat", "geseponeerd",
    "cjib schadevergoeding", "inbraak -nacht", "oplichting -whatsapp", "rouw -zelfdoding",
    '"na de inbraak"', '"kan niet slapen"', '"midden in de nacht"', "overval mes",
    "glas achterdeur", "camera's sloten", "buren intimidatie", "woningcorporatie",
    "rotterdam", "utrecht fiets", "belgië", "groningen", "tips slapen", "lotgenoten",
    "herkent iemand dit", "moe leeg", "ruïne", "geëmotioneerd", "ideeën", "privé",
    "cliënt inbraak", "verhalen delen", "mijn verhaal", "taboe", "rouwtherapeut",
    "rouwgroep", "tante", "kleinzoon", "stiefvader", "opgelicht", "oplichter", "oplichters",
    "gestolen laptop", "paspoort", "sieraden", "televisie", "scooter", "fietssleutel",
    "zonder reden geslagen", "onbekende man", "fles", "politie kwam", "half uur",
    "moederdag", "oudejaarsavond", "kerst", "koningsdag", "zomer", "rechtszaken duren lang",
)  # fmt: skip

COMMON = (
    "verhaal", "kinderen", "nacht", "politie", "aangifte", "angst", "slapen", "moeder",
    "rouw", "verdriet", "boos", "rechtszaak", "inbraak", "bank", "geld", "avond", "kind",
)  # fmt: skip
RARE = (
    "harmonica", "vogelkooi", "accordeon", "viool", "klarinet", "schaakklok", "urn",
    "grasmaaier", "naaikistje", "aquarelset", "reconstructie", "woningcorporatie",
    "phishingmail", "verjaring", "revalidatie", "logboek", "rijverbod", "kindertherapeut",
)  # fmt: skip
MIDDLE = (
    "whatsapp", "oplichting", "zelfdoding", "moord", "stalking", "geslagen", "zus", "vader",
    "broer", "slachtofferhulp", "rechter", "uitspraak", "fiets", "ongeluk", "ex", "huisarts",
    "nachtmerries", "schaamte", "schuldgevoel", "herdenking", "café", "reünie", "één",
    "verzekering", "dader", "overval", "inbrekers", "oplichter", "verhalen", "slaan",
)  # fmt: skip


@dataclass(frozen=True)
class BenchQuery:
    """One query as typed, and the search request made of it."""

    text: str
    request: SearchRequest


def _generated(rng: random.Random, count: int, known: set[str]) -> list[str]:
    """``count`` more queries of one to four words, mostly middling ones, some rare."""
    made: list[str] = []
    while len(made) < count:
        size = rng.choices((1, 2, 3, 4), weights=(3, 4, 3, 1))[0]
        picked = [
            rng.choice(rng.choices((COMMON, MIDDLE, RARE), weights=(3, 5, 1))[0])
            for _ in range(size)
        ]
        text = " ".join(dict.fromkeys(picked))
        if rng.random() < 0.1:
            text += f" -{rng.choice(MIDDLE)}"
        if text not in known:
            known.add(text)
            made.append(text)
    return made


def queries(count: int, group_ids: frozenset[int], themes: Sequence[str]) -> list[BenchQuery]:
    """``count`` queries: the written ones first, then generated ones. About one in five asks
    for the newest first and one in ten is limited to a theme; all search ``group_ids``."""
    rng = random.Random(SEED)
    texts = list(WRITTEN[:count])
    texts += _generated(rng, count - len(texts), set(texts))
    made = []
    for number, text in enumerate(texts):
        newest = number % 5 == 2
        theme = rng.choice(themes) if number % 10 == 4 else None
        request = SearchRequest(
            query=parse(text),
            group_ids=group_ids,
            theme=theme,
            sort=SortOrder.NEWEST if newest else SortOrder.RELEVANCE,
            page=1,
            per_page=10,
        )
        made.append(BenchQuery(text, request))
    return made
