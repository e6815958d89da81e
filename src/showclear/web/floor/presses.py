"""Each press that records carries its own key, so a double tap records once.

Every recording form holds a hidden ``press`` field (``{% press_key %}``, from
:mod:`~showclear.web.floor.templatetags.presses`), a fresh random key each time the form is
drawn. :func:`~showclear.web.floor.actions.attempt` passes it to the application service as
the request's name (:func:`ledger_name`), committed in the same transaction as the entries. A
second POST with the same key records nothing: the service reads back what the first one
recorded (``Executed.replayed``), whatever the second press asked for. The name joins the
key to the signed-in account, and the ledger keeps names per production, so nobody can replay
another person's press, nor a press on another production.

On a page that swaps the next button in under the thumb (the round-verification grid), a tap
that lands on the new button within :data:`BOUNCE_MS` of the first one is the same press: the
page's script (``static/showclear/presses.js``) sends it with the first press's key, so the
service records it once.
"""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest

FIELD = "press"
"""The form field holding a press's key."""

BOUNCE_MS = 600
"""A second tap this soon after a press is the same press (a bounce, a gloved double tap)."""

_KEY = re.compile(r"[A-Za-z0-9_-]{22,64}")


class DamagedPress(ValueError):
    """A press key that no page of Showclear drew."""


def new_key() -> str:
    """A fresh press key: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


def ledger_name(request: HttpRequest) -> str | None:
    """The name the ledger keeps this press under (``web <account> <key>``), or None when the
    form carries no key (a form drawn before keys, or by a script).

    :class:`DamagedPress` when the key is not one a page drew: nothing should record.
    """
    key = request.POST.get(FIELD, "") if request.method == "POST" else ""
    if not key:
        return None
    if not _KEY.fullmatch(key):
        raise DamagedPress(key)
    return f"web {request.user.pk} {key}"
