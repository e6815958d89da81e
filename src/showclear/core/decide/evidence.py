"""Evidence (R-EVIDENCE): what an incident freezes, the rule that nobody touches it, and its
handover to named investigators and back.

A discharge outside a planned take (or from a position holding no blank, or with an injury) and
a found live round freeze what they involve, as found: the firearm and the lots of the rounds
in it, the lot of the found round and the firearm or container it was found in; then, so that
no command can move a round of a frozen lot without naming something frozen, every firearm
holding rounds of a frozen lot, every belt or bag holding them (and the other lots in it), and
the containers that hold any of it (an armory safe is sealed, not handed over). The freeze is
recorded as its own entry (``evidence.frozen``) listing every tag.

Every command that names a frozen item in a field that refers to a firearm, lot or container
(:data:`REFERENCES`) is refused, whatever it is, so a new command is covered the day it is
written. Reports of what happened are never refused: reality is recorded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from showclear.core.commands import (
    Command,
    ReleaseEvidence,
    ReportDischarge,
    ReportFoundRound,
    ReportHandling,
    ReportMisfire,
    ReturnEvidence,
)
from showclear.core.decide.separation import incident_concerns, not_their_own
from showclear.core.decide.verdict import Verdict, handles
from showclear.core.events import Event
from showclear.core.events.evidence import (
    ContainerExhibit,
    Counted,
    EvidenceFrozen,
    EvidenceReleased,
    EvidenceReturned,
    FirearmExhibit,
    LooseRounds,
    LotExhibit,
)
from showclear.core.rules import EVIDENCE, KNOWN, ROLE, SEPARATION
from showclear.core.state import Evidence, Incident, ProductionState, placements
from showclear.core.vocabulary import INVESTIGATOR, SAFETY_SUPERVISOR, WORN_CONTAINERS

#: Reports of what happened: recorded whatever they name, evidence included.
REPORTS: tuple[type[Command], ...] = (
    ReportDischarge,
    ReportMisfire,
    ReportFoundRound,
    ReportHandling,
)

#: The command fields (by name, across every command) that refer to a firearm, lot or container
#: on record, and what they may name. A field inside a value (``LotCount.lot``) counts too.
REFERENCES: dict[str, str] = {
    "firearm": "a firearm",
    "firearms": "firearms",
    "firearms_present": "firearms",
    "lot": "a lot",
    "lots": "lots (and the containers counted with them)",
    "container": "a container",
    "item": "a firearm, a lot or a container",
}

#: Every other command field: none names a firearm, lot or container on record to act on it
#: (``tag`` is a new one being received; ``for_firearms`` and ``subject`` only describe).
#: tests/core checks that every command field is in one of the two, so a new field is placed
#: on purpose.
PLAIN_FIELDS = frozenset(
    {
        "announced", "armorer", "armorer_id", "armorer_name", "attendees",
        "barrel_clear", "blank_fire", "blank_fire_reviewed", "calibre", "close_range_load",
        "co_signer", "condition", "count", "counted", "course", "completed_on", "crew",
        "credential", "date", "day", "delivered_on", "description", "document", "duties",
        "duty", "ear_protection", "expires_on", "eye_protection", "findings", "firearm_class",
        "firearm_type", "first_ad", "for_firearms", "incident", "injury", "investigators",
        "load", "lockdown", "lot_kind", "make", "method", "min_distance_cm", "model", "name",
        "notes", "observed", "origin", "owner", "performer", "performers", "person_id",
        "pin_id", "planned", "pointing", "pointing_plans", "position", "positions",
        "positions_checked", "positions_shown", "presented", "reason", "roles", "rounds", "rule_id",
        "scene", "serial", "shields", "subject", "supplier", "tag", "text", "title", "to",
        "topics", "verifier_key", "where", "witness", "container_kind", "unit", "location",
        "about", "in_person", "second",
        "maker", "went_to", "note", "act",
        "worn_rounds", "worn_lots",  # a plan describes the lots worn; it moves none of them
        "assigned",
        "zone",  # a time zone's name: it names nothing on the production
    }
)  # fmt: skip


# -- what a command names -------------------------------------------------------------------------


def named(command: object) -> Iterator[str]:
    """Every tag ``command`` names in a referring field (inside its values too)."""
    for found in dataclasses.fields(command):  # type: ignore[arg-type]
        if found.name in REFERENCES:
            yield from _tags(getattr(command, found.name))


def _tags(value: object) -> Iterator[str]:
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _tags(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from named(value)


def said(state: ProductionState, tag: str, held: Evidence) -> str:
    """Why nobody may touch ``tag``, in words a tired person understands."""
    if held.released:
        names = ", ".join(state.person_label(p) for p in held.investigators)
        ending = (
            f", with the investigators ({names}): only they hand it back, once the incident "
            "is closed."
        )
    else:
        ending = ": nobody touches it until the safety supervisor releases it to the investigators."
    if tag in state.firearms:
        return f"{state.firearms[tag].label} is evidence of {held.incident}{ending}"
    if tag in state.lots:
        ending = ending.replace("touches it", "touches it or any round of it")
        return f"{state.lots[tag].label} is evidence of {held.incident}{ending}"
    container = state.containers[tag]
    if container.container_kind in WORN_CONTAINERS:
        return f"{container.label} is evidence of {held.incident}{ending}"
    return (
        f"{container.label} is sealed: it holds evidence of {held.incident}. Nobody opens it "
        "until the safety supervisor releases the evidence to the investigators."
    )


def untouched(v: Verdict, command: Command) -> None:
    """R-EVIDENCE: ``command`` names nothing held as evidence (reports excepted)."""
    if isinstance(command, REPORTS):
        return
    for tag in dict.fromkeys(named(command)):
        held = v.state.evidence_of(tag)
        if held is not None:
            v.breaks(EVIDENCE, tag, said(v.state, tag, held))


def sealed(v: Verdict, container: str | None) -> None:
    """R-EVIDENCE: a command that opens ``container`` without naming it (drawing a firearm)."""
    held = v.state.evidence_of(container or "")
    if container is not None and held is not None:
        v.breaks(EVIDENCE, container, said(v.state, container, held))


# -- freezing -------------------------------------------------------------------------------------


def involved(
    state: ProductionState,
    firearms: tuple[str, ...] = (),
    lots: tuple[str, ...] = (),
    containers: tuple[str, ...] = (),
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The firearms, lots and containers to freeze for these (see the module docstring),
    leaving out what is held as evidence already."""
    found_firearms = {t for t in firearms if t in state.firearms}
    found_lots = {t for t in lots if t in state.lots}
    found_containers = {t for t in containers if t in state.containers}
    size = -1
    while size != len(found_firearms) + len(found_lots) + len(found_containers):
        size = len(found_firearms) + len(found_lots) + len(found_containers)
        for tag in list(found_firearms):
            firearm = state.firearms[tag]
            found_lots.update(firearm.contents.values())
            if firearm.container is not None:
                found_containers.add(firearm.container)
        for tag in list(found_lots):
            lot = state.lots[tag]
            if lot.container is not None:
                found_containers.add(lot.container)
            found_firearms.update(
                f.tag for f in state.firearms.values() if f.active and tag in f.contents.values()
            )
            found_containers.update(c.tag for c in state.containers.values() if c.rounds.get(tag))
        for tag in list(found_containers):
            container = state.containers[tag]
            if container.container_kind in WORN_CONTAINERS:
                found_lots.update(container.rounds)
                found_lots.update(container.lots)
                found_firearms.update(container.firearms)

    def fresh(tags: set[str]) -> tuple[str, ...]:
        return tuple(sorted(t for t in tags if state.evidence_of(t) is None))

    return fresh(found_firearms), fresh(found_lots), fresh(found_containers)


def freeze(
    v: Verdict,
    incident: str,
    firearms: tuple[str, ...] = (),
    lots: tuple[str, ...] = (),
    containers: tuple[str, ...] = (),
) -> list[Event]:
    """The ``evidence.frozen`` entry for a new incident, if it involves anything not yet held."""
    frozen = involved(v.state, firearms, lots, containers)
    return [EvidenceFrozen(incident, *frozen)] if any(frozen) else []


def frozen_as_found(state: ProductionState, incident: Incident) -> list[str]:
    """The tags an incident froze that are still frozen where they were found."""
    return [
        tag
        for tag in incident.evidence
        if (held := state.evidence_of(tag)) is not None
        and held.incident == incident.incident
        and not held.released
    ]


def with_investigators(state: ProductionState, incident: Incident) -> list[str]:
    """The tags of an incident's evidence now in the investigators' custody."""
    return [
        tag
        for tag in incident.evidence
        if (held := state.evidence_of(tag)) is not None
        and held.incident == incident.incident
        and held.released
    ]


def labels(state: ProductionState, tags: list[str]) -> str:
    """``"Revolver R-01, Dummy lot D-01"``."""
    things = [state.firearms.get(t) or state.lots.get(t) or state.containers.get(t) for t in tags]
    return ", ".join(thing.label for thing in things if thing is not None)


# -- exhibits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exhibits:
    """Items as they are now, by kind, and the armory containers among them (which stay)."""

    firearms: tuple[FirearmExhibit, ...]
    lots: tuple[LotExhibit, ...]
    loose_lots: tuple[LooseRounds, ...]
    containers: tuple[ContainerExhibit, ...]
    unsealed_containers: tuple[str, ...]


def exhibits(state: ProductionState, tags: list[str]) -> Exhibits:
    """The firearms, lot boxes, loose rounds (in armory containers) and belts or bags among
    ``tags``, each as it is now and where it is."""
    lots = [state.lots[t] for t in tags if t in state.lots]
    containers = [state.containers[t] for t in tags if t in state.containers]
    armory = [c for c in containers if c.container_kind not in WORN_CONTAINERS]
    return Exhibits(
        firearms=tuple(
            FirearmExhibit(
                firearm.tag, firearm.holder or "", firearm.container or "", placements(firearm)
            )
            for firearm in (state.firearms[t] for t in tags if t in state.firearms)
        ),
        lots=tuple(
            LotExhibit(lot.tag, lot.holder or "", lot.container or "", lot.stock) for lot in lots
        ),
        loose_lots=tuple(
            LooseRounds(lot.tag, container.tag, container.rounds[lot.tag])
            for container in armory
            for lot in lots
            if container.rounds.get(lot.tag)
        ),
        containers=tuple(
            ContainerExhibit(
                container.tag,
                container.custodian,
                tuple(Counted(lot, n) for lot, n in sorted(container.rounds.items())),
            )
            for container in containers
            if container.container_kind in WORN_CONTAINERS
        ),
        unsealed_containers=tuple(c.tag for c in armory),
    )


# -- the handover ---------------------------------------------------------------------------------


@handles(
    ReleaseEvidence,
    roles=frozenset({SAFETY_SUPERVISOR}),
    doing="release evidence to the investigators: the safety supervisor does",
)
def release(command: ReleaseEvidence, v: Verdict) -> list[Event]:
    """The safety supervisor releases everything an incident froze, as found, to named
    investigators before a witness; a lockdown of the whole production ends with it."""
    actor = v.acting
    investigators = [v.person(p, "investigator") for p in command.investigators]
    witness = v.confirmed(command.witness, EVIDENCE, "witness")
    incident = v.state.incidents.get(command.incident)
    if incident is None or not incident.open:
        v.breaks(KNOWN, command.incident, f"There is no open incident {command.incident!r}.")
        return v.refused()
    if incident.investigators:
        names = ", ".join(v.who(p) for p in incident.investigators)
        v.breaks(
            KNOWN,
            incident.incident,
            f"The evidence of {incident.incident} was already released to {names}.",
        )
    frozen = frozen_as_found(v.state, incident)
    stoppage = v.state.stoppage
    lockdown = stoppage is not None and stoppage.lockdown and not stoppage.released
    if not frozen and not lockdown and not incident.investigators:
        v.breaks(
            KNOWN,
            incident.incident,
            f"Incident {incident.incident} froze nothing: there is no evidence to release.",
        )
    if not command.investigators or len(set(command.investigators)) != len(command.investigators):
        v.breaks(KNOWN, incident.incident, "Name the investigators who take the evidence, once.")
    for person in investigators:
        if person is not None and INVESTIGATOR not in person.roles:
            v.breaks(
                ROLE,
                person.person_id,
                f"{person.label} is not an investigator: evidence goes only to investigators "
                "on the production's roster.",
            )
    if witness is not None and (
        (actor is not None and witness.person_id == actor.person_id)
        or witness.person_id in command.investigators
    ):
        v.breaks(
            EVIDENCE,
            witness.person_id,
            "The witness to a handover of evidence is someone other than you and the "
            "investigators.",
        )
    not_their_own(
        v,
        (actor, witness),
        incident_concerns(v.state, incident),
        f"release the evidence of {incident.incident}",
        "it concerns their own custody or act.",
        "a safety supervisor and a witness who were not involved hand it over",
    )
    shown = exhibits(v.state, frozen)
    return [
        EvidenceReleased(
            incident.incident,
            tuple(command.investigators),
            command.witness.person_id,
            shown.firearms,
            shown.lots,
            shown.loose_lots,
            shown.containers,
            shown.unsealed_containers,
            v.via(command.witness),
        )
    ]


@handles(
    ReturnEvidence,
    roles=frozenset({INVESTIGATOR}),
    doing="hand evidence back: only the investigators do",
)
def hand_back(command: ReturnEvidence, v: Verdict) -> list[Event]:
    """Once the incident is closed, one of its investigators hands everything back to an
    armorer who confirms in person; every firearm is then inspected, every lot verified."""
    actor = v.acting
    armorer = v.confirmed(command.armorer, EVIDENCE, "the armorer taking the evidence back")
    if armorer is not None and actor is not None and armorer.person_id == actor.person_id:
        v.breaks(
            SEPARATION,
            armorer.person_id,
            f"{armorer.label} cannot hand the evidence back to themselves at {v.now}: "
            "another armorer takes it back, confirming in person.",
        )
    if armorer is not None and not armorer.is_armorer:
        v.breaks(
            ROLE,
            armorer.person_id,
            f"{armorer.label} is not an armorer: evidence comes back to an armorer only.",
        )
    incident = v.state.incidents.get(command.incident)
    if incident is None:
        v.breaks(KNOWN, command.incident, f"There is no incident {command.incident!r}.")
        return v.refused()
    held = with_investigators(v.state, incident)
    if not held:
        v.breaks(
            KNOWN,
            incident.incident,
            f"Nothing of {incident.incident} is with the investigators.",
        )
    if actor is not None and actor.person_id not in incident.investigators:
        names = ", ".join(v.who(p) for p in incident.investigators) or "nobody yet"
        v.breaks(
            EVIDENCE,
            incident.incident,
            f"Only the investigators of {incident.incident} ({names}) hand its evidence back.",
        )
    if incident.open:
        v.breaks(
            EVIDENCE,
            incident.incident,
            f"Incident {incident.incident} is still open: its evidence goes back only once the "
            "safety supervisor has closed it.",
        )
    shown = exhibits(v.state, held)
    return [
        EvidenceReturned(
            incident.incident,
            command.armorer.person_id,
            shown.firearms,
            shown.lots,
            shown.containers,
            v.via(command.armorer),
        )
    ]
