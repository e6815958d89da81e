"""``decide``: the safety protocol at the moment of action.

``decide(state, command, context)`` reads the production's state (never changes it) and returns
the events to record, or raises :class:`Refused` listing every rule the command breaks, each
with a sentence a tired person on set understands. Warnings do not refuse: they are returned as
``rule.warned`` events after the command's own events, so they are sealed in the ledger too.
"""

from __future__ import annotations

from showclear.core import limits
from showclear.core.commands import Command, CreateProduction

# Importing the handler modules registers them.
from showclear.core.decide import (  # noqa: F401  (registration)
    ammunition,
    custody,
    evidence,
    firearms,
    incidents,
    people,
    scenes,
)
from showclear.core.decide.verdict import HANDLERS, Context, InPerson, Refused, Verdict
from showclear.core.events import Event
from showclear.core.rules import INPUT, KNOWN
from showclear.core.state import Production


def decide(state: Production, command: Command, context: Context) -> list[Event]:
    """The events recording ``command`` given by ``context`` on ``state``, or :class:`Refused`."""
    verdict = Verdict(state, context)
    # R-INPUT before any rule: an over-long text or a tag outside the safe characters is refused
    # on its own, before any handler reads (or repeats in a sentence) what it carries. A STOP
    # WORK's reason (and a report's account of what happened) is shortened instead: never refused.
    command = limits.shorten(command)
    for breach in limits.check(command):
        verdict.breaks(INPUT, breach.field, breach.message)
    verdict.refuse_if_blocked()
    if not state.created and not isinstance(command, CreateProduction):
        verdict.breaks(KNOWN, "", "This production has no ledger yet: create it first.")
        verdict.refuse_if_blocked()
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise TypeError(f"no decider for {type(command).__name__}")
    # R-EVIDENCE before anything else, for every command: what an incident froze is named first
    # among the reasons, whatever the command is and whatever else it breaks.
    evidence.untouched(verdict, command)
    return verdict.settle(handler(command, verdict))


__all__ = ["Context", "InPerson", "Refused", "decide"]
