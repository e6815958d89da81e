"""Read-only answers about *now*, for the status table and the readiness board.

``where`` says where a firearm or lot is in words; ``custody_gaps`` lists what is not as the
protocol wants it (R-CUSTODY, R-LOCKED): the alarm for a firearm left on a "cart".
"""

from __future__ import annotations

from showclear.core.state import ProductionState


def where(state: ProductionState, tag: str) -> str:
    """Where the firearm or lot ``tag`` is: ``"with Jo Carver (cast)"``, ``"in Armory safe
    SAFE-1 (locked)"``, ``"returned to Western Prop Rentals"``."""
    firearm = state.firearms.get(tag)
    if firearm is not None:
        if firearm.status == "returned":
            return f"returned to {firearm.owner}"
        holder, container = firearm.holder, firearm.container
    else:
        lot = state.lots[tag]
        if not lot.stock and lot.evidence is None:
            return "box empty"
        holder, container = lot.holder, lot.container
    held = state.evidence_of(tag)
    kept = f", as evidence of {held.incident}" if held is not None else ""
    return f"{_place(state, holder, container)}{kept}"


def _place(state: ProductionState, holder: str | None, container: str | None) -> str:
    if container is not None:
        box = state.containers[container]
        return f"in {box.label} ({'locked' if box.locked else 'open'})"
    return f"with {state.person_label(holder)}"


def custody_gaps(state: ProductionState) -> list[str]:
    """Every firearm, lot box or counted round not with a person at work nor locked away."""
    gaps: list[str] = []
    started = {
        tag
        for scene in state.scenes.values()
        if scene.status == "started"
        for tag in scene.firearms
    }
    for firearm in state.firearms.values():
        if not firearm.active:
            continue
        if firearm.evidence is not None:
            gaps.append(
                f"{firearm.label} is evidence of {firearm.evidence.incident}, frozen "
                f"{_place(state, firearm.holder, firearm.container)}: the safety supervisor "
                "releases it to the investigators."
            )
            continue
        box = state.containers.get(firearm.container or "")
        holder = state.people.get(firearm.holder or "")
        if box is not None and not box.locked:
            gaps.append(f"{firearm.label} is in open {box.label}.")
        elif holder is not None and not holder.is_armorer and firearm.tag not in started:
            gaps.append(f"{firearm.label} is with {holder.label} and no scene of it is running.")
    for lot in state.lots.values():
        box = state.containers.get(lot.container or "")
        if lot.evidence is not None:
            continue  # it stays as found, or it is with the investigators
        if lot.stock and box is not None and not box.locked:
            gaps.append(f"{lot.label} is in open {box.label}.")
    for container in state.containers.values():
        worn = state.people.get(container.custodian)
        if container.evidence is not None:
            continue
        if container.rounds and not container.locked and (worn is None or worn.is_armorer):
            gaps.append(f"{container.label} holds counted rounds and is open.")
    return gaps
