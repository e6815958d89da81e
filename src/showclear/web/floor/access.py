"""Who may see a production's pages: a login bound to one of its people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from showclear.core.ledger.seal import LedgerTampered
from showclear.core.state import Person, ProductionState
from showclear.service import InputError, Service
from showclear.store import Production
from showclear.web.accounts.lookups import person_on
from showclear.web.accounts.models import Membership
from showclear.web.floor import local_time
from showclear.web.floor.roles import AREAS
from showclear.web.runtime import service


@dataclass(frozen=True)
class OnProduction:
    """A signed-in person on one production, with the service and the state now."""

    service: Service
    production: Production
    state: ProductionState
    person: Person
    #: What was found written outside Showclear in the production's ledger, if anything: every
    #: page shows the ledger-integrity alarm and nothing more is recorded.
    tampered: LedgerTampered | None = None

    @property
    def zone(self) -> tzinfo:
        """The production's time zone: every time on its pages is said, and typed, in it."""
        return self.service.zone(self.production)


def may(place: OnProduction, area: str) -> bool:
    """Whether the signed-in person may open ``area`` (see :data:`roles.AREAS`)."""
    return bool(place.person.roles & set(AREAS[area]))


class AreaClosed(PermissionDenied):
    """A 403 for an area the signed-in person's roles do not open: the page that answers it
    (:mod:`showclear.web.floor.forbidden`) says who may open it."""

    def __init__(self, place: OnProduction, area: str) -> None:
        super().__init__(f"{place.person.name} has no role on this production that opens {area}")
        self.place = place
        self.area = area


def require(place: OnProduction, area: str) -> None:
    """Refuse (403) unless the signed-in person may open ``area`` of this production."""
    if not may(place, area):
        raise AreaClosed(place, area)


def memberships(user: AbstractBaseUser | AnonymousUser) -> list[Membership]:
    """Every production place of a signed-in user."""
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user_id=user.pk))


def on_production(user: AbstractBaseUser | AnonymousUser, slug: str) -> OnProduction:
    """The production ``slug`` as ``user`` may see it; 404 if unknown, 403 if not theirs."""
    showclear = service()
    try:
        production = showclear.production(slug)
    except InputError as error:
        raise Http404("no such production") from error
    person_id = person_on(user.pk, production.slug)
    if person_id is None:
        raise PermissionDenied("you have no role on this production")
    state = showclear.state(production)
    person = state.people.get(person_id)
    if person is None:
        raise PermissionDenied("your login names a person this production does not know")
    local_time.read_in(showclear.zone(production), showclear.clock())
    return OnProduction(showclear, production, state, person, showclear.tampered(production))
