"""One firearm's record in words: what each entry about it says, and what is still missing
before it may be handed to a performer.

Read-only answers over the state the service keeps (each firearm keeps the entries naming it,
see :attr:`~showclear.core.state.Firearm.history`), so a firearm page costs the same at a
million entries as at a hundred.
"""

from __future__ import annotations

from datetime import UTC, date, tzinfo

from showclear.core.read.sentences import Names, said
from showclear.core.state import Firearm, ProductionState, Recorded
from showclear.core.state import condition as condition  # (re-exported)
from showclear.core.state import placements as placements  # (re-exported)
from showclear.core.words import described as described  # (re-exported)
from showclear.core.words import stamp as stamp


def told(state: ProductionState, recorded: Recorded) -> str:
    """What one entry about a firearm says on its record: :func:`~showclear.core.words.said`
    from the firearm's viewpoint."""
    return said(
        recorded, Names(state.people, state.containers, state.units), about_the_firearm=True
    )


def _container(state: ProductionState, tag: str) -> str:
    box = state.containers.get(tag)
    return box.label if box is not None else tag


def missing_before_handover(
    state: ProductionState,
    firearm: Firearm,
    *,
    zone: tzinfo = UTC,
    today: date | None = None,
) -> list[str]:
    """What must still happen before ``firearm`` may go to a performer, in words (empty when it
    was shown to a performer for a scene and nothing happened to it since); times in ``zone``,
    dated unless on ``today``.

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
        missing.append(
            f"Inspect it: it {firearm.gap.account} at {stamp(firearm.gap.at, zone=zone, today=today)}."
        )
    elif not firearm.barrel_clear:
        missing.append("Clear its barrel and inspect it again: it was found obstructed.")
    if firearm.misfire_at is not None:
        missing.append(
            f"It misfired at {stamp(firearm.misfire_at, zone=zone, today=today)}: clear it, inspect the barrel."
        )
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
