"""The credential store: badge and PIN hashes, presence tokens and throttle counts, beside the
ledger in the same database and never in it.

Three tables, created by both backends with the ledger's own (``create_schema``):

- ``credential``: one row per badge or PIN ever issued, by its non-secret id (the badge's
  serial, the PIN's id), with the keyed slow hash of its secret (see :mod:`showclear.service.credentials`)
  and when it was revoked. Which credential is a person's *current* one is the ledger's to say
  (``credential.issued`` / ``credential.revoked``); a row the ledger does not name is refused.
- ``credential_presence``: one-time presence tokens, stored as keyed hashes, each for one
  person and the one actor it was checked for, until it is used or lapses.
- ``credential_throttle``: attempts per key (wrong PINs, wrong badges, failed sign-ins). The
  count and the check are one transaction that holds the row (SQLite ``BEGIN IMMEDIATE``,
  PostgreSQL ``SELECT ... FOR UPDATE``), so threads and worker processes racing with wrong
  guesses are counted one after another, and no more are let through than the limit.

An in-memory ledger store keeps them in its memory (:class:`MemoryCredentialStore`);
:func:`open_credentials` gives the ones beside any store.

Written only by the application service (:class:`showclear.service.Service`). Not part of
the ledger's proof: rows are updated (revoked, used) and removed (lapsed) freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from showclear.store.base import LedgerStore
from showclear.store.contract import StoreError
from showclear.store.sql import SqlStore

if TYPE_CHECKING:
    from showclear.store.memory import MemoryStore

TABLES = """
CREATE TABLE IF NOT EXISTS credential (
    production_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    issued_at DOUBLE PRECISION NOT NULL,
    revoked_at DOUBLE PRECISION,
    PRIMARY KEY (production_id, kind, credential_id)
);
CREATE TABLE IF NOT EXISTS credential_presence (
    digest TEXT PRIMARY KEY,
    production_id BIGINT NOT NULL,
    person_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    method TEXT NOT NULL,
    credential_id TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS credential_throttle (
    key TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL,
    since DOUBLE PRECISION NOT NULL,
    locked_until DOUBLE PRECISION NOT NULL
)"""
"""One text for both backends (SQLite reads ``BIGINT`` and ``DOUBLE PRECISION`` by affinity)."""


def statements() -> list[str]:
    """The ``CREATE TABLE`` statements, one each (for a backend's ``create_schema``)."""
    return [s for s in TABLES.split(";\n") if s.strip()]


@dataclass(frozen=True)
class StoredCredential:
    """One issued badge or PIN as stored: whose, its hash, whether revoked."""

    kind: str
    credential_id: str
    person_id: str
    digest: str
    revoked: bool


@dataclass(frozen=True)
class Presence:
    """What a redeemed presence token vouched for."""

    person_id: str
    method: str
    credential_id: str


class CredentialStore:
    """The credential tables of one ledger store's database, through its connection."""

    def __init__(self, ledger: SqlStore) -> None:
        self._ledger = ledger
        self._p = ledger.placeholder
        # Row locks: PostgreSQL needs FOR UPDATE; SQLite's BEGIN IMMEDIATE already holds the
        # whole database for the transaction.
        self._for_update = " FOR UPDATE" if ledger.placeholder == "%s" else ""

    # -- badges and PINs ------------------------------------------------------------------

    def put(
        self,
        production_id: int,
        kind: str,
        credential_id: str,
        person_id: str,
        digest: str,
        at: float,
    ) -> None:
        """Keep a newly issued credential (not yet anyone's until the ledger names it)."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                "INSERT INTO credential (production_id, kind, credential_id, person_id, digest, "
                f"issued_at, revoked_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, NULL)",
                (production_id, kind, credential_id, person_id, digest, at),
            )

    def taken(self, production_id: int, kind: str, credential_id: str) -> bool:
        """Whether ``credential_id`` was ever issued on this production (ids are never reused)."""
        return self.get(production_id, kind, credential_id) is not None

    def get(self, production_id: int, kind: str, credential_id: str) -> StoredCredential | None:
        """The credential stored under ``credential_id``, revoked or not."""
        p = self._p
        with self._ledger._reading() as cursor:
            cursor.execute(
                "SELECT kind, credential_id, person_id, digest, revoked_at FROM credential "
                f"WHERE production_id = {p} AND kind = {p} AND credential_id = {p}",
                (production_id, kind, credential_id),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return StoredCredential(row[0], row[1], row[2], row[3], row[4] is not None)

    def revoke(
        self, production_id: int, kind: str, person_id: str, at: float, keep: str = ""
    ) -> None:
        """Mark every credential of ``kind`` of the person revoked, but ``keep``."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                f"UPDATE credential SET revoked_at = {p} WHERE production_id = {p} AND kind = {p} "
                f"AND person_id = {p} AND credential_id <> {p} AND revoked_at IS NULL",
                (at, production_id, kind, person_id, keep),
            )

    def forget(self, production_id: int, kind: str, credential_id: str) -> None:
        """Remove a credential the ledger never named (its issue was refused)."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                f"DELETE FROM credential WHERE production_id = {p} AND kind = {p} "
                f"AND credential_id = {p}",
                (production_id, kind, credential_id),
            )

    # -- presence tokens ------------------------------------------------------------------

    def vouch(
        self,
        digest: str,
        production_id: int,
        presence: Presence,
        actor_id: str,
        expires_at: float,
    ) -> None:
        """Keep a presence token (by its digest) for ``presence``, for ``actor_id`` only."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                "INSERT INTO credential_presence (digest, production_id, person_id, actor_id, "
                f"method, credential_id, expires_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p})",
                (
                    digest,
                    production_id,
                    presence.person_id,
                    actor_id,
                    presence.method,
                    presence.credential_id,
                    expires_at,
                ),
            )

    def redeem(self, digest: str, production_id: int, actor_id: str, now: float) -> Presence | None:
        """Use up a presence token: what it vouched for, if it is this production's, this
        actor's and not lapsed; ``None`` otherwise. A token is used once, whatever follows."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(f"DELETE FROM credential_presence WHERE expires_at <= {p}", (now,))
            cursor.execute(
                "SELECT production_id, person_id, actor_id, method, credential_id "
                f"FROM credential_presence WHERE digest = {p}{self._for_update}",
                (digest,),
            )
            row = cursor.fetchone()
            if row is None:
                return None
            cursor.execute(f"DELETE FROM credential_presence WHERE digest = {p}", (digest,))
        if int(row[0]) != production_id or row[2] != actor_id:
            return None
        return Presence(row[1], row[3], row[4])

    # -- throttles ------------------------------------------------------------------------

    def attempt(self, key: str, limit: int, window: float, lockout: float, now: float) -> float:
        """Count one attempt under ``key`` before it is checked: 0 when it may be checked, or
        the seconds to wait (nothing counted) when ``limit`` attempts within ``window`` were
        made already. The attempt that reaches the limit locks the key for ``lockout`` at once,
        so attempts racing with it wait; :meth:`passed` unlocks it if that one was right."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                "INSERT INTO credential_throttle (key, attempts, since, locked_until) "
                f"VALUES ({p}, 0, {p}, 0) ON CONFLICT (key) DO NOTHING",
                (key, now),
            )
            cursor.execute(
                "SELECT attempts, since, locked_until FROM credential_throttle "
                f"WHERE key = {p}{self._for_update}",
                (key,),
            )
            attempts, since, locked_until = _row(cursor.fetchone())
            if locked_until > now:
                return locked_until - now
            if since + window <= now or locked_until:
                attempts, since = 0, now  # the window, or the lockout, is over: start again
            attempts += 1
            locked_until = now + lockout if attempts >= limit else 0.0
            cursor.execute(
                f"UPDATE credential_throttle SET attempts = {p}, since = {p}, locked_until = {p} "
                f"WHERE key = {p}",
                (attempts, since, locked_until, key),
            )
        return 0.0

    def passed(self, key: str) -> None:
        """The attempt under ``key`` was right: its count starts again."""
        with self._ledger._transaction(None) as cursor:
            cursor.execute(f"DELETE FROM credential_throttle WHERE key = {self._p}", (key,))

    def forgive(self, key: str) -> None:
        """Take back one attempt counted under ``key`` (it succeeded, and the key counts only
        failures, like a client address shared by a whole crew)."""
        p = self._p
        with self._ledger._transaction(None) as cursor:
            cursor.execute(
                "UPDATE credential_throttle SET attempts = attempts - 1 "
                f"WHERE key = {p} AND attempts > 0 AND locked_until = 0",
                (key,),
            )

    def attempts(self, key: str) -> int:
        """Attempts counted under ``key`` in its current window (a lapsed one still shows)."""
        with self._ledger._reading() as cursor:
            cursor.execute(
                f"SELECT attempts FROM credential_throttle WHERE key = {self._p}", (key,)
            )
            row = cursor.fetchone()
        return 0 if row is None else int(row[0])

    def wait(self, key: str, now: float) -> float:
        """Seconds before ``key`` may try again (0: it may now); counts nothing."""
        with self._ledger._reading() as cursor:
            cursor.execute(
                f"SELECT attempts, since, locked_until FROM credential_throttle WHERE key = {self._p}",
                (key,),
            )
            row = cursor.fetchone()
        if row is None:
            return 0.0
        locked_until = float(row[2])
        return max(locked_until - now, 0.0)


def _row(row: Any) -> tuple[int, float, float]:
    return int(row[0]), float(row[1]), float(row[2])


class MemoryCredentialStore(CredentialStore):
    """The credential tables of an in-memory ledger store (:mod:`showclear.store.memory`),
    kept in its database and behaving as the SQL ones do."""

    def __init__(self, ledger: MemoryStore) -> None:
        self._memory = ledger.memory

    def put(
        self,
        production_id: int,
        kind: str,
        credential_id: str,
        person_id: str,
        digest: str,
        at: float,
    ) -> None:
        """Keep a newly issued credential (not yet anyone's until the ledger names it)."""
        with self._memory.lock:
            key = (production_id, kind, credential_id)
            if key in self._memory.credentials:
                raise StoreError(f"the credential {credential_id!r} is already stored")
            self._memory.credentials[key] = {
                "person_id": person_id,
                "digest": digest,
                "issued_at": at,
                "revoked_at": None,
            }

    def get(self, production_id: int, kind: str, credential_id: str) -> StoredCredential | None:
        """The credential stored under ``credential_id``, revoked or not."""
        with self._memory.lock:
            row = self._memory.credentials.get((production_id, kind, credential_id))
            if row is None:
                return None
            return StoredCredential(
                kind, credential_id, row["person_id"], row["digest"], row["revoked_at"] is not None
            )

    def revoke(
        self, production_id: int, kind: str, person_id: str, at: float, keep: str = ""
    ) -> None:
        """Mark every credential of ``kind`` of the person revoked, but ``keep``."""
        with self._memory.lock:
            for (pid, each_kind, credential_id), row in self._memory.credentials.items():
                if (
                    (pid, each_kind) == (production_id, kind)
                    and row["person_id"] == person_id
                    and credential_id != keep
                    and row["revoked_at"] is None
                ):
                    row["revoked_at"] = at

    def forget(self, production_id: int, kind: str, credential_id: str) -> None:
        """Remove a credential the ledger never named (its issue was refused)."""
        with self._memory.lock:
            self._memory.credentials.pop((production_id, kind, credential_id), None)

    def vouch(
        self,
        digest: str,
        production_id: int,
        presence: Presence,
        actor_id: str,
        expires_at: float,
    ) -> None:
        """Keep a presence token (by its digest) for ``presence``, for ``actor_id`` only."""
        with self._memory.lock:
            if digest in self._memory.presences:
                raise StoreError("that presence token is already stored")
            self._memory.presences[digest] = {
                "production_id": production_id,
                "presence": presence,
                "actor_id": actor_id,
                "expires_at": expires_at,
            }

    def redeem(self, digest: str, production_id: int, actor_id: str, now: float) -> Presence | None:
        """Use up a presence token (see :meth:`CredentialStore.redeem`)."""
        with self._memory.lock:
            presences = self._memory.presences
            for lapsed in [key for key, row in presences.items() if row["expires_at"] <= now]:
                del presences[lapsed]
            row = presences.pop(digest, None)
        if row is None or row["production_id"] != production_id or row["actor_id"] != actor_id:
            return None
        found: Presence = row["presence"]
        return found

    def attempt(self, key: str, limit: int, window: float, lockout: float, now: float) -> float:
        """Count one attempt under ``key`` before it is checked (see
        :meth:`CredentialStore.attempt`)."""
        with self._memory.lock:
            attempts, since, locked_until = self._memory.throttles.setdefault(key, [0, now, 0.0])
            if locked_until > now:
                return locked_until - now
            if since + window <= now or locked_until:
                attempts, since = 0, now  # the window, or the lockout, is over: start again
            attempts += 1
            locked_until = now + lockout if attempts >= limit else 0.0
            self._memory.throttles[key] = [attempts, since, locked_until]
        return 0.0

    def passed(self, key: str) -> None:
        """The attempt under ``key`` was right: its count starts again."""
        with self._memory.lock:
            self._memory.throttles.pop(key, None)

    def forgive(self, key: str) -> None:
        """Take back one attempt counted under ``key`` (see :meth:`CredentialStore.forgive`)."""
        with self._memory.lock:
            row = self._memory.throttles.get(key)
            if row is not None and row[0] > 0 and row[2] == 0:
                row[0] -= 1

    def attempts(self, key: str) -> int:
        """Attempts counted under ``key`` in its current window (a lapsed one still shows)."""
        with self._memory.lock:
            row = self._memory.throttles.get(key)
            return 0 if row is None else int(row[0])

    def wait(self, key: str, now: float) -> float:
        """Seconds before ``key`` may try again (0: it may now); counts nothing."""
        with self._memory.lock:
            row = self._memory.throttles.get(key)
        return 0.0 if row is None else max(float(row[2]) - now, 0.0)


def open_credentials(ledger: LedgerStore) -> CredentialStore:
    """The credential tables beside ``ledger``: in its SQL database, or in its memory."""
    from showclear.store.memory import MemoryStore

    if isinstance(ledger, MemoryStore):
        return MemoryCredentialStore(ledger)
    if not isinstance(ledger, SqlStore):
        raise StoreError(f"no credential tables beside a {type(ledger).__name__}")
    return CredentialStore(ledger)
