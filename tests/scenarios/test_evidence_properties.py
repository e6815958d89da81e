"""Property: once evidence is frozen, no command of the catalogue, given by anyone in any order
with any arguments, changes where any piece of evidence is, who holds it or what is in it, except
the recorded handovers to and from the investigators and the reports of what happened."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import timedelta
from typing import Any

from evidence_day import every_command, evidence_now, frozen_day
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shoot import CHAMBERS, confirm, context_for

from showclear.core.commands import (
    CallBreak,
    CloseIncident,
    Command,
    Confirmation,
    CountAndReconcile,
    DrawFirearm,
    EndBreak,
    InspectFirearm,
    Lock,
    LockAway,
    LotCount,
    ReleaseEvidence,
    ReportFoundRound,
    ReportMisfire,
    ResumeWork,
    Return,
    ReturnEvidence,
    StartScene,
    StopWork,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import Refused, decide
from showclear.core.decide.evidence import REFERENCES, REPORTS
from showclear.core.rules import RULES
from showclear.core.vocabulary import RATTLE

PERSONAS = (
    "armorer",
    "assistant_armorer",
    "first_ad",
    "performer",
    "safety_supervisor",
    "investigator",
    "camera",
)
TAGS = ("R-01", "R-02", "W-03", "D-01", "B-01", "BELT-1", "AMMO-1", "SAFE-1")
PEOPLE_FIELDS = frozenset(
    {"to", "person_id", "performers", "crew", "attendees", "investigators", "armorer_id"}
)
WORDS = {
    "scene": ("12", "14", "21"),
    "incident": ("incident-1", "incident-2"),
    "rule_id": tuple(RULES),
    "observed": ("live", "dummy", "blank", "unknown"),
    "position": CHAMBERS,
    "announced": ("cold", "dummies", "hot"),
    "condition": ("cold", "dummies", "hot"),
    "method": ("rattle", "primer"),
    "container_kind": ("gun-belt", "lockbox"),
    "lot_kind": ("dummy", "blank"),
    "firearm_class": ("firing",),
    "day": ("day-1",),
}
EXEMPT = (*REPORTS, ReleaseEvidence, ReturnEvidence)
"""Reports record reality (a found round leaves a belt); the handovers are the way out."""


def value(name: str, hint: Any) -> st.SearchStrategy[Any]:
    """Anything a person might put in a field called ``name``, right or wrong."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(hint) if a is not type(None))
        return st.none() | value(name, inner)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(hint)
        return st.lists(value(name, item), max_size=3).map(tuple)
    if hint is Confirmation:
        return st.sampled_from(PERSONAS).map(lambda p: Confirmation(p, f"badge-{p}"))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return command_of(hint)
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(min_value=0, max_value=12)
    if name in REFERENCES:
        return st.sampled_from(TAGS)
    if name in PEOPLE_FIELDS:
        return st.sampled_from(PERSONAS)
    if name.startswith("positions"):
        return st.sampled_from(CHAMBERS)
    return st.sampled_from(WORDS.get(name, ("x", "")))


def command_of(kind: type[Any]) -> st.SearchStrategy[Any]:
    """A ``kind`` (a command, or a value inside one) with every field drawn."""
    hints = typing.get_type_hints(kind)
    return st.builds(
        kind, **{f.name: value(f.name, hints[f.name]) for f in dataclasses.fields(kind)}
    )


ANY_COMMAND = st.tuples(
    st.sampled_from(PERSONAS), st.one_of([command_of(kind) for kind in every_command()])
).map(lambda step: [step])


def _on_set(persona: str, *commands: Command) -> list[list[tuple[str, Command]]]:
    return [[(persona, command)] for command in commands]


INVESTIGATION = [
    (
        "safety_supervisor",
        ReleaseEvidence(
            "incident-1", ("investigator",), Confirmation("first_ad", "badge-first_ad")
        ),
    ),
    (
        "safety_supervisor",
        CloseIncident("incident-1", "a dummy with a live primer", confirm("producer")),
    ),
    ("investigator", ReturnEvidence("incident-1", Confirmation("armorer", "badge-armorer"))),
]


# What the crew would really do next on this set, right or wrong, so that many commands are
# recorded, evidence is released and comes back, and work goes on around it.
ON_SET = st.sampled_from(
    [
        INVESTIGATION,
        *_on_set(
            "armorer",
            Unlock("SAFE-1"),
            Lock("SAFE-1"),
            DrawFirearm("R-02"),
            DrawFirearm("W-03"),
            InspectFirearm("R-02", CHAMBERS, barrel_clear=True),
            LockAway("R-02", "SAFE-1"),
            Unlock("AMMO-1"),
            TakeOut("AMMO-1", "B-01"),
            TakeOut("AMMO-1", "D-01"),
            Return("R-01"),
            Return("BELT-1"),
            Unload("R-01"),
            VerifyRounds("D-01", 1, RATTLE, Confirmation("first_ad", "badge-first_ad")),
            CountAndReconcile(("R-02", "W-03", "S-04", "P-05"), (LotCount("B-01", 20),)),
            CallBreak("meal"),
            EndBreak(),
        ),
        *_on_set(
            "safety_supervisor",
            ReleaseEvidence(
                "incident-1", ("investigator",), Confirmation("first_ad", "badge-first_ad")
            ),
            CloseIncident("incident-1", "a dummy with a live primer", confirm("producer")),
            StopWork("again", lockdown=True),
            ResumeWork(Confirmation("armorer", "badge-armorer")),
        ),
        *_on_set(
            "investigator",
            ReturnEvidence("incident-1", Confirmation("armorer", "badge-armorer")),
        ),
        *_on_set("first_ad", WrapScene("14"), StartScene("12")),
        *_on_set(
            "performer",
            ReportFoundRound("live", "in Jo's belt", container="BELT-1", lot="D-01"),
            ReportMisfire("R-01", "chamber 2"),
        ),
    ]
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_no_command_but_the_handovers_and_the_reports_ever_moves_or_empties_evidence(
    data: st.DataObject,
) -> None:
    day = frozen_day()
    assert evidence_now(day.state)
    for _ in range(data.draw(st.integers(min_value=5, max_value=40))):
        for persona, command in data.draw(st.one_of(ON_SET, ANY_COMMAND)):
            before = evidence_now(day.state)
            try:
                events = decide(
                    day.state, command, context_for(day.state, persona, day.clock, command)
                )
            except Refused:
                assert evidence_now(day.state) == before
                continue
            for event in events:
                day.record(persona, event)
            day.clock += timedelta(minutes=1)
            if not isinstance(command, EXEMPT):
                assert evidence_now(day.state) == before, f"{command} moved evidence"
