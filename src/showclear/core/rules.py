"""The safety protocol as small named rules.

Each rule has a stable id (``R-LIVE``), the number of the rule in
``domain/safety-rules.md`` it enforces (``R1``; several ids may enforce one numbered rule, and
the interlock rules have none), a title, its sources, a severity (``block`` refuses the command,
``warn`` records it with a warning) and whether a safety supervisor may override it, once, with a
reason. The checks themselves live with the commands they guard (:mod:`showclear.core.decide`);
this module says what the rules *are*, so that a refusal, a reference page and a report all name
them the same way. Which commands each rule is checked on is found from the deciders' own code
(every rule constant a handler's calls can reach, and the rule its declared roles are checked
under) by ``tests/core/where_checked.py``, which writes the "Where it is checked" section of
each page under ``docs/rules``; a test fails while a page differs.
"""

from __future__ import annotations

from dataclasses import dataclass

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Rule:
    """One rule of the safety protocol."""

    rule_id: str
    number: str
    title: str
    sources: tuple[str, ...]
    severity: str
    overridable: bool


@dataclass(frozen=True)
class Violation:
    """One rule a command breaks: which, how badly, and a sentence saying what to do.

    ``subject`` names what the rule was broken for (a firearm tag, a lot tag, a person id, a
    scene): an override is granted for one rule and one subject.
    """

    rule_id: str
    title: str
    severity: str
    message: str
    subject: str
    overridable: bool

    @property
    def blocks(self) -> bool:
        """Whether it refuses the command (unless overridden)."""
        return self.severity == BLOCK


RULES: dict[str, Rule] = {}


def _rule(
    rule_id: str, number: str, title: str, sources: str, severity: str, overridable: bool
) -> Rule:
    rule = Rule(rule_id, number, title, tuple(sources.split()), severity, overridable)
    RULES[rule_id] = rule
    return rule


LIVE_ROUNDS = _rule(
    "R-LIVE",
    "R1",
    "No live ammunition, ever; a live round found stops work and quarantines its lot",
    "S1 S12 S13",
    BLOCK,
    overridable=False,
)
CUSTODY = _rule(
    "R-CUSTODY",
    "R2",
    "Every firearm and round is with a named person or in a locked container "
    "under the armorer's control",
    "S8 S9 S11",
    BLOCK,
    overridable=False,
)
HANDOVER = _rule(
    "R-HANDOVER",
    "R3",
    "Only an armorer hands a firearm over, takes it back, or declares its state",
    "S11 S31",
    BLOCK,
    overridable=False,
)
ONE_DUTY = _rule(
    "R-ONE-DUTY",
    "R4",
    "The armorer has no other duty while firearms are out",
    "S5 S11 S19",
    WARN,
    overridable=True,
)
ARMORER_PRESENT = _rule(
    "R-ARMORER-PRESENT",
    "R4",
    "An armorer stays on set while any firearm is out",
    "S5 S11 S19",
    BLOCK,
    overridable=False,
)
MEETING = _rule(
    "R-MEETING",
    "R5",
    "A safety meeting for the scene, with everyone near its firearms, comes "
    "before any firearm is issued",
    "S1 S8 S11 S20",
    BLOCK,
    overridable=True,
)
INSPECT = _rule(
    "R-INSPECT",
    "R6",
    "An armorer inspects the firearm and its barrel after every firing and "
    "whenever it was out of armorer custody",
    "S9 S19 S31",
    BLOCK,
    overridable=False,
)
SHOW_CLEAR = _rule(
    "R-SHOW-CLEAR",
    "R7",
    "Every position is shown to the performer and the first AD, who both "
    "confirm the true condition, before a handover",
    "S8 S25 S30",
    BLOCK,
    overridable=False,
)
LOCKED = _rule(
    "R-LOCKED",
    "R8",
    "Firearms not in use are unloaded and locked away, ammunition apart, breaks included",
    "S8 S19 S22",
    BLOCK,
    overridable=True,
)
HANDLING = _rule(
    "R-HANDLING",
    "R9",
    "Load only when the shot is ready; pointing toward people only as planned at the meeting",
    "S7 S10",
    BLOCK,
    overridable=True,
)
STAND_OFF = _rule(
    "R-STAND-OFF",
    "R10",
    "With blanks, 6 m (20 ft) from the muzzle to anyone unless a planned "
    "close-range load, with shields and protection",
    "S7 S8 S26 S27",
    BLOCK,
    overridable=True,
)
MISFIRE = _rule(
    "R-MISFIRE",
    "R11",
    "After a misfire the round comes out, recorded with where it went, and the barrel is "
    "inspected, before the firearm is loaded, shown or handed over",
    "S24 S26",
    BLOCK,
    overridable=False,
)
AMMUNITION_MATCH = _rule(
    "R-AMMUNITION-MATCH",
    "R12",
    "Only rounds of the firearm's calibre, made for it, go into it",
    "S19 S26 S27",
    BLOCK,
    overridable=False,
)
TRAINING = _rule(
    "R-TRAINING",
    "R13",
    "Everyone handling or near a firearm has safety training on record; "
    "the armorer holds a licence",
    "S11 S14 S21 S23",
    BLOCK,
    overridable=True,
)
HOT_CALL = _rule(
    "R-HOT-CALL",
    "R14",
    "The firearm holds exactly what the scene plans (cold, dummies, or hot "
    "with only the blanks the shot needs)",
    "S28 S29",
    BLOCK,
    overridable=True,
)
PLAN = _rule(
    "R-PLAN",
    "R5",
    "The scene's plan binds: a firearm, or a belt or bag of rounds, goes to a performer only "
    "for a scene of the day that plans it, to a performer it names, holding only what it plans; "
    "a changed plan needs its safety meeting again",
    "S1 S8 S11 S20",
    BLOCK,
    overridable=False,
)
CLOSE_OUT = _rule(
    "R-CLOSE-OUT",
    "R15",
    "Unload and check at the end of each scene; every count matches, or "
    "the difference is an incident",
    "S19 S27",
    WARN,
    overridable=True,
)
INCIDENT = _rule(
    "R-INCIDENT",
    "R16",
    "Incidents are recorded and investigated; firearm work waits until "
    "they are closed and a safety meeting is held",
    "S2 S47 S48",
    BLOCK,
    overridable=False,
)
EVIDENCE = _rule(
    "R-EVIDENCE",
    "R16",
    "After a discharge outside a planned take or a found live round, the firearms and lots "
    "involved stay as found until released to named investigators, who alone hand them back",
    "S1 S2",
    BLOCK,
    overridable=False,
)
STOP_WORK = _rule(
    "R-STOP-WORK",
    "",
    "During STOP WORK no firearm or round goes to anyone and no scene starts",
    "S1 S11",
    BLOCK,
    overridable=False,
)
VERIFIED = _rule(
    "R-VERIFIED",
    "R1",
    "Only rounds from a lot with known provenance, every round verified, go "
    "into a firearm or a belt",
    "S1 S8 S12",
    BLOCK,
    overridable=False,
)
LOOSE_ROUNDS = _rule(
    "R-LOOSE-ROUNDS",
    "R3",
    "Only armorers handle rounds: taking them out of a belt, bag or box, putting them in, "
    "loading, reloading and unloading; a report that anyone else did holds that firearm until "
    "an armorer clears and inspects it",
    "S11 S31",
    BLOCK,
    overridable=False,
)
INERT_PRIMER = _rule(
    "R-INERT-PRIMER",
    "R1",
    "Dummies not made by a recognised ammunition maker (made or remade on the production, by "
    "anyone else, or nobody knows by whom) are verified round by round by a struck or empty "
    "primer pocket, never by rattle alone",
    "S1 S8 S12",
    BLOCK,
    overridable=False,
)
CLASS_FOUND = _rule(
    "R-CLASS",
    "R6",
    "A firearm's class is what an armorer finds at its first inspection, not what the manifest "
    "says; until it is found the firearm is not loaded, shown or issued, and a manifest line "
    "that contradicts its class is refused",
    "S9 S19 S31",
    BLOCK,
    overridable=False,
)
ROLE = _rule(
    "R-ROLE",
    "",
    "Each act is done by, and for, a person with the role it needs",
    "S11",
    BLOCK,
    overridable=False,
)
KNOWN = _rule(
    "R-KNOWN",
    "",
    "Every command names firearms, lots, containers, positions, people and "
    "scenes that are on record, with sensible counts",
    "",
    BLOCK,
    overridable=False,
)
INPUT = _rule(
    "R-INPUT",
    "",
    "Every text a command carries keeps to its documented length, and every new tag or id "
    "to the safe characters",
    "",
    BLOCK,
    overridable=False,
)
SEPARATION = _rule(
    "R-SEPARATION",
    "",
    "Nobody checks their own work: an override, a closing, a resumption or a witness is "
    "someone other than the person whose act, custody or count it concerns",
    "S1 S2 S11",
    BLOCK,
    overridable=False,
)
PRESENCE = _rule(
    "R-PRESENCE",
    "R4",
    "Presence is one's own: people sign on and off set themselves (an armorer for the armory "
    "crew), and nobody does firearm work on set while signed off it",
    "S5 S11 S19",
    BLOCK,
    overridable=False,
)

UNIT = _rule(
    "R-UNIT",
    "R2",
    "Each unit answers for the firearms at its location: a firearm moves to another unit only "
    "by a handover between the two units' armorers, recorded by both",
    "S8 S9 S11",
    BLOCK,
    overridable=False,
)


def violation(rule: Rule, subject: str, message: str) -> Violation:
    """``rule`` broken for ``subject``, told as ``message``."""
    return Violation(rule.rule_id, rule.title, rule.severity, message, subject, rule.overridable)
