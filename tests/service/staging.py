"""A production under test, recorded through the real application service and ledger store.

Every command goes through :meth:`Service.execute` (decide, append, seal, commit, evolve) on
the backend under test: the in-memory store for most service tests (``tests/service/conftest.py``),
SQLite, and PostgreSQL when ``SHOWCLEAR_TEST_POSTGRES_URL`` is set, for those that need a database.

Personas (person ids): the key armorer is the production's first person (``person-1``, named
when the production is created); ``assistant_armorer``, ``first_ad``, ``performer``, ``stunt``
and ``safety_supervisor`` are put on the roster by the key armorer. Each has the badge
``badge-<persona>``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import in_person
from showclear.core.commands import (
    Command,
    Confirmation,
    HoldSafetyMeeting,
    InspectFirearm,
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
from showclear.core.decide import Context, Refused, decide
from showclear.core.state import ProductionState
from showclear.core.vocabulary import (
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    BLANK_ADAPTED,
    CAST,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    RATTLE,
    SAFETY_SUPERVISOR,
    STUNT,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Executed, Service
from showclear.service.keyring import Keyring
from showclear.store import LedgerStore, Production

PRODUCTION = "Dead Man's Gulch"
KEY_ARMORER_NAME = "Hannah Reed"
SHOOT_DAY = datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
CHAMBERS = revolver_chambers(6)

ARMORER = GENESIS_PERSON
"""The key armorer, named when the production is created."""

ROSTER = {
    "assistant_armorer": ("Sam Ortiz", (ASSISTANT_ARMORER,)),
    "first_ad": ("Dana Hale", (FIRST_AD,)),
    "performer": ("Jo Carver", (CAST,)),
    "stunt": ("Lee Marsh", (STUNT,)),
    "safety_supervisor": ("Pat Kim", (SAFETY_SUPERVISOR,)),
}


def confirm(persona: str) -> Confirmation:
    """``persona`` confirming in person: their badge (issued by :meth:`OnSet.staff`) scanned."""
    return in_person.confirm(person_id(persona))


class Clock:
    """The shoot day's clock: each reading is one minute after the last (entries stay ordered)."""

    def __init__(self, start: datetime = SHOOT_DAY) -> None:
        self.now = start

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(minutes=1)
        return now


def open_service(
    database: Any, *, device: str = "armory-tablet", start: datetime = SHOOT_DAY
) -> Service:
    """A new service with its own store connection on ``database`` (as a new process has)."""
    return Service(
        store=database.open_store(),
        keyring=Keyring(database.data_dir),
        device=device,
        clock=Clock(start),
    )


@dataclass
class OnSet:
    """One production under test, every command through the service."""

    database: Any
    service: Service
    production: Production
    services: list[Service] = field(default_factory=list)

    @property
    def store(self) -> LedgerStore:
        """The service's store."""
        return self.service.store

    @property
    def state(self) -> ProductionState:
        """The service's in-memory state, caught up with the ledger."""
        return self.service.state(self.production)

    @property
    def size(self) -> int:
        """How many entries the ledger holds now."""
        return self.store.size(self.production)

    def do(self, persona: str, command: Command, service: Service | None = None) -> Executed:
        """Record ``command`` by ``persona``; a refusal fails the test with its reasons."""
        try:
            return (service or self.service).execute(
                self.production, command, person_id=person_id(persona)
            )
        except Refused as refused:
            pytest.fail(f"{type(command).__name__} by {persona} refused: {refused}")

    def refuse(self, persona: str, command: Command) -> Refused:
        """Expect ``command`` by ``persona`` refused, with nothing recorded and nothing changed."""
        before = copy.deepcopy(self.state)
        size, checkpoint = self.size, self.store.latest_checkpoint(self.production)
        with pytest.raises(Refused) as refusal:
            self.service.execute(self.production, command, person_id=person_id(persona))
        assert self.size == size, "a refused command was recorded"
        assert self.store.latest_checkpoint(self.production) == checkpoint
        assert self.service.state(self.production) == before, "a refused command changed the state"
        return refusal.value

    def would_record(self, persona: str, command: Command) -> bool:
        """Whether ``command`` alone, on the state now, would be recorded (decided on a copy)."""
        context = Context(person_id(persona), "probe", SHOOT_DAY + timedelta(hours=4))
        try:
            decide(copy.deepcopy(self.state), command, context)
        except Refused:
            return False
        return True

    def another_process(self, device: str) -> Service:
        """A second service on the same database, with its own connection."""
        service = open_service(self.database, device=device, start=SHOOT_DAY + timedelta(hours=2))
        self.services.append(service)
        return service

    # -- the usual preparations -------------------------------------------------------------------

    def staff(self) -> None:
        """The crew and cast on the roster, with badges and training in force."""
        in_person.badge(self.service, self.production, ARMORER, by=ARMORER)
        for persona, (name, roles) in ROSTER.items():
            in_person.add(self.service, self.production, persona, name, roles, by=ARMORER)
        for persona in ("armorer", *ROSTER):
            self.do(
                "safety_supervisor",
                RecordTraining(person_id(persona), FIREARM_SAFETY, "2024-11-02", "2026-11-02"),
            )
        for persona in ("armorer", "assistant_armorer"):
            self.do(
                "safety_supervisor",
                RecordTraining(person_id(persona), ARMORER_LICENCE, "2023-05-01", "2027-05-01"),
            )

    def stock(self) -> None:
        """Two revolvers inspected and locked in the safe; a verified dummy lot in the lockbox."""
        self.do("armorer", RegisterContainer("SAFE-1", "armory-safe", "gun safe, truck"))
        self.do("armorer", RegisterContainer("AMMO-1", "lockbox", "ammunition lockbox"))
        self.do("armorer", Unlock("SAFE-1"))
        for tag, make, model, klass in (
            ("R-01", "Colt", "Single Action Army", FIRING),
            ("R-02", "Uberti", "1873 Cattleman", BLANK_ADAPTED),
        ):
            self.do(
                "armorer",
                ReceiveFirearm(
                    tag,
                    f"SN-{tag}",
                    make,
                    model,
                    "revolver",
                    ".45 Colt",
                    klass,
                    CHAMBERS,
                    "Western Prop Rentals",
                ),
            )
            self.do("armorer", InspectFirearm(tag, CHAMBERS, True, firearm_class=klass))
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
                maker="ammunition-maker",
            ),
        )
        self.do("armorer", VerifyRounds("D-01", 50, RATTLE, confirm("assistant_armorer")))
        self.do("armorer", Unlock("AMMO-1"))
        self.do("armorer", PutIn("AMMO-1", "D-01"))
        self.do("armorer", Lock("AMMO-1"))

    def schedule(self) -> None:
        """Scene 12, cold, R-01 for the performer and the stunt performer: met and started."""
        self.do("first_ad", PlanShootDay("day-1", "2025-03-04"))
        self.do(
            "first_ad",
            PlanScene("12", "day-1", "Saloon stand-off", ("R-01",), ("performer", "stunt"), "cold"),
        )
        self.do(
            "first_ad",
            HoldSafetyMeeting(
                "12",
                (ARMORER, "assistant_armorer", "first_ad", "performer", "stunt"),
                ("action", "pointing", "abort plan"),
            ),
        )
        self.do("first_ad", StartScene("12"))

    def revolver_shown_clear(self, performer: str = "performer") -> None:
        """The key armorer takes R-01 from the safe, inspects it and shows it clear for scene 12."""
        self.do("armorer", Unlock("SAFE-1"))
        self.do("armorer", TakeOut("SAFE-1", "R-01"))
        self.do("armorer", Lock("SAFE-1"))
        self.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
        self.do(
            "armorer",
            ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm(performer), confirm("first_ad")),
        )


def person_id(persona: str) -> str:
    """The person id of a persona (the key armorer is the production's first person)."""
    return ARMORER if persona == "armorer" else persona
