"""A firearm's history sheet: what it is, who had it when, and every entry about it.

Drawn from the firearm's own record in the state (every entry naming it, kept as it is
recorded), so it costs the same at a million entries as at a hundred.
"""

from __future__ import annotations

from showclear.core.events import armory, on_set
from showclear.core.read.firearm_record import missing_before_handover
from showclear.core.state import Custody, Firearm, ProductionState, condition, described
from showclear.reports import said
from showclear.reports.daily_log import tally
from showclear.reports.document import ALERT, NORMAL, Document, Facts, Paragraph, Section, Table
from showclear.reports.reading import Snapshot
from showclear.service import InputError


def build(snap: Snapshot, tag: str) -> Document:
    """The history sheet of the firearm tagged ``tag`` (or with that serial)."""
    state = snap.state
    firearm = find(state, tag)
    history = [e for e in firearm.history if e.seq < snap.size]
    counted = tally(history)
    received = history[0].at if history else None
    identity = Facts(
        (
            ("Tag", firearm.tag),
            ("Serial", firearm.serial),
            ("Make and model", f"{firearm.make} {firearm.model}".strip() or "not recorded"),
            ("Type and calibre", f"{firearm.firearm_type}, {firearm.calibre}"),
            ("Class", firearm.firearm_class),
            ("Positions", ", ".join(firearm.positions) or "none (takes no rounds)"),
            ("Owner", firearm.owner),
            ("Received", said.full_stamp(received, snap.state) if received else "not recorded"),
            ("Notes", firearm.notes or "none"),
        )
    )
    now = Facts(
        (
            ("Status", firearm.status),
            ("Where", _where(state, firearm)),
            ("Holds", described(condition(state, firearm))),
            (
                "Last inspection",
                f"{said.full_stamp(firearm.last_inspection.at, snap.state)} by "
                f"{said.person(state, firearm.last_inspection.by)}"
                if firearm.last_inspection
                else "none",
            ),
            (
                "Record",
                f"{said.plural(counted.handovers, 'handover')}, "
                f"{said.plural(counted.inspections, 'inspection')}, "
                f"{said.plural(counted.rounds_loaded, 'round')} loaded, "
                f"{said.plural(counted.rounds_fired, 'round')} fired, "
                f"{said.plural(counted.misfires, 'misfire')}",
            ),
        )
    )
    missing = missing_before_handover(state, firearm) if firearm.active else []
    custody = Table(
        ("From", "Until", "Held by or kept in"),
        tuple(_stretch(state, stretch) for stretch in firearm.custody),
        widths=(3.0, 3.0, 7.0),
        empty="No custody on record.",
    )
    known = said.names(state)
    entries = Table(
        ("When", "Entry", "What happened", "Recorded by"),
        tuple(
            (
                said.full_stamp(e.at, snap.state),
                str(e.seq),
                said.entry(state, e, known),
                said.person(state, e.person_id),
            )
            for e in history
        ),
        widths=(2.6, 1.0, 7.5, 3.2),
        tones=tuple(_tone(e.event) for e in history),
    )
    before = (
        [Paragraph("Before it goes to a performer: " + " ".join(missing), ALERT)] if missing else []
    )
    return Document(
        kind="firearm",
        title=f"Firearm history: {firearm.label}",
        production=state.name,
        subtitle=f"{firearm.make} {firearm.model}, serial {firearm.serial} (times in {said.zone_name(snap.state)})",
        sections=(
            Section("The firearm", (identity,)),
            Section("Now", (now, *before)),
            Section("Custody", (custody,)),
            Section("Every entry", (entries,)),
        ),
        sealed=snap.sealed,
        name=f"firearm-{firearm.tag}",
    )


def find(state: ProductionState, tag: str) -> Firearm:
    """The firearm tagged ``tag``, or with serial ``tag``; InputError naming the tags."""
    found = state.firearms.get(tag)
    if found is None:
        wanted = "".join(tag.split()).casefold()
        found = next(
            (f for f in state.firearms.values() if "".join(f.serial.split()).casefold() == wanted),
            None,
        )
    if found is None:
        tags = ", ".join(sorted(state.firearms)) or "none yet"
        raise InputError(f"no firearm is tagged {tag!r} (or has that serial); the tags: {tags}")
    return found


def _where(state: ProductionState, firearm: Firearm) -> str:
    if firearm.container is not None:
        box = state.containers.get(firearm.container)
        return f"in {box.label if box else firearm.container}"
    if firearm.holder is not None:
        return f"with {said.person(state, firearm.holder)}"
    return "nowhere on record" if firearm.active else firearm.status


def _stretch(state: ProductionState, stretch: Custody) -> tuple[str, str, str]:
    if stretch.container is not None:
        box = state.containers.get(stretch.container)
        where = box.label if box is not None else stretch.container
    elif stretch.holder is not None:
        where = said.person(state, stretch.holder)
    else:
        where = "nobody"
    until = said.full_stamp(stretch.end, state) if stretch.end is not None else "now"
    return said.full_stamp(stretch.start, state), until, where


def _tone(event: object) -> str:
    if isinstance(event, on_set.DischargeReported) and not event.planned:
        return ALERT
    if isinstance(event, on_set.MisfireReported | on_set.RoundFound | on_set.IncidentOpened):
        return ALERT
    if isinstance(event, armory.FirearmInspected) and not event.barrel_clear:
        return ALERT
    return NORMAL
