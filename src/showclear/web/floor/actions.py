"""Recording a command from a page: the signed-in person acts, the service decides.

Every state change a page makes goes through :func:`attempt` (or :func:`attempt_all` for
commands recorded together or not at all), so the safety rules are applied by the core exactly
as on the CLI and the API. A refusal comes back with every reason, each with its rule id, and
nothing is recorded.

Each press carries its own key (:mod:`~showclear.web.floor.presses`): the service records a
press once, and a second POST of the same press reads back what the first recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest

from showclear.core.commands import Command
from showclear.core.decide import Refused
from showclear.core.rules import Violation
from showclear.service import BatchRefused, Executed
from showclear.store import StoreError
from showclear.web.floor.access import OnProduction
from showclear.web.floor.presses import DamagedPress, ledger_name
from showclear.web.not_recorded import mark

DAMAGED = "This form's press key is damaged: reload the page and press again. Nothing was recorded."


@dataclass(frozen=True)
class Outcome:
    """What happened to one attempted command (or batch)."""

    executed: Executed | None = None
    refused: tuple[Violation, ...] = ()
    failure: str = ""
    #: Every command's record, in order, for a batch (``executed`` is the last one).
    batch: tuple[Executed, ...] = ()

    @property
    def recorded(self) -> bool:
        """Whether the command is in the ledger."""
        return self.executed is not None

    @property
    def replayed(self) -> bool:
        """Whether this press was recorded by an earlier POST of it (nothing recorded now)."""
        return self.executed is not None and self.executed.replayed


def device_of(request: HttpRequest) -> str:
    """The device name recorded with an entry made from this request."""
    username = getattr(request.user, "username", "") or "anonymous"
    return f"web:{username}"


def _recording(
    request: HttpRequest, record: Callable[[str | None], tuple[Executed, ...]]
) -> Outcome:
    try:
        named = ledger_name(request)
    except DamagedPress:
        return Outcome(failure=DAMAGED)
    try:
        done = record(named)
    except BatchRefused as refused:
        return Outcome(refused=tuple(v for _, one in refused.refusals for v in one.violations))
    except Refused as refused:
        return Outcome(refused=refused.violations)
    except StoreError as error:
        mark(request)  # the page answers 503 (showclear.web.not_recorded)
        return Outcome(failure=f"Not recorded: {error}")
    return Outcome(executed=done[-1], batch=done)


def attempt(request: HttpRequest, place: OnProduction, command: Command) -> Outcome:
    """Record ``command`` for the signed-in person, or say why not (nothing recorded)."""
    return _recording(
        request,
        lambda named: (
            place.service.execute(
                place.production,
                command,
                person_id=place.person.person_id,
                device=device_of(request),
                request=named,
            ),
        ),
    )


def attempt_all(request: HttpRequest, place: OnProduction, commands: Sequence[Command]) -> Outcome:
    """Record every command of ``commands`` in one transaction, or none of them (every reason
    of every refused one)."""
    return _recording(
        request,
        lambda named: place.service.execute_all(
            place.production,
            commands,
            person_id=place.person.person_id,
            device=device_of(request),
            request=named,
        ),
    )


def already_recorded(request: HttpRequest, place: OnProduction) -> bool:
    """Whether this press was recorded by an earlier POST of it (a double tap on a step that
    the first tap finished)."""
    try:
        named = ledger_name(request)
    except DamagedPress:
        return False
    return named is not None and place.service.recorded_for(place.production, named) is not None
