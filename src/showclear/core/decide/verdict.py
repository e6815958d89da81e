"""The verdict on one command: the violations found while deciding it, and its settlement.

A handler looks things up through the verdict (an unknown tag becomes an ``R-KNOWN`` violation
rather than a ``KeyError``), checks rules into it, and returns the events it would record. The
verdict then settles: overridden blocks are waived (and the override used up), warnings become
``rule.warned`` events, and any block left refuses the whole command with every violation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from itertools import permutations
from typing import Generic, NoReturn, TypeVar

from showclear.core.commands import Command, Confirmation
from showclear.core.events import Event
from showclear.core.events.on_set import OverrideApplied, RuleWarned
from showclear.core.rules import KNOWN, ROLE, SEPARATION, Rule, Violation, violation
from showclear.core.state import Container, Firearm, Lot, Person, ProductionState, Scene
from showclear.core.words import local_day, stamp


@dataclass(frozen=True)
class InPerson:
    """One person's confirmation, as the application service checked it: how they confirmed
    (``pin-typed``, ``badge-scanned``, ``badge-typed``) and with which badge or PIN (its id)."""

    method: str
    credential_id: str


@dataclass(frozen=True)
class Context:
    """Who is acting, on what device, and when (aware UTC): supplied by the application service.

    ``present`` names the people who confirmed this command in person, each with how: the
    service fills it after checking their PIN or badge against the credential store. Nobody
    else confirmed, whatever the command says.

    ``role`` is the one role the person acts in, when the command comes through a credential
    that speaks for one role only (an API device token): the person is then taken to hold that
    role alone, wherever the rules ask what the actor may do. ``None``: every role they hold.
    """

    person_id: str
    device: str
    at: datetime
    present: Mapping[str, InPerson] = field(default_factory=dict)
    role: str | None = None
    tzinfo: tzinfo = UTC
    """The production's time zone, resolved by the service from the zone name on record (the
    core reads no zone files): every time a refusal says is said in it."""
    zones: frozenset[str] = frozenset({"UTC"})
    """The time zone names the service can resolve (a production's zone must be one)."""


class Refused(Exception):
    """A command broke rules: nothing was recorded. ``violations`` lists every one."""

    def __init__(self, violations: tuple[Violation, ...]) -> None:
        self.violations = violations
        super().__init__(" ".join(v.message for v in violations))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of the rules broken, in the order found, each once."""
        return tuple(dict.fromkeys(v.rule_id for v in self.violations))


class Verdict:
    """Collects the violations of one command against one state at one moment."""

    def __init__(self, state: ProductionState, context: Context) -> None:
        self.state = state
        self.context = context
        self.violations: list[Violation] = []
        self.notes: list[Violation] = []
        #: The actor, once the handler's declared roles let them act (:meth:`clear`).
        self.acting: Person | None = None

    # -- recording violations ---------------------------------------------------------------------

    def breaks(self, rule: Rule, subject: str, message: str) -> None:
        """Record that the command breaks ``rule`` for ``subject``."""
        found = violation(rule, subject, message)
        if found not in self.violations:
            self.violations.append(found)

    def note(self, rule: Rule, subject: str, message: str) -> None:
        """Record a rule broken by what *happened* (a report): warned, never refused."""
        self.notes.append(violation(rule, subject, message))

    def refuse_if_blocked(self) -> None:
        """Stop now if anything blocks (used when later checks need what was not found)."""
        if any(v.blocks for v in self.violations):
            raise Refused(tuple(self.violations))

    def refused(self) -> NoReturn:
        """Refuse now with what was found (after a lookup failed)."""
        raise Refused(tuple(self.violations))

    def settle(self, events: list[Event]) -> list[Event]:
        """The events to record, or :class:`Refused` with every violation."""
        waived: list[Event] = []
        blocking: list[Violation] = []
        for found in list(self.violations):
            if not found.blocks:
                continue
            key = (found.rule_id, found.subject)
            if found.overridable and key in self.state.overrides:
                if self._own_override(key):
                    blocking.append(found)
                else:
                    waived.append(OverrideApplied(found.rule_id, found.subject, found.message))
            else:
                blocking.append(found)
        if blocking:
            raise Refused(tuple(self.violations))
        warnings = [v for v in self.violations if not v.blocks] + self.notes
        warned: list[Event] = [RuleWarned(v.rule_id, v.subject, v.message) for v in warnings]
        return [*events, *waived, *warned]

    def _own_override(self, key: tuple[str, str]) -> bool:
        """R-SEPARATION: an override is never used on a command given by the safety supervisor
        who gave it or by its second person (a violation, and ``True``, when it would be)."""
        signers = self.state.override_signers.get(key, ())
        if self.context.person_id not in signers:
            return False
        self.breaks(
            SEPARATION,
            self.context.person_id,
            f"The override of {key[0]} for {key[1]} was given or confirmed by "
            f"{self.who(self.context.person_id)}, who cannot use it on their own command at "
            f"{self.now}: someone else does the work, or another safety supervisor decides.",
        )
        return True

    # -- words ------------------------------------------------------------------------------------

    def time(self, at: datetime) -> str:
        """``"13:02 MDT"``: said in the production's time zone, and says so, with its date
        when it is not the day of the command (``"Oct 14 10:15 MDT"``)."""
        zone = self.context.tzinfo
        return stamp(at, zone=zone, today=local_day(self.context.at, zone))

    @property
    def now(self) -> str:
        """The command's time as ``"13:02 MDT"``."""
        return self.time(self.context.at)

    def who(self, person_id: str | None) -> str:
        """A person's name and role."""
        return self.state.person_label(person_id)

    # -- lookups ----------------------------------------------------------------------------------

    @property
    def actor(self) -> Person | None:
        """The person giving the command, if on the roster, holding only the role they act in
        (:attr:`Context.role`): a first AD's device cannot give an armorer's command even when
        the first AD is also an armorer."""
        person = self.state.people.get(self.context.person_id)
        role = self.context.role
        if person is None or role is None:
            return person
        return replace(person, roles=person.roles & {role})

    def clear(self, handler: Handler[C], command: C) -> None:
        """Check the roles ``handler`` declares for the actor, before it runs (R-ROLE, or the
        rule it names); :attr:`acting` is then the actor, or ``None`` if they may not act."""
        if handler.roles is None:
            self.acting = self.actor
        else:
            words = handler.words(command, self.state)
            self.acting = self.acting_as(handler.roles, words, handler.rule)

    def acting_as(self, roles: frozenset[str], doing: str, rule: Rule = ROLE) -> Person | None:
        """The actor, if they hold one of ``roles``; otherwise a violation of ``rule``."""
        actor = self.actor
        if actor is None:
            self.breaks(
                rule,
                self.context.person_id,
                f"{self.context.person_id} is not on this production's roster and cannot {doing}.",
            )
            return None
        if not actor.roles & roles:
            self.breaks(rule, actor.person_id, f"{actor.label} cannot {doing}.")
            return None
        return actor

    def person(self, person_id: str, what: str = "person") -> Person | None:
        """The person, or an R-KNOWN violation."""
        person = self.state.people.get(person_id)
        if person is None:
            self.breaks(KNOWN, person_id, f"There is no {what} {person_id!r} on the roster.")
        return person

    def firearm(self, tag: str) -> Firearm | None:
        """The active firearm tagged ``tag``, or an R-KNOWN violation."""
        firearm = self.state.firearms.get(tag)
        if firearm is None:
            self.breaks(KNOWN, tag, f"No firearm is tagged {tag!r} on this production.")
            return None
        if not firearm.active:
            where = (
                "is with the investigators"
                if firearm.status == "impounded"
                else (f"went back to {firearm.owner}")
            )
            self.breaks(KNOWN, tag, f"{firearm.label} {where}; it is not in use.")
            return None
        return firearm

    def lot(self, tag: str) -> Lot | None:
        """The lot tagged ``tag``, or an R-KNOWN violation."""
        lot = self.state.lots.get(tag)
        if lot is None:
            self.breaks(KNOWN, tag, f"No ammunition lot is tagged {tag!r} on this production.")
        return lot

    def container(self, tag: str) -> Container | None:
        """The container tagged ``tag``, or an R-KNOWN violation."""
        container = self.state.containers.get(tag)
        if container is None:
            self.breaks(KNOWN, tag, f"No container is tagged {tag!r} on this production.")
        return container

    def scene(self, scene_id: str) -> Scene | None:
        """The scene, or an R-KNOWN violation."""
        scene = self.state.scenes.get(scene_id)
        if scene is None:
            self.breaks(KNOWN, scene_id, f"There is no scene {scene_id!r} on the schedule.")
        return scene

    def positions(self, firearm: Firearm, named: tuple[str, ...]) -> bool:
        """Whether every named position exists on ``firearm`` (R-KNOWN otherwise)."""
        missing = [p for p in named if p not in firearm.positions]
        if missing:
            has = ", ".join(firearm.positions) or "no positions at all"
            self.breaks(
                KNOWN,
                firearm.tag,
                f"{firearm.label} has no {', '.join(missing)} (it has {has}).",
            )
        return not missing

    def confirmed(self, confirmation: Confirmation, rule: Rule, as_what: str) -> Person | None:
        """The person confirming in person, if the service found them present with their
        current badge or PIN."""
        person = self.person(confirmation.person_id)
        if person is None:
            return None
        present = self.context.present.get(person.person_id)
        if present is None or not person.holds(present.credential_id):
            self.breaks(
                rule,
                person.person_id,
                f"{person.label} did not confirm as {as_what}: the badge or PIN given is not "
                "theirs. They must confirm in person.",
            )
            return None
        return person

    def via(self, confirmation: Confirmation) -> str:
        """How the person of ``confirmation`` confirmed (``""`` if they did not)."""
        present = self.context.present.get(confirmation.person_id)
        return present.method if present is not None else ""


C = TypeVar("C", bound=Command)

ANYONE: None = None
"""A handler open to anyone, on the roster or not (STOP WORK, a complaint, a container's
custodian): it checks no role before it runs, and any finer check is its own."""


@dataclass(frozen=True)
class Handler(Generic[C]):
    """The function deciding commands of ``command``, and who may give them.

    ``roles`` is the true outer bound: the verdict refuses anyone holding none of them (under
    ``rule``, as someone who "cannot ``doing``") before the function runs. :data:`ANYONE`: no
    role is asked. A finer check that no fixed set of roles can say (a container's custodian, a
    pair signing together) stays in the function.
    """

    command: type[C]
    decide: Callable[[C, Verdict], list[Event]]
    roles: frozenset[str] | None
    doing: str | Callable[[C, ProductionState], str] = ""
    rule: Rule = ROLE
    together: tuple[frozenset[str], ...] = ()
    """Roles two people must hold between them, one acting and one confirming in person
    (ResumeWork: a safety supervisor and an armorer); ``()`` when one person acts alone."""

    def __call__(self, command: C, verdict: Verdict) -> list[Event]:
        return self.decide(command, verdict)

    def words(self, command: C, state: ProductionState) -> str:
        """What the person is doing, as in "X cannot <doing>"."""
        return self.doing if isinstance(self.doing, str) else self.doing(command, state)

    def pairs(self, first: Person | None, second: Person | None) -> bool:
        """Whether ``first`` and ``second``, two different people, each stand for a different
        role set of :attr:`together` (one person holding both roles counts once:
        R-SEPARATION)."""
        pair = [p for p in (first, second) if p is not None]
        if len({p.person_id for p in pair}) != 2 or len(self.together) > len(pair):
            return False
        return any(
            all(person.roles & roles for person, roles in zip(order, self.together, strict=False))
            for order in permutations(pair)
        )

    def covers(self, first: Person | None, second: Person | None) -> bool:
        """Whether ``first`` and ``second`` hold every role set of :attr:`together` between
        them, counting a person twice (what :meth:`pairs` does not)."""
        pair = [p for p in (first, second) if p is not None]
        return bool(pair) and all(any(p.roles & roles for p in pair) for roles in self.together)

    @property
    def signers(self) -> frozenset[str] | None:
        """The roles that may take part: :attr:`together`'s when two sign, else :attr:`roles`."""
        if self.together:
            return frozenset().union(*self.together)
        return self.roles


def handles(
    command_type: type[C],
    *,
    roles: frozenset[str] | None,
    doing: str | Callable[[C, ProductionState], str] = "",
    rule: Rule = ROLE,
    together: tuple[frozenset[str], ...] = (),
) -> Callable[[Callable[[C, Verdict], list[Event]]], Handler[C]]:
    """Declare the function deciding ``command_type`` and the roles that may give it. Nothing is
    registered: :data:`showclear.core.decide.HANDLERS` lists every handler."""
    if roles is not None and not doing:
        raise TypeError(f"say what {command_type.__name__} is doing, for its R-ROLE sentence")

    def declare(function: Callable[[C, Verdict], list[Event]]) -> Handler[C]:
        return Handler(command_type, function, roles, doing, rule, together)

    return declare
