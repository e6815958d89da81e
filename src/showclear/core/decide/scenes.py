"""Deciding the schedule: shoot days, scenes, safety meetings, starts, wraps and breaks."""

from __future__ import annotations

from typing import Any

from showclear.core.commands import (
    CallBreak,
    EndBreak,
    HoldSafetyMeeting,
    JoinScene,
    PlanScene,
    PlanShootDay,
    ReplanScene,
    StartScene,
    WrapScene,
)
from showclear.core.decide.people import iso_date
from showclear.core.decide.readiness import meeting_held, on_its_day, trained, work_allowed
from showclear.core.decide.separation import on_set_for
from showclear.core.decide.units import known_unit, runs_at, there
from showclear.core.decide.verdict import Verdict, handles
from showclear.core.events import Event
from showclear.core.events.on_set import (
    Assignment,
    BlankFire,
    BreakCalled,
    BreakEnded,
    SafetyMeetingHeld,
    SceneJoined,
    ScenePlanChanged,
    ScenePlanned,
    SceneStarted,
    SceneWrapped,
    ShootDayPlanned,
)
from showclear.core.rules import (
    ARMORER_PRESENT,
    CLOSE_OUT,
    KNOWN,
    LOCKED,
    PLAN,
    ROLE,
    STAND_OFF,
)
from showclear.core.vocabulary import (
    ARMORERS,
    BLANK,
    CONDITIONS,
    FIREARM_SAFETY,
    FIRST_AD,
    HOT,
    PRODUCER,
    SAFETY_SUPERVISOR,
)

PLANNERS = ARMORERS | {FIRST_AD, PRODUCER}
MEETING_LEADERS = ARMORERS | {FIRST_AD, SAFETY_SUPERVISOR}


@handles(PlanShootDay, roles=PLANNERS, doing="plan shoot days")
def plan_day(command: PlanShootDay, v: Verdict) -> list[Event]:
    """Put a shoot day on the schedule."""
    if command.day in v.state.days or not command.day.strip():
        v.breaks(KNOWN, command.day, f"Shoot day {command.day!r} is empty or already planned.")
    iso_date(v, command.date, command.day, "date")
    return [ShootDayPlanned(command.day, command.date)]


Plan = PlanScene | ReplanScene


def _plan_checked(command: Plan, v: Verdict) -> BlankFire | None:
    """The checks a plan makes, new or changed; its blank-fire plan as recorded."""
    if command.day not in v.state.days:
        v.breaks(KNOWN, command.day, f"There is no shoot day {command.day!r} on the schedule.")
    known_unit(v, command.unit, command.scene)
    for tag in command.firearms:
        v.firearm(tag)
    for person_id in command.performers:
        person = v.person(person_id, "performer")
        if person is not None and not person.is_performer:
            v.breaks(ROLE, person_id, f"{person.label} is not a performer (cast or stunt).")
    for person_id in command.crew:
        v.person(person_id)
    if command.condition not in CONDITIONS:
        v.breaks(
            KNOWN,
            command.scene,
            f"A scene is planned cold, dummies or hot, not {command.condition!r}.",
        )
    if command.rounds < 0 or (command.condition in ("dummies", HOT) and command.rounds == 0):
        v.breaks(
            KNOWN,
            command.scene,
            f"Scene {command.scene} is planned {command.condition}: say how many rounds.",
        )
    if command.condition == HOT and command.blank_fire is None:
        v.breaks(
            STAND_OFF,
            command.scene,
            f"Scene {command.scene} is hot: plan its blank fire (distances, shields, protection).",
        )
    _worn_planned(command, v)
    firearms_assigned = [a.firearm for a in command.assigned]
    for a in command.assigned:
        if a.firearm not in command.firearms or a.performer not in command.performers:
            v.breaks(
                KNOWN,
                command.scene,
                f"Scene {command.scene} assigns {a.firearm} to {v.who(a.performer)}: assign "
                "only a firearm and a performer the plan names.",
            )
    if len(set(firearms_assigned)) != len(firearms_assigned):
        v.breaks(KNOWN, command.scene, f"Scene {command.scene} assigns a firearm twice: once each.")
    plan = command.blank_fire
    return (
        None
        if plan is None
        else BlankFire(
            plan.min_distance_cm,
            plan.close_range_load,
            plan.shields,
            plan.eye_protection,
            plan.ear_protection,
        )
    )


def _worn_planned(command: Plan, v: Verdict) -> None:
    """R-PLAN: rounds to be worn come in a count and from named lots; blanks only when hot."""
    if command.worn_rounds < 0 or (command.worn_rounds > 0) != bool(command.worn_lots):
        v.breaks(
            KNOWN,
            command.scene,
            f"Scene {command.scene}: say how many rounds a performer may wear and from which "
            "lots, both or neither.",
        )
    for tag in command.worn_lots:
        lot = v.lot(tag)
        if lot is not None and lot.lot_kind == BLANK and command.condition != HOT:
            v.breaks(
                PLAN,
                command.scene,
                f"Scene {command.scene} is planned {command.condition}: no blank of "
                f"{lot.label} is worn in it. Wear dummies, or plan the scene hot.",
            )


def _planned(command: Plan, blank_fire: BlankFire | None) -> dict[str, Any]:
    """The fields a plan records, new (``scene.planned``) or changed (``scene.plan-changed``)."""
    return {
        "scene": command.scene,
        "day": command.day,
        "title": command.title,
        "firearms": command.firearms,
        "performers": command.performers,
        "crew": command.crew,
        "condition": command.condition,
        "rounds": command.rounds,
        "blank_fire": blank_fire,
        "pointing": command.pointing,
        "worn_rounds": command.worn_rounds,
        "worn_lots": command.worn_lots,
        "unit": command.unit,
        "assigned": tuple(Assignment(a.firearm, a.performer) for a in command.assigned),
    }


@handles(PlanScene, roles=PLANNERS, doing="plan scenes")
def plan_scene(command: PlanScene, v: Verdict) -> list[Event]:
    """Plan a scene's firearms, performers, crew, condition, blank-fire plan and pointing."""
    if command.scene in v.state.scenes or not command.scene.strip():
        v.breaks(KNOWN, command.scene, f"Scene {command.scene!r} is empty or already planned.")
    blank_fire = _plan_checked(command, v)
    return [ScenePlanned(**_planned(command, blank_fire))]


@handles(ReplanScene, roles=PLANNERS, doing="change a scene's plan")
def replan_scene(command: ReplanScene, v: Verdict) -> list[Event]:
    """Change a scene's plan whole: refused while anything is out with a performer for it; any
    safety meeting held before no longer counts (R-PLAN, R-MEETING)."""
    scene = v.scene(command.scene)
    if scene is None:
        return v.refused()
    if scene.status == "wrapped":
        v.breaks(KNOWN, scene.scene, f"Scene {scene.scene} is wrapped: its plan stays as shot.")
    if not command.reason.strip():
        v.breaks(KNOWN, scene.scene, f"Say why scene {scene.scene}'s plan changes.")
    for firearm in v.state.firearms.values():
        holder = v.state.people.get(firearm.holder or "")
        out = firearm.active and holder is not None and not holder.is_armorer
        if out and holder is not None and firearm.scene == scene.scene:
            v.breaks(
                PLAN,
                firearm.tag,
                f"{firearm.label} is with {holder.label} for scene {scene.scene} at "
                f"{v.now}: take it back before the plan changes.",
            )
    for container in v.state.containers.values():
        wearer = v.state.people.get(container.custodian)
        if container.scene == scene.scene and wearer is not None and not wearer.is_armorer:
            v.breaks(
                PLAN,
                container.tag,
                f"{container.label} is with {wearer.label} for scene {scene.scene} at "
                f"{v.now}: take it back before the plan changes.",
            )
    blank_fire = _plan_checked(command, v)
    return [ScenePlanChanged(reason=command.reason, **_planned(command, blank_fire))]


@handles(JoinScene, roles=PLANNERS, doing="add people to a scene")
def join_scene(command: JoinScene, v: Verdict) -> list[Event]:
    """Someone joins a scene's crew near firearms, only with training on record (F18)."""
    scene, person = v.scene(command.scene), v.person(command.person_id)
    if scene is None or person is None:
        return v.refused()
    if person.person_id in scene.people:
        v.breaks(KNOWN, person.person_id, f"{person.label} is already in scene {scene.scene}.")
    trained(v, person, FIREARM_SAFETY, scene.scene)
    return [SceneJoined(scene.scene, person.person_id)]


@handles(HoldSafetyMeeting, roles=MEETING_LEADERS, doing="hold a safety meeting")
def hold_meeting(command: HoldSafetyMeeting, v: Verdict) -> list[Event]:
    """Record a scene's safety meeting; whether it was enough is judged at issue."""
    scene = v.scene(command.scene)
    for person_id in command.attendees:
        v.person(person_id)
    if scene is None:
        return v.refused()
    on_set_for(v, f"hold scene {scene.scene}'s safety meeting")
    runs_at(v, scene, "hold its safety meeting")
    return [
        SafetyMeetingHeld(
            scene.scene,
            tuple(dict.fromkeys(command.attendees)),
            command.topics,
            command.pointing_plans,
            command.blank_fire_reviewed,
        )
    ]


@handles(StartScene, roles=frozenset({FIRST_AD}), doing="start a scene: the first AD does")
def start_scene(command: StartScene, v: Verdict) -> list[Event]:
    """The shot is ready: meeting held, everyone trained, an armorer on set, no stop."""
    scene = v.scene(command.scene)
    if scene is None:
        return v.refused()
    if scene.status != "planned":
        v.breaks(KNOWN, scene.scene, f"Scene {scene.scene} has already {scene.status}.")
    if scene.firearms:
        on_set_for(v, f"start scene {scene.scene} with firearms")
        runs_at(v, scene, "start it")
        work_allowed(v, "start a scene with firearms", scene.unit)
        on_its_day(v, scene, "start firearm work")
        meeting_held(v, scene)
        for person_id in scene.people:
            person = v.state.people.get(person_id)
            if person is not None:
                trained(v, person, FIREARM_SAFETY, scene.scene)
        if not v.state.on_set_at(scene.unit):
            v.breaks(
                ARMORER_PRESENT,
                scene.scene,
                f"No armorer is on set{there(v, scene.unit)}: scene {scene.scene} cannot start "
                "with firearms.",
            )
    return [SceneStarted(scene.scene)]


@handles(WrapScene, roles=frozenset({FIRST_AD}) | ARMORERS, doing="wrap a scene")
def wrap_scene(command: WrapScene, v: Verdict) -> list[Event]:
    """The scene ends; a firearm still out or loaded is a close-out warning."""
    scene = v.scene(command.scene)
    if scene is None:
        return v.refused()
    if scene.status != "started":
        v.breaks(KNOWN, scene.scene, f"Scene {scene.scene} is not running.")
    for tag in scene.firearms:
        firearm = v.state.firearms.get(tag)
        if firearm is None or not firearm.active or firearm.evidence is not None:
            continue  # evidence stays as found: not taken back nor unloaded at a wrap
        holder = v.state.people.get(firearm.holder or "")
        if holder is not None and not holder.is_armorer:
            v.breaks(
                CLOSE_OUT,
                tag,
                f"{firearm.label} is still with {holder.label} at the end "
                f"of scene {scene.scene}. Take it back and check it.",
            )
        if firearm.contents:
            v.breaks(
                CLOSE_OUT,
                tag,
                f"{firearm.label} still holds {len(firearm.contents)} "
                f"round(s) at the end of scene {scene.scene}. Unload and check it.",
            )
    return [SceneWrapped(scene.scene)]


@handles(CallBreak, roles=frozenset({FIRST_AD, PRODUCER}) | ARMORERS, doing="call a break")
def call_break(command: CallBreak, v: Verdict) -> list[Event]:
    """A break: whatever is not locked away now needs inspection or re-verification (F14).
    Evidence stays as it was found, and is nobody's to lock away: it is left out."""
    if v.state.on_break is not None:
        v.breaks(KNOWN, "break", f"A {v.state.on_break} break is already on.")
    firearms = tuple(
        sorted(
            tag
            for tag, f in v.state.firearms.items()
            if f.active and f.evidence is None and not _locked_away(v, f.container)
        )
    )
    lots = tuple(
        sorted(
            tag
            for tag, lot in v.state.lots.items()
            if lot.stock and lot.evidence is None and not _locked_away(v, lot.container)
        )
    )
    for tag in firearms:
        firearm = v.state.firearms[tag]
        where = (
            f"with {v.who(firearm.holder)}"
            if firearm.holder
            else f"in open {v.state.containers[firearm.container or ''].label}"
        )
        v.note(
            LOCKED,
            tag,
            f"{firearm.label} was {where}, not locked away, when the "
            f"{command.reason} break was called at {v.now}. Inspect it before it is used again.",
        )
    for tag in lots:
        v.note(
            LOCKED,
            tag,
            f"{v.state.lots[tag].label} was not locked away when the "
            f"{command.reason} break was called at {v.now}. Verify it again before use.",
        )
    return [BreakCalled(command.reason, firearms, lots)]


def _locked_away(v: Verdict, container: str | None) -> bool:
    return container is not None and v.state.containers[container].locked


@handles(EndBreak, roles=frozenset({FIRST_AD, PRODUCER}) | ARMORERS, doing="end a break")
def end_break(command: EndBreak, v: Verdict) -> list[Event]:
    """The break is over."""
    if v.state.on_break is None:
        v.breaks(KNOWN, "break", "No break is on.")
    return [BreakEnded()]
