"""A shoot day whose every text is as long as the core lets it be, recorded through the service.

Every free text of the commands the day records (names, makes, models, owners, suppliers,
notes, descriptions, reasons, a complaint, courses, tags) is at its limit in
:data:`showclear.core.limits.LIMITS`, written as one unbroken word of the widest letter (the
worst case for wrapping: no space to break at). ``rounds`` repeats the whole set of commands.
Used by ``tests/reports/test_long_text.py`` (a generous bound) and ``bench/reports.py``
(the measure, beside the target).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from showclear.core.commands import (
    AddPerson,
    CallBreak,
    Command,
    Complain,
    Confirmation,
    EndBreak,
    OverrideRule,
    QuarantineLot,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
)
from showclear.core.limits import LIMITS, TAG_LENGTH
from showclear.core.vocabulary import (
    CAST,
    DUMMY,
    FIRING,
    PRODUCER,
    SAFETY_SUPERVISOR,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.store import Production, open_store

DAY = datetime(2026, 10, 13, 7, 0, tzinfo=UTC)


PRODUCER_ID = "producer-1"
PRODUCER_PIN = "482916"


def longest(kind: type, name: str, letter: str = "W") -> str:
    """A word as long as ``kind.name`` may be."""
    return letter * LIMITS[kind][name].chars


def tag(prefix: str, number: int) -> str:
    """A new tag of the longest length, unique by ``number``."""
    end = f"-{number}"
    return prefix + "W" * (TAG_LENGTH - len(prefix) - len(end)) + end


def commands(number: int, supervisor: str) -> list[tuple[str, Command]]:
    """One round of the day: ``(person, command)`` with every text at its limit."""
    firearm, lot, box = tag("R", number), tag("D", number), tag("BOX", number)
    person = tag("person", number)
    return [
        (
            GENESIS_PERSON,
            AddPerson(longest(AddPerson, "name"), (CAST,), person_id=person),
        ),
        (
            GENESIS_PERSON,
            RecordTraining(person, longest(RecordTraining, "course"), "2026-01-05"),
        ),
        (
            GENESIS_PERSON,
            RegisterContainer(box, "lockbox", longest(RegisterContainer, "description")),
        ),
        (
            GENESIS_PERSON,
            ReceiveFirearm(
                firearm,
                longest(ReceiveFirearm, "serial"),
                longest(ReceiveFirearm, "make"),
                longest(ReceiveFirearm, "model"),
                "revolver",
                ".45 Colt",
                FIRING,
                revolver_chambers(6),
                longest(ReceiveFirearm, "owner"),
                notes=longest(ReceiveFirearm, "notes"),
            ),
        ),
        (
            GENESIS_PERSON,
            ReceiveLot(
                lot,
                DUMMY,
                ".45 Colt",
                50,
                longest(ReceiveLot, "supplier"),
                longest(ReceiveLot, "document"),
                "2026-10-12",
            ),
        ),
        (GENESIS_PERSON, QuarantineLot(lot, longest(QuarantineLot, "reason"))),
        (
            supervisor,
            OverrideRule(
                "R-MEETING",
                firearm,
                longest(OverrideRule, "reason"),
                Confirmation(PRODUCER_ID, PRODUCER_PIN),
            ),
        ),
        (GENESIS_PERSON, CallBreak(longest(CallBreak, "reason"))),
        (GENESIS_PERSON, EndBreak()),
        (person, Complain(longest(Complain, "text"))),
    ]


def record_the_longest_day(data_dir: Path, rounds: int = 1) -> tuple[Service, Production]:
    """A new production in ``data_dir`` whose first day is ``rounds`` rounds of
    :func:`commands`, through :meth:`Service.execute`. Close the service's store when done."""
    data_dir.mkdir(parents=True, exist_ok=True)
    service = Service(
        store=open_store(f"sqlite:///{data_dir / 'showclear.sqlite3'}"),
        keyring=Keyring(data_dir),
        device="longest-day",
    )
    service.store.create_schema()
    clock = [DAY]

    def now() -> datetime:
        clock[0] += timedelta(seconds=5)
        return clock[0]

    service.clock = now
    production, _ = service.create_production("Long Words", "Hannah Reed")
    service.execute(
        production, AddPerson("Pat Kim", (SAFETY_SUPERVISOR,)), person_id=GENESIS_PERSON
    )
    supervisor = next(
        p.person_id for p in service.state(production).people.values() if p.name == "Pat Kim"
    )
    # The second person of an override (R-SEPARATION): a producer, confirming with a PIN.
    service.execute(
        production,
        AddPerson("Ryan Cole", (PRODUCER,), person_id=PRODUCER_ID),
        person_id=GENESIS_PERSON,
    )
    service.credentials.issue_pin(production, PRODUCER_ID, PRODUCER_PIN, by=GENESIS_PERSON)
    for number in range(rounds):
        for person, command in commands(number, supervisor):
            service.execute(production, command, person_id=person)
    return service, production
