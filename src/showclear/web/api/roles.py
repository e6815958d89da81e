"""Which token roles may send which command: read from the core itself, not restated here.

Each command's handler in :mod:`showclear.core.decide` names the roles it accepts with
``verdict.acting_as(roles, ...)``, usually first thing. :func:`gate` runs the handler once on
an empty production with a verdict that stops at that call and reports the roles, so the API
gate can never drift from the rules. A command whose handler asks for no role before it looks
anything up (STOP WORK, a complaint, a container's custodian locking it) is open to every role:
the core still decides it for the person the token speaks for.

The gate only narrows, and answers early (403): a token acts in one role, so a person holding
several roles gets a token per role. The core is where it is enforced: the token's role goes
with the command (:attr:`showclear.core.decide.verdict.Context.role`) and the rules take the person to
hold that role alone, so an open command (a container, resuming work) is decided for the role
the token acts in, never for the person's other roles.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from typing import Any

from showclear.core.commands import Command
from showclear.core.decide import Context
from showclear.core.decide.verdict import HANDLERS, Verdict
from showclear.core.rules import ROLE, Rule
from showclear.core.state import Person, initial
from showclear.core.vocabulary import ARMORER, ROLES, SAFETY_SUPERVISOR

MANAGERS = frozenset({ARMORER, SAFETY_SUPERVISOR})
"""Who may manage a production's device tokens and webhooks over the API."""


class _Asked(Exception):
    def __init__(self, roles: frozenset[str]) -> None:
        super().__init__(sorted(roles))
        self.roles = roles


class _Probe(Verdict):
    """A verdict that stops at the handler's first role check and reports its roles."""

    def acting_as(self, roles: frozenset[str], doing: str, rule: Rule = ROLE) -> Person | None:
        raise _Asked(frozenset(roles))


def placeholder(annotation: Any) -> Any:
    """An empty value of ``annotation``: ``""``, ``0``, ``False``, ``()``, ``None``, or a
    dataclass of empty values."""
    if annotation is str:
        return ""
    if annotation is bool:
        return False
    if annotation is int:
        return 0
    origin = typing.get_origin(annotation)
    if origin is tuple:
        return ()
    if origin in (typing.Union, types.UnionType):
        return None
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return empty(annotation)
    raise TypeError(f"no placeholder for {annotation!r}")


def empty(kind: type[Any]) -> Any:
    """An instance of the dataclass ``kind`` with every field an empty value."""
    hints = typing.get_type_hints(kind)
    return kind(**{f.name: placeholder(hints[f.name]) for f in dataclasses.fields(kind)})


_GATES: dict[type[Command], frozenset[str]] = {}


def gate(command_type: type[Command]) -> frozenset[str]:
    """The roles whose tokens may send ``command_type`` (every role when the core asks none)."""
    if command_type not in _GATES:
        _GATES[command_type] = _probe(command_type)
    return _GATES[command_type]


def _probe(command_type: type[Command]) -> frozenset[str]:
    context = Context("api-gate-probe", "api", datetime(2000, 1, 1, tzinfo=UTC))
    probe = _Probe(initial(), context)
    try:
        HANDLERS[command_type](empty(command_type), probe)
    except _Asked as asked:
        return asked.roles & ROLES
    except Exception:  # noqa: S110  (a refusal or a lookup on the empty production: no role asked)
        pass
    return ROLES
