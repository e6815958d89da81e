"""Nobody checks their own work (R-SEPARATION): a person who holds two roles (Kim Boyd, armorer
and safety supervisor; Ava Lund, armorer and first AD; Rae Dunn, cast and first AD) cannot
override for what they hold or for themselves, close what concerns their own count, custody or
act, be the second person of their own step, or count as both signers of a resumption."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, OnSet, confirm, in_person, shoot

from showclear.core.commands import (
    AddPerson,
    CloseIncident,
    Complain,
    Confirmation,
    CountAndReconcile,
    HandOver,
    InspectFirearm,
    IssueBadge,
    Load,
    Lock,
    LotCount,
    OverrideRule,
    PutIn,
    RecordTraining,
    ReleaseEvidence,
    ReportDischarge,
    ReportFoundRound,
    ResumeWork,
    ShowClear,
    StopWork,
    Unlock,
)
from showclear.core.decide import Context, Refused, decide
from showclear.core.events.on_set import IncidentClosed, OverrideApplied, RuleOverridden
from showclear.core.vocabulary import (
    ARMORER,
    ARMORER_LICENCE,
    CAST,
    FIREARM_SAFETY,
    FIRST_AD,
    LIVE,
    SAFETY_SUPERVISOR,
)

TWO_ROLES = {
    "kim": ("Kim Boyd", (ARMORER, SAFETY_SUPERVISOR)),
    "ava": ("Ava Lund", (ARMORER, FIRST_AD)),
    "rae": ("Rae Dunn", (CAST, FIRST_AD)),
}


def two_roles() -> OnSet:
    """The usual production, with three people who each hold two roles, trained and badged."""
    day = shoot()
    for persona, (name, roles) in TWO_ROLES.items():
        day.do("armorer", AddPerson(name, roles, person_id=persona))
        day.do("armorer", IssueBadge(persona, f"badge-{persona}"))
        day.do("safety_supervisor", RecordTraining(persona, FIREARM_SAFETY, "2024-11-02"))
        if ARMORER in roles:
            day.do("safety_supervisor", RecordTraining(persona, ARMORER_LICENCE, "2023-05-01"))
    return day


def via_token(day: OnSet, persona: str, role: str, command: object) -> Context:
    """The context of ``command`` given through ``persona``'s API device token for ``role``."""
    assert not isinstance(command, type)
    return Context(
        persona,
        f"api:{persona}-{role}",
        day.clock,
        in_person(day.state, command),  # type: ignore[arg-type]
        role=role,
    )


def inspect_every_firearm(day: OnSet) -> None:
    """After a stop: every firearm out, inspected, and locked away again."""
    for tag, firearm in day.state.firearms.items():
        if not firearm.active:
            continue
        day.take_out(tag)
        day.do("armorer", InspectFirearm(tag, firearm.positions, barrel_clear=True))
        day.do("armorer", Unlock("SAFE-1"))
        day.do("armorer", PutIn("SAFE-1", tag))
        day.do("armorer", Lock("SAFE-1"))


# -- overrides ------------------------------------------------------------------------------------


def test_an_override_names_a_second_person_who_confirms_in_person() -> None:
    day = two_roles()
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule("R-TRAINING", "performer", "refresher booked", Confirmation("")),
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Name the second person to override R-TRAINING (a producer or another safety "
        "supervisor), who confirms in person with their badge or PIN."
    )
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule(
            "R-TRAINING", "performer", "refresher booked", Confirmation("producer", "guess")
        ),
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert "Ryan Cole (producer) did not confirm" in refused.violations[0].message


def test_a_safety_supervisor_is_not_their_own_second_person() -> None:
    day = two_roles()
    day.at("08:00")
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule("R-TRAINING", "performer", "refresher", confirm("safety_supervisor")),
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Pat Kim (safety supervisor) cannot be their own second person to override R-TRAINING "
        "at 08:00 UTC: a producer or another safety supervisor confirms it."
    )


def test_the_second_person_of_an_override_is_a_producer_or_a_safety_supervisor() -> None:
    day = two_roles()
    day.at("08:00")
    refused = day.refuse(
        "safety_supervisor",
        OverrideRule("R-TRAINING", "performer", "refresher", confirm("armorer")),
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Hannah Reed (armorer) cannot be the second person to override R-TRAINING at 08:00 UTC: "
        "a producer or another safety supervisor confirms it."
    )
    day.do(
        "safety_supervisor",
        OverrideRule("R-TRAINING", "performer", "refresher", confirm("kim")),
    )
    assert day.events(RuleOverridden)[-1] == RuleOverridden(
        "R-TRAINING", "performer", "refresher", "kim", "badge-scanned"
    )


def test_an_armorer_safety_supervisor_cannot_override_for_a_firearm_in_their_hands() -> None:
    day = two_roles()
    day.ready("14")
    day.take_out("R-01", "kim")
    day.at("08:06")
    refused = day.refuse(
        "kim", OverrideRule("R-HOT-CALL", "R-01", "two extra dummies", confirm("producer"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Kim Boyd (armorer) cannot override R-HOT-CALL for Revolver R-01 at 08:06 UTC: it "
        "concerns what is in their own custody or hands, or themselves. Nobody checks their own "
        "work: a producer or a safety supervisor who was not involved does."
    )
    # Nor is the producer's confirmation any help, nor a token that speaks for one role only.
    context = via_token(
        day,
        "kim",
        SAFETY_SUPERVISOR,
        OverrideRule("R-HOT-CALL", "R-01", "two extra dummies", confirm("producer")),
    )
    with pytest.raises(Refused) as refusal:
        decide(
            day.state,
            OverrideRule("R-HOT-CALL", "R-01", "two extra dummies", confirm("producer")),
            context,
        )
    assert refusal.value.rule_ids == ("R-SEPARATION",)


def test_nobody_overrides_a_rule_for_themselves() -> None:
    day = two_roles()
    day.do("safety_supervisor", RecordTraining("kim", FIREARM_SAFETY, "2023-01-01", "2025-03-01"))
    refused = day.refuse(
        "kim", OverrideRule("R-TRAINING", "kim", "I know what I am doing", confirm("producer"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].subject == "kim"


def test_an_override_is_never_used_on_a_command_its_own_signer_gives() -> None:
    day = two_roles()
    day.meet("14")
    # Scene 14 has not started: as safety supervisor Kim may waive R-HANDLING for it (loading
    # before the call), the producer confirming.
    day.do(
        "kim",
        OverrideRule("R-HANDLING", "14", "load on the rig before the call", confirm("producer")),
    )
    assert day.state.override_signers[("R-HANDLING", "14")] == ("kim", "producer")
    day.take_out("R-01", "kim")
    day.do("kim", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("09:00")
    refused = day.refuse("kim", Load("R-01", "D-01", CHAMBERS, "14"))
    assert refused.rule_ids == ("R-HANDLING", "R-SEPARATION")
    assert refused.violations[-1].message == (
        "The override of R-HANDLING for 14 was given or confirmed by Kim Boyd (armorer), who "
        "cannot use it on their own command at 09:00 UTC: someone else does the work, or "
        "another safety supervisor decides."
    )
    # The key armorer does the work: the override is used, once.
    day.do("kim", HandOver("R-01", "armorer"))
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    assert day.events(OverrideApplied)[-1].rule_id == "R-HANDLING"
    assert not day.state.overrides


# -- closing incidents ------------------------------------------------------------------------------


def counted_short_by(persona: str) -> tuple[OnSet, str]:
    """``persona`` counts the firearms and misses the replica: an incident of their count."""
    day = two_roles()
    day.do(
        persona,
        CountAndReconcile(
            ("R-01", "R-02", "W-03", "S-04"), (LotCount("D-01", 50), LotCount("B-01", 20))
        ),
    )
    incident = next(iter(day.state.incidents))
    return day, incident


def test_the_counter_cannot_close_the_incident_of_their_own_count() -> None:
    day, incident = counted_short_by("kim")
    refused = day.refuse(
        "kim", CloseIncident(incident, "the replica was in the van", confirm("producer"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message.startswith(
        f"Kim Boyd (armorer) cannot close {incident} (count difference: Revolver P-05 missing) at "
    )
    assert "it concerns their own count, custody or act" in refused.violations[0].message
    day.do(
        "safety_supervisor",
        CloseIncident(incident, "the replica was in the van", confirm("producer")),
    )
    assert day.events(IncidentClosed)[-1] == IncidentClosed(
        incident, "the replica was in the van", "producer", "badge-scanned"
    )


def test_a_closing_needs_two_different_people_and_the_second_not_involved() -> None:
    day, incident = counted_short_by("kim")
    refused = day.refuse("safety_supervisor", CloseIncident(incident, "found", confirm("kim")))
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].subject == "kim"
    refused = day.refuse("safety_supervisor", CloseIncident(incident, "found", Confirmation("")))
    assert refused.rule_ids == ("R-SEPARATION",)


def test_a_complaint_about_someone_is_not_theirs_to_close() -> None:
    day = two_roles()
    day.do("camera", Complain("Kim waved the rifle at the camera", about=("kim",)))
    incident = next(iter(day.state.incidents))
    refused = day.refuse("kim", CloseIncident(incident, "talked to her", confirm("producer")))
    assert refused.rule_ids == ("R-SEPARATION",)
    refused = day.refuse(
        "safety_supervisor", CloseIncident(incident, "talked to her", confirm("kim"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    day.do("safety_supervisor", CloseIncident(incident, "talked to her", confirm("producer")))


def test_a_found_round_in_a_firearm_they_had_is_not_theirs_to_close() -> None:
    day = two_roles()
    day.ready("14")
    day.take_out("R-01", "kim")
    day.do("kim", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("kim", Load("R-01", "D-01", CHAMBERS, "14"))
    day.do("camera", ReportFoundRound(LIVE, "in R-01", firearm="R-01", position=CHAMBERS[1]))
    incident = next(i for i in day.state.incidents.values() if i.category == "live-round")
    refused = day.refuse(
        "kim", CloseIncident(incident.incident, "a mislabelled dummy", confirm("producer"))
    )
    assert "R-SEPARATION" in refused.rule_ids
    assert (
        "R-SEPARATION"
        not in day.refuse(
            "safety_supervisor",
            CloseIncident(incident.incident, "a mislabelled dummy", confirm("producer")),
        ).rule_ids
    )  # refused only for the evidence still frozen


# -- resuming after STOP WORK ---------------------------------------------------------------------


def test_a_person_who_is_both_safety_supervisor_and_armorer_counts_once() -> None:
    day = two_roles()
    day.do("camera", StopWork("smoke near the truck"))
    inspect_every_firearm(day)
    day.at("08:01")
    refused = day.refuse("kim", ResumeWork(confirm("first_ad")))
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Kim Boyd (armorer) holds both roles but counts once at 08:01 UTC: work resumes when a "
        "safety supervisor and an armorer, two different people, sign together."
    )
    refused = day.refuse("kim", ResumeWork(confirm("kim")))
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Kim Boyd (armorer) cannot co-sign their own resumption at 08:02 UTC: a second person "
        "confirms in person."
    )
    day.do("kim", ResumeWork(confirm("safety_supervisor")))
    assert day.state.stoppage is None


def test_a_two_role_persons_device_token_counts_for_its_one_role() -> None:
    day = two_roles()
    day.do("camera", StopWork("smoke near the truck"))
    inspect_every_firearm(day)
    command = ResumeWork(confirm("armorer"))
    # Kim's armorer tablet, with the key armorer confirming: two armorers, no safety supervisor.
    with pytest.raises(Refused) as refusal:
        decide(day.state, command, via_token(day, "kim", ARMORER, command))
    assert refusal.value.rule_ids == ("R-STOP-WORK",)
    # Her safety supervisor tablet, with the key armorer: the pair.
    events = decide(day.state, command, via_token(day, "kim", SAFETY_SUPERVISOR, command))
    assert events


def test_whoever_handed_over_the_firearm_a_live_round_was_found_in_does_not_sign() -> None:
    day = two_roles()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.at("10:15")
    day.do("performer", ReportFoundRound(LIVE, "in R-01", firearm="R-01", position=CHAMBERS[2]))
    assert "armorer" in day.state.stoppage.involved  # type: ignore[union-attr]
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("armorer")))
    assert "R-SEPARATION" in refused.rule_ids
    assert (
        "Hannah Reed (armorer) cannot sign the resumption of work at 10:16 UTC: the stop at "
        "10:15 UTC (a live round found in R-01 (Dummy lot D-01)) came from their own custody or "
        "act. Nobody checks their own work: a safety supervisor and an armorer who were not "
        "involved sign."
    ) in [v.message for v in refused.violations]
    refused = day.refuse("safety_supervisor", ResumeWork(confirm("assistant_armorer")))
    assert "R-SEPARATION" not in refused.rule_ids  # refused for the evidence and the firearms


# -- show-clear witnesses -------------------------------------------------------------------------


def test_an_armorer_who_is_also_first_ad_does_not_witness_their_own_show_clear() -> None:
    day = two_roles()
    day.ready("12")
    day.take_out("R-01", "ava")
    day.do("ava", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("08:08")
    refused = day.refuse(
        "ava", ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("performer"), confirm("ava"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    assert refused.violations[0].message == (
        "Ava Lund (armorer) cannot confirm their own show-clear of Revolver R-01 as the first AD "
        "at 08:08 UTC: the performer and the first AD are two other people."
    )
    day.do(
        "ava",
        ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )


def test_a_performer_who_is_also_first_ad_does_not_confirm_as_both() -> None:
    day = two_roles()
    day.ready("12")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.at("08:08")
    refused = day.refuse(
        "armorer",
        ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("rae"), confirm("rae")),
    )
    assert refused.rule_ids == ("R-SEPARATION", "R-PLAN")  # and Rae is not in the plan
    assert refused.violations[0].message == (
        "Rae Dunn (first AD) cannot confirm Revolver R-01's show-clear as both the performer and "
        "the first AD at 08:08 UTC: two different people confirm it."
    )


def test_an_armorer_does_not_hand_a_firearm_to_themselves() -> None:
    day = two_roles()
    day.take_out("R-01")
    refused = day.refuse("armorer", HandOver("R-01", "armorer"))
    assert refused.rule_ids == ("R-SEPARATION",)


def test_evidence_of_a_discharge_is_not_released_by_whoever_handed_the_firearm_over() -> None:
    day = two_roles()
    day.ready("12")
    day.take_out("R-01", "kim")
    day.do("kim", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do(
        "kim",
        ShowClear("R-01", "12", CHAMBERS, "cold", 0, confirm("performer"), confirm("first_ad")),
    )
    day.do("kim", HandOver("R-01", "performer", "12"))
    day.do("performer", ReportDischarge("R-01", (), planned=False, description="dropped"))
    incident = next(iter(day.state.incidents))
    refused = day.refuse("kim", ReleaseEvidence(incident, ("investigator",), confirm("first_ad")))
    assert refused.rule_ids == ("R-SEPARATION",)
    refused = day.refuse(
        "safety_supervisor", ReleaseEvidence(incident, ("investigator",), confirm("kim"))
    )
    assert refused.rule_ids == ("R-SEPARATION",)
    day.do("safety_supervisor", ReleaseEvidence(incident, ("investigator",), confirm("first_ad")))
