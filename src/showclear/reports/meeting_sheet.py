"""The safety meeting sign-in sheet of a day: one page per scene with firearms.

For each scene of the day (or each scene whose meeting was recorded that day): its firearm plan,
the meetings recorded for it (when, called by whom, topics, pointing plans), and the sign-in
list: everyone who must attend (the armorers, the first ADs, the scene's performers and the crew
near its firearms) and everyone recorded as attending, with their firearm safety training on the
day, whether the ledger has them at the meeting, and a space to sign on paper. Someone expected
but not recorded is marked. A scene without a meeting yet prints as an empty sheet to sign.
"""

from __future__ import annotations

from datetime import date

from showclear.core.events import on_set
from showclear.core.state import ProductionState, Recorded, Scene
from showclear.core.vocabulary import ARMORERS, FIRST_AD
from showclear.reports import said
from showclear.reports.document import (
    ALERT,
    GOOD,
    MUTED,
    NORMAL,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
)
from showclear.reports.reading import Snapshot, between, day_bounds, shoot_day_of


def build(snap: Snapshot, day: date, scene: str | None = None) -> Document:
    """The sign-in sheets of ``day`` (one scene only when ``scene`` is given)."""
    state = snap.state
    since, until = day_bounds(day, snap.state)
    entries = between(snap.service, snap.production, since, until, snap.size - 1)
    meetings = [e for e in entries if isinstance(e.event, on_set.SafetyMeetingHeld)]
    shoot_day = shoot_day_of(day, state)
    wanted = [s for s in state.scenes.values() if shoot_day and s.day == shoot_day]
    for held in meetings:
        assert isinstance(held.event, on_set.SafetyMeetingHeld)
        found = state.scenes.get(held.event.scene)
        if found is not None and found not in wanted:
            wanted.append(found)
    if scene is not None:
        wanted = [s for s in wanted if s.scene == scene] or (
            [state.scenes[scene]] if scene in state.scenes else []
        )
    sections = [_sheet(state, day, s, meetings) for s in wanted if s.firearms]
    if not sections:
        sections = [
            Section(
                "No scene with firearms",
                (Paragraph(f"No scene with firearms is planned or met for on {day}.", MUTED),),
            )
        ]
    return Document(
        kind="meeting-sheet",
        title="Safety meeting sign-in",
        production=state.name,
        subtitle=said.long_day(day) + (f" (shoot day {shoot_day})" if shoot_day else ""),
        sections=tuple(sections),
        sealed=snap.sealed,
        name=f"meeting-sheet-{day.isoformat()}" + (f"-scene-{scene}" if scene else ""),
    )


def _sheet(state: ProductionState, day: date, scene: Scene, meetings: list[Recorded]) -> Section:
    held = [
        m
        for m in meetings
        if isinstance(m.event, on_set.SafetyMeetingHeld) and m.event.scene == scene.scene
    ]
    plan = scene.blank_fire
    facts = Facts(
        (
            ("Scene", f"{scene.scene}: {scene.title}" if scene.title else scene.scene),
            ("Firearms", ", ".join(_firearm(state, t) for t in scene.firearms)),
            (
                "Condition",
                scene.condition
                + (f", {said.plural(scene.rounds, 'round')}" if scene.rounds else ""),
            ),
            (
                "Blank fire",
                "none planned"
                if plan is None
                else f"at least {plan.min_distance_cm / 100:g} m from the muzzle"
                + "".join(
                    f", {word}"
                    for word, on in (
                        ("close-range load", plan.close_range_load),
                        ("shields", plan.shields),
                        ("eye protection", plan.eye_protection),
                        ("ear protection", plan.ear_protection),
                    )
                    if on
                ),
            ),
            ("Pointing toward people", ", ".join(scene.pointing) or "none planned"),
            (
                "Worn in belts and bags",
                f"up to {said.plural(scene.worn_rounds, 'round')} each, of "
                f"{', '.join(scene.worn_lots)}"
                if scene.worn_rounds
                else "no rounds",
            ),
        )
    )
    blocks: list[Paragraph | Facts | Table] = [facts]
    attended: dict[str, str] = {}
    for meeting in held:
        event = meeting.event
        assert isinstance(event, on_set.SafetyMeetingHeld)
        for person_id in event.attendees:
            attended.setdefault(person_id, said.clock(meeting.at, state))
        blocks.append(
            Paragraph(
                f"Meeting recorded at {said.clock(meeting.at, state)} (entry {meeting.seq}) by "
                f"{said.person(state, meeting.person_id)}. Topics: "
                f"{', '.join(event.topics) or 'none recorded'}. Pointing plans: "
                f"{', '.join(event.pointing_plans) or 'none'}. Blank fire reviewed: "
                f"{'yes' if event.blank_fire_reviewed else 'no'}."
            )
        )
    changed = scene.changed
    if changed is not None and (not held or held[-1].seq < changed.seq):
        blocks.append(
            Paragraph(
                f"The plan changed at {said.clock(changed.at, state)} (entry {changed.seq}: "
                f"{changed.reason}): a meeting before it no longer counts. Hold it again on the "
                "plan above before any firearm is issued (R-PLAN, R-MEETING).",
                ALERT,
            )
        )
    if not held:
        blocks.append(
            Paragraph(
                "No safety meeting is recorded for this scene yet: no firearm is issued for it "
                "until one is (R-MEETING). Sign below at the meeting.",
                ALERT,
            )
        )
    expected = _expected(state, scene)
    people = expected + [p for p in attended if p not in expected]
    rows, tones = [], []
    for person_id in people:
        present = attended.get(person_id)
        must = person_id in expected
        rows.append(
            (
                state.people[person_id].name if person_id in state.people else person_id,
                said.roles(state, person_id),
                said.training(state, person_id, day),
                f"yes, {present}" if present else ("NOT RECORDED" if held and must else ""),
                "",
            )
        )
        tones.append(GOOD if present else (ALERT if held and must else NORMAL))
    blocks.append(
        Table(
            ("Name", "Role", "Firearm safety training", "At the meeting (ledger)", "Signature"),
            tuple(rows),
            widths=(3.2, 2.4, 3.0, 2.6, 3.6),
            tones=tuple(tones),
            blank_rows=3,
        )
    )
    return Section(f"Scene {scene.scene}", tuple(blocks))


def _expected(state: ProductionState, scene: Scene) -> list[str]:
    """Who must attend: armorers and first ADs on the roster, then the scene's people."""
    crew = [
        p.person_id
        for p in state.people.values()  # roster order
        if p.roles & (ARMORERS | {FIRST_AD})
    ]
    return list(dict.fromkeys([*crew, *scene.people]))


def _firearm(state: ProductionState, tag: str) -> str:
    firearm = state.firearms.get(tag)
    return firearm.label if firearm is not None else tag
