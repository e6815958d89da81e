"""Is this firearm, this scene, this person ready? The checks shared by several commands."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime, timedelta

from showclear.core.decide.units import where
from showclear.core.decide.verdict import Verdict
from showclear.core.events.units import MAIN
from showclear.core.rules import (
    CLASS_FOUND,
    HANDLING,
    HOT_CALL,
    INCIDENT,
    INSPECT,
    LIVE_ROUNDS,
    LOOSE_ROUNDS,
    MEETING,
    MISFIRE,
    PLAN,
    SHOW_CLEAR,
    STAND_OFF,
    STOP_WORK,
    TRAINING,
    UNIT,
    VERIFIED,
)
from showclear.core.state import Container, Firearm, Person, ProductionState, Scene
from showclear.core.state import condition as held_in
from showclear.core.state import described as describe
from showclear.core.vocabulary import (
    ARMORER_LICENCE,
    BLANK,
    COLD,
    DUMMIES,
    FIREARM_SAFETY,
    FIRST_AD,
    HANDLING_INCIDENT,
    HOT,
    STAND_OFF_CM,
)


def where_unit(state: ProductionState, unit: str) -> str:
    """``"of Second unit (Quarry)"``."""
    return f"of {state.unit_label(unit)}"


#: Incidents that do not hold firearm work (they are escalated, not frozen). A report that
#: someone not an armorer handled rounds holds the firearm and the belt or bag it names instead.
NON_BLOCKING_INCIDENTS = frozenset({"complaint", HANDLING_INCIDENT})


def fit_for_work(v: Verdict, firearm: Firearm, doing: str) -> None:
    """What holds a firearm back from being loaded, shown or issued, whatever else is true:
    its class not yet found by an armorer (R-CLASS), a misfired round still in it (R-MISFIRE),
    a report that someone not an armorer handled its rounds (R-LOOSE-ROUNDS)."""
    if not firearm.class_found:
        v.breaks(
            CLASS_FOUND,
            firearm.tag,
            f"{firearm.label} has not had its first inspection: its class "
            f"({firearm.firearm_class.replace('-', ' ')}) is the manifest's word, not an "
            f"armorer's finding. Inspect it and record the class you find before you {doing}.",
        )
    elif firearm.loadable and not firearm.positions:
        found = firearm.last_inspection
        by = f" by {v.who(found.by)} at {v.time(found.at)}" if found is not None else ""
        v.breaks(
            CLASS_FOUND,
            firearm.tag,
            f"{firearm.label} came in with no positions, as a firearm that takes no rounds, but "
            f"was found {firearm.class_found.replace('-', ' ')}{by}. It is not loaded, shown or "
            f"issued: lock it away and return it to {firearm.owner}.",
        )
    misfired = v.time(firearm.misfire_at) if firearm.misfire_at is not None else "a misfire"
    for position in firearm.duds:
        v.breaks(
            MISFIRE,
            firearm.tag,
            f"{firearm.label} misfired in {position} at {misfired} and that round is still in "
            f"it. Recover the round, record where it went, and inspect the barrel before you "
            f"{doing}.",
        )
    if firearm.handled is not None:
        v.breaks(
            LOOSE_ROUNDS,
            firearm.tag,
            f"{firearm.handled.told(firearm.label, v.time(firearm.handled.at))}. An armorer "
            f"unloads it and inspects it before anyone may {doing}.",
        )


def condition(v: Verdict, firearm: Firearm) -> tuple[str, int]:
    """What a firearm holds: ``("cold", 0)``, ``("dummies", n)``, ``("hot", n)`` or mixed."""
    return held_in(v.state, firearm)


def work_allowed(v: Verdict, doing: str, unit: str | None = None) -> None:
    """STOP WORK and open incidents hold all firearm work: a production-wide STOP WORK
    everywhere, a unit's at that ``unit`` (``None``: at any unit, where none is known)."""
    stoppage = v.state.stoppage
    if stoppage is not None:
        v.breaks(
            STOP_WORK,
            "production",
            f"Work was stopped at {v.time(stoppage.at)} by {v.who(stoppage.by)} "
            f"({stoppage.reason}). Nobody may {doing} until a safety supervisor and an armorer "
            "resume work.",
        )
    for stopped, held in sorted(v.state.unit_stoppages.items()):
        if unit is None or unit == stopped:
            v.breaks(
                STOP_WORK,
                stopped,
                f"Work {where(v, stopped)} was stopped at {v.time(held.at)} by "
                f"{v.who(held.by)} ({held.reason}). Nobody there may {doing} until a safety "
                "supervisor and an armorer resume work at that unit.",
            )
    for incident in v.state.incidents.values():
        if incident.open and incident.category not in NON_BLOCKING_INCIDENTS:
            v.breaks(
                INCIDENT,
                incident.incident,
                f"Incident {incident.incident} ({incident.summary}, {v.time(incident.at)}) is "
                "still open: firearm work waits until the safety supervisor closes it.",
            )


def trained(v: Verdict, person: Person, course: str, scene: str) -> None:
    """R-TRAINING: ``person`` holds ``course`` in force today."""
    if person.trained_in(course, v.context.at.date()):
        return
    held = person.trainings.get(course)
    why = f"expired on {held.expires_on}" if held else "is not on record"
    what = "armorer's licence" if course == ARMORER_LICENCE else "firearm safety training"
    v.breaks(
        TRAINING,
        person.person_id,
        f"{person.label}'s {what} {why}. Keep them away from firearms until it is recorded.",
    )


def missing_at_meeting(
    state: ProductionState,
    scene: Scene,
    attendees: Collection[str],
    armorer_units: Collection[str] | None = None,
) -> list[str]:
    """Who a safety meeting for ``scene`` attended by ``attendees`` lacks (R-MEETING), in words:
    an armorer of the scene's unit, the first AD, and everyone near its firearms.
    ``armorer_units``: the units its armorers were at when it was held (now, when ``None``)."""
    present = [state.people.get(person_id) for person_id in attendees]
    missing = []
    if armorer_units is None:
        armorer_units = {p.unit for p in present if p is not None and p.is_armorer}
    if scene.unit not in armorer_units:
        missing.append(
            "an armorer"
            if scene.unit == MAIN or not armorer_units
            else f"an armorer {where_unit(state, scene.unit)}"
        )
    if not any(p is not None and FIRST_AD in p.roles for p in present):
        missing.append("the first AD")
    missing += [state.person_label(p) for p in scene.people if p not in attendees]
    return missing


def meeting_held(v: Verdict, scene: Scene) -> None:
    """R-MEETING (and R-INCIDENT, R-HANDLING): a meeting for the scene, after any incident,
    attended by an armorer, a first AD and everyone near its firearms, covering pointing."""
    if not scene.meetings:
        v.breaks(
            MEETING,
            scene.scene,
            f"No safety meeting is on record for scene {scene.scene} ({scene.title}). Hold it "
            "with the armorer, the first AD and everyone near its firearms first.",
        )
        return
    meeting = scene.meetings[-1]
    changed = scene.changed
    if changed is not None and meeting.seq < changed.seq:
        v.breaks(
            MEETING,
            scene.scene,
            f"Scene {scene.scene}'s plan changed at {v.time(changed.at)} ({changed.reason}), "
            f"after its safety meeting at {v.time(meeting.at)}: that meeting no longer counts. "
            "Hold the safety meeting again, on the new plan, with everyone near its firearms.",
        )
    if meeting.seq < v.state.last_incident_seq:
        v.breaks(
            INCIDENT,
            scene.scene,
            f"The safety meeting for scene {scene.scene} was held at {v.time(meeting.at)}, "
            "before the last incident. Firearm work waits for a new safety meeting.",
        )
    missing = missing_at_meeting(v.state, scene, meeting.attendees, meeting.armorer_units)
    if missing:
        v.breaks(
            MEETING,
            scene.scene,
            f"The safety meeting for scene {scene.scene} at {v.time(meeting.at)} did not include "
            f"{', '.join(missing)}. Hold it again with everyone near its firearms.",
        )
    unplanned = [target for target in scene.pointing if target not in meeting.pointing_plans]
    if unplanned:
        v.breaks(
            HANDLING,
            scene.scene,
            f"Scene {scene.scene} points a firearm toward {', '.join(unplanned)}, which the "
            "safety meeting did not plan. Plan it with the armorer and the first AD, or cut it.",
        )
    if scene.condition == HOT and not meeting.blank_fire_reviewed:
        v.breaks(
            MEETING,
            scene.scene,
            f"The safety meeting for scene {scene.scene} did not review the blank-fire plan "
            "(distances, shields, protection).",
        )


def scene_running(v: Verdict, scene: Scene, doing: str) -> None:
    """R-HANDLING: firearm work only while the scene's shot is ready."""
    if scene.status != "started":
        state = "has not started" if scene.status == "planned" else "is wrapped"
        v.breaks(
            HANDLING,
            scene.scene,
            f"Scene {scene.scene} {state}: {doing} only when the shot is ready.",
        )


def rounds_verified(v: Verdict, firearm: Firearm) -> None:
    """R-VERIFIED and R-LIVE: every round in the firearm comes from a usable lot."""
    for position, tag in sorted(firearm.contents.items()):
        lot = v.state.lots[tag]
        if lot.live:
            v.breaks(
                LIVE_ROUNDS,
                firearm.tag,
                f"{firearm.label} holds a round from {lot.label} in {position}, where a live "
                "round was found. Unload it; that lot never goes into a firearm.",
            )
        elif not lot.usable:
            v.breaks(
                VERIFIED,
                firearm.tag,
                f"{firearm.label} holds a round from {lot.label} in {position}, which is "
                f"quarantined ({lot_hold(lot.hold, lot.unverified)}). Unload it.",
            )


def lot_hold(hold: str | None, unverified: int) -> str:
    """Why a lot is not usable."""
    if unverified:
        return f"{unverified} round{'s' if unverified != 1 else ''} not verified"
    return hold or "held"


def firearm_ready(v: Verdict, firearm: Firearm, performer: Person, scene: Scene) -> None:
    """Everything a firearm needs before it goes to ``performer`` for ``scene``."""
    if firearm.gap is not None:
        v.breaks(
            INSPECT,
            firearm.tag,
            f"{firearm.gap.told(firearm.label, v.time(firearm.gap.at))}. Inspect it "
            "before handing it over.",
        )
    if firearm.misfire_at is not None:
        v.breaks(
            MISFIRE,
            firearm.tag,
            f"{firearm.label} misfired at {v.time(firearm.misfire_at)}. Clear it and inspect "
            "its barrel before it is used again.",
        )
    fit_for_work(v, firearm, "hand it over")
    firearm_planned(v, firearm, scene, performer)
    rounds_verified(v, firearm)
    holds = condition(v, firearm)
    shown = firearm.shown
    if shown is None or shown.performer_id != performer.person_id or shown.scene != scene.scene:
        v.breaks(
            SHOW_CLEAR,
            firearm.tag,
            f"{firearm.label} has not been shown {describe(holds)} to {performer.label} and the "
            f"first AD for scene {scene.scene}. Show every position before handing it over.",
        )
    plan_matches(v, firearm, scene, holds, performer)
    if holds[0] == HOT:
        blank_fire_safe(v, firearm, scene)


def plan_matches(
    v: Verdict,
    firearm: Firearm,
    scene: Scene,
    holds: tuple[str, int],
    performer: Person | None = None,
) -> None:
    """R-HOT-CALL: the firearm holds what the scene plans, and no more blanks than it needs."""
    word, count = holds
    planned = describe((scene.condition, scene.rounds))
    if word == "mixed":
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"{firearm.label} holds dummies and blanks together. Unload it and load one kind.",
        )
    elif word != scene.condition and word != COLD:
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"{firearm.label} is {describe(holds)} but scene {scene.scene} is planned "
            f"{planned}. Unload it to match the plan.",
        )
    elif word == HOT and count > scene.rounds:
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"{firearm.label} holds {count} blanks; scene {scene.scene} needs only "
            f"{scene.rounds}. Load only the blanks the shot needs.",
        )
    elif word == DUMMIES and count > scene.rounds:
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"{firearm.label} holds {count} dummies{_for(v, performer)}; scene {scene.scene} "
            f"plans {planned}. Unload it to match the plan.",
        )
    elif word == COLD and scene.condition != COLD and firearm.loadable:
        v.breaks(
            HOT_CALL,
            firearm.tag,
            f"{firearm.label} is cold{_for(v, performer)} but scene {scene.scene} is planned "
            f"{planned}. Load what the plan says, or change the plan (and hold its safety "
            "meeting again).",
        )


def _for(v: Verdict, performer: Person | None) -> str:
    """`` for Jo Carver (cast) at 09:20 UTC`` (or only the time when nobody is named)."""
    return f" for {performer.label} at {v.now}" if performer is not None else f" at {v.now}"


def blank_fire_safe(v: Verdict, firearm: Firearm, scene: Scene) -> None:
    """R-STAND-OFF: a hot firearm goes out only with a blank-fire plan that keeps people safe."""
    plan = scene.blank_fire
    if plan is None:
        v.breaks(
            STAND_OFF,
            scene.scene,
            f"Scene {scene.scene} has no blank-fire plan. Plan distances, shields and protection "
            f"before {firearm.label} goes out hot.",
        )
        return
    if plan.min_distance_cm < STAND_OFF_CM and not plan.close_range_load:
        v.breaks(
            STAND_OFF,
            scene.scene,
            f"Scene {scene.scene} puts people {plan.min_distance_cm / 100:g} m from "
            f"{firearm.label}'s muzzle; blanks need 6 m (20 ft) unless a close-range load is "
            "planned.",
        )
    lacking = [
        name
        for name, present in (
            ("eye protection", plan.eye_protection),
            ("ear protection", plan.ear_protection),
            ("shields", plan.shields or plan.min_distance_cm >= STAND_OFF_CM),
        )
        if not present
    ]
    if lacking:
        v.breaks(
            STAND_OFF,
            scene.scene,
            f"Scene {scene.scene}'s blank-fire plan lacks {', '.join(lacking)} for "
            f"{firearm.label}.",
        )


def issue_to(v: Verdict, performer: Person, scene: Scene, doing: str, item: str = "") -> None:
    """Everything about the set before anything (``item``, in words) goes to ``performer`` for
    ``scene``."""
    work_allowed(v, doing, scene.unit)
    if performer.unit != scene.unit:
        v.breaks(
            UNIT,
            performer.person_id,
            f"{performer.label} is {where(v, performer.unit)} at {v.now}; scene {scene.scene} "
            f"shoots {where(v, scene.unit)}. Nothing goes to them for it there.",
        )
    scene_running(v, scene, doing)
    on_its_day(v, scene, doing, item, performer)
    meeting_held(v, scene)
    performer_named(v, performer, scene, item or "a firearm or rounds")
    trained(v, performer, FIREARM_SAFETY, scene.scene)


# -- the plan binds (R-PLAN) ----------------------------------------------------------------------


def _named(state: ProductionState, people: Collection[str]) -> str:
    return ", ".join(state.person_label(p) for p in people) or "nobody"


def performer_named(v: Verdict, performer: Person, scene: Scene, item: str) -> None:
    """R-PLAN: the scene's plan names ``performer`` among its performers."""
    if performer.person_id in scene.performers:
        return
    v.breaks(
        PLAN,
        performer.person_id,
        f"Scene {scene.scene}'s plan does not name {performer.label} (it names "
        f"{_named(v.state, scene.performers)}): {item} does not go to them at {v.now}. Change "
        "the plan first, and hold its safety meeting again.",
    )


def firearm_planned(v: Verdict, firearm: Firearm, scene: Scene, performer: Person) -> None:
    """R-PLAN: the scene's plan names ``firearm``: another one, even of the same make and
    model, or a firing one where a replica is planned, is a substitution; and a firearm the
    plan assigns to one performer goes to no other."""
    if firearm.tag in scene.firearms:
        assigned = scene.assigned.get(firearm.tag)
        if assigned is not None and assigned != performer.person_id:
            v.breaks(
                PLAN,
                firearm.tag,
                f"Scene {scene.scene}'s plan gives {firearm.label} to {v.who(assigned)}, not "
                f"{performer.label}, at {v.now}. Hand it to them, or change the plan and hold "
                "its safety meeting again.",
            )
        return
    planned = [v.state.firearms[tag] for tag in scene.firearms if tag in v.state.firearms]
    names = ", ".join(f"{f.label} ({f.firearm_class.replace('-', ' ')})" for f in planned)
    v.breaks(
        PLAN,
        firearm.tag,
        f"{firearm.label} ({firearm.firearm_class.replace('-', ' ')}) is not in scene "
        f"{scene.scene}'s plan, which names {names or 'no firearm'}: it does not go to "
        f"{performer.label} at {v.now}. Use the planned firearm, or change the plan and hold "
        "its safety meeting again.",
    )


def on_the_date(at: datetime, planned: str) -> bool:
    """Whether the moment ``at`` (UTC) falls on the date ``planned`` somewhere on Earth: local
    clocks run from UTC-12 to UTC+14, so a day's date lasts from 14:00 UTC the day before until
    12:00 UTC the day after. A production has no time zone of its own yet, and a Los Angeles
    scene started at 18:00 local (01:00 UTC the next day) is on its day."""
    try:
        day = datetime.fromisoformat(planned).replace(tzinfo=UTC)
    except ValueError:
        return at.date().isoformat() == planned
    return day - timedelta(hours=14) <= at < day + timedelta(hours=36)


def on_its_day(
    v: Verdict, scene: Scene, doing: str, item: str = "", performer: Person | None = None
) -> None:
    """R-PLAN: a scene is worked on its shoot day (UTC). It starts only on that date; once
    started on it, it runs until it wraps (a night shoot past midnight, a scene that carries
    on): a scene started on another date (its plan moved it since) issues nothing. ``item``
    and ``performer``: what would go to whom, for the sentence."""
    planned = v.state.days.get(scene.day)
    if planned is None:
        return
    started = scene.started_at
    if scene.status == "started" and started is not None:
        if on_the_date(started, planned):
            return
        when = f"started on {started.date().isoformat()}"
    elif on_the_date(v.context.at, planned):
        return
    else:
        when = f"not today ({v.context.at.date().isoformat()})"
    day = f"Scene {scene.scene} ({scene.title}) is planned for {scene.day} ({planned}), {when}"
    if item and performer is not None:
        v.breaks(
            PLAN,
            scene.scene,
            f"{item} does not go to {performer.label} at {v.now}: s{day[1:]}. A scene issues "
            "firearms and rounds only on its shoot day: start it that day, or change its plan.",
        )
        return
    v.breaks(
        PLAN,
        scene.scene,
        f"{day}, at {v.now}: {doing} for it only on its shoot day, or change its plan.",
    )


def worn_fits(
    v: Verdict,
    container: Container,
    performer: Person,
    scene: Scene,
    adding: Mapping[str, int] | None = None,
) -> None:
    """R-PLAN: a gun belt or bag a performer wears holds only counted rounds the scene plans to
    be worn: of the lots it names, never blanks outside a hot scene, never more than it plans
    for each performer (every belt and bag they wear together). ``adding``: rounds about to go
    in."""
    rounds = dict(container.rounds)
    for tag, count in (adding or {}).items():
        rounds[tag] = rounds.get(tag, 0) + count
    who = f"{container.label} for {performer.label} in scene {scene.scene} at {v.now}"
    for tag in sorted(container.lots):
        v.breaks(
            PLAN,
            container.tag,
            f"{who}: it holds the box of {v.state.lots[tag].label}. A performer wears only "
            "counted rounds: take the box out.",
        )
    for tag, count in sorted(rounds.items()):
        lot = v.state.lots.get(tag)
        if not count or lot is None:
            continue
        if lot.lot_kind == BLANK and scene.condition != HOT:
            v.breaks(
                PLAN,
                container.tag,
                f"{who}: it holds {count} blanks of {lot.label}, in a scene planned "
                f"{describe((scene.condition, scene.rounds))}. No blank is worn outside a hot "
                "scene: take them out.",
            )
        elif tag not in scene.worn_lots:
            lots = ", ".join(scene.worn_lots) or "none"
            v.breaks(
                PLAN,
                container.tag,
                f"{who}: it holds {count} rounds of {lot.label}, a lot the plan does not name "
                f"for wearing (it names {lots}). Take them out, or change the plan.",
            )
    worn = sum(rounds.values()) + sum(
        sum(other.rounds.values())
        for other in v.state.containers.values()
        if other.tag != container.tag and other.custodian == performer.person_id
    )
    if worn > scene.worn_rounds:
        v.breaks(
            PLAN,
            container.tag,
            f"{who}: {performer.label} would wear {worn} rounds; the plan allows "
            f"{scene.worn_rounds}. Take the extra rounds out, or change the plan.",
        )
