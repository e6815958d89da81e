"""A production under test: every command goes through ``decide`` then ``evolve``, exactly as the
application service does, with a clock the test moves by hand.

Personas (person ids): ``armorer``, ``assistant_armorer``, ``first_ad``, ``performer``,
``stunt``, ``safety_supervisor``, ``producer``, ``investigator``, ``camera``; ``outsider`` is
not on the roster. Each has the badge ``badge-<persona>`` (its serial). The core never checks a
secret: the application service does and says who is present in the decide context. Here
:func:`in_person` plays that part: a confirmation presenting ``badge-<persona>`` counts as that
person's badge scanned; anything else, as a badge or PIN that did not check out.
"""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from showclear.core.commands import (
    AddPerson,
    BlankFirePlan,
    Command,
    Confirmation,
    CreateProduction,
    HoldSafetyMeeting,
    InspectFirearm,
    IssueBadge,
    Lock,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    ShowClear,
    StartScene,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.decide import Context, InPerson, Refused, decide
from showclear.core.events import Event
from showclear.core.events.on_set import RuleWarned
from showclear.core.state import ProductionState, Recorded, evolve, initial
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    BLANK,
    BLANK_ADAPTED,
    CAST,
    CREW,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    INVESTIGATOR,
    NON_FIRING_REPLICA,
    PRODUCER,
    RATTLE,
    SAFETY_SUPERVISOR,
    STUNT,
    barrels,
    magazine_positions,
    revolver_chambers,
)

DAY_ONE = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
CHAMBERS = revolver_chambers(6)

CAST_LIST = {
    "assistant_armorer": ("Sam Ortiz", (ASSISTANT_ARMORER,)),
    "first_ad": ("Dana Hale", (FIRST_AD,)),
    "performer": ("Jo Carver", (CAST,)),
    "stunt": ("Lee Marsh", (STUNT,)),
    "safety_supervisor": ("Pat Kim", (SAFETY_SUPERVISOR,)),
    "producer": ("Ryan Cole", (PRODUCER,)),
    "investigator": ("Ines Duarte", (INVESTIGATOR,)),
    "camera": ("Hal Rivera", (CREW,)),
}


def confirm(persona: str) -> Confirmation:
    """``persona`` confirming in person with their badge."""
    return Confirmation(persona, f"badge-{persona}")


def in_person(state: ProductionState, command: Command) -> dict[str, InPerson]:
    """Who the application service would find present for ``command``: each confirmation that
    presents ``badge-<persona>`` while that persona holds that badge (see the module docstring)."""
    present: dict[str, InPerson] = {}
    for found in dataclasses.fields(command):  # type: ignore[arg-type]
        value = getattr(command, found.name)
        if not isinstance(value, Confirmation):
            continue
        person = state.people.get(value.person_id)
        if person is not None and person.badge_id and value.presented == person.badge_id:
            present[person.person_id] = InPerson("badge-scanned", person.badge_id)
    return present


def context_for(state: ProductionState, persona: str, at: datetime, command: Command) -> Context:
    """The context the service would decide ``command`` by ``persona`` in."""
    return Context(persona, "test-phone", at, in_person(state, command))


class OnSet:
    """A production under test (see the module docstring)."""

    def __init__(self) -> None:
        self.state: ProductionState = initial()
        self.log: list[Recorded] = []
        self.clock = DAY_ONE

    # -- time -------------------------------------------------------------------------------------

    def at(self, hhmm: str) -> None:
        """Move the clock to ``hhmm`` (UTC) on the same day."""
        hours, minutes = (int(part) for part in hhmm.split(":"))
        self.clock = self.clock.replace(hour=hours, minute=minutes)

    # -- acting -----------------------------------------------------------------------------------

    def do(self, persona: str, command: Command) -> list[Event]:
        """Record ``command`` by ``persona``; a refusal fails the test with its reasons."""
        context = context_for(self.state, persona, self.clock, command)
        try:
            events = decide(self.state, command, context)
        except Refused as refused:
            pytest.fail(f"{type(command).__name__} by {persona} refused: {refused}")
        for event in events:
            self.record(persona, event)
        self.clock += timedelta(minutes=1)
        return events

    def record(self, persona: str, event: Event) -> None:
        """Append one event, as the service does after a commit."""
        entry = Recorded(len(self.log), self.clock, persona, "test-phone", event)
        self.log.append(entry)
        evolve(self.state, entry)

    def refuse(self, persona: str, command: Command) -> Refused:
        """Expect ``command`` by ``persona`` to be refused, with nothing changed."""
        before = copy.deepcopy(self.state)
        context = context_for(self.state, persona, self.clock, command)
        with pytest.raises(Refused) as refusal:
            decide(self.state, command, context)
        assert self.state == before, "a refused command changed the state"
        self.clock += timedelta(minutes=1)
        return refusal.value

    def warnings(self) -> list[RuleWarned]:
        """Every warning recorded so far."""
        return [entry.event for entry in self.log if isinstance(entry.event, RuleWarned)]

    def events(self, kind: type[Event]) -> list[Event]:
        """Every recorded event of one kind."""
        return [entry.event for entry in self.log if isinstance(entry.event, kind)]

    # -- the usual preparations -------------------------------------------------------------------

    def staff(self, *, trained: bool = True) -> None:
        """The production, its crew and cast, badges and training."""
        self.do(
            "armorer",
            CreateProduction(
                "Dust Road", "showclear.test/dust-road", "armorer", "Hannah Reed", "key"
            ),
        )
        self.do("armorer", IssueBadge("armorer", "badge-armorer"))
        for persona, (name, roles) in CAST_LIST.items():
            self.do("armorer", AddPerson(name, roles, person_id=persona))
            self.do("armorer", IssueBadge(persona, f"badge-{persona}"))
        if trained:
            for persona in ("armorer", *CAST_LIST):
                self.do(
                    "safety_supervisor",
                    RecordTraining(persona, FIREARM_SAFETY, "2024-11-02", "2026-11-02"),
                )
            for persona in ("armorer", "assistant_armorer"):
                self.do(
                    "safety_supervisor",
                    RecordTraining(persona, ARMORER_LICENCE, "2023-05-01", "2027-05-01"),
                )

    def stock(self) -> None:
        """Containers, firearms inspected and locked away, lots received and fully verified."""
        self.do("armorer", RegisterContainer("SAFE-1", "armory-safe", "gun safe, truck"))
        self.do("armorer", RegisterContainer("AMMO-1", "lockbox", "ammunition lockbox"))
        self.do("armorer", RegisterContainer("BELT-1", "gun-belt", "Jo's gun belt"))
        firearms = [
            ("R-01", "Colt", "Single Action Army", "revolver", ".45 Colt", FIRING, CHAMBERS),
            ("R-02", "Uberti", "1873 Cattleman", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS),
            (
                "W-03",
                "Winchester",
                "1892",
                "lever-action rifle",
                ".44-40",
                FIRING,
                magazine_positions(10),
            ),
            ("S-04", "Stoeger", "Coach Gun", "shotgun", "12 gauge", FIRING, barrels(2)),
            ("P-05", "Denix", "Peacemaker replica", "revolver", ".45 Colt", NON_FIRING_REPLICA, ()),
        ]
        self.do("armorer", Unlock("SAFE-1"))
        for tag, make, model, kind, calibre, klass, positions in firearms:
            self.do(
                "armorer",
                ReceiveFirearm(
                    tag,
                    f"SN-{tag}",
                    make,
                    model,
                    kind,
                    calibre,
                    klass,
                    positions,
                    "Western Prop Rentals",
                ),
            )
            self.do("armorer", InspectFirearm(tag, positions, True, firearm_class=klass))
            self.do("armorer", PutIn("SAFE-1", tag))
        self.do("armorer", Lock("SAFE-1"))
        self.do(
            "armorer",
            ReceiveLot(
                "D-01",
                DUMMY,
                ".45 Colt",
                50,
                "Acme Dummy Co.",
                "invoice 1042",
                "2025-03-01",
                maker=AMMUNITION_MAKER,
            ),
        )
        self.do(
            "armorer",
            ReceiveLot(
                "B-01",
                BLANK,
                ".45 Colt",
                20,
                "Stembridge Blanks",
                "delivery note 77",
                "2025-03-01",
                load="half",
            ),
        )
        self.do("armorer", VerifyRounds("D-01", 50, RATTLE, confirm("assistant_armorer")))
        self.do("armorer", VerifyRounds("B-01", 20, "other", confirm("assistant_armorer")))
        self.do("armorer", Unlock("AMMO-1"))
        self.do("armorer", PutIn("AMMO-1", "D-01"))
        self.do("armorer", PutIn("AMMO-1", "B-01"))
        self.do("armorer", Lock("AMMO-1"))

    def schedule(self) -> None:
        """Day one: scene 12 cold, scene 14 dummies (6, and up to 12 dummies of D-01 worn in a
        gun belt), scene 21 hot (2 blanks)."""
        self.do("first_ad", PlanShootDay("day-1", "2025-03-04"))
        self.do(
            "first_ad",
            PlanScene(
                "12",
                "day-1",
                "Saloon stand-off",
                ("R-01",),
                ("performer",),
                "cold",
                crew=("camera",),
            ),
        )
        self.do(
            "first_ad",
            PlanScene(
                "14",
                "day-1",
                "Loading at the table",
                ("R-01",),
                ("performer",),
                "dummies",
                rounds=6,
                worn_rounds=12,
                worn_lots=("D-01",),
            ),
        )
        self.do(
            "first_ad",
            PlanScene(
                "21",
                "day-1",
                "Shots in the street",
                ("R-02",),
                ("performer",),
                "hot",
                rounds=2,
                blank_fire=BlankFirePlan(800, eye_protection=True, ear_protection=True),
            ),
        )

    def meet(self, scene: str, *others: str, pointing: tuple[str, ...] = ()) -> None:
        """The safety meeting for ``scene`` with the armorer, first AD and its people."""
        people = self.state.scenes[scene].people
        self.do(
            "first_ad",
            HoldSafetyMeeting(
                scene,
                ("armorer", "first_ad", *people, *others),
                ("action", "pointing", "distances", "abort plan"),
                pointing,
                blank_fire_reviewed=True,
            ),
        )

    def ready(self, scene: str) -> None:
        """Meeting held and scene started."""
        self.meet(scene)
        self.do("first_ad", StartScene(scene))

    def take_out(self, tag: str, persona: str = "armorer") -> None:
        """``persona`` takes a firearm out of the safe and locks it again."""
        self.do(persona, Unlock("SAFE-1"))
        self.do(persona, TakeOut("SAFE-1", tag))
        self.do(persona, Lock("SAFE-1"))

    def show(
        self, tag: str, scene: str, announced: str, rounds: int, performer: str = "performer"
    ) -> None:
        """Show every position to the performer and the first AD."""
        positions = self.state.firearms[tag].positions
        self.do(
            "armorer",
            ShowClear(
                tag, scene, positions, announced, rounds, confirm(performer), confirm("first_ad")
            ),
        )


def shoot() -> OnSet:
    """A staffed, stocked and scheduled production, nothing issued yet."""
    production = OnSet()
    production.staff()
    production.stock()
    production.schedule()
    production.at("08:00")
    return production
