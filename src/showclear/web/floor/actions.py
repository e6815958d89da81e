"""Recording a command from a page: the signed-in person acts, the service decides.

Every state change a page makes goes through :func:`attempt`, so the safety rules are applied
by the core exactly as on the CLI and the API. A refusal comes back with every reason, each with
its rule id, and nothing is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from showclear.core.commands import Command
from showclear.core.decide import Refused
from showclear.core.rules import Violation
from showclear.service import Executed
from showclear.store import StoreError
from showclear.web.floor.access import OnProduction
from showclear.web.not_recorded import mark


@dataclass(frozen=True)
class Outcome:
    """What happened to one attempted command."""

    executed: Executed | None = None
    refused: tuple[Violation, ...] = ()
    failure: str = ""

    @property
    def recorded(self) -> bool:
        """Whether the command is in the ledger."""
        return self.executed is not None


def device_of(request: HttpRequest) -> str:
    """The device name recorded with an entry made from this request."""
    username = getattr(request.user, "username", "") or "anonymous"
    return f"web:{username}"


def attempt(request: HttpRequest, place: OnProduction, command: Command) -> Outcome:
    """Record ``command`` for the signed-in person, or say why not (nothing recorded)."""
    try:
        executed = place.service.execute(
            place.production, command, person_id=place.person.person_id, device=device_of(request)
        )
    except Refused as refused:
        return Outcome(refused=refused.violations)
    except StoreError as error:
        mark(request)  # the page answers 503 (showclear.web.not_recorded)
        return Outcome(failure=f"Not recorded: {error}")
    return Outcome(executed=executed)
