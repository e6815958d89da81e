"""Today's readiness board: is each scene READY, and what is missing before each firearm may be
handed over?

Nothing here re-states a rule. The board *previews* the very commands the set would give next
(``StartScene`` by the first AD, ``HandOver`` by an armorer to the scene's performer) through
:func:`~showclear.core.decide.decide`, which reads the state and never changes it, and shows the
violations it would refuse with. So the board and the refusal on set can never disagree.

Pure: the caller supplies the moment (aware UTC), today's date and the production's zone.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from showclear.core.commands import Command, HandOver, StartScene
from showclear.core.decide import Context, InPerson, Refused, decide
from showclear.core.decide.firearms import ammunition_matches, every_position_shown
from showclear.core.decide.readiness import missing_at_meeting, work_allowed
from showclear.core.decide.verdict import Verdict
from showclear.core.read.board import where
from showclear.core.rules import EVIDENCE, HANDLING, PLAN, Violation
from showclear.core.state import Firearm, Inspection, Lot, ProductionState, Scene
from showclear.core.state import condition as condition_of
from showclear.core.vocabulary import FIRST_AD
from showclear.core.words import described

PREVIEW_DEVICE = "preview"


def preview(
    state: ProductionState,
    command: Command,
    person_id: str,
    at: datetime,
    present: Mapping[str, InPerson] | None = None,
    *,
    zone: tzinfo = UTC,
) -> tuple[Violation, ...]:
    """Every violation ``command`` by ``person_id`` would meet now; nothing is recorded.

    Warnings are included (they do not refuse); ``()`` means it would be recorded cleanly.
    ``present``: who is supposed to confirm in person (a preview checks no credential).
    ``zone``: the production's time zone, that the reasons say their times in.
    """
    context = Context(
        person_id=person_id, device=PREVIEW_DEVICE, at=at, present=present or {}, tzinfo=zone
    )
    try:
        decide(state, command, context)
    except Refused as refused:
        return refused.violations
    return ()


def still_needed_at_meeting(
    state: ProductionState, scene: Scene, attendees: Collection[str]
) -> list[str]:
    """Who the core will look for at ``scene``'s safety meeting and is not among ``attendees``
    yet (R-MEETING, as the handover and the scene's start judge it)."""
    return missing_at_meeting(state, scene, attendees)


def lots_that_fit(state: ProductionState, firearm: Firearm, at: datetime) -> list[Lot]:
    """The lots whose rounds the core would let into ``firearm`` by calibre and make
    (R-AMMUNITION-MATCH, the very check ``Load`` makes); whether a lot is usable is its own."""
    fitting = []
    for lot in state.lots.values():
        verdict = Verdict(state, Context(person_id="", device=PREVIEW_DEVICE, at=at))
        ammunition_matches(verdict, firearm, lot)
        if not verdict.violations:
            fitting.append(lot)
    return fitting


def not_shown(
    state: ProductionState,
    firearm: Firearm,
    shown: tuple[str, ...],
    at: datetime,
    *,
    zone: tzinfo = UTC,
) -> tuple[Violation, ...]:
    """What ``ShowClear`` would say of showing only ``shown`` of ``firearm``'s positions
    (R-SHOW-CLEAR, the very check it makes): ``()`` when every position was shown."""
    verdict = Verdict(state, Context(person_id="", device=PREVIEW_DEVICE, at=at, tzinfo=zone))
    every_position_shown(verdict, firearm, shown)
    return tuple(verdict.violations)


@dataclass(frozen=True)
class FirearmReadiness:
    """One firearm of a scene: where it is, what it holds, and what is missing."""

    tag: str
    label: str
    where: str
    condition: str
    rounds: int
    last_inspection: Inspection | None
    inspected_by: str
    performer: str
    """Who it goes to in this scene (name and role), or ``""`` when nobody is planned."""
    issued: bool
    """Already handed to its performer for this scene."""
    missing: tuple[Violation, ...]
    """What blocks (or warns about) the handover, beyond what the scene itself lacks."""
    evidence: str = ""
    """The incident it is evidence of (``""`` when it is not): nothing else about it matters."""

    @property
    def words(self) -> str:
        """``"dummies (6)"``, or ``"evidence of incident-3"``."""
        if self.evidence:
            return f"evidence of {self.evidence}"
        return described((self.condition, self.rounds))

    @property
    def ready(self) -> bool:
        """Out already, or nothing blocks its handover."""
        return self.issued or not any(v.blocks for v in self.missing)


@dataclass(frozen=True)
class SceneReadiness:
    """One scene of the day: READY or NOT READY, and why."""

    scene: str
    title: str
    status: str
    condition: str
    rounds: int
    missing: tuple[Violation, ...]
    """What the scene itself lacks (meeting, training, STOP WORK, ...), each once."""
    firearms: tuple[FirearmReadiness, ...]

    @property
    def words(self) -> str:
        """The planned condition: ``"hot (2 blanks)"``."""
        return described((self.condition, self.rounds))

    @property
    def ready(self) -> bool:
        """Nothing blocks the scene nor any of its firearms (a wrapped scene is never ready)."""
        return (
            self.status != "wrapped"
            and not any(v.blocks for v in self.missing)
            and all(f.ready for f in self.firearms)
        )

    @property
    def blocking(self) -> int:
        """How many reasons stand in the way, scene and firearms together."""
        return sum(1 for v in self.missing if v.blocks) + sum(
            1 for f in self.firearms if not f.issued for v in f.missing if v.blocks
        )


@dataclass(frozen=True)
class ShootDay:
    """The scenes of one shoot day, with why this day was chosen."""

    day: str
    date: str
    is_today: bool
    scenes: tuple[SceneReadiness, ...]


def _armorer_for(state: ProductionState, firearm: Firearm) -> str:
    """Who would hand it over: the armorer holding it, else the key armorer, else any armorer."""
    holder = state.people.get(firearm.holder or "")
    if holder is not None and holder.is_armorer:
        return holder.person_id
    key = state.people.get(state.armorer_id)
    if key is not None and key.is_armorer:
        return key.person_id
    armorer = next((p for p in state.people.values() if p.is_armorer), None)
    return armorer.person_id if armorer is not None else state.armorer_id


def _performer_for(scene: Scene, firearm: Firearm, index: int) -> str:
    """The performer a firearm goes to: the one the plan assigns it to, else the one it was
    shown to for this scene, else the one
    planned in the same place of the scene's list, else the first performer."""
    if firearm.tag in scene.assigned:
        return scene.assigned[firearm.tag]
    shown = firearm.shown
    if shown is not None and shown.scene == scene.scene and shown.performer_id in scene.performers:
        return shown.performer_id
    if index < len(scene.performers):
        return scene.performers[index]
    return scene.performers[0] if scene.performers else ""


def _first_ad(state: ProductionState) -> str:
    person = next((p for p in state.people.values() if FIRST_AD in p.roles), None)
    return person.person_id if person is not None else ""


def _not_started(scene: Scene, found: Violation) -> bool:
    """The "scene has not started" refusal, and the "not on its shoot day" one (R-PLAN, with
    the scene as its subject): expected on a board of a day other than today, which shows each
    scene as it stands for its own day."""
    if found.rule_id == PLAN.rule_id and found.subject == scene.scene:
        return True
    return (
        scene.status == "planned"
        and found.rule_id == HANDLING.rule_id
        and (found.subject == scene.scene and "has not started" in found.message)
    )


def scene_readiness(
    state: ProductionState, scene: Scene, at: datetime, *, zone: tzinfo = UTC
) -> SceneReadiness:
    """Preview the scene's start and each firearm's handover at ``at`` (reasons say their
    times in ``zone``)."""
    scene_level: list[Violation] = []
    if scene.status == "planned" and scene.firearms:
        started = preview(state, StartScene(scene.scene), _first_ad(state), at, zone=zone)
        scene_level += [found for found in started if not _not_started(scene, found)]
    if scene.status != "wrapped":
        # A running scene whose firearms are all out previews nothing, yet STOP WORK or an open
        # incident still holds it: say so on the board, not only in the banner.
        held = Verdict(
            state, Context(_first_ad(state) or state.armorer_id, "board", at, tzinfo=zone)
        )
        work_allowed(held, "carry on with firearms in this scene", scene.unit)
        scene_level += [found for found in held.violations if found not in scene_level]
    firearms: list[FirearmReadiness] = []
    for index, tag in enumerate(scene.firearms):
        firearm = state.firearms.get(tag)
        if firearm is None:
            continue
        performer = _performer_for(scene, firearm, index)
        holder = state.people.get(firearm.holder or "")
        issued = (
            firearm.active
            and firearm.evidence is None
            and holder is not None
            and holder.is_performer
            and firearm.scene == scene.scene
        )
        own: list[Violation] = []
        if scene.status != "wrapped" and not issued:
            found = preview(
                state,
                HandOver(tag, performer, scene.scene),
                _armorer_for(state, firearm),
                at,
                zone=zone,
            )
            if firearm.evidence is not None:
                # Evidence: its handover waits for nothing but the investigators.
                found = tuple(v for v in found if v.rule_id == EVIDENCE.rule_id)
            for violation in found:
                if _not_started(scene, violation):
                    continue
                if violation.subject == tag:
                    own.append(violation)
                elif violation not in scene_level:
                    scene_level.append(violation)
        word, count = condition_of(state, firearm)
        inspection = firearm.last_inspection
        firearms.append(
            FirearmReadiness(
                tag=tag,
                label=firearm.label,
                where=where(state, tag),
                condition=word,
                rounds=count,
                last_inspection=inspection,
                inspected_by=state.person_label(inspection.by) if inspection else "",
                performer=state.person_label(performer) if performer else "",
                issued=issued,
                missing=tuple(own),
                evidence=firearm.evidence.incident if firearm.evidence is not None else "",
            )
        )
    return SceneReadiness(
        scene=scene.scene,
        title=scene.title,
        status=scene.status,
        condition=scene.condition,
        rounds=scene.rounds,
        missing=tuple(scene_level),
        firearms=tuple(firearms),
    )


def shoot_day(
    state: ProductionState, today: date, at: datetime, day: str = "", *, zone: tzinfo = UTC
) -> ShootDay | None:
    """The day to show: ``day`` if named, else today's shoot day (``today``: the date in the
    production's ``zone``), else the latest shoot day with scenes (``is_today`` says which).
    ``None`` when no scene is planned at all."""
    with_scenes = {scene.day for scene in state.scenes.values()}
    chosen = day if day in with_scenes else ""
    if not chosen:
        chosen = next(
            (d for d, iso in state.days.items() if iso == today.isoformat() and d in with_scenes),
            "",
        )
    if not chosen:
        dated = sorted((state.days.get(d, ""), d) for d in with_scenes)
        if not dated:
            return None
        chosen = dated[-1][1]
    # In plan order, the wrapped ones last: the next scene to start stays under the thumb.
    scenes = tuple(
        scene_readiness(state, scene, at, zone=zone)
        for scene in sorted(
            (s for s in state.scenes.values() if s.day == chosen),
            key=lambda s: s.status == "wrapped",
        )
    )
    iso = state.days.get(chosen, "")
    return ShootDay(chosen, iso, iso == today.isoformat(), scenes)


def days_with_scenes(state: ProductionState) -> list[tuple[str, str]]:
    """``[(day, iso date), ...]`` of every shoot day with scenes, in date order."""
    with_scenes = {scene.day for scene in state.scenes.values()}
    return sorted(((d, state.days.get(d, "")) for d in with_scenes), key=lambda pair: pair[1])
