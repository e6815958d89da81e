"""Every event kind has one class and every event class one applier, in the explicit tables."""

from __future__ import annotations

from showclear.core import events
from showclear.core.events.base import Event
from showclear.core.state import APPLIERS
from showclear.core.state import armory as fold_armory
from showclear.core.state import evidence as fold_evidence
from showclear.core.state import on_set as fold_set


def _subclasses(cls: type[Event]) -> set[type[Event]]:
    found: set[type[Event]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_event_class_is_listed_once() -> None:
    listed = events.EVENTS
    assert len(listed) == len(set(listed))
    defined = {cls for cls in _subclasses(Event) if cls.__module__.startswith("showclear.core.")}
    assert defined == set(listed), "list each new event class in showclear.core.events.EVENTS"


def test_every_kind_has_exactly_one_class() -> None:
    kinds = [cls.kind for cls in events.EVENTS]
    assert all(kinds)
    assert len(kinds) == len(set(kinds))
    assert {cls.kind: cls for cls in events.EVENTS} == events.EVENT_TYPES


def test_every_event_class_has_exactly_one_applier() -> None:
    areas = [fold_armory.APPLIERS, fold_set.APPLIERS, fold_evidence.APPLIERS]
    applied = [event_type for area in areas for event_type in area]
    assert len(applied) == len(set(applied)), "an event is applied in two areas"
    assert set(APPLIERS) == set(events.EVENTS)
    assert len(APPLIERS) == len(events.EVENTS)
