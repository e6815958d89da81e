"""What the desk pages share (scenes and breaks, people, incidents, receiving by hand).

Every one of their recording forms posts through :func:`record`, which is
:func:`~showclear.web.floor.actions.attempt` (the one way a set page records a command), and
every form carries the fields of ``floor/_desk_fields.html`` (one place for what every
recording press carries).

A second person confirming in person on this phone (the producer closing an incident with the
safety supervisor, the witness to a handover of evidence, the armorer taking it back) types
their PIN or has their badge scanned. Before anyone is asked, the page asks the core what it
would refuse now, with that person supposed present (:func:`ahead`); the PIN is checked only
when nothing else stands in the way, so a refusal never costs the second person a try.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

from showclear.core.commands import Command, Confirmation
from showclear.core.decide.verdict import InPerson
from showclear.core.read.readiness_board import preview
from showclear.core.rules import Violation
from showclear.core.state import Person
from showclear.web.floor.access import OnProduction
from showclear.web.floor.actions import Outcome, attempt
from showclear.web.floor.firearm_confirm import check


def record(request: HttpRequest, place: OnProduction, command: Command) -> Outcome:
    """Record ``command`` for the signed-in person, or say why not (nothing recorded)."""
    return attempt(request, place, command)


def supposed(person: Person | None) -> dict[str, InPerson]:
    """``person`` supposed present with their badge (or PIN), for a preview only."""
    if person is None:
        return {}
    return {person.person_id: InPerson("preview", person.badge_id or person.pin_id)}


def ahead(
    place: OnProduction, command: Command, *confirming: Person | None
) -> tuple[Violation, ...]:
    """What the core would refuse of ``command`` now, the people ``confirming`` supposed
    present: the reasons to show before anyone hands the phone over."""
    present: dict[str, InPerson] = {}
    for person in confirming:
        present.update(supposed(person))
    found = preview(place.state, command, place.person.person_id, place.service.clock(), present)
    return tuple(v for v in found if v.blocks)


def presented(form: QueryDict, field: str) -> str:
    """What a person typed or scanned to confirm: their PIN, or else their badge code."""
    return form.get(f"{field}_pin", "").strip() or form.get(f"{field}_badge", "").strip()


def confirmed(place: OnProduction, person: Person, code: str) -> Confirmation | str:
    """``person`` confirming in person with ``code`` (a PIN or a badge), checked now by the
    service (throttled): their confirmation for the next command, or why not."""
    checked = check(place, person, code)
    if not checked.confirmed:
        return checked.problem
    return Confirmation(person.person_id, checked.token)


def chosen(place: OnProduction, form: QueryDict, field: str) -> Person | None:
    """The person a form's ``field`` names, if on the roster."""
    return place.state.people.get(form.get(field, ""))
