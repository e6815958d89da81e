"""How reports say times, people and entries: the same words as the trace and the set pages
(times, counts and entries are :mod:`showclear.core.words`'s own). Every time is said in the
production's zone, which each function reads from the state it is given."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from showclear.core import words
from showclear.core.mentions import CONTAINER, FIREARM, LOT, mentions
from showclear.core.read.trace import Names
from showclear.core.read.trace import said as trace_said
from showclear.core.state import ProductionState, Recorded
from showclear.core.vocabulary import FIREARM_SAFETY, ROLE_NAMES
from showclear.core.words import plural as plural  # "1 round", "6 rounds"
from showclear.service import zones


def zone(state: ProductionState) -> tzinfo:
    """The production's time zone: every time a report says is said in it."""
    return zones.zone(state.zone)


def zone_name(state: ProductionState) -> str:
    """``"America/Denver"``: the zone a report's times are in, for its subtitle."""
    return state.zone or zones.DEFAULT


def clock(at: datetime, state: ProductionState) -> str:
    """``"13:02 MDT"``: a time of the report's day, in the production's zone."""
    return words.clock(at, zone=zone(state))


def stamp(at: datetime, state: ProductionState) -> str:
    """``"Oct 13 13:02 MDT"``, in the production's zone."""
    return words.stamp(at, zone=zone(state))


def full_stamp(at: datetime, state: ProductionState) -> str:
    """``"2026-10-13 13:02:00 MDT (UTC-06:00)"``, in the production's zone."""
    return words.full_stamp(at, zone=zone(state))


def local_day(at: datetime, state: ProductionState) -> date:
    """The date ``at`` falls on in the production's zone."""
    return words.local_day(at, zone(state))


def long_day(day: date) -> str:
    """``"Tuesday 13 October 2026"``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def names(state: ProductionState) -> Names:
    """The production's people and containers, to say entries in words."""
    return Names(state.people, state.containers, state.units)


def entry(state: ProductionState, recorded: Recorded, known: Names | None = None) -> str:
    """What one entry says, as a sentence without its time or author."""
    return trace_said(recorded, known if known is not None else names(state))


def about(recorded: Recorded) -> str:
    """The firearms, lots and containers an entry names: ``"R-01, SAFE-1"``."""
    event = recorded.event
    named = mentions(event.kind, event.to_payload(), "")
    return ", ".join(sorted({key for kind, key in named if kind in (FIREARM, LOT, CONTAINER)}))


def person(state: ProductionState, person_id: str) -> str:
    """``"Marta Velez (armorer)"``."""
    return state.person_label(person_id)


def roles(state: ProductionState, person_id: str) -> str:
    """``"armorer"``, ``"cast"``: a person's roles in words."""
    found = state.people.get(person_id)
    if found is None:
        return "not on the roster"
    return ", ".join(ROLE_NAMES.get(r, r) for r in sorted(found.roles))


def training(state: ProductionState, person_id: str, day: date) -> str:
    """Firearm safety training on ``day``: ``"valid until 2028-06-18"`` or ``"NONE"``."""
    found = state.people.get(person_id)
    record = found.trainings.get(FIREARM_SAFETY) if found is not None else None
    if record is None:
        return "NONE on record"
    if not record.valid_on(day):
        return f"EXPIRED {record.expires_on}"
    return f"valid until {record.expires_on}" if record.expires_on else "valid, no expiry"
