"""One firearm's record in words: what each entry about it says, and what is still missing
before it may be handed to a performer.

Read-only answers over the state the service keeps (each firearm keeps the entries naming it,
see :attr:`~showclear.core.state.Firearm.history`), so a firearm page costs the same at a
million entries as at a hundred.
"""

from __future__ import annotations

from datetime import UTC, datetime

from showclear.core.events import armory, evidence, on_set
from showclear.core.events.armory import Placement
from showclear.core.state import Firearm, Production, Recorded, condition, described


def stamp(at: datetime) -> str:
    """``"Oct 14 10:21 UTC"``: short enough for a phone, and says it is UTC."""
    return at.astimezone(UTC).strftime("%b %d %H:%M UTC")


def _rounds(placements: tuple[Placement, ...]) -> str:
    if not placements:
        return "empty"
    return ", ".join(f"{p.position}: {p.lot}" for p in placements)


def _scene(scene: str) -> str:
    return f" for scene {scene}" if scene else ""


def told(state: Production, recorded: Recorded) -> str:
    """What one entry about a firearm says, as a sentence without its time or author."""
    event = recorded.event
    who = state.person_label
    if isinstance(event, armory.FirearmReceived):
        return f"Received from {event.owner} (serial {event.serial})."
    if isinstance(event, armory.FirearmInspected):
        barrel = "barrel clear" if event.barrel_clear else "BARREL OBSTRUCTED"
        return (
            f"Inspected: {len(event.positions_checked)} position"
            f"{'s' if len(event.positions_checked) != 1 else ''} checked, {barrel}; held "
            f"{_rounds(event.contents)}."
        )
    if isinstance(event, armory.FirearmLoaded):
        return (
            f"Loaded {len(event.positions)} round{'s' if len(event.positions) != 1 else ''} of "
            f"lot {event.lot} into {', '.join(event.positions)}{_scene(event.scene)}."
        )
    if isinstance(event, armory.FirearmUnloaded):
        return f"Unloaded {_rounds(event.removed)}; the rounds went back to their lots."
    if isinstance(event, armory.ShownClear):
        return (
            f"Shown {described((event.condition, event.rounds))}{_scene(event.scene)}: every "
            f"position shown to {who(event.performer_id)}, witnessed by "
            f"{who(event.first_ad_id)}; both confirmed in person."
        )
    if isinstance(event, armory.FirearmHandedOver):
        return f"Handed to {who(event.to)}{_scene(event.scene)}."
    if isinstance(event, armory.FirearmReturned):
        return f"Taken back from {who(event.returned_by)}."
    if isinstance(event, armory.FirearmStored):
        return f"Put into {_container(state, event.container)}."
    if isinstance(event, armory.FirearmTakenOut):
        return f"Taken out of {_container(state, event.container)}."
    if isinstance(event, armory.FirearmImpounded):
        return (
            f"Handed as evidence to {who(event.investigator_id)}, witnessed by "
            f"{who(event.witness_id)}; held {_rounds(event.contents)}."
        )
    if isinstance(event, armory.FirearmReturnedToOwner):
        return f"Returned to its owner, {event.owner}."
    if isinstance(event, evidence.EvidenceFrozen):
        return (
            f"Frozen as found, as evidence of {event.incident}: nobody touches it until the "
            "safety supervisor releases it to the investigators."
        )
    if isinstance(event, evidence.EvidenceReleased):
        names = ", ".join(who(p) for p in event.investigators)
        return (
            f"Released as evidence of {event.incident} to {names}, witnessed by "
            f"{who(event.witness_id)}; {_exhibited(event.firearms)}."
        )
    if isinstance(event, evidence.EvidenceReturned):
        return (
            f"Handed back by the investigators of {event.incident} to {who(event.armorer_id)}; "
            f"{_exhibited(event.firearms)}. Inspect it before use."
        )
    if isinstance(event, on_set.DischargeReported):
        planned = "in a planned take" if event.planned else "OUTSIDE A PLANNED TAKE"
        return f"Fired from {', '.join(event.positions)} {planned}{_scene(event.scene)}."
    if isinstance(event, on_set.MisfireReported):
        return f"Misfire reported in {event.position}{_scene(event.scene)}."
    if isinstance(event, on_set.RoundFound):
        return f"A {event.observed} round was found in {event.position or event.where}."
    if isinstance(event, on_set.IncidentOpened):
        return f"Incident {event.incident} opened ({event.category}): {event.summary}."
    return f"{event.kind.replace('.', ' ').replace('-', ' ').capitalize()}."


def _exhibited(firearms: tuple[evidence.FirearmExhibit, ...]) -> str:
    """What each firearm held when it changed hands as evidence."""
    if len(firearms) == 1:
        return f"held {_rounds(firearms[0].contents)}"
    return "; ".join(f"{e.firearm} held {_rounds(e.contents)}" for e in firearms)


def _container(state: Production, tag: str) -> str:
    box = state.containers.get(tag)
    return box.label if box is not None else tag


def missing_before_handover(state: Production, firearm: Firearm) -> list[str]:
    """What must still happen before ``firearm`` may go to a performer, in words (empty when it
    was shown to a performer for a scene and nothing happened to it since).

    A preview for the page: the decision itself is the core's when the handover is attempted.
    """
    held = firearm.evidence
    if held is not None:
        where = (
            "with the investigators: only they hand it back, once the incident is closed"
            if held.released
            else "frozen as found: nobody touches it until the safety supervisor releases it "
            "to the investigators"
        )
        return [f"{firearm.label} is evidence of {held.incident}, {where}."]
    if not firearm.active:
        return [f"{firearm.label} is no longer in use ({firearm.status})."]
    missing: list[str] = []
    holder = state.people.get(firearm.holder or "")
    if firearm.container is not None:
        missing.append(f"Take it out of {_container(state, firearm.container)}.")
    elif holder is None or not holder.is_armorer:
        missing.append(f"Take it back from {state.person_label(firearm.holder)}.")
    if firearm.gap is not None:
        missing.append(f"Inspect it: it {firearm.gap.account} at {stamp(firearm.gap.at)}.")
    elif not firearm.barrel_clear:
        missing.append("Clear its barrel and inspect it again: it was found obstructed.")
    if firearm.misfire_at is not None:
        missing.append(f"It misfired at {stamp(firearm.misfire_at)}: clear it, inspect the barrel.")
    for position in firearm.positions:
        lot = state.lots.get(firearm.contents.get(position, ""))
        if lot is not None and not lot.usable:
            missing.append(f"{position} holds a round of {lot.label}, which is not usable.")
    if condition(state, firearm)[0] == "mixed":
        missing.append("It holds dummies and blanks together: unload it.")
    if firearm.shown is None:
        missing.append(
            "Show every position to the performer and the first AD; both confirm in person."
        )
    running = [
        scene.scene
        for scene in state.scenes.values()
        if scene.status == "started" and firearm.tag in scene.firearms
    ]
    if not running:
        missing.append("No running scene plans it: the first AD starts the scene first.")
    return missing
