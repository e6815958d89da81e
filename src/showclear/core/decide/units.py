"""Deciding units: a unit formed at its location, a firearm sent to another unit and received
there, and the checks every other decider asks of units (R-UNIT).

A production shoots with several units at once (main, second, splinter), each at its own
location. A firearm is at the unit of whoever holds it, or of the container it is in; armorer
presence, the firearms per armorer, custody, meetings and STOP WORK are all asked per unit. A
firearm moves to another unit only by a handover between two armorers, recorded by both: the
giving armorer dispatches it (:class:`DispatchFirearm`), the receiving armorer at the other unit
confirms its receipt (:class:`ConfirmReceipt`).
"""

from __future__ import annotations

from showclear.core.commands import ConfirmReceipt, DispatchFirearm, OpenUnit
from showclear.core.decide.verdict import Verdict, handles
from showclear.core.events import Event
from showclear.core.events.units import FirearmDispatched, FirearmReceiptConfirmed, UnitOpened
from showclear.core.rules import KNOWN, UNIT
from showclear.core.state import Firearm, Person
from showclear.core.vocabulary import ARMORERS, FIRST_AD, PRODUCER

UNIT_OPENERS = ARMORERS | {FIRST_AD, PRODUCER}


# -- the checks the other deciders share ----------------------------------------------------------


def known_unit(v: Verdict, unit: str, subject: str) -> bool:
    """R-KNOWN: ``unit`` is the main unit or one formed on the production."""
    if unit in v.state.units:
        return True
    formed = ", ".join(sorted(v.state.units))
    v.breaks(
        KNOWN,
        subject,
        f"There is no unit {unit!r} on this production (it has {formed}). Form it first.",
    )
    return False


def where(v: Verdict, unit: str) -> str:
    """``"at Second unit (Quarry, 30 km north)"``: a unit in words, for a refusal."""
    return f"at {v.state.unit_label(unit)}"


def there(v: Verdict, unit: str) -> str:
    """``" at Second unit (Quarry)"``, or ``""`` while the production has only its main unit
    (a refusal of a one-unit production reads as it always did)."""
    return f" {where(v, unit)}" if len(v.state.units) > 1 else ""


def same_unit(v: Verdict, firearm: Firearm, unit: str, doing: str) -> None:
    """R-UNIT: ``firearm`` is at ``unit`` and not on its way to another one."""
    if firearm.dispatch is not None:
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} was dispatched at {v.time(firearm.dispatch.at)} to "
            f"{v.who(firearm.dispatch.to)} {where(v, firearm.dispatch.unit)}: nobody may "
            f"{doing} until {v.who(firearm.dispatch.to)} confirms its receipt.",
        )
    here = v.state.unit_of(firearm)
    if here != unit:
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} is {where(v, here)}, not {where(v, unit)}, at {v.now}: nobody may "
            f"{doing} there. Move it by a handover between the two units' armorers "
            "(dispatch and confirmed receipt).",
        )


def actor_at(v: Verdict, unit: str, what: str, subject: str) -> None:
    """R-UNIT: the person acting is at ``unit``, where ``what`` is."""
    actor = v.actor
    if actor is None or actor.unit == unit:
        return
    v.breaks(
        UNIT,
        subject,
        f"{what} is {where(v, unit)}; {actor.label} is {where(v, actor.unit)} at {v.now}. "
        "Only someone at that unit handles it.",
    )


def confirms_at(v: Verdict, person: Person | None, unit: str, as_what: str, subject: str) -> None:
    """R-UNIT: who confirms in person (a show-clear's witness, a resumption's co-signer) is at
    ``unit``, where the firearm or the stop is: a badge scanned 30 km away proves nothing there."""
    if person is None or person.unit == unit:
        return
    v.breaks(
        UNIT,
        subject,
        f"{person.label} is {where(v, person.unit)}, not {where(v, unit)}, at {v.now}, and cannot "
        f"confirm as {as_what} there: someone at that unit confirms, or they go there and sign "
        "on first.",
    )


# -- the commands ---------------------------------------------------------------------------------


@handles(OpenUnit, roles=UNIT_OPENERS, doing="form a unit")
def open_unit(command: OpenUnit, v: Verdict) -> list[Event]:
    """A unit is formed with its name and location; the main unit always exists."""
    if command.unit in v.state.units or not command.unit.strip():
        v.breaks(KNOWN, command.unit, f"The unit {command.unit!r} is empty or already formed.")
    if not command.name.strip() or not command.location.strip():
        v.breaks(
            KNOWN,
            command.unit,
            f"Unit {command.unit!r} needs a name and a location, so everyone knows where it is.",
        )
    return [UnitOpened(command.unit, command.name.strip(), command.location.strip())]


@handles(
    DispatchFirearm,
    roles=ARMORERS,
    doing="send a firearm to another unit: only its armorer does",
    rule=UNIT,
)
def dispatch(command: DispatchFirearm, v: Verdict) -> list[Event]:
    """The armorer holding a firearm sends it, unloaded, to a named armorer on set at another
    unit; it stays in the sender's custody until that armorer confirms its receipt."""
    firearm = v.firearm(command.firearm)
    recipient = v.person(command.to, "armorer")
    if firearm is None or recipient is None or not known_unit(v, command.unit, command.unit):
        return v.refused()
    here = v.state.unit_of(firearm)
    if firearm.holder != v.context.person_id:
        held = (
            f"in {v.state.containers[firearm.container].label}"
            if firearm.container is not None
            else f"with {v.who(firearm.holder)}"
        )
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} is {held}, not in your hands, at {v.now}: the armorer holding it "
            "dispatches it.",
        )
    if firearm.dispatch is not None:
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} is already on its way to {v.who(firearm.dispatch.to)} "
            f"{where(v, firearm.dispatch.unit)} since {v.time(firearm.dispatch.at)}.",
        )
    if command.unit == here:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label} is already {where(v, here)}: hand it over there instead.",
        )
    if not recipient.is_armorer:
        v.breaks(
            UNIT,
            recipient.person_id,
            f"{recipient.label} is not an armorer: {firearm.label} goes to another unit only "
            f"from armorer to armorer ({v.now}).",
        )
    elif not recipient.on_set or recipient.unit != command.unit:
        v.breaks(
            UNIT,
            recipient.person_id,
            f"{recipient.label} is not on set {where(v, command.unit)} at {v.now}: send "
            f"{firearm.label} only to an armorer who is there to receive it.",
        )
    if firearm.contents:
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} is loaded: unload it before it travels to "
            f"{v.state.unit_label(command.unit)}.",
        )
    return [FirearmDispatched(firearm.tag, command.unit, recipient.person_id, here)]


@handles(
    ConfirmReceipt,
    roles=ARMORERS,
    doing="confirm the receipt of a firearm from another unit: only the receiving armorer does",
    rule=UNIT,
)
def confirm_receipt(command: ConfirmReceipt, v: Verdict) -> list[Event]:
    """The armorer a firearm was dispatched to, on set at that unit, confirms they hold it."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    sent = firearm.dispatch
    if sent is None:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label} was not dispatched to another unit: nothing to receive.",
        )
        return v.refused()
    actor = v.actor
    if sent.to != v.context.person_id:
        v.breaks(
            UNIT,
            firearm.tag,
            f"{firearm.label} was dispatched to {v.who(sent.to)} {where(v, sent.unit)}, not to "
            f"{v.who(v.context.person_id)}: only {v.who(sent.to)} confirms its receipt.",
        )
    elif actor is not None and (not actor.on_set or actor.unit != sent.unit):
        v.breaks(
            UNIT,
            firearm.tag,
            f"{actor.label} is not on set {where(v, sent.unit)} at {v.now}: confirm the receipt "
            f"of {firearm.label} there, with it in hand.",
        )
    return [FirearmReceiptConfirmed(firearm.tag, sent.unit, sent.by)]
