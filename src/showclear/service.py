"""The application service: the only writer of a production's ledger.

Every state change goes through here: take the production's lock, append, seal with a signed
checkpoint, commit. Reads that prove something (``verify``) are here too, so the CLI, the web
app and the API all say the same thing.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from showclear import config
from showclear.core.events import ProductionCreated
from showclear.core.ledger.audit import AuditReport, LedgerFault
from showclear.core.ledger.checkpoint import CheckpointError, read_unverified
from showclear.core.ledger.note import NoteError, NoteSigner, NoteVerifier, split_note
from showclear.keyring import Keyring, KeyringError
from showclear.naming import new_origin, slugify
from showclear.store import LedgerStore, Production, StoreError, open_store
from showclear.store.base import Appended, ProductionExistsError
from showclear.verifying import verify_store

GENESIS_PERSON = "person-1"


class InputError(Exception):
    """Something the user gave cannot be used (a clear message, exit code 2)."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Showclear:
    """The application service over one store and one keyring."""

    store: LedgerStore
    keyring: Keyring
    device: str = field(default_factory=lambda: f"cli@{socket.gethostname()}")
    clock: Callable[[], datetime] = _now

    @classmethod
    def from_environment(cls) -> Showclear:
        """The service for the configured database and data directory (schema created)."""
        store = open_store(config.database_url())
        store.create_schema()
        return cls(store=store, keyring=Keyring(config.data_dir()))

    # -- productions ------------------------------------------------------------------------

    def create_production(self, name: str, armorer_name: str) -> tuple[Production, Appended]:
        """Create a production, its signing key and its first entry (naming its armorer)."""
        name, armorer_name = name.strip(), " ".join(armorer_name.split())
        if not name:
            raise InputError("the production needs a name")
        if not armorer_name:
            raise InputError("the production needs its key armorer's full name")
        slug = slugify(name)
        for existing in self.store.productions():
            if existing.name.casefold() == name.casefold() or existing.slug == slug:
                raise InputError(f"a production named {existing.name!r} already exists")
        if self.keyring.exists(slug):
            raise InputError(
                f"a signing key for {slug!r} already exists at {self.keyring.path(slug)} but no "
                "production uses it; move it away before creating this production"
            )
        origin = new_origin(slug)
        signer = NoteSigner.generate(origin)
        staged = self.keyring.stage(slug, signer)
        event = ProductionCreated(
            name=name,
            origin=origin,
            armorer_id=GENESIS_PERSON,
            armorer_name=armorer_name,
            verifier_key=signer.verifier.verifier_key(),
        )
        installed = False
        try:
            with self.store.creating(
                name=name, slug=slug, origin=origin, created_at=self.clock(), signer=signer
            ) as log:
                log.append(
                    event.kind,
                    event.to_payload(),
                    person=GENESIS_PERSON,
                    device=self.device,
                    recorded_at=self.clock(),
                )
                self.keyring.install(slug, staged)
                installed = True
        except (ProductionExistsError, KeyringError) as error:
            if installed:
                self.keyring.discard(slug)
            raise InputError(str(error)) from error
        except BaseException:
            if installed:
                self.keyring.discard(slug)
            raise
        finally:
            staged.unlink(missing_ok=True)
        assert log.sealed is not None
        return log.production, log.sealed

    def production(self, name: str | None = None) -> Production:
        """The production called ``name``, or the only one when no name is given."""
        productions = self.store.productions()
        if name is None:
            if len(productions) == 1:
                return productions[0]
            if not productions:
                raise InputError("there is no production yet: run 'showclear init' first")
            names = ", ".join(repr(p.name) for p in productions)
            raise InputError(f"there are several productions ({names}): name one with --production")
        for production in productions:
            if name.casefold() in (production.name.casefold(), production.slug):
                return production
        raise InputError(f"there is no production named {name!r}")

    def signer(self, production: Production) -> NoteSigner:
        """The production's checkpoint signer."""
        try:
            signer = self.keyring.load(production.slug)
        except KeyringError as error:
            raise InputError(str(error)) from error
        if signer.name != production.origin:
            raise InputError(f"the signing key for {production.slug!r} belongs to another ledger")
        return signer

    def verifier(self, production: Production) -> NoteVerifier:
        """The production's verifier key (public)."""
        return self.signer(production).verifier

    # -- proof ---------------------------------------------------------------------------

    def verify(
        self,
        production: Production,
        *,
        witness: str | None = None,
        verifier_key: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> AuditReport:
        """Audit the whole ledger; raise LedgerFault at the first fault, InputError on bad input."""
        if verifier_key is not None:
            try:
                verifier = NoteVerifier.parse(verifier_key)
            except NoteError as error:
                raise InputError(f"that is not a verifier key: {error}") from error
        else:
            verifier = self.verifier(production)
        if witness is not None:
            self._check_witness_form(witness, production, verifier)
        return verify_store(self.store, production, verifier, witness=witness, progress=progress)

    @staticmethod
    def _check_witness_form(witness: str, production: Production, verifier: NoteVerifier) -> None:
        try:
            checkpoint = read_unverified(witness)
            _, signatures = split_note(witness)
        except (CheckpointError, NoteError) as error:
            raise InputError(f"that file is not a signed Showclear checkpoint: {error}") from error
        if checkpoint.origin != production.origin:
            raise InputError(
                f"that checkpoint is for another ledger ({checkpoint.origin}), "
                f"not {production.name!r} ({production.origin})"
            )
        if not any(sig.key_hash == verifier.key_hash for sig in signatures):
            keys = ", ".join(sig.key_hash.hex() for sig in signatures)
            raise LedgerFault(
                "witness checkpoint",
                f"it was signed by key {keys}, but this ledger is signed by key {verifier.key_id}: "
                "the production's signing key was replaced after the witness kept it",
            )


__all__ = ["InputError", "LedgerFault", "Showclear", "StoreError"]
