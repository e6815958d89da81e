"""Incident lockdown (R-EVIDENCE): what a discharge outside a take or a found live round
involves is frozen as found, every command touching it is refused, reports are still recorded,
and the evidence goes to named investigators, and back, only by recorded handovers."""

from __future__ import annotations

import pytest
from evidence_day import (
    FREE,
    FROZEN,
    acting_on_things,
    build,
    every_command,
    frozen_day,
    may_name,
    referring_fields,
)
from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    AddPerson,
    CallBreak,
    CloseIncident,
    Command,
    Confirmation,
    CountAndReconcile,
    DrawFirearm,
    HandOver,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    OverrideRule,
    PutIn,
    ReleaseEvidence,
    ReleaseLot,
    ReportDischarge,
    ReportFoundRound,
    ReportMisfire,
    ResumeWork,
    ReturnEvidence,
    StopWork,
    TakeOut,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide.evidence import REPORTS
from showclear.core.events import Event
from showclear.core.events.armory import CountReconciled, Placement
from showclear.core.events.evidence import (
    ContainerExhibit,
    Counted,
    EvidenceFrozen,
    EvidenceReleased,
    EvidenceReturned,
    FirearmExhibit,
    LotExhibit,
)
from showclear.core.events.on_set import BreakCalled, IncidentOpened
from showclear.core.read.firearm_record import missing_before_handover, told
from showclear.core.read.readiness_board import preview, scene_readiness
from showclear.core.vocabulary import INVESTIGATOR, RATTLE

EVIDENCE_OF_R01 = (
    "Revolver R-01 is evidence of incident-1: nobody touches it until the safety supervisor "
    "releases it to the investigators."
)
DUMMIES_LEFT = tuple(Placement(chamber, "D-01") for chamber in CHAMBERS[1:])


def release(day: OnSet, witness: str = "first_ad") -> list[Event]:
    """The safety supervisor hands incident-1's evidence to the investigator, before a witness."""
    return day.do(
        "safety_supervisor", ReleaseEvidence("incident-1", ("investigator",), confirm(witness))
    )


# -- the freeze -----------------------------------------------------------------------------------


def test_a_discharge_outside_a_take_freezes_the_firearm_its_lot_and_what_holds_them_in_one_entry() -> (
    None
):
    day = frozen_day()
    (frozen,) = day.events(EvidenceFrozen)
    assert frozen == EvidenceFrozen("incident-1", ("R-01",), ("D-01",), ("AMMO-1", "BELT-1"))
    assert [entry.event.kind for entry in day.log[-7:]] == [
        "discharge.reported",
        "lot.quarantined",
        "incident.opened",
        "evidence.frozen",
        "work.stopped",
        "rule.warned",
        "rule.warned",
    ]
    assert day.events(IncidentOpened)[0].summary == (
        "Revolver R-01 fired from chamber 1, which held no blank"
    )
    assert day.state.incidents["incident-1"].evidence == ("R-01", "D-01", "AMMO-1", "BELT-1")
    # Frozen as found: Jo still holds the revolver with five dummies in it, and wears the belt.
    firearm = day.state.firearms["R-01"]
    assert (firearm.holder, firearm.contents) == ("performer", dict.fromkeys(CHAMBERS[1:], "D-01"))
    assert day.state.containers["BELT-1"].custodian == "performer"


def test_an_unplanned_blank_discharge_freezes_that_revolver_and_its_blanks_without_a_stop() -> None:
    day = shoot()
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.do("armorer", ReportDischarge("R-02", ("chamber 1",), planned=False, scene="21"))
    assert day.events(EvidenceFrozen) == [
        EvidenceFrozen("incident-1", ("R-02",), ("B-01",), ("AMMO-1",))
    ]
    assert day.state.stoppage is None


def test_a_planned_take_freezes_nothing() -> None:
    day = shoot()
    day.ready("21")
    day.take_out("R-02")
    day.do("armorer", InspectFirearm("R-02", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
    day.do("armorer", ReportDischarge("R-02", CHAMBERS[:2], planned=True, scene="21"))
    assert day.events(EvidenceFrozen) == []
    assert day.state.evidence_of("R-02") is None


def test_a_live_round_in_a_belt_freezes_its_lot_the_belt_and_every_firearm_loaded_from_it() -> None:
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", rounds=6))
    day.do("performer", ReportFoundRound("live", "in Jo's gun belt", container="BELT-1"))
    assert day.events(EvidenceFrozen) == [
        EvidenceFrozen("incident-1", ("R-01",), ("D-01",), ("BELT-1",))
    ]
    # A loose round of no lot, found nowhere on record, freezes nothing more.
    day.do("first_ad", ReportFoundRound("live", "on the prop cart"))
    assert len(day.events(EvidenceFrozen)) == 1


# -- nothing touches it ---------------------------------------------------------------------------


CASES = [
    pytest.param(kind, field, tag, id=f"{kind.__name__}.{field}={tag}")
    for kind in acting_on_things()
    for field in referring_fields(kind)
    for tag in FROZEN
    if may_name(field, tag)
]


def test_every_command_that_can_name_a_firearm_lot_or_container_is_in_the_catalogue_cases() -> None:
    covered = {case.values[0] for case in CASES}
    assert covered == set(acting_on_things())
    assert len(covered) >= 20
    assert set(REPORTS) <= set(every_command())


@pytest.mark.parametrize(("kind", "field", "tag"), CASES)
def test_every_command_naming_evidence_is_refused_with_r_evidence_and_records_nothing(
    kind: type[Command], field: str, tag: str
) -> None:
    day = frozen_day()
    for persona in ("armorer", "safety_supervisor", "performer"):
        refused = day.refuse(persona, build(kind, field, tag))
        assert refused.rule_ids[0] == "R-EVIDENCE"
        first = refused.violations[0]
        assert (first.subject, first.overridable) == (tag, False)
        assert "evidence of incident-1" in first.message
    # The same command naming the same kind of thing that is not evidence meets no R-EVIDENCE.
    free = preview(day.state, build(kind, field, FREE[tag]), "armorer", day.clock)
    assert all(v.rule_id != "R-EVIDENCE" for v in free)


def test_the_refusal_says_what_it_is_evidence_of_and_what_happens_next() -> None:
    day = frozen_day()
    refused = day.refuse("armorer", HandOver("R-01", "first_ad"))
    assert refused.violations[0].message == EVIDENCE_OF_R01
    refused = day.refuse("armorer", VerifyRounds("D-01", 1, RATTLE, confirm("first_ad")))
    assert refused.violations[0].message == (
        "Dummy lot D-01 is evidence of incident-1: nobody touches it or any round of it until "
        "the safety supervisor releases it to the investigators."
    )
    refused = day.refuse("armorer", Unlock("AMMO-1"))
    assert refused.violations[0].message == (
        "Lockbox AMMO-1 is sealed: it holds evidence of incident-1. Nobody opens it until the "
        "safety supervisor releases the evidence to the investigators."
    )


def test_the_rule_cannot_be_overridden_by_anyone() -> None:
    day = frozen_day()
    refused = day.refuse(
        "safety_supervisor", OverrideRule("R-EVIDENCE", "R-01", "need it now", confirm("producer"))
    )
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert "is never overridden" in refused.violations[0].message


def test_reports_about_evidence_are_still_recorded() -> None:
    day = frozen_day()
    day.do("performer", ReportMisfire("R-01", "chamber 2", scene="14"))
    day.do("performer", ReportFoundRound("dummy", "in Jo's belt", container="BELT-1", lot="D-01"))
    day.do("performer", ReportDischarge("R-01", ("chamber 3",), planned=False, scene="14"))
    kinds = {entry.event.kind for entry in day.log}
    assert {"misfire.reported", "round.found", "discharge.reported"} <= kinds
    assert day.state.containers["BELT-1"].rounds == {"D-01": 11}
    assert "chamber 3" not in day.state.firearms["R-01"].contents
    assert day.state.firearms["R-01"].evidence is not None
    # Already frozen for incident-1: the new incident freezes nothing twice.
    assert len(day.events(EvidenceFrozen)) == 1


def test_a_drawn_firearm_would_open_a_sealed_container() -> None:
    day = shoot()
    day.do("armorer", ReportFoundRound("live", "in the safe, by R-02", container="SAFE-1"))
    assert day.events(EvidenceFrozen) == [EvidenceFrozen("incident-1", (), (), ("SAFE-1",))]
    refused = day.refuse("armorer", DrawFirearm("R-02"))
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert refused.violations[0].subject == "SAFE-1"


def test_a_break_a_wrap_and_a_count_leave_evidence_where_it_is() -> None:
    day = frozen_day()
    day.do("first_ad", CallBreak("meal"))
    called = day.events(BreakCalled)[0]
    assert isinstance(called, BreakCalled)
    assert "R-01" not in called.unsecured_firearms
    assert "D-01" not in called.unsecured_lots
    before = day.state.firearms["R-01"].gap
    day.do("first_ad", WrapScene("14"))
    assert all(w.subject != "R-01" for w in day.warnings() if w.rule_id == "R-CLOSE-OUT")
    day.do(
        "armorer",
        CountAndReconcile(("R-02", "W-03", "S-04", "P-05"), (LotCount("B-01", 20),)),
    )
    counted = day.events(CountReconciled)[-1]
    assert isinstance(counted, CountReconciled)
    assert counted.balanced
    assert "R-01" not in counted.firearms_expected
    assert day.state.firearms["R-01"].gap == before


# -- the record and the board ---------------------------------------------------------------------


def test_the_firearm_record_and_the_board_say_evidence_not_ready() -> None:
    day = frozen_day()
    firearm = day.state.firearms["R-01"]
    assert missing_before_handover(day.state, firearm) == [
        "Revolver R-01 is evidence of incident-1, frozen as found: nobody touches it until the "
        "safety supervisor releases it to the investigators."
    ]
    frozen_entry = next(e for e in firearm.history if isinstance(e.event, EvidenceFrozen))
    assert told(day.state, frozen_entry).startswith("Frozen as found, as evidence of incident-1")
    scene = scene_readiness(day.state, day.state.scenes["14"], day.clock)
    (row,) = scene.firearms
    assert (row.words, row.issued, row.ready) == ("evidence of incident-1", False, False)
    assert [v.rule_id for v in row.missing] == ["R-EVIDENCE"]
    assert row.missing[0].message == EVIDENCE_OF_R01
    assert not scene.ready


# -- the handover to the investigators ------------------------------------------------------------


def test_the_safety_supervisor_releases_every_frozen_item_to_the_named_investigators() -> None:
    day = frozen_day()
    day.at("12:30")
    (released,) = release(day)
    assert released == EvidenceReleased(
        incident="incident-1",
        investigators=("investigator",),
        witness_id="first_ad",
        firearms=(FirearmExhibit("R-01", "performer", "", DUMMIES_LEFT),),
        lots=(LotExhibit("D-01", "", "AMMO-1", 32),),
        loose_lots=(),
        containers=(ContainerExhibit("BELT-1", "performer", (Counted("D-01", 12),)),),
        unsealed_containers=("AMMO-1",),
        witness_via="badge-scanned",
    )
    state = day.state
    firearm = state.firearms["R-01"]
    assert (firearm.holder, firearm.container, firearm.status) == (
        "investigator",
        None,
        "impounded",
    )
    assert firearm.contents == dict.fromkeys(CHAMBERS[1:], "D-01")
    assert (state.lots["D-01"].holder, state.lots["D-01"].container) == ("investigator", None)
    assert "D-01" not in state.containers["AMMO-1"].lots
    assert state.containers["BELT-1"].custodian == "investigator"
    assert state.evidence_of("AMMO-1") is None  # unsealed: B-01's box is the armorer's again
    assert firearm.custody[-1].holder == "investigator"
    entry = firearm.history[-1]
    assert told(state, entry) == (
        "Released as evidence of incident-1 to Ines Duarte (investigator), witnessed by Dana "
        "Hale (first AD); held chamber 2: D-01, chamber 3: D-01, chamber 4: D-01, chamber 5: "
        "D-01, chamber 6: D-01."
    )
    assert missing_before_handover(state, firearm) == [
        "Revolver R-01 is evidence of incident-1, with the investigators: only they hand it "
        "back, once the incident is closed."
    ]
    refused = day.refuse("armorer", HandOver("R-01", "performer", "14"))
    assert refused.violations[0].message == (
        "Revolver R-01 is evidence of incident-1, with the investigators (Ines Duarte "
        "(investigator)): only they hand it back, once the incident is closed."
    )
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "B-01"))


@pytest.mark.parametrize(
    ("persona", "command", "rule_id", "words"),
    [
        (
            "armorer",
            ReleaseEvidence("incident-1", ("investigator",), confirm("first_ad")),
            "R-ROLE",
            "the safety supervisor does",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-1", ("camera",), confirm("first_ad")),
            "R-ROLE",
            "Hal Rivera (crew) is not an investigator",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-1", ("investigator",), confirm("investigator")),
            "R-EVIDENCE",
            "someone other than you and the investigators",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-1", ("investigator",), confirm("safety_supervisor")),
            "R-EVIDENCE",
            "someone other than you and the investigators",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-1", ("investigator",), Confirmation("first_ad", "badge-x")),
            "R-EVIDENCE",
            "did not confirm as witness",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-1", (), confirm("first_ad")),
            "R-KNOWN",
            "Name the investigators",
        ),
        (
            "safety_supervisor",
            ReleaseEvidence("incident-9", ("investigator",), confirm("first_ad")),
            "R-KNOWN",
            "no open incident 'incident-9'",
        ),
    ],
)
def test_a_wrong_release_records_nothing(
    persona: str, command: ReleaseEvidence, rule_id: str, words: str
) -> None:
    day = frozen_day()
    refused = day.refuse(persona, command)
    assert rule_id in refused.rule_ids
    assert any(words in v.message for v in refused.violations), refused
    assert day.state.firearms["R-01"].holder == "performer"


# -- closing, and the way back --------------------------------------------------------------------


def test_the_incident_closes_only_after_the_release_and_only_its_investigators_hand_it_back() -> (
    None
):
    day = frozen_day()
    day.do("armorer", AddPerson("Ray Ochoa", (INVESTIGATOR,), person_id="ray"))
    refused = day.refuse(
        "safety_supervisor",
        CloseIncident("incident-1", "a dummy with a primer", confirm("producer")),
    )
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert refused.violations[0].message == (
        "Revolver R-01, Dummy lot D-01, Lockbox AMMO-1, Gun belt BELT-1 are still frozen as "
        "evidence of incident-1: release the evidence to the investigators before the incident "
        "is closed."
    )
    release(day)
    refused = day.refuse("investigator", ReturnEvidence("incident-1", confirm("armorer")))
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert "is still open" in refused.violations[0].message
    day.do(
        "safety_supervisor",
        CloseIncident("incident-1", "a dummy with a live primer", confirm("producer")),
    )
    refused = day.refuse("ray", ReturnEvidence("incident-1", confirm("armorer")))
    assert refused.violations[0].message == (
        "Only the investigators of incident-1 (Ines Duarte (investigator)) hand its evidence back."
    )
    refused = day.refuse("armorer", ReturnEvidence("incident-1", confirm("armorer")))
    assert refused.rule_ids == ("R-ROLE",)
    refused = day.refuse("investigator", ReturnEvidence("incident-1", confirm("first_ad")))
    assert "is not an armorer" in refused.violations[0].message

    (returned,) = day.do("investigator", ReturnEvidence("incident-1", confirm("armorer")))
    assert returned == EvidenceReturned(
        "incident-1",
        "armorer",
        (FirearmExhibit("R-01", "investigator", "", DUMMIES_LEFT),),
        (LotExhibit("D-01", "investigator", "", 32),),
        (ContainerExhibit("BELT-1", "investigator", (Counted("D-01", 12),)),),
        "badge-scanned",
    )
    firearm, lot = day.state.firearms["R-01"], day.state.lots["D-01"]
    assert (firearm.holder, firearm.status, firearm.evidence) == ("armorer", "active", None)
    assert firearm.gap is not None
    assert firearm.gap.account == "came back from the investigators of incident-1"
    assert (lot.holder, lot.evidence, lot.unverified) == ("armorer", None, 32)
    assert day.state.containers["BELT-1"].custodian == "armorer"
    # Back, but not ready: inspected first; a lot that held a live round is never used again.
    refused = day.refuse("armorer", Load("R-01", "D-01", ("chamber 1",), "14"))
    assert {"R-INSPECT", "R-LIVE"} <= set(refused.rule_ids)
    refused = day.refuse("armorer", ReleaseLot("D-01"))
    assert "R-LIVE" in refused.rule_ids
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))


def test_a_lockdown_freezes_the_whole_production_until_the_evidence_is_released() -> None:
    day = shoot()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.show("R-01", "12", "cold", 0)
    day.do("armorer", HandOver("R-01", "performer", "12"))
    day.at("13:48")
    day.do("first_ad", ReportDischarge("R-01", ("chamber 1",), planned=False, injury=True))
    assert day.state.stoppage is not None
    assert day.state.stoppage.lockdown
    assert day.events(EvidenceFrozen) == [EvidenceFrozen("incident-1", ("R-01",), (), ())]
    # R-02 is not evidence, but nothing on the production moves in a lockdown.
    refused = day.refuse("armorer", Unlock("SAFE-1"))
    assert refused.rule_ids == ("R-EVIDENCE",)
    assert refused.violations[0].message == (
        "The production has been locked down since 13:48 UTC (Revolver R-01 fired from chamber "
        "1, which held no blank): Armory safe SAFE-1 stays exactly as found, as evidence, until "
        "the safety supervisor releases the evidence to the investigators."
    )
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("armorer")))
    assert EVIDENCE_OF_R01 + " Work resumes after the handover." in [
        v.message for v in refused.violations
    ]

    release(day)
    assert day.state.stoppage.released
    day.do(
        "safety_supervisor",
        CloseIncident("incident-1", "handed to the sheriff", confirm("producer")),
    )
    for tag, firearm in day.state.firearms.items():
        if not firearm.active:
            continue
        day.take_out(tag)
        day.do("armorer", InspectFirearm(tag, firearm.positions, barrel_clear=True))
        day.do("armorer", Unlock("SAFE-1"))
        day.do("armorer", PutIn("SAFE-1", tag))
        day.do("armorer", Lock("SAFE-1"))
    # The key armorer handed R-01 over before it fired: the assistant armorer signs (R-SEPARATION).
    day.do("safety_supervisor", ResumeWork(confirm("assistant_armorer")))
    assert day.state.stoppage is None
    assert day.state.firearms["R-01"].holder == "investigator"


def test_a_lockdown_called_by_hand_is_an_incident_and_ends_when_it_is_closed() -> None:
    day = shoot()
    day.do("first_ad", StopWork("gunshot heard behind the barn", lockdown=True))
    (opened,) = day.events(IncidentOpened)
    assert (opened.incident, opened.category) == ("incident-1", "lockdown")
    day.refuse("armorer", Unlock("SAFE-1"))
    refused = day.refuse(
        "safety_supervisor", ReleaseEvidence("incident-2", (), confirm("first_ad"))
    )
    assert "R-KNOWN" in refused.rule_ids
    day.do(
        "safety_supervisor", CloseIncident("incident-1", "a car backfiring", confirm("producer"))
    )
    day.do("armorer", Unlock("SAFE-1"))


def test_work_does_not_resume_while_evidence_is_frozen_as_found() -> None:
    day = frozen_day()
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("armorer")))
    evidence = [v for v in refused.violations if v.rule_id == "R-EVIDENCE"]
    assert [v.subject for v in evidence] == ["R-01", "D-01"]
    assert all(v.subject != "R-01" for v in refused.violations if v.rule_id != "R-EVIDENCE")
