"""A lot of dummies or blanks: verification round by round, quarantine, and where its rounds
are now.

Verifying is done with the rounds in hand, one by one, before a witness who confirms in person
with their badge (F1, F2: the label is not verification). Each "verified" button records one
round through :func:`~showclear.web.floor.actions.attempt`; the method and the witness stay in
the form between rounds so a tray goes quickly.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from showclear.core.commands import Command, Confirmation, QuarantineLot, ReleaseLot, VerifyRounds
from showclear.core.read.board import where
from showclear.core.rules import Violation
from showclear.core.state import Lot, Person, ProductionState
from showclear.core.vocabulary import (
    CASE_HOLE,
    OTHER,
    PRIMER,
    PRIMER_POCKET_EMPTY,
    PRIMER_STRUCK,
    RATTLE,
)
from showclear.service.credential_desk import Failed
from showclear.web.floor.access import on_production, require
from showclear.web.floor.actions import attempt
from showclear.web.floor.roles import may_give
from showclear.web.floor.today import set_context

METHODS = (
    (RATTLE, "Rattle", "a BB rattles inside"),
    (PRIMER, "Primer", "empty or struck primer"),
    (PRIMER_STRUCK, "Primer struck", "the primer dented by a firing pin"),
    (PRIMER_POCKET_EMPTY, "Primer pocket empty", "no primer at all"),
    (CASE_HOLE, "Case hole", "a hole drilled in the case"),
    (OTHER, "Other", "another check, for blanks: crimp or wad, no projectile"),
)
#: Past this many unverified rounds the page shows the next ones and a tray button.
ROUND_BUTTONS = 60


def _whereabouts(state: ProductionState, lot: Lot) -> dict[str, object]:
    """Where every round of the lot is now."""
    in_firearms = [
        (firearm.label, position)
        for firearm in state.firearms.values()
        for position in firearm.positions
        if firearm.contents.get(position) == lot.tag
    ]
    in_containers = [
        (box.label, box.rounds[lot.tag], box.locked)
        for box in state.containers.values()
        if box.rounds.get(lot.tag)
    ]
    return {
        "box": where(state, lot.tag),
        "in_firearms": in_firearms,
        "in_containers": in_containers,
    }


def _recorded(command: Command, lot: Lot, witness: Person | None) -> str:
    """What was just recorded, in words."""
    if isinstance(command, VerifyRounds):
        by = witness.label if witness is not None else command.witness.person_id
        rounds = f"{command.count} round{'s' if command.count != 1 else ''}"
        return (
            f"Recorded: {rounds} verified by {command.method.replace('-', ' ')}, witnessed by {by}."
        )
    if isinstance(command, QuarantineLot):
        return f"Recorded: {lot.label} is quarantined ({command.reason})."
    return f"Recorded: {lot.label} is released for use."


@login_required
def lot(request: HttpRequest, slug: str, tag: str) -> HttpResponse:
    """The lot page; POST verifies rounds, quarantines or releases the lot."""
    place = on_production(request.user, slug)
    require(place, "lot")
    state = place.state
    found = state.lots.get(tag)
    if found is None:
        raise Http404(f"no lot is tagged {tag}")
    errors: list[str] = []
    refused: tuple[Violation, ...] = ()
    failure = ""
    notice = ""
    form = request.POST
    method = form.get("method", "")
    scanned = form.get("badge", "").strip()
    witness: Person | None = None
    unknown_badge = ""
    if scanned and request.method == "POST":
        # Checked (and throttled) by the service: a photocopied or reprinted-over badge is
        # refused here, and again when the command records.
        holder = place.service.credentials.identify(place.production, scanned)
        if isinstance(holder, Failed):
            unknown_badge = holder.problem
        else:
            witness = state.people.get(holder.person_id)
    if request.method == "POST":
        action = form.get("action", "")
        command: Command | None = None
        if action in ("verify", "tray"):
            require(place, "verify-rounds")
            count = 1
            if action == "tray":
                try:
                    count = int(form.get("tray", ""))
                except ValueError:
                    errors.append("Say how many rounds of the tray were checked, as a number.")
            if method not in {m for m, _, _ in METHODS}:
                errors.append(
                    "Choose how the rounds were checked: rattle, primer, case hole or other."
                )
            if witness is None:
                errors.append(
                    f"Scan your witness's badge or type its code: {unknown_badge}"
                    if unknown_badge
                    else "Scan your witness's badge, or type its code."
                )
            if not errors and witness is not None:
                command = VerifyRounds(
                    found.tag, count, method, Confirmation(witness.person_id, scanned)
                )
        elif action == "witness":  # Enter after a scan: check the badge, record nothing
            if witness is None:
                errors.append(unknown_badge or "Scan your witness's badge, or type its code.")
            else:
                notice = f"Witness: {witness.label}."
        elif action == "quarantine":
            reason = " ".join(form.get("reason", "").split())
            if not reason:
                errors.append("Say why the lot is quarantined.")
            else:
                command = QuarantineLot(found.tag, reason)
        elif action == "release":
            command = ReleaseLot(found.tag)
        if command is not None:
            outcome = attempt(request, place, command)
            refused, failure = outcome.refused, outcome.failure
            if outcome.replayed:
                notice = "Recorded once: that second tap was the same press, and recorded nothing."
            elif outcome.recorded:
                notice = _recorded(command, found, witness)
    roles = place.person.roles
    verified = found.received - found.unverified
    next_round = verified + 1
    shown = min(found.unverified, ROUND_BUTTONS)
    context = {
        **set_context(place),
        "lot": found,
        "verified": verified,
        "percent": round(100 * verified / found.received) if found.received else 100,
        "rounds": range(next_round, next_round + shown),
        "more": found.unverified - shown,
        "methods": METHODS,
        "method": method,
        "badge": scanned if witness else "",  # kept for the next round, never shown
        "witness": witness,
        "may_verify": may_give(roles, VerifyRounds),
        "may_quarantine": may_give(roles, QuarantineLot),
        "may_release": may_give(roles, ReleaseLot),
        "whereabouts": _whereabouts(state, found),
        "on_hand": state.on_hand(found.tag),
        "notice": notice,
        "errors": errors,
        "refused": refused,
        "failure": failure,
    }
    if request.headers.get("HX-Target") == "lot-live":
        return render(request, "floor/_lot_live.html", context)
    return render(request, "floor/lot.html", context)


urlpatterns: list[URLPattern] = [path("lot/<str:tag>/", lot, name="lot")]
