"""Who may see a production's pages: a login bound to one of its people."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from showclear.core.state import Person
from showclear.core.state import Production as ArmoryState
from showclear.service import InputError, Showclear
from showclear.store import Production
from showclear.web.accounts.models import Membership
from showclear.web.runtime import service


@dataclass(frozen=True)
class OnProduction:
    """A signed-in person on one production, with the service and the state now."""

    service: Showclear
    production: Production
    state: ArmoryState
    person: Person


def require(place: OnProduction, *roles: str) -> None:
    """Refuse (403) unless the signed-in person holds one of ``roles`` on this production."""
    if not place.person.roles & set(roles):
        raise PermissionDenied(
            f"{place.person.name} has no role here that may do this (needs: {', '.join(roles)})"
        )


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
    membership = Membership.objects.filter(
        user_id=user.pk or 0, production_slug=production.slug
    ).first()
    if membership is None:
        raise PermissionDenied("you have no role on this production")
    state = showclear.state(production)
    person = state.people.get(membership.person_id)
    if person is None:
        raise PermissionDenied("your login names a person this production does not know")
    return OnProduction(showclear, production, state, person)
