"""The evidence lockdown through the application service on a real ledger store (SQLite, and
PostgreSQL when ``SHOWCLEAR_TEST_POSTGRES_URL`` is set): the freeze is sealed in the ledger with
the report that caused it, a refused command touching evidence records nothing, the handover to
the investigators is committed with every exhibit, and another process reading the same ledger
sees the same evidence where the first left it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import in_person
from showclear.core.commands import (
    Command,
    InspectFirearm,
    ReceiveFirearm,
    ReceiveLot,
    ReleaseEvidence,
    ReportDischarge,
    ReportFoundRound,
    VerifyRounds,
)
from showclear.core.decide import Refused
from showclear.core.ledger.entry import decode_entry
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    DUMMY,
    FIRING,
    FIRST_AD,
    INVESTIGATOR,
    RATTLE,
    SAFETY_SUPERVISOR,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Executed, Service
from showclear.service.keyring import Keyring
from showclear.store import Production

CHAMBERS = revolver_chambers(6)
START = datetime(2025, 3, 4, 13, 0, tzinfo=UTC)


class Minutes:
    """A clock that moves one minute per reading."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def service(database: Any) -> Iterator[Service]:
    service = Service(
        store=database.open_store(),
        keyring=Keyring(database.data_dir),
        device="armory-tablet",
        clock=Minutes(),
    )
    yield service
    service.store.close()


def staffed(service: Service) -> tuple[Production, Any]:
    """A production with a first AD, a safety supervisor and an investigator on its roster,
    revolver R-01 and dummy lot D-01 (verified) in the key armorer's hands."""
    production, _ = service.create_production("Dead Man's Gulch", "Hannah Reed")

    def do(person: str, command: Command) -> Executed:
        return service.execute(production, command, person_id=person)

    in_person.badge(service, production, GENESIS_PERSON, by=GENESIS_PERSON)
    for person, name, role in (
        ("dana", "Dana Hale", FIRST_AD),
        ("pat", "Pat Kim", SAFETY_SUPERVISOR),
        ("ines", "Ines Duarte", INVESTIGATOR),
    ):
        in_person.add(service, production, person, name, (role,), by=GENESIS_PERSON)
    do(
        GENESIS_PERSON,
        ReceiveFirearm(
            "R-01", "SN-1", "Colt", "SAA", "revolver", ".45 Colt", FIRING, CHAMBERS, "Western"
        ),
    )
    do(
        GENESIS_PERSON,
        ReceiveLot(
            "D-01",
            DUMMY,
            ".45 Colt",
            50,
            "Acme Dummy Co.",
            "invoice 1",
            "2025-03-01",
            maker=AMMUNITION_MAKER,
        ),
    )
    do(GENESIS_PERSON, VerifyRounds("D-01", 50, RATTLE, in_person.confirm("dana")))
    return production, do


def test_the_freeze_the_refusals_and_the_handover_are_sealed_in_the_ledger(
    service: Service, database: Any
) -> None:
    production, do = staffed(service)

    fired = do(GENESIS_PERSON, ReportDischarge("R-01", (), planned=False, description="dropped"))
    found = do("dana", ReportFoundRound("live", "in the box of D-01", lot="D-01"))
    frozen = [e for e in (*fired.entries, *found.entries) if e.kind == "evidence.frozen"]
    assert [e.payload for e in frozen] == [
        {"incident": "incident-1", "firearms": ["R-01"], "lots": [], "containers": []},
        {"incident": "incident-2", "firearms": [], "lots": ["D-01"], "containers": []},
    ]

    size = service.store.size(production)
    checkpoint = service.store.latest_checkpoint(production)
    for command in (
        InspectFirearm("R-01", CHAMBERS, barrel_clear=True),
        VerifyRounds("D-01", 1, RATTLE, in_person.confirm("dana")),
    ):
        with pytest.raises(Refused) as refused:
            service.execute(production, command, person_id=GENESIS_PERSON)
        assert refused.value.rule_ids[0] == "R-EVIDENCE"
    assert service.store.size(production) == size
    assert service.store.latest_checkpoint(production) == checkpoint

    released = do("pat", ReleaseEvidence("incident-1", ("ines",), in_person.confirm("dana")))
    (entry,) = released.entries
    assert entry.kind == "evidence.released"
    assert entry.payload == {
        "incident": "incident-1",
        "investigators": ["ines"],
        "witness_id": "dana",
        "firearms": [
            {"firearm": "R-01", "holder_id": GENESIS_PERSON, "container": "", "contents": []}
        ],
        "lots": [],
        "loose_lots": [],
        "containers": [],
        "unsealed_containers": [],
        "witness_via": "badge-scanned",
    }
    assert decode_entry(service.store.entry(production, entry.seq) or b"") == entry
    assert service.verify(production).entries == service.store.size(production)

    # Another process on the same database reads the same evidence from the ledger alone.
    other = Service(store=database.open_store(), keyring=Keyring(database.data_dir))
    try:
        state = other.state(production)
        assert state == service.state(production)
        firearm, lot = state.firearms["R-01"], state.lots["D-01"]
        assert (firearm.holder, firearm.status) == ("ines", "impounded")
        assert firearm.evidence is not None
        assert firearm.evidence.investigators == ("ines",)
        assert lot.evidence is not None
        assert not lot.evidence.released  # incident-2's lot is still frozen as found
    finally:
        other.store.close()
