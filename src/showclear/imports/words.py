"""The words a spreadsheet may use for Showclear's values, and how each cell is read.

Every reader returns the value, or a :class:`~showclear.imports.table.Problem` saying what the
cell should hold; none raises. The lists are in ``docs/imports.md``.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from showclear.core import vocabulary as words
from showclear.core.state import ProductionState
from showclear.imports.table import Cell, Problem, header_key

# -- calibres -------------------------------------------------------------------------------------

CALIBRES: dict[str, tuple[str, ...]] = {
    ".22 LR": ("22lr", ".22 long rifle", "22 long rifle"),
    ".25 ACP": ("25 auto",),
    ".32 ACP": ("32 auto", "7.65mm browning"),
    ".32-20": ("32-20 winchester", "32 wcf"),
    ".357 Magnum": ("357 mag", ".357"),
    ".38 Special": ("38 spl", "38 special", ".38 spl"),
    ".38-40": ("38 wcf",),
    ".380 ACP": ("380 auto", "9mm short", "9x17mm"),
    ".40 S&W": ("40 s&w", ".40"),
    ".44 Magnum": ("44 mag", ".44 mag"),
    ".44 Special": ("44 spl",),
    ".44-40": ("44-40 winchester", "44 wcf", ".44 wcf"),
    ".45 ACP": ("45 auto", ".45 auto"),
    ".45 Colt": ("45 colt", ".45 long colt", "45 long colt", ".45 lc", "45 lc"),
    ".45-70": ("45-70 government", ".45-70 govt"),
    ".30-30": ("30-30 winchester", ".30 wcf"),
    ".30-06": ("30-06 springfield", ".30-06 springfield"),
    ".303 British": ("303", ".303"),
    ".308 Winchester": ("308 win", ".308"),
    ".223 Remington": ("223 rem", ".223"),
    "5.56x45mm": ("5.56mm", "5.56 nato", "5.56x45"),
    "7.62x39mm": ("7.62x39",),
    "7.62x51mm": ("7.62 nato", "7.62x51"),
    "7.62x54R": ("7.62x54r", "7.62x54mmr"),
    "7.92x57mm": ("8mm mauser", "7.92x57", "8x57"),
    "9mm": ("9x19mm", "9x19", "9mm luger", "9mm parabellum", "9 mm"),
    "9mm PAK": ("9mm p.a.k.", "9mm blank"),
    "8mm blank": ("8mm",),
    "10 gauge": ("10ga", "10 ga", "10-gauge", "10 bore"),
    "12 gauge": ("12ga", "12 ga", "12-gauge", "12 bore"),
    "16 gauge": ("16ga", "16 ga", "16-gauge", "16 bore"),
    "20 gauge": ("20ga", "20 ga", "20-gauge", "20 bore"),
    ".410 bore": (".410", "410", "410 bore", "410 gauge"),
}
"""Canonical calibre -> other spellings. A calibre already used on the production is known too."""


def calibre_key(text: str) -> str:
    """A calibre with case, spaces and a leading ``cal.`` ignored (``".45 Colt"`` ~ ``45colt``)."""
    text = text.casefold().strip()
    text = re.sub(r"^(cal\.?|calibre|caliber)\s*", "", text)
    return re.sub(r"[\s.]", "", text)


def calibres_known(also: set[str]) -> dict[str, str]:
    """Every spelling's key -> its canonical calibre, with ``also`` (the production's own)."""
    known = {calibre_key(c): c for c in also}
    for canonical, aliases in CALIBRES.items():
        for spelling in (canonical, *aliases):
            known.setdefault(calibre_key(spelling), canonical)
    return known


def calibre(cell: Cell, known: dict[str, str]) -> str | Problem:
    """The calibre named in ``cell``, spelled the canonical way."""
    if not cell.text:
        return cell.problem("the calibre is missing")
    found = known.get(calibre_key(cell.text))
    if found is None:
        return cell.problem(
            f"unknown calibre {cell.text!r}: use a calibre from docs/imports.md (for example "
            "'.45 Colt', '9mm', '12 gauge') or one already on the production"
        )
    return found


# -- firearms and ammunition ----------------------------------------------------------------------

FIREARM_CLASSES = {
    words.FIRING: ("live firing", "live-firing", "functional", "real", "live fire"),
    words.BLANK_ADAPTED: ("blank firing", "blank-firing", "blank adapted", "blanks only", "blank"),
    words.NON_FIRING_REPLICA: ("non firing replica", "replica", "non-firing", "non firing", "nfr"),
    words.INERT: ("rubber", "dummy gun", "deactivated", "deact"),
}

LOT_TYPES = {
    words.DUMMY: ("dummy", "dummies", "dummy rounds", "dummy cartridges", "dummy ammunition"),
    words.BLANK: ("blank", "blanks", "blank rounds", "blank cartridges", "blank ammunition"),
}
LIVE_TYPES = ("live", "live rounds", "live ammunition", "live cartridges", "ball ammunition")

#: Who made a lot (R-INERT-PRIMER); an empty cell is ``unknown``.
LOT_MAKERS = {
    words.AMMUNITION_MAKER: (
        "ammunition maker",
        "manufacturer",
        "factory",
        "factory made",
        "commercial",
        "maker",
    ),
    words.MADE_ON_PRODUCTION: (
        "production",
        "made on the production",
        "home made",
        "home-made",
        "homemade",
        "hand made",
        "handmade",
        "in house",
        "on set",
        "remade",
        "armory",
    ),
    words.OTHER_MAKER: ("other", "prop house", "rental house", "prop maker", "private"),
    words.UNKNOWN_MAKER: ("unknown", "not known", "?", "n/a"),
}

BLANK_LOADS = {
    "quarter": ("1/4", "quarter load", "1/4 load"),
    "half": ("1/2", "half load", "1/2 load"),
    "full": ("full load", "1/1"),
}


def one_of(cell: Cell, choices: dict[str, tuple[str, ...]], what: str) -> str | Problem:
    """The choice ``cell`` names (by its name or an alias), or a problem listing the choices."""
    wanted = header_key(cell.text)
    for choice, aliases in choices.items():
        if wanted in {header_key(choice), *(header_key(a) for a in aliases)}:
            return choice
    listed = ", ".join(choices)
    if not cell.text:
        return cell.problem(f"the {what} is missing: write one of {listed}")
    return cell.problem(f"{cell.text!r} is not a {what}: write one of {listed}")


def lot_type(text: str) -> str | None:
    """``"dummy"`` or ``"blank"`` when a manifest line's type names ammunition, ``"live"`` for
    live rounds, ``None`` for a firearm."""
    wanted = header_key(text)
    for kind, aliases in LOT_TYPES.items():
        if wanted in {header_key(a) for a in aliases}:
            return kind
    if wanted in {header_key(a) for a in LIVE_TYPES}:
        return words.LIVE
    return None


def positions(cell: Cell, firearm_type: str, firearm_class: str) -> tuple[str, ...] | Problem:
    """A firearm's positions from a number (chambers, barrels or magazine capacity, by its type)
    or from a list (``chamber 1; chamber 2``)."""
    text = cell.text
    loadable = firearm_class not in words.UNLOADABLE_CLASSES
    if not text or text == "0":
        if loadable:
            return cell.problem(
                "the positions are missing: give the number of chambers (revolver), barrels "
                "(double shotgun) or the magazine capacity, or list them ('chamber 1; chamber 2')"
            )
        return ()
    if not loadable:
        return cell.problem(
            f"a {firearm_class.replace('-', ' ')} takes no rounds, so positions contradict its "
            "class (R-CLASS): leave it empty, or give the class it really is"
        )
    if text.isdigit():
        count = int(text)
        if not 0 < count <= 100:
            return cell.problem(f"{count} positions is not a firearm's: write 1 to 100")
        kind = firearm_type.casefold()
        if "revolver" in kind:
            return words.revolver_chambers(count)
        if "shotgun" in kind and count <= 2:
            return words.barrels(count)
        return words.magazine_positions(count)
    named = tuple(part.strip() for part in split_list(text))
    if len(set(named)) != len(named):
        return cell.problem("each position is named once")
    return named


# -- people ---------------------------------------------------------------------------------------

ROLES = {
    words.ARMORER: ("key armorer", "armourer", "key armourer", "head armorer"),
    words.ASSISTANT_ARMORER: ("assistant armorer", "assistant armourer", "asst armorer"),
    words.FIRST_AD: ("first ad", "1st ad", "first assistant director", "1st assistant director"),
    words.CAST: ("actor", "actress", "performer", "principal", "day player"),
    words.STUNT: ("stunt performer", "stunts", "stuntman", "stuntwoman", "stunt double"),
    words.SAFETY_SUPERVISOR: (
        "safety",
        "safety officer",
        "safety coordinator",
        "safety supervisor",
    ),
    words.PRODUCER: ("line producer", "upm", "unit production manager", "executive producer"),
    words.INVESTIGATOR: ("investigator", "police", "detective"),
    words.CREW: ("crew member", "camera", "grip", "electric", "sound", "props", "costume"),
}

COURSES = {
    words.FIREARM_SAFETY: ("firearm safety", "firearms safety", "weapons safety", "gun safety"),
    words.ARMORER_LICENCE: ("armorer licence", "armorer license", "armourer licence", "licence"),
}


def course(text: str) -> str:
    """A training course's id: one of :data:`COURSES` when it is named so, else its words
    joined by hyphens (``"Blank fire awareness"`` -> ``"blank-fire-awareness"``)."""
    wanted = header_key(text)
    for name, aliases in COURSES.items():
        if wanted in {header_key(name), *(header_key(a) for a in aliases)}:
            return name
    return wanted.replace(" ", "-")


# -- scenes ---------------------------------------------------------------------------------------

CONDITIONS = {
    words.COLD: ("cold", "cold gun", "empty", "unloaded"),
    words.DUMMIES: ("dummy", "dummies", "dummy rounds", "loaded with dummies"),
    words.HOT: ("hot", "hot gun", "blanks", "blank", "live fire blanks"),
}


def day_id(text: str) -> str:
    """A shoot day's id: ``"1"``, ``"Day 1"``, ``"day-1"`` -> ``"day-1"``; others hyphenated."""
    key = header_key(text)
    match = re.fullmatch(r"(?:day|shoot day|d)?\s*(\d+)(?:\s*of\s*\d+)?", key)
    if match:
        return f"day-{int(match.group(1))}"
    return key.replace(" ", "-")


# -- plain values ---------------------------------------------------------------------------------

DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y")


def iso_date(cell: Cell, what: str, required: bool = True) -> str | Problem | None:
    """``cell`` as an ISO date (``2026-10-12``, or ``12 Oct 2026``), ``None`` when empty and not
    required."""
    text = cell.text
    if not text:
        return cell.problem(f"the {what} is missing (YYYY-MM-DD)") if required else None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return cell.problem(
        f"{text!r} is not a date: write it as YYYY-MM-DD (a date like 03/04/2026 reads "
        "differently in Europe and America)"
    )


def whole_number(cell: Cell, what: str, *, least: int = 0) -> int | Problem:
    """``cell`` as a whole number of at least ``least`` (``1,000`` reads as a thousand)."""
    text = cell.text.replace("_", "")
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text):
        text = text.replace(",", "")
    if not text:
        return cell.problem(f"the {what} is missing: write a whole number")
    if not re.fullmatch(r"[+-]?\d+", text):
        return cell.problem(f"{cell.text!r} is not a number: write the {what} as a whole number")
    number = int(text)
    if number < least:
        return cell.problem(f"the {what} must be at least {least}, not {number}")
    return number


UNIT_ALIASES = ("shooting unit", "crew unit", "which unit")
"""The headers a unit column answers to (the schedule's and the roster's)."""


def unit(cell: Cell, state: ProductionState) -> str | Problem:
    """The unit ``cell`` names, by its id or its name (``"second"``, ``"Second unit"``), the main
    unit when empty; a problem naming the units formed otherwise."""
    wanted = header_key(cell.text)
    if not wanted:
        return "main"
    for known in state.units.values():
        if wanted in {header_key(known.unit), header_key(known.name), header_key(known.label)}:
            return known.unit
    listed = ", ".join(u.name for u in state.units.values())
    return cell.problem(
        f"no unit {cell.text!r} is formed on the production ({listed}): form it first "
        "(OpenUnit), then import"
    )


def split_list(text: str) -> list[str]:
    """The items of a list cell: separated by semicolons, else by commas (or new lines)."""
    separator = ";" if ";" in text else ","
    return [item.strip() for item in re.split(f"[{separator}\n]", text) if item.strip()]


def name_key(name: str) -> str:
    """A person's name with case and spacing ignored."""
    return " ".join(name.casefold().split())
