"""The small English vocabulary the extractor works with: qualifiers, kinds of harm, groups,
nouns that are never people harmed, months.

Kept apart from the logic so that a reviewer can read (and extend) the word lists in one place.
"""

from __future__ import annotations

import re

from recount.vocabulary import CLAIM_KINDS

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

# Phrases just before a number, longest first so that "no more than" wins over "more than".
_QUALIFIERS = {
    "at least": [
        "at least",
        "not less than",
        "no less than",
        "no fewer than",
        "not fewer than",
        "a minimum of",
        "at a minimum",
    ],
    "over": ["over", "more than", "upwards of", "in excess of", "above"],
    "about": [
        "about",
        "around",
        "some",
        "approximately",
        "approx.",
        "roughly",
        "nearly",
        "almost",
        "an estimated",
        "estimated",
        "close to",
        "circa",
        "c.",
        "~",
        "an approximate",
        "reportedly",
    ],
    "up to": [
        "up to",
        "as many as",
        "no more than",
        "not more than",
        "at most",
        "a maximum of",
        "does not exceed",
        "did not exceed",
        "do not exceed",
        "not exceeding",
        "not exceed",
        "did not surpass",
    ],
    "fewer than": ["fewer than", "less than", "under", "below", "just under"],
}
QUALIFIER_PREFIXES = sorted(
    ((p, q) for q, ps in _QUALIFIERS.items() for p in ps), key=lambda pq: len(pq[0]), reverse=True
)

KINDS = CLAIM_KINDS

# Words that say what happened to the people counted. Each pattern is searched in lower case.
# Orphaned comes first so that "lost both parents" is never read as killed ("lost their lives").
KIND_PATTERNS: list[tuple[str, str]] = [
    (
        "orphaned",
        r"orphaned|orphans?|lost (?:both |one of )?(?:their |his |her )?parents?"
        r"|lost (?:a|one|both|one or both|either) parents?"
        r"|without (?:their )?parents|parentless",
    ),
    (
        "killed",
        r"killed|killing|kills?|dead|deaths?|died|die|dying|lost their lives"
        r"|lost (?:his|her) life|(?:claimed|claiming|claim|took|taking) the lives of"
        r"|fatalit(?:y|ies)|bodies|corpses|remains of|executed|executions?|massacred"
        r"|murdered|slaughtered|annihilated|wiped out|perished|death toll|toll"
        r"|shot dead|lives were lost|lost lives",
    ),
    (
        "injured",
        r"injured|injuring|injur(?:y|ies)|wounded|wounding|wounds|hurt"
        r"|treated for|taken to hospitals?|hospitali[sz]ed|admitted to hospitals?"
        r"|in (?:a )?(?:critical|serious|grave|stable) condition|in hospital|burns",
    ),
    (
        "detained",
        r"detained|detaining|detention|detainees?|arrested|arrests?"
        r"|taken prisoner|prisoners?|captured|captives?|hostages?|abducted"
        r"|abductions?|kidnapped|taken away|rounded up|imprisoned|jailed"
        r"|(?:were|was|been|being) held|held (?:captive|hostage|prisoner)"
        r"|held (?:for|incommunicado|without charge|in custody|in detention)"
        r"|taken to (?:(?:a|an|the) )?(?:[\w'’]+ ){0,2}(?:base|barracks|police station"
        r"|prison|detention (?:centre|center|camp|facility))",
    ),
    (
        "missing",
        r"missing|disappeared|disappearances?|unaccounted for"
        r"|whereabouts (?:are |remain )?unknown|not (?:been )?seen (?:again|since)"
        r"|(?:not|never) (?:been )?heard (?:from|of)|not (?:been )?accounted for",
    ),
    (
        "displaced",
        r"displaced|displacement|fled|flee|fleeing|forced (?:from|out of) their homes"
        r"|left their homes|left the (?:\w+ )?(?:village|town|city|area|region|district"
        r"|port|valley|country|province|quarter|neighbourhood|neighborhood)"
        r"|refugees|idps|evacuated|homeless|uprooted|driven from|expelled|deported"
        r"|in (?:temporary |emergency )?shelters|sheltering"
        r"|(?:forced|made|compelled) to (?:leave|flee|abandon)|leave their homes",
    ),
    ("other", r"casualties|tortured|raped|victims of sexual violence"),
]
KIND_RE = [(kind, re.compile(rf"\b(?:{pattern})\b")) for kind, pattern in KIND_PATTERNS]

# Words that say a sentence tells of the violence itself: only such sentences (or those with a
# figure) set the place and date that later sentences inherit, so "we interviewed survivors in
# Halvi camp" does not move the events to Halvi.
EVENT_RE = re.compile(
    r"\b(?:attack(?:s|ed|ing)?|shell(?:ing|ed)|massacres?|killings?|bomb(?:ing|ings|ed)|"
    r"fighting|clashes|offensive|air ?strikes?|raids?|siege|assault|war|violence|ambush(?:ed)?|"
    r"explosions?|blasts?|slaughter|loss of life|atrocit(?:y|ies)|genocide|executions?|"
    r"clash(?:ed|es)?|opened fire|gunfire)\b",
    re.IGNORECASE,
)

# Kind words that name a status rather than an act: "212 detainees were killed" is killed.
STATUS_NOUNS = {
    "detainee",
    "detainees",
    "prisoner",
    "prisoners",
    "captives",
    "captive",
    "hostages",
    "hostage",
    "refugees",
    "orphans",
    "orphan",
}

# Groups named in the noun phrase of a figure, first match wins ("men and boys" -> men).
GROUP_PATTERNS: list[tuple[str, str]] = [
    ("civilians", r"civilians?|non-combatants?"),
    ("women", r"women|woman|pregnant women|mothers|wives"),
    (
        "children",
        r"children|child|minors|infants|babies|kids|boys|girls|schoolchildren"
        r"|pupils|orphans|teenagers",
    ),
    ("elderly", r"elderly|old people|older people|pensioners|old men|old women"),
    ("men", r"men|man|fathers|husbands"),
    ("families", r"families|households"),
    ("police", r"police officers|policemen|police|officers|gendarmes"),
    (
        "combatants",
        r"soldiers|troops|fighters|militants|combatants|armed (?:men|individuals)"
        r"|servicemen|militiamen|rebels|insurgents|guerrillas",
    ),
    ("journalists", r"journalists|reporters|media workers"),
    ("aid workers", r"aid workers|humanitarian workers|relief workers|volunteers"),
    (
        "medical workers",
        r"doctors|nurses|medics|health workers|medical (?:staff|workers)"
        r"|paramedics",
    ),
]
GROUP_RE = [(group, re.compile(rf"\b(?:{pattern})\b")) for group, pattern in GROUP_PATTERNS]

# Nouns after a number that are never people harmed (graves, days, money, places, votes...).
NON_PERSON_NOUNS = {
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hour",
    "hours",
    "minute",
    "minutes",
    "second",
    "seconds",
    "decade",
    "decades",
    "century",
    "centuries",
    "metre",
    "metres",
    "meter",
    "meters",
    "km",
    "kilometres",
    "kilometers",
    "miles",
    "mile",
    "tonnes",
    "tons",
    "kg",
    "kilograms",
    "litres",
    "hectares",
    "acres",
    "grave",
    "graves",
    "site",
    "sites",
    "stall",
    "stalls",
    "village",
    "villages",
    "town",
    "towns",
    "cities",
    "districts",
    "provinces",
    "regions",
    "houses",
    "homes",
    "buildings",
    "countries",
    "states",
    "nations",
    "counts",
    "count",
    "lists",
    "list",
    "exhibits",
    "pages",
    "page",
    "articles",
    "resolutions",
    "votes",
    "hospitals",
    "clinics",
    "schools",
    "vehicles",
    "trucks",
    "tanks",
    "shells",
    "rockets",
    "missiles",
    "rounds",
    "bullets",
    "points",
    "times",
    "dollars",
    "euros",
    "pounds",
    "percent",
    "cent",
    "attacks",
    "attack",
    "incidents",
    "massacres",
    "strikes",
    "airstrikes",
    "raids",
    "events",
    "cases",
    "trial",
    "sessions",
    "camps",
    "checkpoints",
    "defenders",
    "organisers",
    "organizers",
    "speakers",
    "interviews",
    "reports",
    "documents",
    "photos",
    "photographs",
    "videos",
    "files",
    "sources",
    "parliaments",
    "assemblies",
    "treaties",
    "conventions",
    "laws",
    "cargo",
    "km2",
    "storeys",
    "floors",
    "rooms",
    "beds",
}

# Nouns for people that are not a group of their own ("19 guests" is people, group None). A
# number whose noun is neither these, a group nor a harm word takes no distant harm word.
PERSON_NOUNS = {
    "people",
    "persons",
    "person",
    "individuals",
    "residents",
    "inhabitants",
    "villagers",
    "victims",
    "survivors",
    "guests",
    "inmates",
    "prisoners",
    "detainees",
    "students",
    "workers",
    "staff",
    "patients",
    "passengers",
    "worshippers",
    "migrants",
    "refugees",
    "protesters",
    "demonstrators",
    "citizens",
    "nationals",
    "members",
    "relatives",
    "others",
    "more",
    "employees",
    "farmers",
    "fishermen",
    "miners",
    "teachers",
    "priests",
    "monks",
    "guards",
    "managers",
    "officials",
    "owners",
    "civilians",
    "bodies",
    "dead",
    "wounded",
    "injured",
    "missing",
    "displaced",
}

# Nouns for a whole population: "a city of 120,000", "home to 7,000 people".
POPULATION_BEFORE = re.compile(
    r"(?:home to|population of|inhabited by|(?:city|town|village|district|region|country|"
    r"municipality|community|island|province|area|camp) of|populated by)\s*$"
)
POPULATION_AFTER = re.compile(r"^\s*(?:inhabitants|residents live|population|people live)\b")

# Words just before a number that make it a label, not a count.
REFERENCE_BEFORE = re.compile(
    r"(?:\bno\.?|\bnumber|\bnr\.?|#|\bpages?|\bpp?\.|\bannex(?:es)?|\bparagraphs?|\bparas?\.?"
    r"|\barticles?|\bchapters?|\bsections?|\bresolutions?|\bcase|\broute|\bhighway|\broom"
    r"|\bflight|\bbuilding|\bblock|\bunit|\bplot|\bhotline:?|\bphone:?|\btel\.?:?"
    r"|\bfax:?|\bversion|\bv\.|\bfigure|\btable|\bstep|\bphase|\bpart|\bvolume|\bvol\."
    r"|\blist|=|<|>)\s*$"
)
AGE_BEFORE = re.compile(r"(?:\baged|\bage of|\bages of|\bages|\bage|\bage from)\s*$")
AGE_AFTER = re.compile(r"^(?:\s*|-)(?:years?[\s-]old|year-olds?|yrs?\b)")
CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₽₼]|\bus\$|\busd|\beur|\bgbp|\brub|\bazn)\s*$")
CURRENCY_AFTER = re.compile(r"^\s*(?:dollars|euros|pounds|manat|rubles|roubles|usd|eur)\b")
PERCENT_AFTER = re.compile(r"^\s*(?:%|per\s?cent|percent|pc\b|percentage)")
ADDRESS_AFTER = re.compile(
    r"^\s+(?:[A-Z][\w'-]+\s+){1,2}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Boulevard|"
    r"Square|Drive|Way)\b"
)
ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b")

# Words after a figure's noun that make it a subgroup of the figure before it: "its report
# lists 41 elderly people among them".
SUBGROUP_AFTER = re.compile(
    r"^\s*(?:among|of)\s+(?:them|those|whom|the\s+(?:dead|victims|bodies"
    r"|wounded|injured|detainees|missing))\b"
)

# Words that introduce a subgroup of the figure before it: "613 killed, including 106 women".
SUBGROUP_BEFORE = re.compile(
    r"(?:including|among them|among whom|of whom|among those|among the victims were|"
    r"among the dead were|among the dead|among the injured|among the wounded)\s*$"
)

# Pronouns and other subjects that cannot be a source.
NOT_A_SOURCE = {
    "it",
    "there",
    "this",
    "that",
    "which",
    "who",
    "what",
    "these",
    "those",
    "we",
    "i",
    "you",
    "our",
    "some",
    "many",
    "others",
    "all",
}
PRONOUNS = {"he", "she", "they"}
