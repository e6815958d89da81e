"""Deciding custody: who holds a firearm or a belt, what goes into which container, locks.

Every firearm and round is always with a named person or in a container with a named custodian
(R-CUSTODY); only armorers pass firearms to anyone and take them back (R-HANDOVER).
"""

from __future__ import annotations

from showclear.core.commands import (
    DrawFirearm,
    HandOver,
    Lock,
    LockAway,
    PutIn,
    RegisterContainer,
    Return,
    TakeOut,
    Unlock,
)
from showclear.core.decide.evidence import sealed
from showclear.core.decide.readiness import (
    NON_BLOCKING_INCIDENTS,
    firearm_ready,
    issue_to,
    trained,
    work_allowed,
    worn_fits,
)
from showclear.core.decide.separation import on_set_for, recipient_on_set
from showclear.core.decide.units import actor_at, known_unit, same_unit, there, where
from showclear.core.decide.verdict import ANYONE, Verdict, handles
from showclear.core.events import Event
from showclear.core.events.armory import (
    ContainerHandedOver,
    ContainerLocked,
    ContainerRegistered,
    ContainerReturned,
    ContainerUnlocked,
    FirearmHandedOver,
    FirearmReturned,
    FirearmStored,
    FirearmTakenOut,
    LotStored,
    LotTakenOut,
    RoundsPacked,
    RoundsUnpacked,
)
from showclear.core.rules import (
    CUSTODY,
    EVIDENCE,
    HANDOVER,
    KNOWN,
    LIVE_ROUNDS,
    LOCKED,
    LOOSE_ROUNDS,
    ONE_DUTY,
    PLAN,
    SEPARATION,
    UNIT,
    VERIFIED,
)
from showclear.core.state import Container, Firearm, Lot, Person
from showclear.core.vocabulary import (
    ARMORER_LICENCE,
    ARMORERS,
    ARMORY_CONTAINERS,
    CONTAINER_KINDS,
    FIREARMS_PER_ARMORER,
    GUN_BELT,
    VEHICLE,
    WORN_CONTAINERS,
)

# -- shared custody checks ------------------------------------------------------------------------


def in_hand(v: Verdict, firearm: Firearm, doing: str) -> None:
    """R-CUSTODY: the acting person holds the firearm."""
    if firearm.holder == v.context.person_id:
        return
    where = (
        f"in {v.state.containers[firearm.container].label}"
        if firearm.container is not None
        else f"with {v.who(firearm.holder)}"
    )
    since = f" since {v.time(firearm.since)}" if firearm.since is not None else ""
    v.breaks(
        CUSTODY,
        firearm.tag,
        f"{firearm.label} is {where}{since}, not in your hands. "
        f"Take it into your custody to {doing}.",
    )


def evidence_frozen(v: Verdict, what: str) -> None:
    """R-EVIDENCE: while the whole production is locked down nothing is moved, emptied or
    opened, until the evidence is released to the investigators (or every incident is closed:
    then there is nothing left to keep as found)."""
    stoppage = v.state.stoppage
    if stoppage is None or not stoppage.lockdown or stoppage.released:
        return
    if not any(
        incident.open and incident.category not in NON_BLOCKING_INCIDENTS
        for incident in v.state.incidents.values()
    ):
        return
    v.breaks(
        EVIDENCE,
        what,
        f"The production has been locked down since {v.time(stoppage.at)} "
        f"({stoppage.reason}): {what} stays exactly as found, as evidence, until the safety "
        "supervisor releases the evidence to the investigators.",
    )


def may_use(v: Verdict, container: Container, doing: str, *, must_be_open: bool = True) -> None:
    """R-CUSTODY: only the container's custodian (or, for armory containers, an armorer) opens
    it, puts in or takes out; and it must be open to do so."""
    actor = v.actor
    armorer = actor is not None and actor.is_armorer
    if container.custodian != v.context.person_id and not (
        armorer and container.container_kind in ARMORY_CONTAINERS
    ):
        v.breaks(
            CUSTODY,
            container.tag,
            f"{container.label} is in {v.who(container.custodian)}'s custody: only they "
            f"{doing} it.",
        )
    if must_be_open and container.locked:
        v.breaks(CUSTODY, container.tag, f"{container.label} is locked: unlock it first.")


def rounds_by_an_armorer(v: Verdict, container: Container, doing: str) -> None:
    """R-LOOSE-ROUNDS: only an armorer takes rounds (or a lot's box) out of a container or puts
    them in, even when the container is in someone else's custody (a performer's belt)."""
    actor = v.actor
    if actor is not None and actor.is_armorer:
        return
    v.breaks(
        LOOSE_ROUNDS,
        container.tag,
        f"{v.who(v.context.person_id)} is not an armorer: only an armorer {doing} "
        f"{container.label} (at {v.now}). Hand it back to the armorer.",
    )


def _stored_apart(v: Verdict, container: Container, adding_firearm: bool) -> None:
    """R-LOCKED: ammunition is stored apart from firearms (a vehicle has separate lockers)."""
    if container.container_kind == VEHICLE:
        return
    clash = container.holds_ammunition if adding_firearm else bool(container.firearms)
    if clash:
        v.breaks(
            LOCKED,
            container.tag,
            f"{container.label} holds {'ammunition' if adding_firearm else 'firearms'}: store "
            "firearms and ammunition apart.",
        )


# -- handing over and taking back -----------------------------------------------------------------


@handles(
    HandOver, roles=ARMORERS, doing="hand a firearm to anyone: only an armorer does", rule=HANDOVER
)
def hand_over(command: HandOver, v: Verdict) -> list[Event]:
    """An armorer hands a firearm (or a belt or bag of rounds) to a performer or an armorer."""
    recipient = v.person(command.to)
    if command.item in v.state.containers:
        return _hand_over_container(command, v)
    firearm = v.firearm(command.item)
    if firearm is None or recipient is None:
        return v.refused()
    in_hand(v, firearm, "hand it over")
    if recipient.person_id == v.context.person_id:
        v.breaks(
            SEPARATION,
            firearm.tag,
            f"{recipient.label} cannot hand {firearm.label} to themselves at {v.now}: "
            "another armorer hands it over.",
        )
    if recipient.is_armorer:
        other_unit(v, firearm.label, firearm.tag, v.state.unit_of(firearm), recipient)
        same_unit(v, firearm, v.state.unit_of(firearm), "hand it over")
        return [FirearmHandedOver(firearm.tag, recipient.person_id, command.scene)]
    on_set_for(v, f"hand {firearm.label} to {recipient.label}")
    recipient_on_set(v, recipient, f"hand {firearm.label}")
    if not recipient.is_performer:
        v.breaks(
            HANDOVER,
            firearm.tag,
            f"{recipient.label} is not a performer: a firearm goes from an armorer to a "
            "performer only, never through anyone else.",
        )
    scene = v.scene(command.scene)
    if scene is None:
        return v.refused()
    issue_to(v, recipient, scene, "hand over a firearm", firearm.label)
    same_unit(v, firearm, scene.unit, f"hand it over for scene {scene.scene}")
    firearm_ready(v, firearm, recipient, scene)
    _armorer_fit(v)
    return [FirearmHandedOver(firearm.tag, recipient.person_id, scene.scene)]


def _armorer_fit(v: Verdict) -> None:
    actor = v.actor
    if actor is None or not actor.is_armorer:
        return
    trained(v, actor, ARMORER_LICENCE, "")
    # Per unit: the firearms out at the actor's unit, and the armorers on set there.
    out = sum(
        1
        for firearm in v.state.firearms.values()
        if firearm.active
        and firearm.holder is not None
        and (holder := v.state.people.get(firearm.holder)) is not None
        and not holder.is_armorer
        and holder.unit == actor.unit
    )
    armorers = len(v.state.on_set_at(actor.unit))
    if out + 1 > FIREARMS_PER_ARMORER * max(armorers, 1):
        v.breaks(
            ONE_DUTY,
            actor.person_id,
            f"{out + 1} firearms would be out with {armorers} armorer"
            f"{'s' if armorers != 1 else ''} on set{there(v, actor.unit)} at {v.now}: at most "
            f"{FIREARMS_PER_ARMORER} per armorer. Producers: bring another armorer"
            f"{there(v, actor.unit)}.",
        )
    if actor.duties:
        v.breaks(
            ONE_DUTY,
            actor.person_id,
            f"{actor.label} also has {', '.join(actor.duties)} duty while handing out firearms "
            f"at {v.now}. An armorer has no other duty while firearms are out.",
        )


def other_unit(v: Verdict, label: str, tag: str, unit: str, recipient: Person) -> None:
    """R-UNIT: an armorer at another unit receives a firearm only by a dispatch and receipt."""
    if recipient.unit != unit:
        v.breaks(
            UNIT,
            tag,
            f"{recipient.label} is {where(v, recipient.unit)}; {label} is {where(v, unit)}. "
            "Dispatch it to them, and they confirm its receipt there.",
        )


def _hand_over_container(command: HandOver, v: Verdict) -> list[Event]:
    container = v.state.containers[command.item]
    recipient = v.person(command.to)
    may_use(v, container, "hand over", must_be_open=False)
    if container.container_kind not in WORN_CONTAINERS or container.firearms:
        v.breaks(
            HANDOVER,
            container.tag,
            f"{container.label} stays with the armorer: only gun belts and bags of counted "
            "rounds go to performers, and never with a firearm inside.",
        )
    for tag in sorted(container.rounds):
        lot = v.state.lots[tag]
        if lot.live:
            v.breaks(
                LIVE_ROUNDS,
                container.tag,
                f"{container.label} holds rounds of {lot.label}, "
                "where a live round was found. Empty it.",
            )
        elif not lot.usable:
            v.breaks(
                VERIFIED,
                container.tag,
                f"{container.label} holds rounds of {lot.label}, which is quarantined. Empty it.",
            )
    if container.handled is not None:
        v.breaks(
            LOOSE_ROUNDS,
            container.tag,
            f"{container.handled.told(container.label, v.time(container.handled.at))}. An "
            "armorer counts it before it is handed to anyone.",
        )
    if recipient is None:
        return v.refused()
    if recipient.unit != container.unit:
        v.breaks(
            UNIT,
            container.tag,
            f"{recipient.label} is {where(v, recipient.unit)}; {container.label} is kept "
            f"{where(v, container.unit)} at {v.now}. It goes to someone at its own unit.",
        )
    if not recipient.is_armorer:
        scene = v.scene(command.scene)
        if scene is None:
            return v.refused()
        issue_to(v, recipient, scene, "hand over ammunition", container.label)
        on_set_for(v, f"hand {container.label} to {recipient.label}")
        recipient_on_set(v, recipient, f"hand {container.label}")
        worn_fits(v, container, recipient, scene)
    return [ContainerHandedOver(container.tag, recipient.person_id, command.scene)]


@handles(Return, roles=ARMORERS, doing="take a firearm back: only an armorer does", rule=HANDOVER)
def take_back(command: Return, v: Verdict) -> list[Event]:
    """An armorer takes a firearm, belt or bag back from whoever holds it."""
    container = v.state.containers.get(command.item)
    if container is not None:
        if container.custodian == v.context.person_id:
            v.breaks(KNOWN, container.tag, f"{container.label} is already in your custody.")
        wearer = v.state.people.get(container.custodian)
        if wearer is None or not wearer.is_armorer:
            on_set_for(v, f"take {container.label} back")
        return [ContainerReturned(container.tag, container.custodian)]
    firearm = v.state.firearms.get(command.item)
    if firearm is None or firearm.status == "returned":
        v.firearm(command.item)
        return v.refused()
    if firearm.container is not None or firearm.holder == v.context.person_id:
        place = "in your hands" if firearm.container is None else "in a container"
        v.breaks(KNOWN, firearm.tag, f"{firearm.label} is already {place}; nobody returns it.")
    if firearm.holder is None:
        return v.refused()
    holder = v.state.people.get(firearm.holder)
    if holder is None or not holder.is_armorer:
        on_set_for(v, f"take {firearm.label} back")
    actor_at(
        v, v.state.unit_of(firearm), f"{firearm.label} (with {v.who(firearm.holder)})", firearm.tag
    )
    return [FirearmReturned(firearm.tag, firearm.holder)]


# -- containers -----------------------------------------------------------------------------------


@handles(RegisterContainer, roles=ARMORERS, doing="register containers")
def register(command: RegisterContainer, v: Verdict) -> list[Event]:
    """A container is put on record, locked, in the armorer's custody. There is no "cart"."""
    if command.container_kind not in CONTAINER_KINDS:
        v.breaks(
            CUSTODY,
            command.tag,
            f"A {command.container_kind.replace('-', ' ')} is not a container: firearms and "
            "rounds stay with a named person or in an armory safe, lockbox, gun belt, bag or "
            "vehicle.",
        )
    if v.state.knows_tag(command.tag) or not command.tag.strip():
        v.breaks(KNOWN, command.tag, f"The tag {command.tag!r} is empty or already in use.")
    actor = v.actor
    unit = command.unit or (actor.unit if actor is not None else "main")
    known_unit(v, unit, command.tag)
    return [ContainerRegistered(command.tag, command.container_kind, command.description, unit)]


@handles(Lock, roles=ANYONE)  # the container's custodian (or an armorer): may_use
def lock(command: Lock, v: Verdict) -> list[Event]:
    """Lock a container."""
    container = v.container(command.container)
    if container is None:
        return v.refused()
    may_use(v, container, "lock", must_be_open=False)
    if container.locked:
        v.breaks(KNOWN, container.tag, f"{container.label} is already locked.")
    return [ContainerLocked(container.tag)]


@handles(Unlock, roles=ANYONE)  # the container's custodian (or an armorer): may_use
def unlock(command: Unlock, v: Verdict) -> list[Event]:
    """Unlock a container (not during a lockdown)."""
    container = v.container(command.container)
    if container is None:
        return v.refused()
    may_use(v, container, "unlock", must_be_open=False)
    if not container.locked:
        v.breaks(KNOWN, container.tag, f"{container.label} is already open.")
    evidence_frozen(v, container.label)
    return [ContainerUnlocked(container.tag)]


def _count(v: Verdict, rounds: int | None, available: int, what: str) -> int:
    if rounds is None:
        return 0
    if rounds <= 0 or rounds > available:
        v.breaks(
            KNOWN,
            what,
            f"{rounds} rounds cannot be moved: there {'is' if available == 1 else 'are'} "
            f"{available} of {what} there.",
        )
    return rounds


@handles(PutIn, roles=ANYONE)  # the container's custodian (or an armorer): may_use
def put_in(command: PutIn, v: Verdict) -> list[Event]:
    """A firearm, a lot's box, or counted rounds of a lot go into a container."""
    container = v.container(command.container)
    if container is None:
        return v.refused()
    may_use(v, container, "put things in")
    evidence_frozen(v, container.label)
    firearm = v.state.firearms.get(command.item)
    if firearm is not None and firearm.active:
        in_hand(v, firearm, "put it away")
        same_unit(v, firearm, container.unit, f"put it into {container.label}")
        if container.container_kind == GUN_BELT:
            v.breaks(
                LOCKED, container.tag, f"{container.label} carries counted rounds, never a firearm."
            )
        if firearm.contents and container.container_kind in ARMORY_CONTAINERS:
            v.breaks(
                LOCKED,
                firearm.tag,
                f"{firearm.label} is loaded: unload it before it is locked away.",
            )
        _stored_apart(v, container, adding_firearm=True)
        return [FirearmStored(firearm.tag, container.tag)]
    lot = v.lot(command.item)
    if lot is None:
        return v.refused()
    rounds_by_an_armorer(v, container, "puts rounds or a lot's box into")
    _stored_apart(v, container, adding_firearm=False)
    if command.rounds is None:
        _lot_in_hand(v, lot)
        return [LotStored(lot.tag, container.tag)]
    rounds = _count(v, command.rounds, lot.stock, lot.label)
    if lot.live:
        v.breaks(
            LIVE_ROUNDS,
            lot.tag,
            f"A live round was found in {lot.label}: none of it goes into {container.label}.",
        )
    elif not lot.usable:
        v.breaks(
            VERIFIED,
            lot.tag,
            f"{lot.label} is not verified: its rounds stay in its box, not in {container.label}.",
        )
    if container.container_kind in WORN_CONTAINERS:
        work_allowed(v, "fill a gun belt or bag", container.unit)
        _worn_still_fits(v, container, lot, rounds)
    return [RoundsPacked(container.tag, lot.tag, rounds)]


def _worn_still_fits(v: Verdict, container: Container, lot: Lot, rounds: int) -> None:
    """R-PLAN: rounds put into a belt or bag a performer already wears are checked against the
    scene it was handed over for, as at its handover."""
    wearer = v.state.people.get(container.custodian)
    if wearer is None or wearer.is_armorer:
        return
    scene = v.state.scenes.get(container.scene)
    if scene is None:
        v.breaks(
            PLAN,
            container.tag,
            f"{container.label} is with {wearer.label} for no planned scene at {v.now}: no "
            f"round of {lot.label} goes into it. An armorer takes it back and fills it.",
        )
        return
    worn_fits(v, container, wearer, scene, {lot.tag: rounds})


@handles(LockAway, roles=ANYONE)  # the container's custodian (or an armorer): may_use
def lock_away(command: LockAway, v: Verdict) -> list[Event]:
    """A firearm in hand goes into a container, which is locked behind it (R-LOCKED)."""
    container = v.container(command.container)
    firearm = v.firearm(command.firearm)
    if container is None or firearm is None:
        return v.refused()
    may_use(v, container, "put things in", must_be_open=False)
    evidence_frozen(v, container.label)
    in_hand(v, firearm, "put it away")
    same_unit(v, firearm, container.unit, f"lock it away in {container.label}")
    if container.container_kind in WORN_CONTAINERS:
        v.breaks(
            LOCKED, container.tag, f"{container.label} carries counted rounds, never a firearm."
        )
    if firearm.contents:
        v.breaks(
            LOCKED, firearm.tag, f"{firearm.label} is loaded: unload it before it is locked away."
        )
    _stored_apart(v, container, adding_firearm=True)
    opened: list[Event] = [ContainerUnlocked(container.tag)] if container.locked else []
    return [*opened, FirearmStored(firearm.tag, container.tag), ContainerLocked(container.tag)]


@handles(
    DrawFirearm,
    roles=ARMORERS,
    doing="take a firearm out of its container: only an armorer does",
    rule=HANDOVER,
)
def draw(command: DrawFirearm, v: Verdict) -> list[Event]:
    """An armorer takes a firearm out of its container; a locked one is locked again after."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    if firearm.container is None:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label} is with {v.who(firearm.holder)}, not in a container.",
        )
        return v.refused()
    container = v.state.containers[firearm.container]
    may_use(v, container, "take things out of", must_be_open=False)
    actor_at(v, container.unit, container.label, container.tag)
    evidence_frozen(v, container.label)
    sealed(v, container.tag)
    taken: list[Event] = [FirearmTakenOut(firearm.tag, container.tag)]
    if container.locked:
        return [ContainerUnlocked(container.tag), *taken, ContainerLocked(container.tag)]
    return taken


def _lot_in_hand(v: Verdict, lot: Lot) -> None:
    if lot.holder != v.context.person_id:
        where = f"in {lot.container}" if lot.container else f"with {v.who(lot.holder)}"
        v.breaks(CUSTODY, lot.tag, f"{lot.label}'s box is {where}, not in your hands.")


@handles(TakeOut, roles=ANYONE)  # the container's custodian (or an armorer): may_use
def take_out(command: TakeOut, v: Verdict) -> list[Event]:
    """A firearm, a lot's box, or counted rounds come out of a container into the actor's hands."""
    container = v.container(command.container)
    if container is None:
        return v.refused()
    may_use(v, container, "take things out of")
    evidence_frozen(v, container.label)
    if command.item in container.firearms:
        actor = v.actor
        if actor is None or not actor.is_armorer:
            v.breaks(
                HANDOVER, command.item, f"Only an armorer takes a firearm out of {container.label}."
            )
        actor_at(v, container.unit, container.label, container.tag)
        return [FirearmTakenOut(command.item, container.tag)]
    lot = v.lot(command.item)
    if lot is None:
        return v.refused()
    rounds_by_an_armorer(v, container, "takes rounds or a lot's box out of")
    if command.rounds is None:
        if lot.tag not in container.lots:
            v.breaks(KNOWN, lot.tag, f"{lot.label}'s box is not in {container.label}.")
        return [LotTakenOut(lot.tag, container.tag)]
    rounds = _count(v, command.rounds, container.rounds.get(lot.tag, 0), lot.label)
    return [RoundsUnpacked(container.tag, lot.tag, rounds)]
