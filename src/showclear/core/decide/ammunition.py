"""Deciding ammunition: lots received with provenance, verified round by round, held, counted."""

from __future__ import annotations

from showclear.core.commands import (
    CountAndReconcile,
    QuarantineLot,
    ReceiveLot,
    ReleaseLot,
    ReturnToOwner,
    VerifyRounds,
)
from showclear.core.decide.custody import may_use
from showclear.core.decide.people import iso_date
from showclear.core.decide.verdict import Verdict, handles
from showclear.core.events import Event
from showclear.core.events.armory import (
    CountReconciled,
    LotQuarantined,
    LotReceived,
    LotReleased,
    LotReturnedToSupplier,
    LotTally,
    RoundsVerified,
)
from showclear.core.events.on_set import IncidentOpened
from showclear.core.rules import (
    AMMUNITION_MATCH,
    CLOSE_OUT,
    CUSTODY,
    HANDOVER,
    INERT_PRIMER,
    KNOWN,
    LIVE_ROUNDS,
    VERIFIED,
)
from showclear.core.vocabulary import (
    ARMORERS,
    BLANK,
    INERT_PRIMER_METHODS,
    LIVE,
    LOT_KINDS,
    LOT_MAKERS,
    MAKER_WORDS,
    SAFETY_SUPERVISOR,
    VERIFICATION_METHODS,
)


@handles(ReceiveLot, roles=ARMORERS, doing="receive ammunition", rule=HANDOVER)
def receive_lot(command: ReceiveLot, v: Verdict) -> list[Event]:
    """A lot arrives with its provenance and is quarantined until every round is verified."""
    if command.lot_kind == LIVE:
        v.breaks(
            LIVE_ROUNDS,
            command.tag,
            "Live ammunition is never received on a production. Refuse the delivery and tell "
            "the safety supervisor.",
        )
    elif command.lot_kind not in LOT_KINDS:
        v.breaks(KNOWN, command.tag, f"A lot is dummies or blanks, not {command.lot_kind!r}.")
    if v.state.knows_tag(command.tag) or not command.tag.strip():
        v.breaks(KNOWN, command.tag, f"The tag {command.tag!r} is empty or already in use.")
    if command.count <= 0:
        v.breaks(KNOWN, command.tag, f"A lot holds at least one round, not {command.count}.")
    missing = [
        what
        for what, value in (
            ("supplier", command.supplier),
            ("invoice or delivery note", command.document),
            ("delivery date", command.delivered_on),
        )
        if not value.strip()
    ]
    if missing:
        v.breaks(
            VERIFIED,
            command.tag,
            f"Lot {command.tag} has no {' and no '.join(missing)}: rounds of unknown origin "
            "never join the stock.",
        )
    else:
        iso_date(v, command.delivered_on, command.tag, "delivery date")
    if command.lot_kind == BLANK and not command.load.strip():
        v.breaks(
            AMMUNITION_MATCH,
            command.tag,
            f"Blank lot {command.tag} needs its load (quarter, half, full).",
        )
    unknown = [tag for tag in command.for_firearms if tag not in v.state.firearms]
    if unknown:
        v.breaks(KNOWN, command.tag, f"No firearm is tagged {', '.join(unknown)}.")
    if command.maker not in LOT_MAKERS:
        v.breaks(
            KNOWN,
            command.tag,
            f"Say who made lot {command.tag} ({', '.join(sorted(LOT_MAKERS))}), not "
            f"{command.maker!r}.",
        )
    if command.container:
        container = v.container(command.container)
        if container is not None:
            may_use(v, container, "put a lot in")
    return [
        LotReceived(
            command.tag,
            command.lot_kind,
            command.calibre,
            command.count,
            command.supplier,
            command.document,
            command.delivered_on,
            command.load,
            command.for_firearms,
            command.container or None,
            command.maker,
        )
    ]


@handles(VerifyRounds, roles=ARMORERS, doing="verify rounds (only an armorer does)")
def verify(command: VerifyRounds, v: Verdict) -> list[Event]:
    """An armorer checks rounds one by one before a witness: the label is not verification."""
    actor = v.acting
    lot = v.lot(command.lot)
    witness = v.confirmed(command.witness, VERIFIED, "witness")
    if lot is None:
        return v.refused()
    if lot.live:
        v.breaks(
            LIVE_ROUNDS,
            lot.tag,
            f"A live round was found in {lot.label}: it is never verified or used again.",
        )
    if command.count <= 0 or command.count > lot.unverified:
        v.breaks(
            KNOWN,
            lot.tag,
            f"{lot.label} has {lot.unverified} unverified round"
            f"{'s' if lot.unverified != 1 else ''} in its box, not {command.count}.",
        )
    if command.method not in VERIFICATION_METHODS:
        v.breaks(
            KNOWN,
            lot.tag,
            f"{command.method!r} is not a verification method "
            f"({', '.join(sorted(VERIFICATION_METHODS))}).",
        )
    elif lot.primers_to_prove and command.method not in INERT_PRIMER_METHODS:
        v.breaks(
            INERT_PRIMER,
            lot.tag,
            f"{lot.label} was made {MAKER_WORDS.get(lot.maker, MAKER_WORDS['unknown'])}: a "
            f"{command.method.replace('-', ' ')} check does not prove a primer inert. Check each "
            "round's primer (struck, or an empty primer pocket) and record that method; set "
            "aside any round with a live primer.",
        )
    if witness is not None and actor is not None and witness.person_id == actor.person_id:
        v.breaks(VERIFIED, lot.tag, "The witness to a verification is someone other than you.")
    remaining = max(lot.unverified - command.count, 0)
    return [
        RoundsVerified(
            lot.tag,
            command.count,
            command.method,
            command.witness.person_id,
            remaining,
            v.via(command.witness),
        )
    ]


@handles(QuarantineLot, roles=ARMORERS | {SAFETY_SUPERVISOR}, doing="quarantine a lot")
def quarantine(command: QuarantineLot, v: Verdict) -> list[Event]:
    """Hold a lot back from use."""
    lot = v.lot(command.lot)
    if not command.reason.strip():
        v.breaks(KNOWN, command.lot, "Say why the lot is quarantined.")
    if lot is None:
        return v.refused()
    return [LotQuarantined(lot.tag, command.reason, live=False, reverify=False)]


@handles(ReleaseLot, roles=ARMORERS, doing="release a lot")
def release(command: ReleaseLot, v: Verdict) -> list[Event]:
    """Lift a hold from a fully verified lot; a lot that held a live round is never released."""
    lot = v.lot(command.lot)
    if lot is None:
        return v.refused()
    if lot.live:
        v.breaks(
            LIVE_ROUNDS,
            lot.tag,
            f"A live round was found in {lot.label}: it is never released. "
            f"Return it to {lot.supplier} or hand it to the investigators.",
        )
    if lot.unverified:
        v.breaks(VERIFIED, lot.tag, f"{lot.label} still has {lot.unverified} unverified rounds.")
    if lot.hold is None and not lot.live:
        v.breaks(KNOWN, lot.tag, f"{lot.label} is not held.")
    return [LotReleased(lot.tag)]


def return_lot(command: ReturnToOwner, v: Verdict) -> list[Event]:
    """What is left in a lot's box goes back to its supplier."""
    lot = v.state.lots[command.item]
    if lot.holder != v.context.person_id:
        v.breaks(CUSTODY, lot.tag, f"{lot.label}'s box is not in your hands.")
    elsewhere = v.state.rounds_in_firearms(lot.tag) + v.state.rounds_in_containers(lot.tag)
    if elsewhere:
        v.breaks(
            CLOSE_OUT,
            lot.tag,
            f"{elsewhere} rounds of {lot.label} are still in firearms or containers: only the "
            f"{lot.stock} in its box go back to {lot.supplier}.",
        )
    if lot.stock == 0:
        v.breaks(KNOWN, lot.tag, f"{lot.label}'s box is empty.")
    return [LotReturnedToSupplier(lot.tag, lot.stock)]


@handles(CountAndReconcile, roles=ARMORERS, doing="count the armory")
def count(command: CountAndReconcile, v: Verdict) -> list[Event]:
    """Count every firearm and round by hand; a difference is an incident (R-CLOSE-OUT).
    Evidence is not the armorer's to count, nor what a performer holds for a scene that is
    running (:meth:`~ProductionState.out_for_scenes`): each is left out until it comes back."""
    counted = {entry.lot: entry.counted for entry in command.lots if not entry.container}
    in_containers = [entry for entry in command.lots if entry.container]
    for entry in command.lots:
        v.lot(entry.lot)
        if entry.container:
            v.container(entry.container)
    unknown = [tag for tag in command.firearms_present if tag not in v.state.firearms]
    if unknown:
        v.breaks(KNOWN, ", ".join(unknown), f"No firearm is tagged {', '.join(unknown)}.")
    v.refuse_if_blocked()
    out = v.state.out_for_scenes()
    expected = tuple(
        sorted(
            tag
            for tag, f in v.state.firearms.items()
            if f.active and f.evidence is None and tag not in out.firearms
        )
    )
    present = tuple(sorted(set(command.firearms_present) - out.firearms))

    def here(lot: str) -> int:
        return v.state.on_hand(lot) - out.rounds.get(lot, 0)

    tallies = tuple(
        LotTally(tag, here(tag), counted.get(tag, 0))
        for tag in sorted(v.state.lots)
        if (tag in counted or here(tag)) and v.state.lots[tag].evidence is None
    ) + tuple(
        LotTally(
            entry.lot,
            v.state.containers[entry.container].rounds.get(entry.lot, 0),
            entry.counted,
            entry.container,
        )
        for entry in in_containers
        if entry.container not in out.containers
    )
    differences = [
        f"{v.state.lots[t.lot].label}{f' in {t.container}' if t.container else ''}: "
        f"{t.counted} counted, {t.expected} on record"
        for t in tallies
        if t.counted != t.expected
    ]
    missing = sorted(set(expected) - set(present))
    extra = sorted(set(present) - set(expected))
    differences += [f"{v.state.firearms[t].label} missing" for t in missing]
    differences += [f"{v.state.firearms[t].label} counted but not in use" for t in extra]
    events: list[Event] = [CountReconciled(expected, present, tallies, not differences)]
    if differences:
        incident = f"incident-{len(v.state.incidents) + 1}"
        summary = "count difference: " + "; ".join(differences)
        events.append(
            IncidentOpened(
                incident, "count-difference", summary, "", involved=(v.context.person_id,)
            )
        )
        v.breaks(
            CLOSE_OUT,
            incident,
            f"The count at {v.now} does not match ({summary}). "
            f"Incident {incident} is open: find every round and firearm.",
        )
    return events
