"""The production's current state, folded from its ledger one entry at a time.

Choice of representation: the state is **mutable**, and :func:`~showclear.core.state.evolve`
changes it in place and returns it. A refold of a million entries must take seconds, and the
application service keeps one state in memory and applies each new entry to it, so copying (or
even path-copying) the whole production per event would be wasted work: each event touches a
firearm, a lot, a container or a scene, and ``evolve`` touches exactly those. The price is
discipline, kept by two promises and their tests: :func:`~showclear.core.decide.decide` only
ever reads a state, and whoever needs an older state keeps a :func:`copy.deepcopy` of it (tests
do; the service does not need to).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from showclear.core.events import Event, on_set
from showclear.core.events.armory import Placement
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    ARMORERS,
    BLANK,
    COLD,
    DUMMIES,
    DUMMY,
    HOT,
    PERFORMERS,
    ROLE_NAMES,
    UNLOADABLE_CLASSES,
)
from showclear.core.words import described as described  # (one definition, re-exported)


@dataclass(frozen=True)
class Recorded:
    """One ledger entry as the core sees it: position, time, who, on what device, and what."""

    seq: int
    at: datetime
    person_id: str
    device: str
    event: Event


# -- people ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Training:
    """A course or licence a person holds, with ISO completion and expiry dates."""

    course: str
    completed_on: str
    expires_on: str | None

    def valid_on(self, day: date) -> bool:
        """Whether the training is in force on ``day``."""
        return self.expires_on is None or date.fromisoformat(self.expires_on) >= day


@dataclass(slots=True)
class Person:
    """Someone on the production's roster."""

    person_id: str
    name: str
    roles: frozenset[str]
    #: The serial of their current badge and the id of their current PIN ("" for none). Only
    #: ids: the secrets are in the credential store, never in the ledger nor in the state.
    badge_id: str = ""
    pin_id: str = ""
    duties: tuple[str, ...] = ()
    trainings: dict[str, Training] = field(default_factory=dict)
    on_set: bool = True
    left_at: datetime | None = None
    """When they last left the set (while :attr:`on_set` is false)."""
    unit: str = "main"
    """The unit they are at (or were at last, while off set)."""

    @property
    def is_armorer(self) -> bool:
        """An armorer or assistant armorer."""
        return bool(self.roles & ARMORERS)

    @property
    def is_performer(self) -> bool:
        """Cast or stunt."""
        return bool(self.roles & PERFORMERS)

    @property
    def label(self) -> str:
        """``"Hannah Reed (armorer)"``: a name a tired person recognises, with the role."""
        role = next((ROLE_NAMES[r] for r in ROLE_NAMES if r in self.roles), "")
        return f"{self.name} ({role})" if role else self.name

    def holds(self, credential_id: str) -> bool:
        """Whether ``credential_id`` names this person's current badge or PIN."""
        return bool(credential_id) and credential_id in (self.badge_id, self.pin_id)

    def trained_in(self, course: str, day: date) -> bool:
        """Whether the person holds ``course`` in force on ``day``."""
        training = self.trainings.get(course)
        return training is not None and training.valid_on(day)


# -- firearms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """Why a firearm must be inspected before it goes to anyone: what happened, and when."""

    at: datetime
    account: str
    detail: str = ""

    def told(self, label: str, time: str) -> str:
        """``"Revolver R-02 left armorer custody at 13:02 (held by Dana Hale (first AD))"``."""
        return f"{label} {self.account} at {time}{self.detail}"


@dataclass(frozen=True)
class Inspection:
    """A firearm's latest inspection: when, by whom, and whether the barrel was clear."""

    at: datetime
    by: str
    barrel_clear: bool


@dataclass(frozen=True)
class Shown:
    """The last show-clear of a firearm: to whom, for which scene, and what was announced."""

    scene: str
    performer_id: str
    first_ad_id: str
    condition: str
    rounds: int


@dataclass(frozen=True)
class Evidence:
    """Why an item is held for an incident: frozen as found since ``since``, then (once
    ``investigators`` are named) in the investigators' custody until they hand it back."""

    incident: str
    since: datetime
    investigators: tuple[str, ...] = ()

    @property
    def released(self) -> bool:
        """Whether it went to the investigators (rather than being frozen where it was found)."""
        return bool(self.investigators)

    @property
    def words(self) -> str:
        """``"evidence of incident-3, frozen as found"``."""
        where = "with the investigators" if self.released else "frozen as found"
        return f"evidence of {self.incident}, {where}"


@dataclass(frozen=True)
class Custody:
    """One stretch of a firearm's custody: with a person or in a container, from when until
    when (``end`` is ``None`` while it lasts)."""

    holder: str | None
    container: str | None
    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class Dispatch:
    """A firearm on its way to another unit: sent by ``by`` at ``at`` to the armorer ``to`` at
    ``unit``; it stays in the sender's custody until ``to`` confirms its receipt."""

    unit: str
    to: str
    by: str
    at: datetime


@dataclass(slots=True)
class Firearm:
    """A firearm on the production: identity, positions, custody and condition."""

    tag: str
    serial: str
    make: str
    model: str
    firearm_type: str
    calibre: str
    firearm_class: str
    positions: tuple[str, ...]
    owner: str
    notes: str = ""
    holder: str | None = None
    container: str | None = None
    contents: dict[str, str] = field(default_factory=dict)
    gap: Gap | None = None
    barrel_clear: bool = True
    misfire_at: datetime | None = None
    duds: tuple[str, ...] = ()
    """The positions that misfired whose round has not been recovered yet (R-MISFIRE)."""
    class_found: str = ""
    """The class an armorer found at an inspection (``""`` until one said it: R-CLASS)."""
    handled: Gap | None = None
    """Reported handled (loaded, unloaded...) by someone not an armorer: held until an armorer
    inspects it unloaded (R-LOOSE-ROUNDS)."""
    shown: Shown | None = None
    last_inspection: Inspection | None = None
    since: datetime | None = None
    """When the firearm last changed hands or went into a container."""
    scene: str = ""
    status: str = "active"
    evidence: Evidence | None = None
    """Held for an incident: frozen as found, or with the investigators."""
    history: list[Recorded] = field(default_factory=list)
    """Every ledger entry naming this firearm, oldest first: its record without a ledger scan."""
    custody: list[Custody] = field(default_factory=list)
    """Who held it or which container it was in, oldest first; the last one lasts."""
    dispatch: Dispatch | None = None
    """On its way to another unit, until the receiving armorer confirms."""

    @property
    def label(self) -> str:
        """``"Revolver R-02"``."""
        kind = self.firearm_type.strip() or "firearm"
        return f"{kind[:1].upper()}{kind[1:]} {self.tag}"

    @property
    def needs_inspection(self) -> bool:
        """Whether something happened to it since an armorer last inspected it."""
        return self.gap is not None

    @property
    def active(self) -> bool:
        """Still on the production: not impounded, not returned to its owner."""
        return self.status == "active"

    @property
    def loadable(self) -> bool:
        """Whether it can take a round at all (replicas and inert props cannot)."""
        return self.firearm_class not in UNLOADABLE_CLASSES


# -- ammunition -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Lot:
    """A lot of dummies or blanks with its provenance and where every round of it went.

    ``stock`` is what is still in the lot's own box; rounds also sit in firearms and containers.
    ``unverified`` counts the box's rounds nobody has checked one by one (yet, or again).
    """

    tag: str
    lot_kind: str
    calibre: str
    load: str
    for_firearms: tuple[str, ...]
    received: int
    supplier: str
    document: str
    delivered_on: str
    stock: int
    unverified: int
    fired: int = 0
    removed: int = 0
    returned: int = 0
    holder: str | None = None
    container: str | None = None
    hold: str | None = None
    live: bool = False
    evidence: Evidence | None = None
    """Held for an incident, every round of it: frozen as found, or with the investigators."""
    maker: str = "unknown"
    """Who made the rounds (R-INERT-PRIMER): ``ammunition-maker``, ``production``, ``other``,
    ``unknown``."""

    @property
    def primers_to_prove(self) -> bool:
        """Whether each round must be verified by a struck or empty primer pocket: dummies not
        made by a recognised ammunition maker (R-INERT-PRIMER)."""
        return self.lot_kind == DUMMY and self.maker != AMMUNITION_MAKER

    @property
    def label(self) -> str:
        """``"Dummy lot D-01"``."""
        return f"{'Blank' if self.lot_kind == BLANK else 'Dummy'} lot {self.tag}"

    @property
    def usable(self) -> bool:
        """Every round verified, no hold, no live round ever found in it, not evidence."""
        return (
            self.unverified == 0 and self.hold is None and not self.live and self.evidence is None
        )


# -- containers -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Container:
    """A safe, lockbox, gun belt, bag or vehicle: custodian, lock, and what is inside."""

    tag: str
    container_kind: str
    description: str
    custodian: str
    locked: bool = True
    firearms: set[str] = field(default_factory=set)
    lots: set[str] = field(default_factory=set)
    rounds: dict[str, int] = field(default_factory=dict)
    evidence: Evidence | None = None
    """Evidence itself (a belt or bag), or sealed because it holds evidence (armory)."""
    handled: Gap | None = None
    """Reported with rounds taken out or put in by someone not an armorer: not handed over
    until an armorer counts it (R-LOOSE-ROUNDS)."""
    scene: str = ""
    """The scene it was handed to its custodian for ("" while an armorer keeps it)."""
    unit: str = "main"
    """The unit it is kept at."""

    @property
    def label(self) -> str:
        """``"Gun belt B-1"``."""
        kind = self.container_kind.replace("-", " ")
        return f"{kind[:1].upper()}{kind[1:]} {self.tag}"

    @property
    def holds_ammunition(self) -> bool:
        """Whether any lot box or counted round is inside."""
        return bool(self.lots) or any(self.rounds.values())


# -- scenes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A safety meeting held for a scene."""

    seq: int
    at: datetime
    attendees: frozenset[str]
    pointing_plans: tuple[str, ...]
    blank_fire_reviewed: bool
    armorer_units: frozenset[str] = frozenset({"main"})
    """The units the attending armorers were at when it was held."""


@dataclass(frozen=True)
class PlanChange:
    """A scene's plan changed: at which entry, when, and why. A meeting before it no longer
    counts for the scene."""

    seq: int
    at: datetime
    reason: str


@dataclass(slots=True)
class Scene:
    """A scene on a shoot day and its firearm plan."""

    scene: str
    day: str
    title: str
    firearms: tuple[str, ...]
    performers: tuple[str, ...]
    crew: tuple[str, ...]
    condition: str
    rounds: int
    blank_fire: on_set.BlankFire | None
    pointing: tuple[str, ...]
    status: str = "planned"
    meetings: list[Meeting] = field(default_factory=list)
    worn_rounds: int = 0
    """Counted rounds each performer may wear in gun belts and bags for the scene."""
    worn_lots: tuple[str, ...] = ()
    """The lots those worn rounds may come from."""
    started_at: datetime | None = None
    """When the scene (last) started."""
    changed: PlanChange | None = None
    """The plan's latest change, if it was changed after it was planned."""
    unit: str = "main"
    """The unit that shoots it."""
    assigned: dict[str, str] = field(default_factory=dict)
    """Firearm tag -> the one performer of the plan it goes to (firearms not here: any)."""

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone handling or near its firearms."""
        return self.performers + self.crew


# -- incidents and interlocks ---------------------------------------------------------------------


@dataclass(slots=True)
class Incident:
    """Something to investigate: an unplanned discharge, a found round, a complaint, ..."""

    incident: str
    category: str
    summary: str
    firearm: str
    at: datetime
    seq: int
    open: bool = True
    evidence: tuple[str, ...] = ()
    """The tags of the firearms, lots and containers it froze."""
    investigators: tuple[str, ...] = ()
    """Who its evidence was released to (none yet while it is frozen as found)."""
    involved: tuple[str, ...] = ()
    """Who it concerns beyond its firearm and evidence (a counter, the people a complaint is
    about): recorded when it opened (R-SEPARATION)."""


@dataclass(frozen=True)
class Stoppage:
    """STOP WORK in force: why, since when, called by whom, and whether the whole production is
    locked down as evidence (``lockdown``) until evidence is ``released`` to investigators."""

    reason: str
    at: datetime
    by: str
    lockdown: bool
    released: bool = False
    involved: tuple[str, ...] = ()
    """Whose custody or act the stop came from: neither signer of the resumption."""
    unit: str = ""
    """The one unit stopped; ``""``: the whole production."""


@dataclass(frozen=True)
class Unit:
    """A unit of the production shooting at its own location: ``"main"`` always exists."""

    unit: str
    name: str
    location: str = ""

    @property
    def label(self) -> str:
        """``"Second unit (Quarry, 30 km north)"``."""
        return f"{self.name} ({self.location})" if self.location else self.name


MAIN_UNIT = Unit("main", "Main unit")


def _main_only() -> dict[str, Unit]:
    return {MAIN_UNIT.unit: MAIN_UNIT}


@dataclass(frozen=True)
class Warning:
    """A warning recorded in the ledger."""

    seq: int
    rule_id: str
    subject: str
    message: str


@dataclass(slots=True)
class ProductionState:
    """Everything a production holds now. Built by :func:`evolve`, read by ``decide``."""

    name: str = ""
    origin: str = ""
    armorer_id: str = ""
    seq: int = -1
    people: dict[str, Person] = field(default_factory=dict)
    firearms: dict[str, Firearm] = field(default_factory=dict)
    lots: dict[str, Lot] = field(default_factory=dict)
    containers: dict[str, Container] = field(default_factory=dict)
    days: dict[str, str] = field(default_factory=dict)
    scenes: dict[str, Scene] = field(default_factory=dict)
    incidents: dict[str, Incident] = field(default_factory=dict)
    stoppage: Stoppage | None = None
    unit_stoppages: dict[str, Stoppage] = field(default_factory=dict)
    """STOP WORK called for one unit, by unit: it stops that unit only."""
    units: dict[str, Unit] = field(default_factory=_main_only)
    """Every unit formed, by id; the main unit is always there."""
    on_break: str | None = None
    overrides: dict[tuple[str, str], str] = field(default_factory=dict)
    override_signers: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """Who gave each override and who confirmed it as the second person: it is never used on
    a command either of them gives (R-SEPARATION)."""
    warnings: list[Warning] = field(default_factory=list)
    last_incident_seq: int = -1
    #: Every badge serial and PIN id ever issued on the production: an id is never reused.
    credential_ids: set[str] = field(default_factory=set)
    last_at: datetime | None = None
    """When the latest entry was recorded."""
    zone: str = "UTC"
    """The production's time zone, by its IANA name (``America/Denver``): every time is said
    in it. The service resolves it (the core reads no zone files); UTC until one is set."""

    @classmethod
    def empty(cls) -> ProductionState:
        """The state before the first entry."""
        return cls()

    @property
    def created(self) -> bool:
        """Whether the production's first entry has been applied."""
        return self.seq >= 0

    def knows_tag(self, tag: str) -> bool:
        """Whether a firearm, lot or container already carries ``tag``."""
        return tag in self.firearms or tag in self.lots or tag in self.containers

    def person_label(self, person_id: str | None) -> str:
        """A person's name and role, or a plain mention of an unknown id."""
        if person_id is None:
            return "nobody"
        person = self.people.get(person_id)
        return person.label if person else f"person {person_id}"

    def unit_label(self, unit: str) -> str:
        """``"Second unit (Quarry, 30 km north)"``, or a plain mention of an unknown unit."""
        known = self.units.get(unit)
        return known.label if known is not None else f"unit {unit}"

    def unit_of(self, firearm: Firearm) -> str:
        """The unit a firearm is at: its holder's, or its container's (main when neither)."""
        if firearm.holder is not None and firearm.holder in self.people:
            return self.people[firearm.holder].unit
        if firearm.container is not None and firearm.container in self.containers:
            return self.containers[firearm.container].unit
        return MAIN_UNIT.unit

    def on_set_at(self, unit: str) -> list[Person]:
        """The armorers on set at ``unit``."""
        return [p for p in self.people.values() if p.is_armorer and p.on_set and p.unit == unit]

    def evidence_of(self, tag: str) -> Evidence | None:
        """Whether the firearm, lot or container ``tag`` is held for an incident, and how."""
        item = self.firearms.get(tag) or self.lots.get(tag) or self.containers.get(tag)
        return None if item is None else item.evidence

    def rounds_in_firearms(self, lot: str) -> int:
        """How many rounds of ``lot`` are in firearms now."""
        return sum(
            1
            for firearm in self.firearms.values()
            for held in firearm.contents.values()
            if held == lot
        )

    def rounds_in_containers(self, lot: str) -> int:
        """How many counted rounds of ``lot`` are in containers now (not counting its box)."""
        return sum(container.rounds.get(lot, 0) for container in self.containers.values())

    def on_hand(self, lot: str) -> int:
        """Rounds of ``lot`` still on the production: box, firearms and containers."""
        return self.lots[lot].stock + self.rounds_in_firearms(lot) + self.rounds_in_containers(lot)

    # -- what is out for a running scene (a count leaves it out until it comes back) ---------

    def in_the_scene(self, scene: str) -> bool:
        """Whether ``scene`` is a scene that has started and not wrapped."""
        known = self.scenes.get(scene) if scene else None
        return known is not None and known.status == "started"

    def _with_a_performer(self, person_id: str | None) -> bool:
        person = self.people.get(person_id) if person_id else None
        return person is not None and not person.is_armorer

    def out_for_scenes(self) -> OutForScenes:
        """The firearms and containers someone other than an armorer holds for a scene that is
        running, and the rounds of each lot in them: a count taken meanwhile (lunch, a unit
        move) cannot see them, so it leaves them out rather than calling them missing. At wrap
        every scene has wrapped: nothing is out. Computed once per reading, by its caller."""
        firearms = frozenset(
            tag
            for tag, firearm in self.firearms.items()
            if self._with_a_performer(firearm.holder) and self.in_the_scene(firearm.scene)
        )
        containers = frozenset(
            tag
            for tag, box in self.containers.items()
            if self._with_a_performer(box.custodian) and self.in_the_scene(box.scene)
        )
        rounds: dict[str, int] = {}
        for tag in firearms:
            for lot in self.firearms[tag].contents.values():
                rounds[lot] = rounds.get(lot, 0) + 1
        for tag in containers:
            for lot, count in self.containers[tag].rounds.items():
                rounds[lot] = rounds.get(lot, 0) + count
        return OutForScenes(firearms, containers, rounds)


@dataclass(frozen=True)
class OutForScenes:
    """What :meth:`ProductionState.out_for_scenes` finds out for running scenes."""

    firearms: frozenset[str]
    containers: frozenset[str]
    rounds: dict[str, int]
    """Lot tag -> its rounds in those firearms and containers."""


def initial() -> ProductionState:
    """The state before the first entry."""
    return ProductionState.empty()


# -- what a firearm holds (the deciders and the readers both ask) ---------------------------


def condition(state: ProductionState, firearm: Firearm) -> tuple[str, int]:
    """``("cold", 0)``, ``("dummies", n)``, ``("hot", n)`` or ``("mixed", n)``."""
    kinds = [state.lots[lot].lot_kind for lot in firearm.contents.values()]
    if not kinds:
        return COLD, 0
    if all(kind == BLANK for kind in kinds):
        return HOT, len(kinds)
    if all(kind != BLANK for kind in kinds):
        return DUMMIES, len(kinds)
    return "mixed", len(kinds)


def placements(firearm: Firearm) -> tuple[Placement, ...]:
    """What is in the firearm, position by position, in the firearm's own order."""
    return tuple(
        Placement(position, firearm.contents[position])
        for position in firearm.positions
        if position in firearm.contents
    )


# -- evolve ---------------------------------------------------------------------------------------

Apply = Callable[[ProductionState, Recorded, Event], None]
"""How one event changes the state, in place (see :data:`showclear.core.state.APPLIERS`)."""
