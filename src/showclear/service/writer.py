"""The application service: the only writer of a production's ledger.

Every state change goes through here: take the production's lock, append, seal with a signed
checkpoint, commit. Reads that prove something (``verify``) are here too, so the CLI, the web
app and the API all say the same thing.
"""

from __future__ import annotations

import copy
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from showclear import config
from showclear.core import limits
from showclear.core.commands import Command
from showclear.core.decide import Context, InPerson, Refused, decide
from showclear.core.events import Event, ProductionCreated, TimeZoneSet, event_from
from showclear.core.events.on_set import RuleWarned
from showclear.core.ledger.audit import BATCH, AuditReport, LedgerFault
from showclear.core.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    read_unverified,
)
from showclear.core.ledger.entry import Entry
from showclear.core.ledger.merkle import Frontier, frontier_nodes
from showclear.core.ledger.note import NoteError, NoteSigner, NoteVerifier, split_note
from showclear.core.ledger.seal import (
    Head,
    LedgerTampered,
    Sealed,
    check_head,
    open_sealing,
    seal_bodies,
)
from showclear.core.state import ProductionState, Recorded, evolve, initial
from showclear.service import ledger_format, zones
from showclear.service.credential_desk import CredentialDesk, NotPresent
from showclear.service.keyring import Keyring, KeyringError
from showclear.service.naming import new_origin, slugify
from showclear.store import Intrusion, LedgerStore, Production, StoreError, open_store
from showclear.store.audit import verify_store
from showclear.store.base import Appended, ProductionExistsError

GENESIS_PERSON = "person-1"

logger = logging.getLogger(__name__)


class InputError(Exception):
    """Something the user gave cannot be used (a clear message, exit code 2)."""


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Executed:
    """What one command recorded: its entries, the events in them, and the sealing checkpoint."""

    entries: tuple[Entry, ...]
    events: tuple[Event, ...]
    checkpoint: str
    #: True when the command was recorded earlier for the same request and is only read back
    #: from the ledger: nothing was decided or recorded now (see :meth:`Service.execute`).
    replayed: bool = False

    @classmethod
    def read_back(cls, appended: Appended) -> Executed:
        """What an earlier append recorded, as read back from the ledger."""
        events = tuple(event_from(entry.kind, entry.payload) for entry in appended.entries)
        return cls(appended.entries, events, appended.checkpoint, replayed=True)

    @property
    def warnings(self) -> tuple[RuleWarned, ...]:
        """The warnings recorded with the command (it was not refused)."""
        return tuple(event for event in self.events if isinstance(event, RuleWarned))


class BatchRefused(Exception):
    """Commands of a batch were refused: nothing of the batch was recorded.

    ``refusals`` pairs each refused command's index in the batch with its :class:`Refused`.
    """

    def __init__(self, refusals: tuple[tuple[int, Refused], ...]) -> None:
        self.refusals = refusals
        super().__init__("; ".join(f"command {index + 1}: {r}" for index, r in refusals))


@dataclass
class Service:
    """The application service over one store and one keyring."""

    store: LedgerStore
    keyring: Keyring
    device: str = field(default_factory=lambda: f"cli@{socket.gethostname()}")
    clock: Callable[[], datetime] = _now
    _states: dict[int, ProductionState] = field(default_factory=dict, init=False, repr=False)
    _signers: dict[int, NoteSigner] = field(default_factory=dict, init=False, repr=False)
    _verifiers: dict[int, tuple[NoteVerifier, bool]] = field(
        default_factory=dict, init=False, repr=False
    )
    # The tree of the entries each state was folded from, the checkpoint that sealed them, and
    # the stored head last proved (so an unchanged head is not checked again on every read).
    _sealed: dict[int, Sealed] = field(default_factory=dict, init=False, repr=False)
    _proved: dict[int, Head] = field(default_factory=dict, init=False, repr=False)
    # Productions whose stored ledger holds what Showclear did not write: nothing more is
    # recorded for them by this service (see ``core/ledger/seal.py``).
    _tampered: dict[int, LedgerTampered] = field(default_factory=dict, init=False, repr=False)
    # Productions by casefolded name and by slug: never renamed nor removed, so a name once
    # found stays found; only an unknown name asks the store again.
    _named: dict[str, Production] = field(default_factory=dict, init=False, repr=False)
    # One connection per service: its users (web threads) take turns.
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    #: Called after every committed command (webhooks, live pages). A listener that fails is
    #: logged and never undoes or hides what was recorded.
    listeners: list[Callable[[Production, Executed], None]] = field(default_factory=list)
    #: Called with each command the rules refused (nothing of it is in the ledger): a record
    #: kept outside the ledger, for the compliance summary. A failing one is only logged.
    refusal_listeners: list[Callable[[Production, Command, Context, Refused], None]] = field(
        default_factory=list
    )
    #: Called once when this service finds the stored ledger tampered with (the alarm, the
    #: ``ledger.tampered`` webhook). A failing one is only logged.
    tamper_listeners: list[Callable[[Production, LedgerTampered], None]] = field(
        default_factory=list
    )
    _desk: CredentialDesk | None = field(default=None, init=False, repr=False)

    @property
    def credentials(self) -> CredentialDesk:
        """Badges and PINs: issued and checked here only, kept beside the ledger, never in it."""
        if self._desk is None:
            self._desk = CredentialDesk(self)
        return self._desk

    @classmethod
    def from_environment(cls) -> Service:
        """The service for the configured database and data directory (schema created)."""
        store = open_store(config.database_url())
        store.create_schema()
        return cls(store=store, keyring=Keyring(config.data_dir()))

    # -- productions ------------------------------------------------------------------------

    def create_production(
        self, name: str, armorer_name: str, zone: str | None = None
    ) -> tuple[Production, Appended]:
        """Create a production, its signing key and its first entry (naming its armorer); with
        a ``zone`` (an IANA name: ``America/Denver``), its time zone, recorded as its second
        entry in the same transaction. A zone this machine does not know creates nothing."""
        name, armorer_name = name.strip(), " ".join(armorer_name.split())
        if zone is not None and not zones.is_zone(zone.strip()):
            raise InputError(
                f"there is no time zone called {zone!r}: give its IANA name, like "
                "America/Denver, Europe/London or UTC"
            )
        if not name:
            raise InputError("the production needs a name")
        if not armorer_name:
            raise InputError("the production needs its key armorer's full name")
        for what, text in (("production's name", name), ("key armorer's name", armorer_name)):
            if len(text) > limits.NAME:
                raise InputError(f"the {what} has {len(text):,} characters; at most {limits.NAME}")
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
                first: list[Event] = [event]
                if zone is not None:
                    first.append(TimeZoneSet(zone.strip()))
                created_at = self.clock()
                for each in first:
                    log.append(
                        each.kind,
                        each.to_payload(),
                        person=GENESIS_PERSON,
                        device=self.device,
                        recorded_at=created_at,
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
        if name is not None and (known := self._named.get(name.casefold())) is not None:
            return known
        productions = self.store.productions()
        for each in productions:
            self._named[each.name.casefold()] = self._named[each.slug] = each
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

    def zone(self, production: Production) -> tzinfo:
        """The production's time zone, resolved from the name on record (UTC if none)."""
        return zones.zone(self.state(production).zone)

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
        """The production's verifier key (public): the signing key's, or, on a machine without
        it (a restored copy, an investigator's), the one its first entry records."""
        return self.verifier_of(production)[0]

    def verifier_of(self, production: Production) -> tuple[NoteVerifier, bool]:
        """The verifier key, and whether it was read from the first entry because this machine
        holds no signing key for the production (a caller should say so)."""
        known = self._verifiers.get(production.id)
        if known is not None:
            return known
        if self.keyring.exists(production.slug):
            found = (self.signer(production).verifier, False)
        else:
            found = (self._recorded_verifier(production), True)
        self._verifiers[production.id] = found
        return found

    def _recorded_verifier(self, production: Production) -> NoteVerifier:
        first = self.store.entry(production, 0)
        try:
            recorded = json.loads(first)["payload"]["verifier_key"] if first else None
            verifier = NoteVerifier.parse(str(recorded))
        except (ValueError, KeyError, TypeError, NoteError) as error:
            raise InputError(
                f"there is no signing key for {production.slug!r} on this machine and the "
                f"ledger's first entry records no readable verifier key ({error})"
            ) from error
        if verifier.name != production.origin:
            raise InputError(
                f"the verifier key in the first entry is for {verifier.name!r}, not "
                f"{production.origin!r}"
            )
        return verifier

    def sealed_size(self, production: Production) -> int:
        """How many entries of the production Showclear sealed and this service folded: what
        reads may show (an entry beyond it was not written by Showclear)."""
        with self._lock:
            return self.state(production).seq + 1

    def newest_checkpoint(self, production: Production) -> str:
        """The newest signed checkpoint, once the stored log is proved to end exactly there
        (its signature, its size, the stored tree's root), without folding the ledger: the
        one to hand a witness. :class:`Intrusion` when the ledger holds what Showclear did
        not write (and the alarm is raised)."""
        with self._lock:
            if (found := self._tampered.get(production.id)) is not None:
                raise Intrusion(found)
            sealed = self._sealed.get(production.id)
            head = self.store.head(production)
            try:
                check_head(head, self.verifier(production), sealed.checkpoint if sealed else None)
            except LedgerTampered as fault:
                self._alarm(production, fault)
                raise Intrusion(fault) from fault
            assert head.newest is not None  # check_head refuses a log without one
            return head.newest[1]

    def sealed_note(self, production: Production) -> str:
        """The signed checkpoint the production's state was last proved against ("" before
        the first read): the one to show and to hand to a witness."""
        self.state(production)
        with self._lock:
            head = self._proved.get(production.id)
            if head is not None and head.newest is not None:
                return head.newest[1]
            sealed = self._sealed.get(production.id)
        size = sealed.size if sealed is not None else 0
        rows = self.store.checkpoints_between(production, size - 1, size) if size else []
        return rows[0][1] if rows else ""

    def tampered(self, production: Production) -> LedgerTampered | None:
        """What this service found written outside Showclear in the production's ledger, if
        anything: from then on nothing more is recorded (the pages show the alarm)."""
        return self._tampered.get(production.id)

    # -- commands ------------------------------------------------------------------------

    def state(self, production: Production) -> ProductionState:
        """The production's state now, caught up with every entry Showclear sealed.

        The same object is kept and brought up to date on every call: read it, never change
        it (every change goes through :meth:`execute`). Only entries sealed by a checkpoint
        whose signature and root check are folded; if the stored ledger holds anything else,
        the state stays at the last sealed entry and :meth:`tampered` says what was found.
        """
        with self._lock:
            state = self._states.setdefault(production.id, initial())
            if production.id in self._tampered:
                return state
            try:
                with self.store.snapshot():
                    self._catch_up(
                        production,
                        state,
                        self.store.head(production),
                        lambda start, end: self.store.entry_range(production, start, end),
                        lambda low, high: self.store.checkpoint_within(production, low, high),
                        lambda low, high: self.store.checkpoints_between(production, low, high),
                    )
            except LedgerTampered as fault:
                self._alarm(production, fault)
            except BaseException:
                self._forget(production)  # never serve a half-applied state
                raise
            return state

    def _catch_up(
        self,
        production: Production,
        state: ProductionState,
        head: Head,
        read: Callable[[int, int], list[bytes]],
        within: Callable[[int, int], tuple[int, str] | None],
        between: Callable[[int, int], list[tuple[int, str]]],
    ) -> None:
        """Fold into ``state`` the stored entries after it, as far as the newest checkpoint,
        once the stored log is proved to end there and the entries to rebuild its root.

        Entries are read :data:`BATCH` at a time and folded up to the newest checkpoint
        inside each batch, after its root is checked: the state only ever stands at a sealed
        size, whatever the check finds. :class:`LedgerTampered` when anything in the stored
        log was not written by Showclear.
        """
        if self._proved.get(production.id) == head:
            return
        verifier = self.verifier(production)
        sealed = self._sealed.setdefault(production.id, Sealed())
        if sealed.size != state.seq + 1:
            raise StoreError("the state and its sealed tree disagree: refold from the ledger")
        target = check_head(head, verifier, sealed.checkpoint)
        pending: list[bytes] = []
        while sealed.size < target.size or sealed.checkpoint is None:
            start = sealed.size + len(pending)
            end = min(start + BATCH, target.size)
            bodies = read(start, end) if end > start else []
            if len(bodies) != end - start:
                raise LedgerTampered(
                    f"entry {start + len(bodies)}",
                    "it is missing from the log: entries were deleted",
                    start + len(bodies),
                )
            pending.extend(bodies)
            if end == target.size:
                checkpoint: Checkpoint = target
            else:
                row = within(sealed.size, end)
                if row is None:
                    continue  # one append larger than a batch: read on to its checkpoint
                checkpoint = open_sealing(*row, verifier)
            sealed, count, fault = seal_bodies(sealed, pending, [checkpoint])
            if fault is not None and checkpoint.size - sealed.size > 1:
                # Name the entry: every checkpoint between says how far the log is still
                # Showclear's; fold that far, so the state stands at the last sealed entry.
                rows = between(sealed.size, checkpoint.size)
                sealed, count, fault = seal_bodies(
                    sealed, pending, [open_sealing(*row, verifier) for row in rows]
                )
            _apply(state, pending[:count])
            self._sealed[production.id] = sealed
            pending = pending[count:]
            if fault is not None:
                raise fault
        self._proved[production.id] = head

    def _alarm(self, production: Production, fault: LedgerTampered) -> None:
        """Stop recording for ``production`` and tell every tamper listener, once."""
        if production.id in self._tampered:
            return
        self._tampered[production.id] = fault
        logger.error("the ledger of %r was tampered with: %s", production.slug, fault)
        for listener in list(self.tamper_listeners):
            try:
                listener(production, fault)
            except Exception:  # the alarm stands whatever a listener does
                logger.exception("a tamper listener failed")

    def _forget(self, production: Production) -> None:
        """Drop the state and its tree, to be refolded from the ledger next time."""
        self._states.pop(production.id, None)
        self._sealed.pop(production.id, None)
        self._proved.pop(production.id, None)

    @contextmanager
    def reading(self, production: Production) -> Iterator[ProductionState]:
        """The production's state, caught up, held still while the ``with`` block reads it.

        Commands move the state on in place; no command of this service runs inside the block,
        so every read in it sees one moment. Only read it, and keep the block short: commands
        wait for it.
        """
        with self.held():
            yield self.state(production)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Every production's state held still: no command of this service runs inside the
        block (the web app draws each set page inside one, see ``web/floor/still.py``)."""
        with self._lock:
            yield

    def execute(
        self,
        production: Production,
        command: Command,
        *,
        person_id: str,
        device: str | None = None,
        request: str | None = None,
        role: str | None = None,
    ) -> Executed:
        """Decide ``command`` for ``person_id`` and record it, or raise :class:`Refused`.

        Under the production's lock: catch the state up with what any other process recorded,
        decide, append the events, seal them with a signed checkpoint and commit. Only then is
        the in-memory state moved on. A refused command, or one that could not be made durable,
        records nothing and leaves the state as it was.

        ``request`` names the request the command comes from (the API's device token and
        ``Idempotency-Key``; unique within the production). It is committed with the entries,
        beside them and never in them. If the ledger already holds entries recorded for it,
        nothing is decided or recorded: they are read back (``replayed``), and no listener
        hears of them again. So one request never records twice, whatever became of the
        process that recorded it first.

        ``role``: the one role the person acts in (an API device token's); the rules then take
        them to hold that role alone (:attr:`showclear.core.decide.verdict.Context.role`).
        """
        # Who confirmed in person is checked here, against the credential store and outside
        # the write lock (the checks are slow on purpose), never taken from the command.
        checked = self.credentials.presences(production, [command], person_id)
        with _not_present(checked.failures):
            (executed,) = self._record(
                production,
                [command],
                lambda state, context, _size: [
                    decide(state, command, replace(context, present=checked.present))
                ],
                person_id=person_id,
                device=device,
                request=request,
                role=role,
            )
        assert executed.checkpoint, "a recorded command has at least one entry"
        if executed.replayed:
            return executed
        for listener in list(self.listeners):
            try:
                listener(production, executed)
            except Exception:  # a listener must never turn a recorded command into an error
                logger.exception(
                    "a listener failed after entry %s was recorded", executed.entries[-1].seq
                )
        return executed

    def execute_all(
        self,
        production: Production,
        commands: Sequence[Command],
        *,
        person_id: str,
        device: str | None = None,
        request: str | None = None,
    ) -> tuple[Executed, ...]:
        """Record every command of ``commands`` in one transaction, or none of them.

        Each command is decided on the state the ones before it leave (a trial copy of the
        state, so the service's own state moves only after the commit). Every command is
        decided, even after one is refused, so that :class:`BatchRefused` lists them all; then
        nothing is recorded. Otherwise every entry is appended and one signed checkpoint seals
        the whole batch. One :class:`Executed` per command, in order.

        ``request`` names the request the batch comes from, as for :meth:`execute`: if the
        ledger already holds entries recorded for it, nothing is decided or recorded, and one
        :class:`Executed` (``replayed``) reads back every entry the batch recorded then.
        """
        checked = self.credentials.presences(production, commands, person_id)
        with _not_present(checked.failures):
            done = self._record(
                production,
                commands,
                lambda state, context, size: _decide_all(
                    state, commands, replace(context, present=checked.present), size
                ),
                person_id=person_id,
                device=device,
                request=request,
            )
        if done and done[0].replayed:
            return done
        for executed in done:
            for listener in list(self.listeners):
                try:
                    listener(production, executed)
                except Exception:  # never turn a recorded batch into an error
                    logger.exception("a listener failed after a batch was recorded")
        return done

    def recorded_for(self, production: Production, request: str) -> Executed | None:
        """What :meth:`execute` recorded for ``request``, read back from the ledger, or None
        when nothing was (not yet, or it was refused, or it failed)."""
        appended = self.store.recorded_for(production, request)
        return None if appended is None else Executed.read_back(appended)

    def _record(
        self,
        production: Production,
        commands: Sequence[Command],
        choose: Callable[[ProductionState, Context, int], list[list[Event]]],
        *,
        person_id: str,
        device: str | None,
        request: str | None = None,
        role: str | None = None,
    ) -> tuple[Executed, ...]:
        """Decide and record ``commands`` in one transaction: one :class:`Executed` each.

        ``choose(state, context, size)`` gives each command's events, decided on the state
        caught up under the production's write lock (``size``: the log's size then), or raises
        :class:`Refused` (of ``commands[0]``) or :class:`BatchRefused`; the refusal listeners
        hear of each refused command and nothing is recorded. After the commit the in-memory
        state is moved on by the recorded events; if anything but the store fails on the way,
        the state is dropped, to be refolded from the ledger next time.

        With a ``request`` that the ledger already holds entries for, nothing is decided or
        recorded: one :class:`Executed` reads them back (all of a batch's entries).
        """
        with self._lock:
            signer = self._signer(production)
            state = self.state(production)  # the long catch-up outside the write lock
            if (found := self._tampered.get(production.id)) is not None:
                raise Intrusion(found)
            context = Context(
                person_id=person_id,
                device=device or self.device,
                at=self.clock(),
                role=role,
                tzinfo=zones.zone(state.zone),
                zones=zones.known(),
            )
            earlier: Appended | None = None
            decided: list[list[Event]] = []
            entries: list[tuple[Entry, ...]] = []
            try:
                with self.store.writing(production, signer, request=request) as log:
                    # Under the write lock: the stored log must end exactly at the newest
                    # checkpoint this process can verify, or nothing is decided nor signed.
                    self._catch_up(
                        production,
                        state,
                        log.head(),
                        log.stored,
                        log.checkpoint_within,
                        log.checkpoints_between,
                    )
                    log.continue_from(self._sealed[production.id].tree)
                    earlier = log.recorded_before()
                    if earlier is None:
                        decided = choose(state, context, log.size)
                        entries = [
                            tuple(
                                log.append(
                                    event.kind,
                                    event.to_payload(),
                                    person=context.person_id,
                                    device=context.device,
                                    recorded_at=context.at,
                                )
                                for event in events
                            )
                            for events in decided
                        ]
            except Refused as refused:
                self._tell_refused(production, commands[0], context, refused)
                raise
            except BatchRefused as refused:
                for index, one in refused.refusals:
                    self._tell_refused(production, commands[index], context, one)
                raise
            except LedgerTampered as fault:
                self._alarm(production, fault)
                raise Intrusion(fault) from fault
            except StoreError:
                raise
            except BaseException:
                self._forget(production)
                raise
            if earlier is not None:
                return (Executed.read_back(earlier),)
            try:
                for recorded, events in zip(entries, decided, strict=True):
                    for entry, event in zip(recorded, events, strict=True):
                        evolve(
                            state,
                            Recorded(
                                entry.seq, context.at, context.person_id, context.device, event
                            ),
                        )
            except BaseException:
                self._forget(production)  # refold from the ledger next time
                raise
            if log.sealed is not None:
                self._sealed_by(production, log.frontier, log.sealed.checkpoint)
            sealed = log.sealed.checkpoint if log.sealed is not None else ""
            return tuple(
                Executed(recorded, tuple(events), sealed)
                for recorded, events in zip(entries, decided, strict=True)
            )

    def _sealed_by(self, production: Production, frontier: Frontier, note: str) -> None:
        """Remember the tree and checkpoint this service just committed, and the head the
        store now has, so the next read need not prove again what this process wrote."""
        tree = Frontier(frontier.size, list(frontier.hashes))
        checkpoint = Checkpoint(production.origin, tree.size, tree.root())
        self._sealed[production.id] = Sealed(tree, checkpoint)
        nodes = dict(zip(frontier_nodes(tree.size), tree.hashes, strict=True))
        self._proved[production.id] = Head(tree.size, (tree.size, note), nodes)

    def rehearse(
        self,
        production: Production,
        commands: Sequence[Command],
        *,
        person_id: str,
        device: str | None = None,
        present: Mapping[str, InPerson] | None = None,
    ) -> tuple[tuple[Event, ...], ...]:
        """What :meth:`execute_all` would record now, command by command, recording nothing.

        Raises :class:`BatchRefused` exactly as it would (a dry run is not an attempt, so no
        refusal listener hears of it). ``present``: the people taken to have confirmed in
        person (a flow asks before anyone types a PIN: what would the rules still refuse once
        they have?); nobody else, whatever the commands carry.
        """
        with self._lock:
            state = self.state(production)
            context = Context(
                person_id=person_id,
                device=device or self.device,
                at=self.clock(),
                present=dict(present or {}),
                tzinfo=zones.zone(state.zone),
                zones=zones.known(),
            )
            return tuple(tuple(e) for e in _decide_all(state, commands, context, state.seq + 1))

    def _tell_refused(
        self, production: Production, command: Command, context: Context, refused: Refused
    ) -> None:
        for listener in list(self.refusal_listeners):
            try:
                listener(production, command, context, refused)
            except Exception:  # the refusal stands whatever a listener does
                logger.exception("a refusal listener failed")

    def _signer(self, production: Production) -> NoteSigner:
        signer = self._signers.get(production.id)
        if signer is None:
            signer = self._signers[production.id] = self.signer(production)
        return signer

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
        report = verify_store(self.store, production, verifier, witness=witness, progress=progress)
        # A ledger that carries credentials (format 1) is refused, whatever its proof says.
        secrets_at = ledger_format.entries_with_credentials(self.store, production)
        if secrets_at:
            raise InputError(ledger_format.refusal(production, secrets_at))
        return report

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
        try:
            open_checkpoint(witness, verifier)
        except CheckpointError as error:
            # Signed in this key's name, but the signature fails: the file itself was altered
            # or damaged. That says nothing about the ledger, so it is bad input, not a fault.
            raise InputError(
                f"that checkpoint's signature does not hold ({error}): the file was altered or "
                "damaged; use an untouched copy"
            ) from error


@contextmanager
def _not_present(failures: Sequence[Any]) -> Iterator[None]:
    """A refusal of a command whose PINs or badges did not check out says why (NotPresent; a
    batch's :class:`BatchRefused` stays as it is)."""
    try:
        yield
    except NotPresent:
        raise
    except Refused as refused:
        if failures:
            raise NotPresent(refused.violations, failures) from refused
        raise


def trial_copy(value: Any) -> Any:
    """A copy of a state that :func:`evolve` may change without touching the original.

    Every mutable part is copied: each (non-frozen) dataclass, dict, list and set. What cannot
    change is shared, however deep: frozen dataclasses (every :class:`Recorded` of a firearm's
    history and its event), tuples, strings, numbers, times. So a production of a million entries
    is copied in a fraction of the time :func:`copy.deepcopy` takes, which copies each of them.
    """
    if isinstance(value, list):
        return [trial_copy(item) for item in value]
    if isinstance(value, dict):
        return {key: trial_copy(item) for key, item in value.items()}
    if isinstance(value, set):
        return set(value)
    if is_dataclass(value) and not isinstance(value, type):
        if value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return value
        copied = copy.copy(value)
        for each in fields(value):
            setattr(copied, each.name, trial_copy(getattr(value, each.name)))
        return copied
    return value


def _decide_all(
    state: ProductionState, commands: Sequence[Command], context: Context, first_seq: int
) -> list[list[Event]]:
    """Each command's events, each decided on a trial copy moved on by the ones before it;
    :class:`BatchRefused` with every refusal. ``state`` itself is only read."""
    trial = trial_copy(state)  # decide reads a state, evolve changes one: never the kept one
    decided: list[list[Event]] = []
    refusals: list[tuple[int, Refused]] = []
    seq = first_seq
    for index, command in enumerate(commands):
        try:
            events = decide(trial, command, context)
        except Refused as refused:
            refusals.append((index, refused))
            continue
        for event in events:
            evolve(trial, Recorded(seq, context.at, context.person_id, context.device, event))
            seq += 1
        decided.append(events)
    if refusals:
        raise BatchRefused(tuple(refusals))
    return decided


def _apply(state: ProductionState, bodies: Iterable[bytes]) -> None:
    """Move ``state`` on by committed entries, which must follow on from it.

    Proving the entries is ``verify``'s work (leaf hashes against signed checkpoints), and a
    canonical re-encoding proves nothing a forger could not also produce; so the committed
    bytes are read with plain ``json.loads`` and the stored time with ``fromisoformat``. The
    strict :func:`~showclear.core.ledger.entry.decode_entry` re-encodes every entry and parses
    its time with ``strptime``, which made rebuilding a million entries take half a minute.
    """
    for body in bodies:
        try:
            raw = json.loads(body)
            seq, kind, payload = raw["seq"], raw["kind"], raw["payload"]
            at = datetime.fromisoformat(raw["recorded_at"])
            person, device = raw["person"], raw["device"]
        except (ValueError, KeyError, TypeError) as error:
            raise StoreError(
                f"entry {state.seq + 1} cannot be read ({error}): run 'showclear verify'"
            ) from error
        if seq != state.seq + 1:
            raise StoreError(
                f"entry {seq} does not follow entry {state.seq}: run 'showclear verify'"
            )
        if at.tzinfo is None:
            raise StoreError(f"entry {seq} has no time zone: run 'showclear verify'")
        evolve(state, Recorded(seq, at, person, device, event_from(kind, payload)))


__all__ = [
    "BatchRefused",
    "Executed",
    "InputError",
    "Intrusion",
    "LedgerFault",
    "Refused",
    "Service",
    "StoreError",
]
