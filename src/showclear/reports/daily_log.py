"""The day's armorer log: every entry of the day by time, with what it says and who recorded it.

It replaces the check-out sheet and the day's inventory pages: every handover and return,
inspection, load and unload, show-clear, discharge and misfire, verification and count, each
with its ledger entry number, so any line can be proven from the ledger.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from showclear.core.events import armory, on_set
from showclear.core.state import Recorded
from showclear.reports import said, units
from showclear.reports.document import (
    ALERT,
    NORMAL,
    Block,
    Document,
    Facts,
    Paragraph,
    Section,
    Table,
)
from showclear.reports.reading import Snapshot, between, day_bounds, shoot_day_of

ALERT_KINDS = frozenset(
    {"incident.opened", "work.stopped", "round.found", "misfire.reported", "rule.warned"}
    | {"handling.reported"}
)


@dataclass(frozen=True)
class Tally:
    """What a set of entries did, counted (for the log's summary and the compliance plots)."""

    handovers: int = 0
    returns: int = 0
    inspections: int = 0
    show_clears: int = 0
    rounds_loaded: int = 0
    rounds_unloaded: int = 0
    rounds_fired: int = 0
    misfires: int = 0
    rounds_verified: int = 0
    lots_received: int = 0
    firearms_received: int = 0
    counts: int = 0
    warnings: int = 0
    overrides_granted: int = 0
    overrides_used: int = 0
    incidents: int = 0
    stoppages: int = 0


def tally(entries: list[Recorded]) -> Tally:
    """Count what ``entries`` did."""
    counts: Counter[str] = Counter()
    for recorded in entries:
        event = recorded.event
        if isinstance(event, armory.FirearmHandedOver | armory.ContainerHandedOver):
            counts["handovers"] += 1
        elif isinstance(event, armory.FirearmReturned | armory.ContainerReturned):
            counts["returns"] += 1
        elif isinstance(event, armory.FirearmInspected):
            counts["inspections"] += 1
        elif isinstance(event, armory.ShownClear):
            counts["show_clears"] += 1
        elif isinstance(event, armory.FirearmLoaded):
            counts["rounds_loaded"] += len(event.positions)
        elif isinstance(event, armory.FirearmUnloaded):
            counts["rounds_unloaded"] += len(event.removed)
        elif isinstance(event, on_set.DischargeReported):
            counts["rounds_fired"] += len(event.positions)
        elif isinstance(event, on_set.MisfireReported):
            counts["misfires"] += 1
        elif isinstance(event, armory.RoundsVerified):
            counts["rounds_verified"] += event.count
        elif isinstance(event, armory.LotReceived):
            counts["lots_received"] += 1
        elif isinstance(event, armory.FirearmReceived):
            counts["firearms_received"] += 1
        elif isinstance(event, armory.CountReconciled):
            counts["counts"] += 1
        elif isinstance(event, on_set.RuleWarned):
            counts["warnings"] += 1
        elif isinstance(event, on_set.RuleOverridden):
            counts["overrides_granted"] += 1
        elif isinstance(event, on_set.OverrideApplied):
            counts["overrides_used"] += 1
        elif isinstance(event, on_set.IncidentOpened):
            counts["incidents"] += 1
        elif isinstance(event, on_set.WorkStopped):
            counts["stoppages"] += 1
    return Tally(**counts)


def build(snap: Snapshot, day: date) -> Document:
    """The armorer's log of ``day``."""
    state = snap.state
    since, until = day_bounds(day, snap.state)
    entries = between(snap.service, snap.production, since, until, snap.size - 1)
    counted = tally(entries)
    shoot_day = shoot_day_of(day, state)
    facts = Facts(
        (
            ("Production", state.name),
            ("Day", said.long_day(day) + (f" (shoot day {shoot_day})" if shoot_day else "")),
            ("Key armorer", said.person(state, state.armorer_id)),
            ("Entries", str(len(entries))),
            (
                "From / to",
                f"{said.clock(entries[0].at, snap.state)} to {said.clock(entries[-1].at, snap.state)}"
                if entries
                else "nothing recorded",
            ),
        )
    )
    summary = Table(
        ("Handovers", "Returns", "Inspections", "Show-clears", "Loaded", "Fired", "Verified"),
        (
            (
                str(counted.handovers),
                str(counted.returns),
                str(counted.inspections),
                str(counted.show_clears),
                said.plural(counted.rounds_loaded, "round"),
                said.plural(counted.rounds_fired, "round"),
                said.plural(counted.rounds_verified, "round"),
            ),
        ),
    )
    known = said.names(state)
    log = Table(
        ("Time", "Entry", "About", "What happened", "Recorded by"),
        tuple(
            (
                said.clock(e.at, snap.state),
                str(e.seq),
                said.about(e),
                said.entry(state, e, known),
                said.person(state, e.person_id),
            )
            for e in entries
        ),
        widths=(1.2, 1.1, 2.0, 7.4, 3.2),
        tones=tuple(_tone(e) for e in entries),
        empty="Nothing was recorded on this day.",
    )
    notes = []
    if counted.incidents or counted.stoppages or counted.warnings:
        notes.append(
            Paragraph(
                f"{said.plural(counted.incidents, 'incident')} opened, "
                f"{said.plural(counted.stoppages, 'STOP WORK', 'STOP WORKs')}, "
                f"{said.plural(counted.warnings, 'warning')} recorded: they are marked in red.",
                ALERT,
            )
        )
    by_unit = (Section("By unit", by_unit_blocks(snap, entries)),) if units.several(state) else ()
    return Document(
        kind="daily-log",
        title="Armorer's log",
        production=state.name,
        subtitle=said.long_day(day) + f" (times in {said.zone_name(snap.state)})",
        sections=(
            Section("The day", (facts, summary, *notes)),
            *by_unit,
            Section("Every entry, by time", (log,)),
        ),
        sealed=snap.sealed,
        name=f"daily-log-{day.isoformat()}",
    )


def by_unit_blocks(snap: Snapshot, entries: list[Recorded]) -> tuple[Block, ...]:
    """What each unit did on the day (see :mod:`showclear.reports.units`)."""
    state = snap.state
    rows = []
    for unit, mine in units.by_unit(snap, entries).items():
        counted = tally(mine)
        scenes = sorted({e.event.scene for e in mine if isinstance(e.event, on_set.SceneStarted)})
        rows.append(
            (
                state.unit_label(unit),
                ", ".join(scenes) or "none",
                str(counted.handovers),
                str(counted.returns),
                str(counted.inspections),
                str(counted.show_clears),
                said.plural(counted.rounds_fired, "round"),
                str(units.moves(mine)),
                units.stopped(mine),
            )
        )
    return (
        Paragraph(
            "The production shot with several units. Each entry is counted at the unit it "
            "names, or its scene's unit, or the unit its recorder was at; a move between units "
            "is counted at both ends (dispatched at one, received at the other)."
        ),
        Table(
            ("Unit", "Scenes started", "Handovers", "Returns", "Inspections", "Show-clears",
             "Fired", "Moves between units", "STOP WORK"),
            tuple(rows),
            empty="No unit recorded anything on this day.",
        ),
    )  # fmt: skip


def _tone(recorded: Recorded) -> str:
    event = recorded.event
    if recorded.event.kind in ALERT_KINDS:
        return ALERT
    if isinstance(event, on_set.DischargeReported) and not event.planned:
        return ALERT
    return NORMAL
