"""A person confirming in person on the armorer's phone: their PIN or their badge code.

A performer has no account. They type their PIN, or their badge is scanned or typed, into the
armorer's phone; the page passes it, as it came, to the application service, which checks it
against the credential store, throttled (:mod:`showclear.service.credential_desk`: after 5 wrong PINs
within 15 minutes, PIN entry for that person is locked for 15 minutes and their badge still
works; wrong badge codes count the same way). The page never sees a stored credential: a
successful check gives a one-time presence token, good for this signed-in armorer's next
command within 15 minutes, which the flow keeps in the session until it records.

The counts live in the database every app process shares, so they hold across workers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from showclear.core.state import Person
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import OnProduction


@dataclass(frozen=True)
class Checked:
    """The outcome of one confirmation: a presence token and how, or why not."""

    token: str = ""
    via: str = ""
    problem: str = ""

    @property
    def confirmed(self) -> bool:
        """Whether the person confirmed."""
        return bool(self.token)


def presented(request: HttpRequest) -> str:
    """What the person gave: the PIN typed on the number pad, or else the badge scanned or
    typed into the badge field (``code``: either, from a form drawn before the two fields)."""
    form = request.POST
    return form.get("pin", "").strip() or form.get("badge", "").strip() or form.get("code", "")


def check(place: OnProduction, person: Person, code: str) -> Checked:
    """Check a typed PIN or a scanned or typed badge code for ``person``, for the armorer
    holding the phone."""
    if not code.strip():
        return Checked(problem=f"Type {person.name}'s PIN or scan their badge.")
    found = place.service.credentials.confirm_in_person(
        place.production, person.person_id, code, actor=place.person.person_id
    )
    if isinstance(found, Failed):
        return Checked(problem=found.problem)
    return Checked(token=found.token, via=found.method)
