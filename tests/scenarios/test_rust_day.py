"""The *Rust* day as it could still happen with Showclear, and the question nobody could answer
in 2021: how did this round get into this revolver?

A box of "dummies" from a supplier holds live rounds. The armorer records every round of it as
verified without truly checking (the ledger cannot know); the revolver is loaded, shown and
handed over by the book; in rehearsal it fires. The revolver and the lot are frozen as evidence
(nobody, not even the armorer, may touch them) until the safety supervisor releases them,
before a witness, to the investigator. ``trace round`` then names the lot, its supplier and
delivery, who recorded each round verified (method, witness, time), who loaded which position,
who saw the show-clear, and every custodian since, the investigator last; each line names its
ledger entry, and each entry is proven by an inclusion proof against the signed checkpoint.

Everything goes through the application service on a real store (SQLite, and PostgreSQL when
asked for); ``trace round`` is asked of the core (through the index) and of the CLI as a process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import in_person
from backends import ON_DATABASES
from showclear.core.commands import (
    Command,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    Load,
    Lock,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    ReleaseEvidence,
    ReportDischarge,
    Return,
    ShowClear,
    StartScene,
    TakeOut,
    Unlock,
    VerifyRounds,
)
from showclear.core.decide import Refused
from showclear.core.ledger.checkpoint import open_checkpoint
from showclear.core.ledger.merkle import leaf_hash, prove_inclusion, verify_inclusion
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    ARMORER_LICENCE,
    ASSISTANT_ARMORER,
    CAST,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    FIRST_AD,
    INVESTIGATOR,
    RATTLE,
    SAFETY_SUPERVISOR,
    revolver_chambers,
)
from showclear.service import GENESIS_PERSON, Service
from showclear.service.keyring import Keyring
from showclear.service.traces import Tracer
from showclear.store import Production

REHEARSAL = datetime(2021, 10, 21, 6, 30, tzinfo=UTC)
CHAMBERS = revolver_chambers(6)
ARMORER = GENESIS_PERSON
SUPPLIER = "Frontier Prop Ammunition"
INVOICE = "invoice FPA-0917"
DELIVERED = "2021-10-20"

CREW = {
    "assistant_armorer": ("Sam Ortiz", ASSISTANT_ARMORER),
    "first_ad": ("Dana Hale", FIRST_AD),
    "performer": ("Jo Carver", CAST),
    "safety_supervisor": ("Pat Kim", SAFETY_SUPERVISOR),
    "investigator": ("Ines Duarte", INVESTIGATOR),
}


confirm = in_person.confirm


class Clock:
    """The day's clock: each reading one minute after the last."""

    def __init__(self) -> None:
        self.now = REHEARSAL

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@dataclass
class RustDay:
    service: Service
    production: Production
    database: Any

    def do(self, persona: str, command: Command) -> None:
        try:
            self.service.execute(self.production, command, person_id=persona)
        except Refused as refused:
            pytest.fail(f"{type(command).__name__} by {persona} refused: {refused}")


def the_day(database: Any) -> RustDay:
    """Everything by the book on the record, and live rounds in a box of "dummies"."""
    service = Service(
        store=database.open_store(),
        keyring=Keyring(database.data_dir),
        device="armory-phone",
        clock=Clock(),
    )
    production, _ = service.create_production("Bonanza Creek", "Hannah Reed")
    day = RustDay(service, production, database)
    do = day.do
    in_person.badge(service, production, ARMORER, by=ARMORER)
    for persona, (name, role) in CREW.items():
        in_person.add(service, production, persona, name, (role,), by=ARMORER)
    for persona in (ARMORER, *CREW):
        do("safety_supervisor", RecordTraining(persona, FIREARM_SAFETY, "2021-01-04", "2023-01-04"))
    for persona in (ARMORER, "assistant_armorer"):
        do(
            "safety_supervisor",
            RecordTraining(persona, ARMORER_LICENCE, "2020-05-01", "2024-05-01"),
        )
    do(ARMORER, RegisterContainer("SAFE-1", "armory-safe", "gun safe, armory truck"))
    do(ARMORER, RegisterContainer("AMMO-1", "lockbox", "ammunition lockbox"))
    do(ARMORER, Unlock("SAFE-1"))
    do(ARMORER, ReceiveFirearm("R-01", "SA-41872", "Pietta", "1873 Long Colt", "revolver",
                               ".45 Colt", FIRING, CHAMBERS, "Western Prop Rentals"))  # fmt: skip
    do(ARMORER, InspectFirearm("R-01", CHAMBERS, barrel_clear=True, firearm_class=FIRING))
    do(ARMORER, PutIn("SAFE-1", "R-01"))
    do(ARMORER, Lock("SAFE-1"))

    # The box of "dummies" arrives; every round is recorded verified, before a witness.
    do(ARMORER, Unlock("AMMO-1"))
    do(ARMORER, ReceiveLot("D-07", DUMMY, ".45 Colt", 50, SUPPLIER, INVOICE, DELIVERED,
                           container="AMMO-1", maker=AMMUNITION_MAKER))  # fmt: skip
    do(ARMORER, TakeOut("AMMO-1", "D-07"))
    do(ARMORER, VerifyRounds("D-07", 25, RATTLE, confirm("assistant_armorer")))
    do(ARMORER, VerifyRounds("D-07", 25, RATTLE, confirm("assistant_armorer")))
    do(ARMORER, PutIn("AMMO-1", "D-07"))
    do(ARMORER, Lock("AMMO-1"))

    # Scene 14, a rehearsal with six dummies: met, started, loaded, shown, handed over.
    do("first_ad", PlanShootDay("day-12", "2021-10-21"))
    do("first_ad", PlanScene("14", "day-12", "Rehearsal in the church", ("R-01",),
                             ("performer",), "dummies", rounds=6))  # fmt: skip
    do("first_ad", HoldSafetyMeeting("14", (ARMORER, "first_ad", "performer"),
                                     ("action", "pointing", "abort plan")))  # fmt: skip
    do("first_ad", StartScene("14"))
    do(ARMORER, Unlock("SAFE-1"))
    do(ARMORER, TakeOut("SAFE-1", "R-01"))
    do(ARMORER, Lock("SAFE-1"))
    do(ARMORER, InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    do(ARMORER, Unlock("AMMO-1"))
    do(ARMORER, TakeOut("AMMO-1", "D-07"))
    do(ARMORER, Load("R-01", "D-07", CHAMBERS, "14"))
    do(ARMORER, PutIn("AMMO-1", "D-07"))
    do(ARMORER, Lock("AMMO-1"))
    do(ARMORER, ShowClear("R-01", "14", CHAMBERS, "dummies", 6, confirm("performer"),
                          confirm("first_ad")))  # fmt: skip
    do(ARMORER, HandOver("R-01", "performer", "14"))

    # It fires from chamber 1 in rehearsal, outside any planned take; someone is hurt.
    do("performer", ReportDischarge("R-01", ("chamber 1",), planned=False, scene="14",
                                    injury=True, description="fired while drawing at camera"))  # fmt: skip
    after_the_discharge(day)
    return day


def after_the_discharge(day: RustDay) -> None:
    """The revolver and the lot are frozen as found: the armorer's try to take the revolver back
    is refused. The safety supervisor releases them, untouched, before the first AD, to the
    investigator."""
    state = day.service.state(day.production)
    (incident,) = state.incidents.values()
    assert state.firearms["R-01"].evidence is not None
    assert state.lots["D-07"].evidence is not None
    with pytest.raises(Refused) as refused:
        day.service.execute(day.production, Return("R-01"), person_id=ARMORER)
    assert "R-EVIDENCE" in refused.value.rule_ids
    day.do(
        "safety_supervisor",
        ReleaseEvidence(incident.incident, ("investigator",), confirm("first_ad")),
    )


@pytest.fixture
def rust_day(database: Any) -> Any:
    day = the_day(database)
    yield day
    day.service.store.close()


def test_trace_round_answers_how_the_round_in_chamber_one_got_there(rust_day: RustDay) -> None:
    tracer = Tracer(
        rust_day.service.store,
        rust_day.production,
        rust_day.service.sealed_size(rust_day.production),
    )
    found = tracer.round("R-01", "1", at=datetime.now(UTC))

    # The lot, its supplier and its delivery.
    assert found.position == "chamber 1"
    assert found.lot == "D-07"
    assert (found.supplier, found.document, found.delivered_on) == (SUPPLIER, INVOICE, DELIVERED)
    assert found.received is not None
    assert found.received.recorded_by == "Hannah Reed (armorer)"

    # Who recorded each round verified: method, witness, time.
    assert [(v.count, v.method, v.witness, v.recorded_by) for v in found.verifications] == [
        (25, RATTLE, "Sam Ortiz (assistant armorer)", "Hannah Reed (armorer)"),
        (25, RATTLE, "Sam Ortiz (assistant armorer)", "Hannah Reed (armorer)"),
    ]
    assert all(REHEARSAL < v.line.at < found.load.at for v in found.verifications)

    # Who loaded which position, for which scene.
    assert found.load.recorded_by == "Hannah Reed (armorer)"
    assert found.load.payload["positions"] == list(CHAMBERS)
    assert found.load.payload["scene"] == "14"
    assert "chamber 1" in found.load.text

    # Who saw the show-clear: the performer and the first AD, each in person.
    (shown,) = [line for line in found.seen if line.kind == "firearm.shown-clear"]
    assert shown.payload["performer_id"] == "performer"
    assert shown.payload["first_ad_id"] == "first_ad"
    assert "Jo Carver (cast)" in shown.text
    assert "Dana Hale (first AD)" in shown.text

    # What became of it: fired outside a planned take; the lot was quarantined as live.
    assert found.fate is not None
    assert found.fate.kind == "discharge.reported"
    assert "OUTSIDE A PLANNED TAKE" in found.fate.text
    assert any(hold.payload.get("live") for hold in found.holds)

    # Every custodian of the lot's box until the load, and of the revolver since.
    lot_holders = [(h.label, h.times) for h in found.holders if h.what == "lot"]
    assert lot_holders == [("Lockbox AMMO-1", 2), ("Hannah Reed (armorer)", 2)]
    firearm_holders = [h.label for h in found.holders if h.what == "firearm"]
    assert firearm_holders == [
        "Hannah Reed (armorer)",  # taken out of the safe before the load
        "Jo Carver (cast)",
        "Ines Duarte (investigator)",  # released as evidence, untouched
    ]

    # The freeze, and the release to the investigator before a witness.
    frozen, released = found.evidence
    assert frozen.kind == "evidence.frozen"
    assert {"R-01", "D-07"} <= {*frozen.payload["firearms"], *frozen.payload["lots"]}
    assert released.kind == "evidence.released"
    assert released.recorded_by == "Pat Kim (safety supervisor)"
    assert released.payload["investigators"] == ["investigator"]
    assert released.payload["witness_id"] == "first_ad"
    assert released.payload["firearms"][0]["contents"][0] == {
        "position": "chamber 2",
        "lot": "D-07",
    }
    assert (
        "released untouched to Ines Duarte (investigator), witnessed by Dana Hale" in released.text
    )


def test_every_line_of_the_trace_is_a_sealed_ledger_entry_proven_by_inclusion(
    rust_day: RustDay,
) -> None:
    store, production = rust_day.service.store, rust_day.production
    found = Tracer(store, production, rust_day.service.sealed_size(production)).round(
        "R-01", "chamber 1", at=datetime.now(UTC)
    )
    note = store.latest_checkpoint(production)
    assert note is not None
    sealed = open_checkpoint(note, rust_day.service.verifier(production))

    def read(wanted: Any) -> Any:
        return store.read_nodes(production, wanted)

    assert len(found.lines) >= 12
    for line in found.lines:
        body = store.entry(production, line.seq)
        assert body is not None
        entry = json.loads(body)
        assert (entry["kind"], entry["person"], entry["payload"]) == (
            line.kind,
            line.person_id,
            line.payload,
        )
        proof = prove_inclusion(line.seq, sealed.size, read)
        verify_inclusion(line.seq, sealed.size, leaf_hash(body), proof, sealed.root)


def test_the_round_before_the_load_and_an_empty_chamber_say_so(rust_day: RustDay) -> None:
    from showclear.service.traces import NothingLoaded

    tracer = Tracer(
        rust_day.service.store,
        rust_day.production,
        rust_day.service.sealed_size(rust_day.production),
    )
    with pytest.raises(NothingLoaded, match="no round was loaded into chamber 1"):
        tracer.round("R-01", "1", at=REHEARSAL + timedelta(minutes=5))


def _cli(database: Any, *args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("showclear")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "showclear"]
    return subprocess.run(
        [*command, *args],
        env=database.environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(**ON_DATABASES)
def test_showclear_trace_round_as_a_process_names_every_step(rust_day: RustDay) -> None:
    done = _cli(rust_day.database, "trace", "round", "--firearm", "R-01", "--position", "1")
    assert done.returncode == 0, done.stderr
    said = done.stdout
    for words in (
        "The round in chamber 1 of Revolver R-01 (Pietta 1873 Long Colt, serial SA-41872)",
        f"supplier {SUPPLIER}; delivery: {INVOICE}, delivered {DELIVERED}",
        "25 rounds of lot D-07 recorded verified one by one by rattle, witnessed by "
        "Sam Ortiz (assistant armorer)",
        "Hannah Reed (armorer): Loaded 6 rounds of lot D-07 into chamber 1",
        "every position shown to Jo Carver (cast), witnessed by Dana Hale (first AD)",
        "R-01 fired from chamber 1 (lot D-07) OUTSIDE A PLANNED TAKE in scene 14",
        "Frozen as found, as evidence of incident-1: R-01",
        "Evidence of incident-1 released untouched to Ines Duarte (investigator)",
    ):
        assert words in said, f"{words!r} not in:\n{said}"

    as_json = _cli(rust_day.database, "trace", "round", "--firearm", "R-01", "--position",
                   "chamber 1", "--json")  # fmt: skip
    assert as_json.returncode == 0, as_json.stderr
    found = json.loads(as_json.stdout)
    assert found["lot"] == "D-07"
    assert found["supplier"] == SUPPLIER
    assert [v["witness_id"] for v in found["verifications"]] == ["assistant_armorer"] * 2
    assert found["load"]["person_id"] == ARMORER
    assert all(isinstance(line["seq"], int) for line in found["lines"])


@pytest.mark.parametrize(**ON_DATABASES)
def test_trace_round_refuses_bad_input_with_a_clear_message(rust_day: RustDay) -> None:
    database = rust_day.database
    unknown = _cli(database, "trace", "round", "--firearm", "R-99", "--position", "1")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "has no firearm tagged 'R-99'" in unknown.stderr
    position = _cli(database, "trace", "round", "--firearm", "R-01", "--position", "7")
    assert position.returncode == 2
    assert "R-01 has no position '7'; its positions: chamber 1, chamber 2" in position.stderr
    when = _cli(database, "trace", "round", "--firearm", "R-01", "--position", "1",
                "--at", "yesterday")  # fmt: skip
    assert when.returncode == 2
    assert "--at 'yesterday' is not an ISO 8601 time" in when.stderr
    early = _cli(database, "trace", "round", "--firearm", "R-01", "--position", "1",
                 "--at", "2021-10-21T06:35:00Z")  # fmt: skip
    assert early.returncode == 1
    assert "no round was loaded into chamber 1 of R-01" in early.stderr
