"""Keeping refusals (a listener on the application service) and reading them back."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from showclear.core.commands import Command
from showclear.core.decide import Context, Refused
from showclear.service import Service
from showclear.store import Production

if TYPE_CHECKING:
    from showclear.reports.compliance import Refusal as RefusalNote


def keep(production: Production, command: Command, context: Context, refused: Refused) -> None:
    """Keep one refusal (called by the service, after it refused ``command``)."""
    from showclear.web.refusals.models import Refusal

    Refusal.objects.create(
        production_slug=production.slug,
        at=context.at,
        person_id=context.person_id,
        device=context.device[:200],
        command=type(command).__name__,
        rule_ids=",".join(refused.rule_ids)[:400],
        message=" ".join(v.message for v in refused.violations),
    )


def listen(service: Service) -> None:
    """Have ``service`` keep every refusal in the log (once, however often it is asked)."""
    if keep not in service.refusal_listeners:
        service.refusal_listeners.append(keep)


def refusals(production: Production, until: datetime) -> list[RefusalNote]:
    """The production's refusals before ``until``, oldest first."""
    from showclear.reports.compliance import Refusal as RefusalNote
    from showclear.web.refusals.models import Refusal

    rows = Refusal.objects.filter(production_slug=production.slug, at__lt=until).order_by("at")
    return [
        RefusalNote(
            row.at,
            row.person_id,
            row.device,
            row.command,
            tuple(rule for rule in row.rule_ids.split(",") if rule),
            row.message,
        )
        for row in rows
    ]
