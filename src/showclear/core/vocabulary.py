"""The words of a set, as the exact strings the ledger stores.

Payloads hold plain strings (stable, JSON-safe, readable in an export); these constants and
sets are the only values the decider accepts for each word.
"""

from __future__ import annotations

# -- roles on a production ----------------------------------------------------------------------

ARMORER = "armorer"
ASSISTANT_ARMORER = "assistant-armorer"
FIRST_AD = "first-ad"
CAST = "cast"
STUNT = "stunt"
SAFETY_SUPERVISOR = "safety-supervisor"
PRODUCER = "producer"
#: Takes an incident's evidence when the safety supervisor releases it to them by name, holds it,
#: and alone hands it back to an armorer once the incident is closed (R-EVIDENCE). Otherwise reads
#: the production: firearms, lots, the ledger; handles nothing on set.
INVESTIGATOR = "investigator"
CREW = "crew"

ROLES = frozenset(
    {ARMORER, ASSISTANT_ARMORER, FIRST_AD, CAST, STUNT, SAFETY_SUPERVISOR, PRODUCER}
    | {INVESTIGATOR, CREW}
)
ARMORERS = frozenset({ARMORER, ASSISTANT_ARMORER})
PERFORMERS = frozenset({CAST, STUNT})

ROLE_NAMES = {
    ARMORER: "armorer",
    ASSISTANT_ARMORER: "assistant armorer",
    FIRST_AD: "first AD",
    CAST: "cast",
    STUNT: "stunt performer",
    SAFETY_SUPERVISOR: "safety supervisor",
    PRODUCER: "producer",
    INVESTIGATOR: "investigator",
    CREW: "crew",
}

# -- training courses ---------------------------------------------------------------------------

FIREARM_SAFETY = "firearm-safety"
ARMORER_LICENCE = "armorer-licence"

# -- firearms -----------------------------------------------------------------------------------

FIRING = "firing"
BLANK_ADAPTED = "blank-adapted"
NON_FIRING_REPLICA = "non-firing-replica"
INERT = "inert"
FIREARM_CLASSES = frozenset({FIRING, BLANK_ADAPTED, NON_FIRING_REPLICA, INERT})
#: Classes that can take no round at all: they have no positions.
UNLOADABLE_CLASSES = frozenset({NON_FIRING_REPLICA, INERT})


def revolver_chambers(count: int) -> tuple[str, ...]:
    """The positions of a revolver's cylinder: ``("chamber 1", ..., "chamber n")``."""
    return tuple(f"chamber {number}" for number in range(1, count + 1))


def magazine_positions(capacity: int) -> tuple[str, ...]:
    """The positions of a magazine-fed firearm: the chamber, then magazine 1..capacity."""
    return ("chamber", *(f"magazine {number}" for number in range(1, capacity + 1)))


def barrels(count: int) -> tuple[str, ...]:
    """The positions of a break-action shotgun: ``("barrel 1", ..., "barrel n")``."""
    return tuple(f"barrel {number}" for number in range(1, count + 1))


# -- ammunition ---------------------------------------------------------------------------------

DUMMY = "dummy"
BLANK = "blank"
#: What a lot may be received as. There is no "live": a live round is only ever *found*.
LOT_KINDS = frozenset({DUMMY, BLANK})
LIVE = "live"
UNKNOWN = "unknown"
#: What someone may say a found round looked like.
OBSERVED_KINDS = frozenset({LIVE, BLANK, DUMMY, UNKNOWN})

RATTLE = "rattle"
PRIMER = "primer"
CASE_HOLE = "case-hole"
OTHER = "other"
#: The primer of a dummy was looked at and found struck (dented by a firing pin: it cannot fire
#: again) or its pocket empty (no primer at all): the only checks that prove an inert primer.
PRIMER_STRUCK = "primer-struck"
PRIMER_POCKET_EMPTY = "primer-pocket-empty"
VERIFICATION_METHODS = frozenset(
    {RATTLE, PRIMER, CASE_HOLE, OTHER, PRIMER_STRUCK, PRIMER_POCKET_EMPTY}
)
#: The methods that prove a dummy's primer is inert (R-INERT-PRIMER): ``primer`` (as the set
#: pages have always said it: the primer found struck or its pocket empty), or either said
#: exactly. A rattle proves only that a BB moves inside, a case hole that the case is drilled:
#: neither proves the primer cannot fire.
INERT_PRIMER_METHODS = frozenset({PRIMER, PRIMER_STRUCK, PRIMER_POCKET_EMPTY})

#: Who made a lot (R-INERT-PRIMER): a recognised ammunition maker, the production itself (made or
#: remade on set or in the armory), someone else (a prop house, a person), or nobody knows.
AMMUNITION_MAKER = "ammunition-maker"
MADE_ON_PRODUCTION = "production"
OTHER_MAKER = "other"
UNKNOWN_MAKER = "unknown"
LOT_MAKERS = frozenset({AMMUNITION_MAKER, MADE_ON_PRODUCTION, OTHER_MAKER, UNKNOWN_MAKER})
MAKER_WORDS = {
    AMMUNITION_MAKER: "by a recognised ammunition maker",
    MADE_ON_PRODUCTION: "on the production",
    OTHER_MAKER: "by someone who is not a recognised ammunition maker",
    UNKNOWN_MAKER: "by nobody on record",
}

# -- misfires -----------------------------------------------------------------------------------

#: Where a misfired round goes once it is out of the firearm (R-MISFIRE): into a named armory
#: container (kept apart, out of the count of usable rounds), kept as evidence for an
#: investigator, or disposed of (to the ammunition maker, a range, the police).
DUD_TO_CONTAINER = "container"
DUD_TO_EVIDENCE = "evidence"
DUD_TO_DISPOSAL = "disposal"
DUD_DESTINATIONS = frozenset({DUD_TO_CONTAINER, DUD_TO_EVIDENCE, DUD_TO_DISPOSAL})

# -- rounds handled by someone not an armorer ---------------------------------------------------

#: What a report may say someone who is not an armorer did with rounds (R-LOOSE-ROUNDS).
LOADED = "loaded"
RELOADED = "reloaded"
UNLOADED = "unloaded"
TOOK_ROUNDS_OUT = "took-rounds-out"
PUT_ROUNDS_IN = "put-rounds-in"
HANDLING_ACTS = frozenset({LOADED, RELOADED, UNLOADED, TOOK_ROUNDS_OUT, PUT_ROUNDS_IN})
HANDLING_WORDS = {
    LOADED: "loaded",
    RELOADED: "reloaded",
    UNLOADED: "unloaded",
    TOOK_ROUNDS_OUT: "took rounds out of",
    PUT_ROUNDS_IN: "put rounds into",
}
#: The same, said of what was handled: "Revolver R-01 was reported reloaded by ...".
HANDLED_WORDS = {
    LOADED: "loaded",
    RELOADED: "reloaded",
    UNLOADED: "unloaded",
    TOOK_ROUNDS_OUT: "emptied of rounds",
    PUT_ROUNDS_IN: "filled with rounds",
}
#: The category of the incident such a report opens: investigated, and it holds the firearm (and
#: the belt or bag) named, not the whole production.
HANDLING_INCIDENT = "rounds-handled"

# -- containers ---------------------------------------------------------------------------------

ARMORY_SAFE = "armory-safe"
LOCKBOX = "lockbox"
GUN_BELT = "gun-belt"
BAG = "bag"
VEHICLE = "vehicle"
CONTAINER_KINDS = frozenset({ARMORY_SAFE, LOCKBOX, GUN_BELT, BAG, VEHICLE})
#: Containers that stay in an armorer's custody (never issued to a performer).
ARMORY_CONTAINERS = frozenset({ARMORY_SAFE, LOCKBOX, VEHICLE})
#: Containers that may be issued to a performer: they carry counted rounds, never a firearm.
WORN_CONTAINERS = frozenset({GUN_BELT, BAG})

# -- scene conditions ---------------------------------------------------------------------------

COLD = "cold"
DUMMIES = "dummies"
HOT = "hot"
CONDITIONS = frozenset({COLD, DUMMIES, HOT})

#: Firearms out with performers that one armorer on set can keep in sight (R4: enough armorers
#: for the firearms in use). Past it, each handover is recorded with a warning to producers.
FIREARMS_PER_ARMORER = 6

#: The stand-off from a muzzle firing blanks to any person, in centimetres (20 ft, 6 m).
STAND_OFF_CM = 600
