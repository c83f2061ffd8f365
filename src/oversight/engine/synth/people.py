"""Invented people and places: workers, teams, identifiers, demographics, placements' areas.

Everything here is obviously fictional. Worker names join a common first name to an invented
surname (``Ada Quillfeather``) so no row can be mistaken for a real practitioner; postcodes use
single-letter areas that do not exist in the UK (``T``, ``Q``, ``J``…); the council and its
neighbours are invented places. Child identifiers are 7-digit numbers drawn through a fixed
permutation so they look like a case-management system's ids, are unique without remembering
them, and never encode anything about a child.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass

COUNCIL = "Anyshire"
NEIGHBOURS = ("Brookborough", "Eastvale", "Westmere", "Northdene", "Fenmarsh", "Kestrel Vale", "Lowmoor")
# Single-letter postcode areas that are not used in the UK, so every postcode is plainly invented.
HOME_AREA = "T"
NEIGHBOUR_AREAS = ("Q", "J", "X", "V", "Y", "Z", "K")

TEAMS = (
    "MASH",
    "Assessment Team 1",
    "Assessment Team 2",
    "Safeguarding Team A",
    "Safeguarding Team B",
    "Children in Care Team",
    "Leaving Care Team",
)
# Workers per team at scale 1 (a council of about 35,000 children).
TEAM_SIZE = {
    "MASH": 8,
    "Assessment Team 1": 10,
    "Assessment Team 2": 10,
    "Safeguarding Team A": 11,
    "Safeguarding Team B": 10,
    "Children in Care Team": 14,
    "Leaving Care Team": 7,
}
PERSONAL_ADVISORS = "Personal Advisors"

FIRST_NAMES = (
    "Ada", "Alfie", "Amara", "Arlo", "Beatrix", "Bram", "Cleo", "Dara", "Edie", "Ezra", "Fen", "Flora",
    "Gideon", "Greta", "Hal", "Hazel", "Idris", "Iris", "Jago", "Juno", "Kit", "Lark", "Linus", "Mabel",
    "Milo", "Nell", "Noor", "Orla", "Otis", "Pip", "Priya", "Quinn", "Rafe", "Rosa", "Sable", "Sami",
    "Tamsin", "Theo", "Una", "Vida", "Wren", "Xander", "Yara", "Zeb", "Anouk", "Bodhi", "Cass", "Dev",
    "Elio", "Femi", "Gwen", "Hugo", "Ines", "Jem", "Kofi", "Lottie", "Mina", "Nico", "Ossie", "Petra",
    "Ravi", "Suki", "Tobin", "Vesna",
)
SURNAMES = (
    "Quillfeather", "Thistledown", "Brambleworth", "Mossgrove", "Fernwhistle", "Lanternby", "Copperkettle",
    "Hollowbrook", "Inkwhistle", "Juniperlane", "Kettleby", "Larkmoor", "Marrowdale", "Nettlefold",
    "Oakapple", "Pebblewick", "Quincefield", "Rushbrook", "Saffronhill", "Tumbleweed", "Umberdale",
    "Violetmoss", "Willowherb", "Yarrowby", "Zephyrfield", "Acornwick", "Bluebellow", "Cloverdown",
    "Dandelyon", "Elderflower", "Foxglovely", "Gorseby", "Heatherwick", "Ivyhollow", "Jackdawe",
    "Kestrelmoor", "Lichenby", "Mistlecombe", "Nightjarr", "Otterbury", "Puddlecombe", "Quailstone",
    "Ravensmere", "Sorrelbank", "Teasleby", "Upperwick", "Vervainly", "Wagtailey", "Wrenfield",
    "Yewcastle", "Alderwhim", "Burdockley", "Campionby", "Dewberrie", "Eyebrightly", "Figwortham",
    "Glowmarsh", "Harebellow", "Icklethorn", "Jessamyne", "Knapweedy", "Lupinford", "Meadowsweeting",
    "Nutmeggan",
)


class IdAllocator:
    """Unique, random-looking numeric identifiers without storing any: an affine permutation.

    The n-th id is ``low + (a·n + b) mod span``; with ``a`` coprime to ``span`` this never repeats
    for n < span, whatever the scale.
    """

    def __init__(self, rng: random.Random, low: int = 1_000_000, span: int = 9_000_000, prefix: str = "") -> None:
        self.low, self.span, self.prefix = low, span, prefix
        a = rng.randrange(span // 3, span - 1)
        while math.gcd(a, span) != 1:
            a += 1
        self.a, self.b, self.n = a, rng.randrange(span), 0

    def next(self) -> str:
        if self.n >= self.span:
            raise OverflowError("ran out of synthetic identifiers")
        value = self.low + (self.a * self.n + self.b) % self.span
        self.n += 1
        return f"{self.prefix}{value}"


class WorkerPools:
    """Named workers per team, sized to the council (scale), with uneven caseloads.

    Pools are fixed at the start from the seed, so the same seed gives the same names, and each
    name belongs to one team only.
    """

    def __init__(self, rng: random.Random, scale: float) -> None:
        combos = [f"{f} {s}" for f, s in itertools.product(FIRST_NAMES, SURNAMES)]
        rng.shuffle(combos)
        sizes = {team: max(3, min(500, round(n * scale))) for team, n in TEAM_SIZE.items()}
        sizes[PERSONAL_ADVISORS] = max(3, min(500, round(6 * scale)))
        self.pools: dict[str, tuple[str, ...]] = {}
        self.weights: dict[str, tuple[float, ...]] = {}
        start = 0
        for team, size in sizes.items():
            self.pools[team] = tuple(combos[start : start + size])
            # Some workers carry more cases than others (part-time, newly qualified…).
            self.weights[team] = tuple(itertools.accumulate(0.5 + rng.random() for _ in range(size)))
            start += size

    def pick(self, team: str, rng: random.Random) -> str:
        return rng.choices(self.pools[team], cum_weights=self.weights[team])[0]


# ---------------------------------------------------------------------------------------------
# Demographics
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Weighted:
    """A categorical distribution, precomputed for fast repeated draws."""

    values: tuple
    cum: tuple[float, ...]

    @classmethod
    def of(cls, pairs: dict) -> Weighted:
        return cls(tuple(pairs), tuple(itertools.accumulate(pairs.values())))

    def draw(self, rng: random.Random):
        return rng.choices(self.values, cum_weights=self.cum)[0]


GENDER = Weighted.of({"Male": 52.0, "Female": 47.0, "Not stated/recorded": 0.7, "Neither": 0.3})
ADULT_GENDER = Weighted.of({"Female": 58.0, "Male": 42.0})
ETHNICITY = Weighted.of({
    "WBRI": 68.0, "WIRI": 0.4, "WIRT": 0.2, "WOTH": 5.5, "WROM": 0.5, "MWBC": 1.8, "MWBA": 0.9,
    "MWAS": 1.4, "MOTH": 1.8, "AIND": 2.4, "APKN": 3.2, "ABAN": 1.1, "AOTH": 1.4, "BCRB": 0.9,
    "BAFR": 3.0, "BOTH": 0.7, "CHNE": 0.4, "OOTH": 1.6, "REFU": 0.5, "NOBT": 1.6,
})
UASC_ETHNICITY = Weighted.of({"OOTH": 30.0, "AOTH": 25.0, "BAFR": 25.0, "BOTH": 10.0, "WOTH": 5.0, "NOBT": 5.0})
ADOPTER_ETHNICITY = Weighted.of({"WBRI": 84.0, "WOTH": 4.0, "MWBC": 2.0, "AIND": 2.0, "BCRB": 2.0,
                                 "BAFR": 2.0, "MOTH": 2.0, "OOTH": 2.0})
DISABILITY = Weighted.of({"No": 86.0, "Yes": 9.0, "Unknown": 5.0})

CONTACT_SOURCE = Weighted.of({
    "1A": 5.0, "1B": 1.5, "1C": 1.0, "1D": 1.0, "2A": 18.0, "2B": 2.0, "3A": 2.5, "3B": 3.0, "3C": 1.0,
    "3D": 2.0, "3E": 3.0, "3F": 2.5, "4": 2.5, "5A": 3.0, "5B": 3.0, "5C": 2.0, "5D": 2.0, "6": 28.0,
    "7": 3.0, "8": 8.0, "9": 3.5, "10": 1.5,
})
REFERRAL_SOURCE = Weighted.of({
    "1A": 5.5, "1B": 1.0, "1C": 1.0, "1D": 0.5, "2A": 20.0, "2B": 2.0, "3A": 3.0, "3B": 4.0, "3C": 1.0,
    "3D": 2.0, "3E": 3.0, "3F": 3.5, "4": 3.0, "5A": 4.0, "5B": 4.0, "5C": 2.5, "5D": 3.0, "6": 25.0,
    "7": 3.0, "8": 6.0, "9": 1.5, "10": 1.0,
})

EH_ORGANISATIONS = Weighted.of({
    "Early Help Locality North": 20.0, "Early Help Locality South": 18.0, "Early Help Locality Central": 16.0,
    "Family Hub East": 10.0, "Family Hub West": 10.0, "Puddlebrook Primary School": 6.0,
    "Hollowmere Academy": 6.0, "Anyshire Health Visiting Service": 8.0, "Lanternby Children's Centre": 6.0,
})


def postcode(rng: random.Random, area: str) -> str:
    """An invented postcode in ``area`` (format A9 9AA / A99 9AA)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{area}{rng.randint(1, 30)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (normal approximation for large means, which only the big lists reach)."""
    if lam <= 0:
        return 0
    if lam > 60:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k
