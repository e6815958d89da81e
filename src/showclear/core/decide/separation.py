"""Nobody checks their own work (R-SEPARATION), and presence is one's own (R-PRESENCE).

Who a firearm, a lot, a container, an incident or a stop *concerns*: the people whose custody,
act or count it is. None of them overrides a rule for it, closes its incident, signs the
resumption after its stop, or is the second person for it. A two-person step needs two
different people, whatever roles one of them holds: a person who is both the safety
supervisor and an armorer counts once.

And who is on set: firearm work on set is done by an armorer who is on set; a device acting for
someone who has left the set does only what they may do off set.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from showclear.core.commands import Confirmation
from showclear.core.decide.verdict import Verdict
from showclear.core.rules import PRESENCE, SEPARATION
from showclear.core.state import Incident, Person, ProductionState
from showclear.core.vocabulary import PRODUCER, SAFETY_SUPERVISOR

SECONDS = frozenset({PRODUCER, SAFETY_SUPERVISOR})
"""The roles the second person of an override or a closing holds: a producer or another safety
supervisor, who answer for the production's safety and handle no firearm of their own."""

WINDOW = timedelta(hours=24)
"""How far back a person's hands on a firearm count as their custody or act in what happened
to it: a shoot day and its night."""

HANDS_ON = frozenset(
    {
        "firearm.inspected",
        "firearm.loaded",
        "firearm.unloaded",
        "firearm.shown-clear",
        "firearm.handed-over",
        "firearm.returned",
        "firearm.stored",
        "firearm.taken-out",
    }
)
"""The entries in which a person had their hands on a firearm (who inspected, loaded, showed,
handed over, took back, stored or took it out)."""


def concerned(state: ProductionState, tag: str, start: datetime, end: datetime) -> set[str]:
    """The people whose custody or act ``tag`` (a firearm, lot, container, person or scene) was
    between ``start`` and ``end``."""
    people: set[str] = set()
    if tag in state.people:
        people.add(tag)
    firearm = state.firearms.get(tag)
    if firearm is not None:
        for stretch in firearm.custody:
            if stretch.start <= end and (stretch.end is None or stretch.end >= start):
                if stretch.holder:
                    people.add(stretch.holder)
                held_in = state.containers.get(stretch.container or "")
                if held_in is not None:
                    people.add(held_in.custodian)
        for entry in firearm.history:
            if start <= entry.at <= end and entry.event.kind in HANDS_ON:
                people.add(entry.person_id)
        if firearm.holder:
            people.add(firearm.holder)
    lot = state.lots.get(tag)
    if lot is not None:
        if lot.holder:
            people.add(lot.holder)
        for container in state.containers.values():
            if tag in container.lots or container.rounds.get(tag, 0) > 0:
                people.add(container.custodian)
        for loaded in state.firearms.values():
            if tag in loaded.contents.values() and loaded.holder:
                people.add(loaded.holder)
    kept = state.containers.get(tag)
    if kept is not None:
        people.add(kept.custodian)
    scene = state.scenes.get(tag)
    if scene is not None:
        people.update(scene.performers)
        for planned in scene.firearms:
            people |= concerned(state, planned, start, end)
    return {p for p in people if p}


def around(at: datetime) -> tuple[datetime, datetime]:
    """The stretch before ``at`` in which hands on a firearm count (:data:`WINDOW`)."""
    return at - WINDOW, at


def incident_concerns(state: ProductionState, incident: Incident) -> set[str]:
    """Who an incident concerns: the people it names (a counter, the people a complaint is
    about), and whose custody or act its firearm and its evidence were before it opened."""
    start, end = around(incident.at)
    people = set(incident.involved)
    for tag in {incident.firearm, *incident.evidence} - {""}:
        people |= concerned(state, tag, start, end)
    return people


def stop_concerns(state: ProductionState, unit: str = "") -> set[str]:
    """Who the STOP WORK in force came from (whose custody or act), and who every incident
    opened since it concerns: neither signs the resumption. ``unit``: that unit's STOP WORK;
    ``""``: the production-wide one."""
    stoppage = state.unit_stoppages.get(unit) if unit else state.stoppage
    if stoppage is None:
        return set()
    involved = set(stoppage.involved)
    for incident in state.incidents.values():
        if incident.open and incident.at >= stoppage.at:
            involved |= incident_concerns(state, incident)
    return involved


def what(state: ProductionState, tag: str) -> str:
    """A subject named for a sentence: a firearm's, lot's or container's label, a person's
    name, a scene."""
    if tag in state.firearms:
        return state.firearms[tag].label
    if tag in state.lots:
        return state.lots[tag].label
    if tag in state.containers:
        return state.containers[tag].label
    if tag in state.people:
        return state.people[tag].label
    if tag in state.scenes:
        return f"scene {tag}"
    return tag


def second_person(
    v: Verdict, confirmation: Confirmation, acting: Person | None, doing: str
) -> Person | None:
    """The second person of an override or a closing (R-SEPARATION): named, confirming in
    person, someone other than the actor, a producer or a safety supervisor."""
    if not confirmation.person_id.strip():
        v.breaks(
            SEPARATION,
            "second",
            f"Name the second person to {doing} (a producer or another safety supervisor), "
            "who confirms in person with their badge or PIN.",
        )
        return None
    second = v.confirmed(confirmation, SEPARATION, f"the second person to {doing}")
    if second is None:
        return None
    if acting is not None and second.person_id == acting.person_id:
        v.breaks(
            SEPARATION,
            second.person_id,
            f"{second.label} cannot be their own second person to {doing} at {v.now}: "
            "a producer or another safety supervisor confirms it.",
        )
        return None
    if not second.roles & SECONDS:
        v.breaks(
            SEPARATION,
            second.person_id,
            f"{second.label} cannot be the second person to {doing} at {v.now}: a producer or "
            "another safety supervisor confirms it.",
        )
        return None
    return second


def not_their_own(
    v: Verdict,
    people: tuple[Person | None, ...],
    involved: set[str],
    doing: str,
    why: str,
    instead: str = "a producer or a safety supervisor who was not involved does",
) -> None:
    """R-SEPARATION: none of ``people`` is one of ``involved``."""
    for person in people:
        if person is not None and person.person_id in involved:
            v.breaks(
                SEPARATION,
                person.person_id,
                f"{person.label} cannot {doing} at {v.now}: {why} Nobody checks their own "
                f"work: {instead}.",
            )


def on_set_for(v: Verdict, doing: str) -> None:
    """R-PRESENCE: the actor doing firearm work on set is on set (signed off it, no device
    acting for them does it)."""
    actor = v.actor
    if actor is None or actor.on_set:
        return
    left = f" at {v.time(actor.left_at)}" if actor.left_at is not None else ""
    v.breaks(
        PRESENCE,
        actor.person_id,
        f"{actor.label} left the set{left} and cannot {doing} at {v.now} from "
        f"{v.context.device}: sign back on set first, with your own badge or PIN.",
    )


def recipient_on_set(v: Verdict, person: Person, doing: str) -> None:
    """R-PRESENCE: a firearm or rounds go to someone on set."""
    if person.on_set:
        return
    left = f" at {v.time(person.left_at)}" if person.left_at is not None else ""
    v.breaks(
        PRESENCE,
        person.person_id,
        f"{person.label} left the set{left}: nobody can {doing} to them at {v.now} until they "
        "sign back on set themselves.",
    )


def witness_on_set(v: Verdict, person: Person | None, as_what: str) -> None:
    """R-PRESENCE: who witnesses on set is on set (signed back on first)."""
    if person is None or person.on_set:
        return
    left = f" at {v.time(person.left_at)}" if person.left_at is not None else ""
    v.breaks(
        PRESENCE,
        person.person_id,
        f"{person.label} left the set{left} and cannot confirm as {as_what} at {v.now}: they "
        "sign back on set first, with their own badge or PIN.",
    )


def own_presence(v: Verdict, person: Person, in_person: Confirmation | None, doing: str) -> None:
    """R-PRESENCE: arriving on or leaving the set is recorded by the person themselves (their own
    session or device, or confirming in person), or by an armorer for the armory crew."""
    if v.context.person_id == person.person_id:
        return
    if in_person is not None and in_person.person_id:
        if in_person.person_id != person.person_id:
            v.breaks(
                PRESENCE,
                person.person_id,
                f"{v.who(in_person.person_id)} cannot confirm {person.label}'s presence: "
                f"{person.name} confirms {doing} with their own badge or PIN.",
            )
            return
        v.confirmed(in_person, PRESENCE, f"{doing} themselves")
        return
    actor = v.actor
    if actor is not None and actor.is_armorer and person.is_armorer:
        return
    crew = " (or an armorer does, for the armory crew)" if person.is_armorer else ""
    v.breaks(
        PRESENCE,
        person.person_id,
        f"{v.who(v.context.person_id)} cannot record {person.label} {doing} at {v.now}: "
        f"presence is one's own. {person.name} records it with their own badge or PIN{crew}.",
    )
