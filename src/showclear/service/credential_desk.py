"""The credential desk of the application service: issuing badges and PINs, and checking what a
person presents to confirm in person, throttled.

Every shell (set pages, API, CLI, imports, demo) passes what the person presented, as it came:
the PIN they typed, their badge code as scanned (``SC1:B:...``) or typed, or a presence token
this desk gave for an earlier check. The desk checks it against the credential store
(:mod:`showclear.store.credentials`) and the ledger's state (a badge or PIN counts only while the
ledger names it the person's current one), and tells ``decide`` who confirmed in person and how
(:attr:`~showclear.core.decide.verdict.Context.present`). No body, form field or shell can assert a
confirmation without the secret.

Throttles: :data:`MAX_ATTEMPTS` wrong PINs within :data:`WINDOW` lock PIN entry for that person
for :data:`LOCKOUT` (their badge still works); wrong badge codes for a person count the same way
on a count of their own. The count is taken, atomically in the database, *before* the slow
check, so guesses racing each other from any number of threads or processes are never checked
more than :data:`MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from showclear.core.commands import Command, Confirmation, IssueBadge, IssuePin
from showclear.core.decide.verdict import InPerson, Refused
from showclear.core.rules import Violation
from showclear.core.state import Person, ProductionState
from showclear.service import credentials as secret
from showclear.store.base import Production
from showclear.store.credentials import Presence, open_credentials

if TYPE_CHECKING:
    from showclear.service.writer import Executed, Service

MAX_ATTEMPTS = 5
WINDOW = 15 * 60
LOCKOUT = 15 * 60
PRESENCE_MINUTES = 15
"""How long a presence token from :meth:`CredentialDesk.confirm_in_person` stays good (once)."""


def minutes(seconds: float) -> str:
    """``"15 minutes"``: a wait, rounded up, in words."""
    count = max(1, -(-int(seconds) // 60))
    return f"{count} minute{'s' if count != 1 else ''}"


@dataclass(frozen=True)
class Failed:
    """Why a person's confirmation did not count: a sentence, and seconds to wait if throttled."""

    person_id: str
    problem: str
    retry_after: int = 0


class NotPresent(Refused):
    """A command refused because someone's PIN or badge did not check out. The core's
    violations say who did not confirm; ``failures`` say why (wrong PIN, locked, ...)."""

    def __init__(self, violations: tuple[Violation, ...], failures: Sequence[Failed]) -> None:
        super().__init__(violations)
        self.failures = tuple(failures)

    @property
    def retry_after(self) -> int:
        """Seconds to wait when every failure is a throttle (0 otherwise)."""
        waits = [f.retry_after for f in self.failures]
        return max(waits) if waits and all(waits) else 0


@dataclass(frozen=True)
class Checked:
    """A person confirmed in person: how, and the one-time presence token standing for it."""

    person_id: str
    method: str
    token: str = ""


@dataclass(frozen=True)
class IssuedBadge:
    """A badge just issued: its printed serial and its code, shown this once and never again."""

    person_id: str
    serial: str
    code: str
    executed: Executed


@dataclass
class Presences:
    """Who confirmed a command in person, and why the others did not."""

    present: dict[str, InPerson] = field(default_factory=dict)
    failures: list[Failed] = field(default_factory=list)


class CredentialDesk:
    """Issues and checks badges and PINs for one service (the only writer of the store)."""

    def __init__(self, service: Service, wall: Callable[[], float] = time.time) -> None:
        self.service = service
        self.store = open_credentials(service.store)
        self._pepper: secret.Pepper | None = None
        #: Throttles and presence tokens run on the wall clock, never the service's (which a
        #: demo or a test moves by hand): a lockout lasts fifteen real minutes.
        self.wall = wall

    @property
    def pepper(self) -> secret.Pepper:
        """The credential key, read (or made) on first use."""
        if self._pepper is None:
            self._pepper = secret.Pepper.kept_in(self.service.keyring.directory)
        return self._pepper

    def _now(self) -> float:
        return self.wall()

    # -- issuing --------------------------------------------------------------------------

    def issue_badge(
        self,
        production: Production,
        person_id: str,
        *,
        by: str,
        device: str | None = None,
        role: str | None = None,
    ) -> IssuedBadge:
        """A new badge for ``person_id``, recorded by ``by`` (acting in ``role`` alone, if
        given: a device token's); any old badge is revoked with it (an old copy is refused from
        now on). The code is returned this once: print it."""
        state = self.service.state(production)
        serial = self._fresh_id(production, state, secret.BADGE, secret.new_serial)
        code = secret.new_badge_code(serial)
        read = secret.read(code)
        assert read is not None
        executed = self._issued(
            production,
            IssueBadge(person_id, serial),
            secret.BADGE,
            serial,
            person_id,
            read.secret,
            by=by,
            device=device,
            role=role,
        )
        return IssuedBadge(person_id, serial, code, executed)

    def issue_pin(
        self,
        production: Production,
        person_id: str,
        pin: str,
        *,
        by: str,
        device: str | None = None,
        role: str | None = None,
    ) -> Executed:
        """A new PIN (4 to 12 digits, chosen by the person) for ``person_id``, recorded by ``by``
        (acting in ``role`` alone, if given); any old PIN is revoked with it."""
        secret.check_pin_form(pin)
        state = self.service.state(production)
        pin_id = self._fresh_id(production, state, secret.PIN, secret.new_pin_id)
        return self._issued(
            production,
            IssuePin(person_id, pin_id),
            secret.PIN,
            pin_id,
            person_id,
            pin,
            by=by,
            device=device,
            role=role,
        )

    def _fresh_id(
        self, production: Production, state: ProductionState, kind: str, new: object
    ) -> str:
        assert callable(new)
        for _ in range(100):
            candidate = str(new())
            if candidate not in state.credential_ids and not self.store.taken(
                production.id, kind, candidate
            ):
                return candidate
        raise RuntimeError("no unused credential id found")  # 2^30 ids: never in practice

    def _issued(
        self,
        production: Production,
        command: Command,
        kind: str,
        credential_id: str,
        person_id: str,
        text: str,
        *,
        by: str,
        device: str | None,
        role: str | None,
    ) -> Executed:
        # The hash is kept first; it counts only once the ledger names it the person's, so a
        # refused or failed issue leaves a row no one can use (and it is forgotten at once).
        digest = self.pepper.digest(production.origin, person_id, kind, text)
        now = self._now()
        self.store.put(production.id, kind, credential_id, person_id, digest, now)
        try:
            executed = self.service.execute(
                production, command, person_id=by, device=device, role=role
            )
        except BaseException:
            self.store.forget(production.id, kind, credential_id)
            raise
        self.store.revoke(production.id, kind, person_id, now, keep=credential_id)
        return executed

    # -- checking -------------------------------------------------------------------------

    def confirm_in_person(
        self, production: Production, person_id: str, presented: str, *, actor: str
    ) -> Checked | Failed:
        """Check what ``person_id`` presented, for the person at the keyboard (``actor``).

        On success, a presence token that ``actor``'s next command may carry instead, once,
        within :data:`PRESENCE_MINUTES` (the set pages' show-clear flow checks each person as
        they confirm and records when both have). Records nothing in the ledger.
        """
        state = self.service.state(production)
        person = state.people.get(person_id)
        if person is None:
            return Failed(person_id, f"There is no person {person_id!r} on the roster.")
        found = self._check(production, state, person, presented, actor)
        if isinstance(found, Failed):
            return found
        token = secret.new_presence_token()
        self.store.vouch(
            self.pepper.token_digest(token),
            production.id,
            Presence(person_id, found.method, found.credential_id),
            actor,
            self._now() + PRESENCE_MINUTES * 60,
        )
        return Checked(person_id, found.method, token)

    def identify(self, production: Production, presented: str) -> Checked | Failed:
        """Whose badge was scanned or typed (a meeting's attendee, a witness), checked and
        throttled like a confirmation; no token."""
        serial = secret.badge_serial(presented)
        state = self.service.state(production)
        holder = next((p for p in state.people.values() if serial and p.badge_id == serial), None)
        if holder is None:
            return Failed("", "No one on this production has that badge.")
        found = self._check(production, state, holder, presented, "")
        if isinstance(found, Failed):
            return found
        return Checked(holder.person_id, found.method)

    def presences(
        self, production: Production, commands: Iterable[Command], actor: str
    ) -> Presences:
        """Check every confirmation in ``commands`` (before ``decide``): who is present."""
        checked = Presences()
        confirmations = [c for command in commands for c in _confirmations(command)]
        if not confirmations:
            return checked
        state = self.service.state(production)
        for confirmation in confirmations:
            person = state.people.get(confirmation.person_id)
            if person is None or person.person_id in checked.present:
                continue  # unknown: the core says so
            found = self._check(production, state, person, confirmation.presented, actor)
            if isinstance(found, Failed):
                checked.failures.append(found)
            else:
                checked.present[person.person_id] = found
        return checked

    def _check(
        self,
        production: Production,
        state: ProductionState,
        person: Person,
        presented: str,
        actor: str,
    ) -> InPerson | Failed:
        read = secret.read(presented)
        name = person.name
        if read is not None and read.kind == "presence":
            vouched = self.store.redeem(
                self.pepper.token_digest(read.secret), production.id, actor, self._now()
            )
            if vouched is None or vouched.person_id != person.person_id:
                return Failed(
                    person.person_id,
                    f"{name}'s confirmation has lapsed or was used: they confirm again.",
                )
            if not person.holds(vouched.credential_id):
                return Failed(person.person_id, f"{name}'s badge or PIN was revoked since.")
            return InPerson(vouched.method, vouched.credential_id)
        kind = read.kind if read is not None else secret.BADGE
        current = person.pin_id if kind == secret.PIN else person.badge_id
        if not current:
            what = "PIN" if kind == secret.PIN else "badge"
            other = "scan or type their badge" if kind == secret.PIN else "type their PIN"
            return Failed(person.person_id, f"{name} has no {what} on record: {other}.")
        key = f"{kind}:{production.id}:{person.person_id}"
        wait = self.store.attempt(key, MAX_ATTEMPTS, WINDOW, LOCKOUT, self._now())
        what = "PIN" if kind == secret.PIN else "badge code"
        if wait:
            instead = "Scan or type their badge" if kind == secret.PIN else "Type their PIN"
            return Failed(
                person.person_id,
                f"Too many wrong {what}s for {name}: {what} entry is locked for "
                f"{minutes(wait)} more. {instead} instead.",
                max(1, math.ceil(wait)),  # never under: the seconds until a check
            )
        if read is not None and (read.kind == secret.PIN or read.serial == current):
            stored = self.store.get(production.id, kind, current)
            if (
                stored is not None
                and not stored.revoked
                and stored.person_id == person.person_id
                and self.pepper.matches(
                    stored.digest, production.origin, person.person_id, kind, read.secret
                )
            ):
                self.store.passed(key)
                return InPerson(read.method, current)
        left = MAX_ATTEMPTS - self._attempts(key)
        replaced = read is not None and read.kind == secret.BADGE and read.serial != current
        why = (
            f"That badge is not {name}'s current badge (reprinted or someone else's)"
            if replaced
            else f"Wrong {what} for {name}"
        )
        if left <= 0:
            return Failed(
                person.person_id,
                f"{why}: nothing recorded. That was {MAX_ATTEMPTS} wrong {what}s: {what} entry "
                f"for {name} is locked for {minutes(LOCKOUT)}.",
                LOCKOUT,
            )
        return Failed(
            person.person_id,
            f"{why}: nothing recorded. {left} more wrong {what}{'s' if left != 1 else ''} and "
            f"{what} entry is locked for {minutes(LOCKOUT)}.",
        )

    def _attempts(self, key: str) -> int:
        return self.store.attempts(key)


def _confirmations(command: Command) -> list[Confirmation]:
    """Every confirmation a command carries (its fields, at the top level)."""
    if not dataclasses.is_dataclass(command):
        return []
    return [
        value
        for value in (getattr(command, f.name) for f in dataclasses.fields(command))
        if isinstance(value, Confirmation)
    ]
