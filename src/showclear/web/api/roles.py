"""Which token roles may send which command: read from the core itself, not restated here.

Each command's handler declares the roles that may give it (``@handles(DrawFirearm,
roles=ARMORERS)``, listed in :data:`showclear.core.decide.HANDLERS`), and the core checks that
declaration before the handler runs. :func:`gate` reads the same declaration, so the API gate
and its OpenAPI ``x-showclear-roles`` can never drift from the rules. A command open to anyone
(STOP WORK, a complaint, a container's custodian locking it, resuming work) is open to every
role: the core still decides it for the person the token speaks for.

The gate only narrows, and answers early (403): a token acts in one role, so a person holding
several roles gets a token per role. The core is where it is enforced: the token's role goes
with the command (:attr:`showclear.core.decide.verdict.Context.role`) and the rules take the person to
hold that role alone, so an open command (a container, resuming work) is decided for the role
the token acts in, never for the person's other roles.
"""

from __future__ import annotations

from showclear.core.commands import Command
from showclear.core.decide import HANDLERS
from showclear.core.vocabulary import ARMORER, ROLES, SAFETY_SUPERVISOR

MANAGERS = frozenset({ARMORER, SAFETY_SUPERVISOR})
"""Who may manage a production's device tokens and webhooks over the API."""


def gate(command_type: type[Command]) -> frozenset[str]:
    """The roles whose tokens may send ``command_type``: the roles its handler declares
    (every role when it is open to anyone)."""
    declared = HANDLERS[command_type].roles
    return ROLES if declared is None else declared & ROLES
