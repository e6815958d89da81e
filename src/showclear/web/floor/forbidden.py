"""The page a person gets when their roles do not open what they asked for: laid out like every
set page (header, STOP WORK, the ledger footer), saying who may open it and why, never a bare
"403 Forbidden".

Who may open an area is :data:`~showclear.web.floor.roles.AREAS`, read here as is, so the page
names the very roles the check uses; why is a sentence per area, below.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from showclear.core.vocabulary import ROLE_NAMES
from showclear.web.floor.access import AreaClosed
from showclear.web.floor.roles import AREAS, EVERYONE

WHY: dict[str, tuple[str, str]] = {
    "board": ("The board", "it shows where every firearm and round is"),
    "today": ("Today", "it is the readiness board of the day's scenes"),
    "ledger": ("The ledger page", "it is for the people who work the production's pages"),
    "firearm": ("A firearm's page", "it shows a firearm's custody and condition"),
    "lot": ("A lot's page", "it shows where an ammunition lot's rounds are"),
    "wrap": ("The wrap count", "it compares the count with the record"),
    "scan": ("Scan", "a scan opens firearms, lots, containers and people for handling"),
    "labels": ("Labels and badges", "badges are credentials: only the armory prints them"),
    "reports": ("Reports", "the paperwork names people, rounds and incidents"),
    "trace": ("The trace pages", "they are for investigating where a round came from"),
    "export": ("The export bundle", "it holds the whole ledger, every entry"),
    "handle-firearms": ("Handling firearms", "only the armory handles firearms"),
    "verify-rounds": ("Verifying rounds", "an armorer verifies each round"),
    "safety-meeting": ("The safety meeting", "the first AD and the armory hold it"),
    "count-at-wrap": ("Counting at wrap", "the armory counts what it is responsible for"),
    "import": ("Imports", "manifests, schedules and people come in through the armory"),
    "resume-work": ("Resuming work", "a safety supervisor and an armorer resume it together"),
    "form-unit": ("Forming a unit", "the roles the core names for it form units"),
    "production": ("The production's page", "it is for the people who work the production's pages"),
    "time-zone": ("Changing the time zone", "the armory keeps the production's clock"),
}
"""Area -> (what it is, why it is kept to those roles)."""


def roles_in_words(roles: tuple[str, ...]) -> str:
    """``"armorer, assistant armorer or safety supervisor"``."""
    if set(roles) >= set(EVERYONE):
        return "everyone who works the production's pages"
    names = [ROLE_NAMES[r] for r in roles if r in ROLE_NAMES]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: who may open this page and why, in the page's usual frame."""
    context: dict[str, object] = {"place": None}
    if isinstance(exception, AreaClosed):
        area = exception.area
        what, why = WHY.get(area, ("This page", "it belongs to other roles on the production"))
        context = {
            "place": exception.place,
            "what": what,
            "why": why,
            "who": roles_in_words(AREAS.get(area, ())),
            "yours": ", ".join(sorted(ROLE_NAMES.get(r, r) for r in exception.place.person.roles)),
        }
    return render(request, "forbidden.html", context, status=403)
