"""Deciding firearm work: receive, inspect, load, unload, show clear, and the end of its stay."""

from __future__ import annotations

from showclear.core.commands import (
    InspectFirearm,
    Load,
    ReceiveFirearm,
    ReturnToOwner,
    ShowClear,
    Unload,
)
from showclear.core.decide.ammunition import return_lot
from showclear.core.decide.custody import evidence_frozen, in_hand, may_use
from showclear.core.decide.readiness import (
    condition,
    firearm_planned,
    fit_for_work,
    lot_hold,
    performer_named,
    plan_matches,
    scene_running,
    work_allowed,
)
from showclear.core.decide.separation import on_set_for, witness_on_set
from showclear.core.decide.units import confirms_at, same_unit
from showclear.core.decide.verdict import Verdict, handles
from showclear.core.events import Event
from showclear.core.events.armory import (
    FirearmInspected,
    FirearmLoaded,
    FirearmReceived,
    FirearmReturnedToOwner,
    FirearmUnloaded,
    Placement,
    ShownClear,
)
from showclear.core.rules import (
    AMMUNITION_MATCH,
    CLASS_FOUND,
    HANDOVER,
    HOT_CALL,
    INSPECT,
    KNOWN,
    LIVE_ROUNDS,
    LOCKED,
    LOOSE_ROUNDS,
    MISFIRE,
    PLAN,
    ROLE,
    SEPARATION,
    SHOW_CLEAR,
    VERIFIED,
)
from showclear.core.state import Firearm, Lot, ProductionState, placements
from showclear.core.state import described as describe
from showclear.core.vocabulary import (
    ARMORERS,
    BLANK,
    COLD,
    CONDITIONS,
    DUMMIES,
    FIREARM_CLASSES,
    FIRST_AD,
    HOT,
    INERT,
    UNLOADABLE_CLASSES,
)


@handles(ReceiveFirearm, roles=ARMORERS, doing="receive firearms", rule=HANDOVER)
def receive(command: ReceiveFirearm, v: Verdict) -> list[Event]:
    """A firearm comes in, into the armorer's hands or an open container they keep."""
    if v.state.knows_tag(command.tag) or not command.tag.strip():
        v.breaks(KNOWN, command.tag, f"The tag {command.tag!r} is empty or already in use.")
    if command.firearm_class not in FIREARM_CLASSES:
        v.breaks(
            KNOWN,
            command.tag,
            f"{command.firearm_class!r} is not a firearm class "
            f"({', '.join(sorted(FIREARM_CLASSES))}).",
        )
    positions = command.positions
    if len(set(positions)) != len(positions) or any(not p.strip() for p in positions):
        v.breaks(KNOWN, command.tag, f"{command.tag}'s positions must be named, each once.")
    if command.firearm_class in UNLOADABLE_CLASSES and positions:
        v.breaks(
            CLASS_FOUND,
            command.tag,
            f"{command.tag} is said to be a {command.firearm_class.replace('-', ' ')}, which "
            f"takes no rounds, yet {len(positions)} position{'s are' if len(positions) != 1 else ' is'} "
            "listed. One of the two is wrong: list no positions, or give the class it really is; "
            "an armorer finds out at its first inspection.",
        )
    if command.firearm_class in FIREARM_CLASSES - UNLOADABLE_CLASSES:
        if not positions:
            v.breaks(KNOWN, command.tag, f"Name {command.tag}'s chambers or magazine positions.")
        if not command.calibre.strip():
            v.breaks(
                CLASS_FOUND,
                command.tag,
                f"{command.tag} is said to be {command.firearm_class.replace('-', ' ')} but has "
                "no calibre: a firearm that takes rounds has one, or no round can be matched to "
                "it. Give its calibre, or the class it really is.",
            )
    if not command.serial.strip() or not command.owner.strip():
        v.breaks(KNOWN, command.tag, f"{command.tag} needs its serial number and its owner.")
    if command.container:
        container = v.container(command.container)
        if container is not None:
            may_use(v, container, "put a firearm in")
    return [
        FirearmReceived(
            command.tag,
            command.serial,
            command.make,
            command.model,
            command.firearm_type,
            command.calibre,
            command.firearm_class,
            positions,
            command.owner,
            command.notes,
            command.container or None,
        )
    ]


@handles(InspectFirearm, roles=ARMORERS, doing="inspect firearms (only an armorer does)")
def inspect(command: InspectFirearm, v: Verdict) -> list[Event]:
    """An armorer inspects every position and the barrel of a firearm in hand."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    in_hand(v, firearm, "inspect it")
    v.positions(firearm, command.positions_checked)
    _class_recorded(v, firearm, command.firearm_class)
    if command.barrel_clear:
        for position in firearm.duds:
            v.breaks(
                MISFIRE,
                firearm.tag,
                f"{firearm.label} still holds the round that misfired in {position}: an "
                "inspection cannot find it clear. Recover the round and record where it went "
                "first, then inspect the barrel.",
            )
    unchecked = [p for p in firearm.positions if p not in command.positions_checked]
    if unchecked:
        v.breaks(
            INSPECT,
            firearm.tag,
            f"{firearm.label}: {', '.join(unchecked)} not checked. Inspect every position, not "
            f"{len(firearm.positions) - len(unchecked)} of {len(firearm.positions)}.",
        )
    return [
        FirearmInspected(
            firearm.tag,
            tuple(p for p in firearm.positions if p in command.positions_checked),
            command.barrel_clear,
            placements(firearm),
            command.firearm_class,
        )
    ]


def _class_recorded(v: Verdict, firearm: Firearm, found: str) -> None:
    """R-CLASS: the first inspection records the class the armorer finds."""
    if found and found not in FIREARM_CLASSES:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{found!r} is not a firearm class ({', '.join(sorted(FIREARM_CLASSES))}).",
        )
    elif not found and not firearm.class_found:
        v.breaks(
            CLASS_FOUND,
            firearm.tag,
            f"This is {firearm.label}'s first inspection: record the class you find it to be "
            f"(firing, blank-adapted, non-firing replica or inert); the manifest says "
            f"{firearm.firearm_class.replace('-', ' ')}, which is not a finding.",
        )
    elif found in UNLOADABLE_CLASSES and firearm.contents:
        v.breaks(
            CLASS_FOUND,
            firearm.tag,
            f"{firearm.label} holds rounds, so it is not "
            f"{'inert' if found == INERT else 'a non-firing replica'}. Unload it and record the "
            "class it is.",
        )


@handles(Load, roles=ARMORERS, doing="load firearms (only an armorer does)", rule=LOOSE_ROUNDS)
def load(command: Load, v: Verdict) -> list[Event]:
    """One verified round of a lot into each named position, for a running scene."""
    firearm, lot, scene = v.firearm(command.firearm), v.lot(command.lot), v.scene(command.scene)
    if firearm is None or lot is None or scene is None:
        return v.refused()
    if not firearm.loadable:
        v.breaks(
            KNOWN, firearm.tag, f"{firearm.label} is a {firearm.firearm_class}: it takes no rounds."
        )
        return v.refused()
    in_hand(v, firearm, "load it")
    on_set_for(v, f"load {firearm.label}")
    if not command.positions:
        v.breaks(KNOWN, firearm.tag, "Name the positions to load.")
    v.positions(firearm, command.positions)
    taken = [p for p in command.positions if p in firearm.contents]
    if taken or len(set(command.positions)) != len(command.positions):
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label}: {', '.join(taken) or 'a position'} already holds a round or is "
            "named twice. One round per position.",
        )
    if len(command.positions) > lot.stock:
        v.breaks(
            KNOWN,
            lot.tag,
            f"{lot.label} has only {lot.stock} round{'s' if lot.stock != 1 else ''} in its box, "
            f"not {len(command.positions)}.",
        )
    if lot.live:
        v.breaks(
            LIVE_ROUNDS,
            lot.tag,
            f"A live round was found in {lot.label}: it never goes into a firearm.",
        )
    elif not lot.usable:
        v.breaks(
            VERIFIED,
            lot.tag,
            f"{lot.label} is quarantined ({lot_hold(lot.hold, lot.unverified)}). Verify every "
            f"round before any goes into {firearm.label}.",
        )
    ammunition_matches(v, firearm, lot)
    work_allowed(v, "load a firearm", v.state.unit_of(firearm))
    same_unit(v, firearm, scene.unit, f"load it for scene {scene.scene}")
    if firearm.tag not in scene.firearms:
        v.breaks(
            PLAN,
            firearm.tag,
            f"{firearm.label} is not in scene {scene.scene}'s plan "
            f"({', '.join(scene.firearms) or 'no firearm'}) at {v.now}: load only a firearm "
            "the plan names, or change the plan.",
        )
    scene_running(v, scene, "load")
    if firearm.gap is not None:
        v.breaks(
            INSPECT,
            firearm.tag,
            f"{firearm.gap.told(firearm.label, v.time(firearm.gap.at))}. Inspect it "
            "before loading it.",
        )
    if firearm.misfire_at is not None:
        v.breaks(
            MISFIRE,
            firearm.tag,
            f"{firearm.label} misfired at "
            f"{v.time(firearm.misfire_at)}: inspect its barrel before loading it.",
        )
    fit_for_work(v, firearm, "load it")
    _load_matches_plan(v, command, firearm, scene.condition, scene.rounds, lot.lot_kind)
    return [FirearmLoaded(firearm.tag, lot.tag, command.positions, scene.scene)]


def ammunition_matches(v: Verdict, firearm: Firearm, lot: Lot) -> None:
    """R-AMMUNITION-MATCH: only rounds of the firearm's calibre, made for it, go into it."""
    if lot.calibre != firearm.calibre:
        v.breaks(
            AMMUNITION_MATCH,
            firearm.tag,
            f"{lot.label} is {lot.calibre}; {firearm.label} takes {firearm.calibre}. Wrong "
            "calibre: do not load it.",
        )
    elif lot.for_firearms and firearm.tag not in lot.for_firearms:
        v.breaks(
            AMMUNITION_MATCH,
            firearm.tag,
            f"{lot.label} was made for {', '.join(lot.for_firearms)}, not {firearm.label}.",
        )


def _load_matches_plan(
    v: Verdict, command: Load, firearm: Firearm, planned: str, needed: int, lot_kind: str
) -> None:
    scene = command.scene
    if planned == COLD:
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"Scene {scene} is planned cold: no round goes into {firearm.label}.",
        )
    elif (planned == HOT) != (lot_kind == BLANK):
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"Scene {scene} is planned {planned}; {lot_kind} rounds do not go into "
            f"{firearm.label} for it.",
        )
    elif (total := len(firearm.contents) + len(_new_positions(firearm, command))) > needed:
        if planned == HOT:
            v.breaks(
                HOT_CALL,
                firearm.tag,
                f"Scene {scene} needs {needed} blank{'s' if needed != 1 else ''}; this would put "
                f"{total} in {firearm.label}. Load only what the shot needs.",
            )
        else:
            v.breaks(
                HOT_CALL,
                firearm.tag,
                f"Scene {scene} plans {needed} dumm{'ies' if needed != 1 else 'y'}; this would "
                f"put {total} in {firearm.label}. Load only what the plan says.",
            )


def _new_positions(firearm: Firearm, command: Load) -> set[str]:
    """The positions a load would fill: real ones, empty now (the others are refused anyway)."""
    return {p for p in command.positions if p in firearm.positions and p not in firearm.contents}


@handles(Unload, roles=ARMORERS, doing="unload firearms (only an armorer does)", rule=LOOSE_ROUNDS)
def unload(command: Unload, v: Verdict) -> list[Event]:
    """Rounds out of named positions (all when none named) and back to their lots."""
    firearm = v.firearm(command.firearm)
    if firearm is None:
        return v.refused()
    in_hand(v, firearm, "unload it")
    on_set_for(v, f"unload {firearm.label}")
    evidence_frozen(v, firearm.label)
    named = command.positions or tuple(p for p in firearm.positions if p in firearm.contents)
    v.positions(firearm, named)
    empty = [p for p in named if p in firearm.positions and p not in firearm.contents]
    if empty or not named:
        v.breaks(
            KNOWN,
            firearm.tag,
            f"{firearm.label}: {', '.join(empty) or 'nothing'} holds no round to unload.",
        )
    for position in named:
        if position in firearm.duds and position in firearm.contents:
            v.breaks(
                MISFIRE,
                firearm.tag,
                f"The round in {firearm.label}'s {position} misfired: it never goes back into "
                f"{v.state.lots[firearm.contents[position]].label}'s box. Recover it and record "
                "where it went (a container, evidence, disposal); unload the other positions by "
                "name.",
            )
    removed = tuple(Placement(p, firearm.contents[p]) for p in named if p in firearm.contents)
    return [FirearmUnloaded(firearm.tag, removed)]


@handles(
    ShowClear,
    roles=ARMORERS,
    doing="declare a firearm's condition: only an armorer does",
    rule=HANDOVER,
)
def show_clear(command: ShowClear, v: Verdict) -> list[Event]:
    """The armorer shows every position to the performer and the first AD, who both confirm."""
    firearm, scene = v.firearm(command.firearm), v.scene(command.scene)
    if firearm is None or scene is None:
        return v.refused()
    in_hand(v, firearm, "show it")
    on_set_for(v, f"show {firearm.label}")
    v.positions(firearm, command.positions_shown)
    fit_for_work(v, firearm, "show it")
    if firearm.misfire_at is not None and not firearm.duds:
        v.breaks(
            MISFIRE,
            firearm.tag,
            f"{firearm.label} misfired at {v.time(firearm.misfire_at)}: inspect its barrel "
            "before showing it.",
        )
    performer = v.confirmed(command.performer, SHOW_CLEAR, "the performer")
    first_ad = v.confirmed(command.first_ad, SHOW_CLEAR, "the first AD")
    witnesses_apart(v, firearm, command.performer.person_id, command.first_ad.person_id)
    witness_on_set(v, performer, "the performer")
    witness_on_set(v, first_ad, "the first AD")
    confirms_at(v, performer, v.state.unit_of(firearm), "the performer", firearm.tag)
    confirms_at(v, first_ad, v.state.unit_of(firearm), "the first AD", firearm.tag)
    if performer is not None and not performer.is_performer:
        v.breaks(ROLE, performer.person_id, f"{performer.label} is not a performer.")
    elif performer is not None:
        # R-PLAN: show it only for the hands and the scene it is planned for.
        firearm_planned(v, firearm, scene, performer)
        performer_named(v, performer, scene, firearm.label)
    if first_ad is not None and FIRST_AD not in first_ad.roles:
        v.breaks(ROLE, first_ad.person_id, f"{first_ad.label} is not the first AD.")
    every_position_shown(v, firearm, command.positions_shown)
    holds = condition(v, firearm)
    if command.announced not in CONDITIONS:
        v.breaks(KNOWN, firearm.tag, f"Announce cold, dummies or hot, not {command.announced!r}.")
    elif (command.announced, command.rounds) != holds:
        never = " never 'cold'" if command.announced == COLD and holds[0] == DUMMIES else ""
        v.breaks(
            SHOW_CLEAR,
            firearm.tag,
            f"{firearm.label} is {describe(holds)}, not "
            f"{describe((command.announced, command.rounds))}: announce "
            f"'{describe(holds)}'{',' if never else ''}{never}.",
        )
    plan_matches(v, firearm, scene, holds, performer)
    return [
        ShownClear(
            firearm.tag,
            scene.scene,
            command.performer.person_id,
            command.first_ad.person_id,
            holds[0],
            holds[1],
            placements(firearm),
            v.via(command.performer),
            v.via(command.first_ad),
        )
    ]


def witnesses_apart(v: Verdict, firearm: Firearm, performer: str, first_ad: str) -> None:
    """R-SEPARATION: the armorer showing a firearm, the performer and the first AD confirming
    it are three different people, whatever roles one of them holds."""
    armorer = v.context.person_id
    for witness, as_what in ((performer, "the performer"), (first_ad, "the first AD")):
        if witness == armorer:
            v.breaks(
                SEPARATION,
                witness,
                f"{v.who(witness)} cannot confirm their own show-clear of {firearm.label} as "
                f"{as_what} at {v.now}: the performer and the first AD are two other people.",
            )
    if performer and performer == first_ad and performer != armorer:
        v.breaks(
            SEPARATION,
            performer,
            f"{v.who(performer)} cannot confirm {firearm.label}'s show-clear as both the "
            f"performer and the first AD at {v.now}: two different people confirm it.",
        )


def every_position_shown(v: Verdict, firearm: Firearm, shown: tuple[str, ...]) -> None:
    """R-SHOW-CLEAR: every position of the firearm is shown, not some of them."""
    unseen = [p for p in firearm.positions if p not in shown]
    if unseen:
        v.breaks(
            SHOW_CLEAR,
            firearm.tag,
            f"{firearm.label}: {', '.join(unseen)} not shown. Show every position, not "
            f"{len(firearm.positions) - len(unseen)} of {len(firearm.positions)}.",
        )


def _returning(command: ReturnToOwner, state: ProductionState) -> str:
    """What returning ``command.item`` is: ammunition when it is a lot, else firearms."""
    return "return ammunition" if command.item in state.lots else "return firearms to their owner"


@handles(ReturnToOwner, roles=ARMORERS, doing=_returning, rule=HANDOVER)
def return_to_owner(command: ReturnToOwner, v: Verdict) -> list[Event]:
    """At wrap a firearm goes back to its owner, or what is left of a lot to its supplier."""
    if command.item in v.state.lots:
        return return_lot(command, v)
    firearm = v.firearm(command.item)
    if firearm is None:
        return v.refused()
    in_hand(v, firearm, "return it")
    if firearm.contents:
        v.breaks(
            LOCKED,
            firearm.tag,
            f"{firearm.label} is {describe(condition(v, firearm))}: "
            f"unload it before it goes back to {firearm.owner}.",
        )
    if firearm.gap is not None:
        v.breaks(
            INSPECT,
            firearm.tag,
            f"{firearm.gap.told(firearm.label, v.time(firearm.gap.at))}. Inspect it "
            "before it leaves the production.",
        )
    evidence_frozen(v, firearm.label)
    return [FirearmReturnedToOwner(firearm.tag, firearm.owner)]
