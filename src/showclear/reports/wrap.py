"""The wrap reconciliation of a day: every count by hand against the record, and what differed.

For each count recorded that day (R-CLOSE-OUT): who counted and when, every firearm and lot
(and the rounds in each belt or bag) counted against what the record expected, each difference
in words, and the incident a difference opened. The scenes wrapped that day are listed too. A
day without a count prints a blank count sheet: what to count, never how many are expected (the
count is blind, as on the wrap page).
"""

from __future__ import annotations

from datetime import date

from showclear.core.events import armory, on_set
from showclear.core.state import ProductionState, Recorded
from showclear.reports import said
from showclear.reports.document import (
    ALERT,
    GOOD,
    NORMAL,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
)
from showclear.reports.reading import Snapshot, between, day_bounds, shoot_day_of


def difference(counted: int, expected: int) -> str:
    """``"matches"``, ``"2 missing"``, ``"1 more than on record"``."""
    if counted < expected:
        return f"{expected - counted} missing"
    if counted > expected:
        return f"{counted - expected} more than on record"
    return "matches"


def build(snap: Snapshot, day: date) -> Document:
    """The wrap reconciliation of ``day``."""
    state = snap.state
    since, until = day_bounds(day, snap.state)
    entries = between(snap.service, snap.production, since, until, snap.size - 1)
    counts = [e for e in entries if isinstance(e.event, armory.CountReconciled)]
    wrapped = [e for e in entries if isinstance(e.event, on_set.SceneWrapped)]
    sections = [_count(state, e, entries) for e in counts]
    if not counts:
        sections.append(_blank_sheet(state, day))
    scenes = Table(
        ("Time", "Entry", "Scene wrapped", "By"),
        tuple(
            (
                said.clock(e.at, snap.state),
                str(e.seq),
                _scene(state, e),
                said.person(state, e.person_id),
            )
            for e in wrapped
        ),
        widths=(1.2, 1.1, 6.0, 3.5),
        empty="No scene was wrapped on this day.",
    )
    sections.append(Section("Scenes wrapped", (scenes,)))
    shoot_day = shoot_day_of(day, state)
    return Document(
        kind="wrap",
        title="Wrap reconciliation",
        production=state.name,
        subtitle=said.long_day(day)
        + (f" (shoot day {shoot_day})" if shoot_day else "")
        + f" (times in {said.zone_name(snap.state)})",
        sections=tuple(sections),
        sealed=snap.sealed,
        name=f"wrap-{day.isoformat()}",
    )


def _count(state: ProductionState, recorded: Recorded, entries: list[Recorded]) -> Section:
    event = recorded.event
    assert isinstance(event, armory.CountReconciled)
    rows: list[tuple[str, str, str, str]] = []
    tones: list[str] = []
    counted = set(event.firearms_counted)
    for tag in event.firearms_expected:
        rows.append((_firearm(state, tag), "1", str(int(tag in counted)), ""))
    for tag in sorted(counted - set(event.firearms_expected)):
        rows.append((_firearm(state, tag), "0", "1", ""))
    for tally in event.lots:
        where = f" in {_container(state, tally.container)}" if tally.container else ""
        rows.append(
            (f"{_lot(state, tally.lot)}{where}", str(tally.expected), str(tally.counted), "")
        )
    lines = []
    for what, expected, got, _ in rows:
        words = difference(int(got), int(expected))
        lines.append((what, expected, got, words))
        tones.append(GOOD if words == "matches" else ALERT)
    opened = [
        e
        for e in entries
        if isinstance(e.event, on_set.IncidentOpened)
        and e.event.category == "count-difference"
        and e.seq > recorded.seq
        and e.at == recorded.at
        and e.person_id == recorded.person_id
    ]
    blocks: list[Facts | Table | Paragraph] = [
        Facts(
            (
                ("Counted by", said.person(state, recorded.person_id)),
                ("At", f"{said.clock(recorded.at, state)} (entry {recorded.seq})"),
                ("Result", "balanced" if event.balanced else "DIFFERENCES"),
            )
        ),
        Table(
            ("What", "On record", "Counted", "Difference"),
            tuple(lines),
            widths=(6.0, 1.6, 1.6, 3.0),
            tones=tuple(tones),
        ),
    ]
    for incident in opened:
        assert isinstance(incident.event, on_set.IncidentOpened)
        blocks.append(
            Paragraph(
                f"Incident {incident.event.incident} opened (entry {incident.seq}): "
                f"{incident.event.summary}.",
                ALERT,
            )
        )
    if event.balanced:
        blocks.append(Paragraph("Every firearm and every round is accounted for.", GOOD))
    return Section(f"Count at {said.clock(recorded.at, state)}", tuple(blocks))


def _blank_sheet(state: ProductionState, day: date) -> Section:
    items = [f.label for f in state.firearms.values() if f.active]
    items += [lot.label for tag, lot in sorted(state.lots.items()) if state.on_hand(tag)]
    items += [
        f"{state.lots[lot].label} in {box.label}"
        for box in state.containers.values()
        for lot, rounds in sorted(box.rounds.items())
        if rounds
    ]
    return Section(
        "No count recorded",
        (
            Paragraph(
                f"No wrap count is recorded on {day}. Count every firearm and every round by "
                "hand (the sheet below does not say how many to expect), then record the count "
                "on the Wrap page.",
                ALERT,
            ),
            Table(
                ("What to count", "Counted", "Counted by"),
                tuple((item, "", "") for item in items),
                widths=(6.0, 2.0, 4.0),
                tones=tuple(NORMAL for _ in items),
                empty="Nothing is on the production to count.",
            ),
        ),
    )


def _scene(state: ProductionState, recorded: Recorded) -> str:
    event = recorded.event
    assert isinstance(event, on_set.SceneWrapped)
    scene = state.scenes.get(event.scene)
    return f"{event.scene}: {scene.title}" if scene is not None and scene.title else event.scene


def _firearm(state: ProductionState, tag: str) -> str:
    found = state.firearms.get(tag)
    return f"{found.label} (serial {found.serial})" if found is not None else tag


def _lot(state: ProductionState, tag: str) -> str:
    found = state.lots.get(tag)
    return found.label if found is not None else tag


def _container(state: ProductionState, tag: str) -> str:
    found = state.containers.get(tag)
    return found.label if found is not None else tag
