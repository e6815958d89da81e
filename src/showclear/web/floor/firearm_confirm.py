"""A person confirming in person on the armorer's phone: their PIN or their badge code.

A performer has no account. They type their PIN (checked here against the stored hash, which
then goes to the core as their credential; the core never sees a PIN) or their badge is scanned
or typed. PINs are short, so they are throttled per production and person: after
:data:`MAX_FAILURES` wrong PINs within :data:`WINDOW`, PIN entry for that person is refused for
:data:`LOCKOUT`; their badge still works.

The counts live in Django's cache. The default local-memory cache is per process, which is
right for ``showclear serve`` (one process, many threads); several app servers behind a load
balancer need a shared cache (``CACHES``) for the throttle to hold across them.
"""

from __future__ import annotations

import hmac
import math
import threading
import time
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password
from django.core.cache import cache

from showclear.core.state import Person

MAX_FAILURES = 5
WINDOW = 15 * 60
LOCKOUT = 15 * 60

# Read-modify-write of one person's failures; the cache itself is shared by the threads.
_counting = threading.Lock()


@dataclass(frozen=True)
class Checked:
    """The outcome of one confirmation: the credential for the core, or why not."""

    credential: str = ""
    via: str = ""
    problem: str = ""

    @property
    def confirmed(self) -> bool:
        """Whether the person confirmed."""
        return bool(self.credential)


def _key(slug: str, person_id: str, what: str) -> str:
    return f"showclear:pin:{what}:{slug}:{person_id}"


def locked_for(slug: str, person_id: str, now: float | None = None) -> int:
    """Seconds left before PIN entry for this person opens again (0: it is open)."""
    until = cache.get(_key(slug, person_id, "locked"))
    if until is None:
        return 0
    left = math.ceil(float(until) - (time.time() if now is None else now))  # never under
    return max(left, 0)


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _failed(slug: str, person: Person) -> str:
    """Count one wrong PIN; say what is left."""
    now = time.time()
    failures_key = _key(slug, person.person_id, "failures")
    with _counting:
        failures = [t for t in cache.get(failures_key, []) if now - t < WINDOW]
        failures.append(now)
        if len(failures) >= MAX_FAILURES:
            cache.set(_key(slug, person.person_id, "locked"), now + LOCKOUT, LOCKOUT)
            cache.delete(failures_key)
            return (
                f"Wrong PIN for {person.name}. That was {MAX_FAILURES} wrong PINs: PIN entry "
                f"for {person.name} is locked for {_minutes(LOCKOUT)}. Scan or type their badge."
            )
        cache.set(failures_key, failures, WINDOW)
    left = MAX_FAILURES - len(failures)
    return (
        f"Wrong PIN for {person.name}: nothing recorded. {left} more wrong PIN"
        f"{'s' if left != 1 else ''} and PIN entry is locked for {_minutes(LOCKOUT)}."
    )


def check(slug: str, person: Person, code: str) -> Checked:
    """Check a typed PIN or a scanned or typed badge code for ``person``.

    A code equal to their badge confirms by badge (never throttled). Otherwise a code of digits
    is a PIN attempt, throttled; anything else is a badge that is not theirs.
    """
    code = code.strip()
    if not code:
        return Checked(problem=f"Type {person.name}'s PIN or scan their badge.")
    if person.badge and hmac.compare_digest(code.encode(), person.badge.encode()):
        return Checked(credential=person.badge, via="badge")
    if not code.isdigit():
        return Checked(problem=f"That badge is not {person.name}'s: nothing recorded.")
    left = locked_for(slug, person.person_id)
    if left:
        return Checked(
            problem=f"Too many wrong PINs for {person.name}: PIN entry is locked for "
            f"{_minutes(left)} more. Scan or type their badge instead."
        )
    if not person.pin_hash:
        return Checked(problem=f"{person.name} has no PIN on record: scan or type their badge.")
    if not check_password(code, person.pin_hash):
        return Checked(problem=_failed(slug, person))
    cache.delete(_key(slug, person.person_id, "failures"))
    return Checked(credential=person.pin_hash, via="PIN")
