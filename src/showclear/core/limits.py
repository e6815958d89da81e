"""What a command may carry: the longest text of each of its fields, and the characters a tag
or id may use.

Every entry is kept for ever (the ledger is append-only), drawn on reports and sent to phones:
a 2.4 MB "complaint" or an 8,000-letter word in a note can never be taken out again. So every
text field of every command has a maximum length, chosen for what it is (a name, a short label,
a note), in one table, :data:`LIMITS`; a field of tuples also has a maximum number of items. And
what a command *puts on the production* under a new tag or id (a firearm, a lot, a container, a
shoot day, a scene, a person with an id given by input) keeps to :data:`TAG_PATTERN`: it is
printed on labels and QR codes, typed on phones, written in file names and URLs.

:func:`check` is run by :func:`~showclear.core.decide.decide` before any rule: a command that
breaks a limit is refused with ``R-INPUT``, naming the field and the limit, and nothing is
recorded. ``docs/rules/R-INPUT.md`` lists the table; a test derives every text field of every
command from the dataclasses, so a new field without a limit fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import TypeVar

from showclear.core import commands as c

C = TypeVar("C", bound=c.Command)

TAG_LENGTH = 64
"""The longest tag or id: a rental house's asset tag, a scene number, ``person-12``."""
NAME = 200
"""A person's or production's name, a make, a model, an owner, a supplier, a course."""
LABEL = 100
"""A short word from a list or a label: a calibre, a kind, a method, a role, a position."""
DATE = 32
"""An ISO date (``2026-10-13``), with room for a mistake to be refused by the rules, not here."""
CREDENTIAL = 512
"""What a person presents in person (a badge code or a PIN as typed or scanned, never kept), and
a verifier key."""
NOTE = 4000
"""A note, a reason, a description: about a page of text."""
REPORT = 20000
"""A complaint or an investigation's findings: several pages."""
ITEMS = 1000
"""The most items a list field holds (positions, people at a meeting, firearms counted)."""

TAG_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""A new tag or id: ASCII letters and digits, with ``-``, ``_`` and ``.`` after the first
character. No spaces (a scanner or a tired thumb loses them), no ``/`` or ``?`` (tags are path
segments of the set pages and of the API), no ``..`` on its own (it starts with a letter or a
digit), no control or look-alike characters (the same tag on a label, a QR code, a phone and a
file name). At most :data:`TAG_LENGTH` characters."""
TAG_CHARACTERS = "letters A-Z and a-z, digits, '-', '_' and '.', starting with a letter or digit"
""":data:`TAG_PATTERN` in words, for refusals and import problems."""


@dataclass(frozen=True)
class Limit:
    """The most characters a text field (or each item of a list field) may hold, how many items
    a list field may hold, and whether the field names something new (checked against
    :data:`TAG_PATTERN`)."""

    chars: int
    items: int = 0
    new_tag: bool = False
    shortened: bool = False
    """Kept to its first characters (and said so) rather than refused: the text of a STOP WORK
    or of a report of what just happened, which is always recorded (see :func:`shorten`)."""


def _said(chars: int) -> Limit:
    return Limit(chars, shortened=True)


def _tag(new: bool = False) -> Limit:
    return Limit(TAG_LENGTH, new_tag=new)


def _tags(items: int = ITEMS) -> Limit:
    return Limit(TAG_LENGTH, items)


LIMITS: dict[type, dict[str, Limit]] = {
    c.Confirmation: {"person_id": _tag(), "presented": Limit(CREDENTIAL)},
    c.LotCount: {"lot": _tag(), "container": _tag()},
    c.FirearmFor: {"firearm": _tag(), "performer": _tag()},
    c.BlankFirePlan: {},
    c.CreateProduction: {
        "name": Limit(NAME),
        "origin": Limit(NAME),
        "armorer_id": _tag(new=True),
        "armorer_name": Limit(NAME),
        "verifier_key": Limit(CREDENTIAL),
    },
    c.SetTimeZone: {"zone": Limit(LABEL)},
    c.AddPerson: {
        "name": Limit(NAME),
        "roles": Limit(LABEL, 20),
        "person_id": _tag(new=True),
        "duties": Limit(LABEL, 20),
        "unit": _tag(),
    },
    c.IssueBadge: {"person_id": _tag(), "serial": Limit(LABEL)},
    c.IssuePin: {"person_id": _tag(), "pin_id": Limit(LABEL)},
    c.RevokeCredential: {"person_id": _tag(), "credential": Limit(LABEL), "reason": Limit(NOTE)},
    c.AssignDuty: {"person_id": _tag(), "duty": Limit(LABEL)},
    c.RecordTraining: {
        "person_id": _tag(),
        "course": Limit(NAME),
        "completed_on": Limit(DATE),
        "expires_on": Limit(DATE),
    },
    c.ArriveOnSet: {"person_id": _tag(), "unit": _tag()},
    c.LeaveSet: {"person_id": _tag()},
    c.ReceiveFirearm: {
        "tag": _tag(new=True),
        "serial": Limit(LABEL),
        "make": Limit(NAME),
        "model": Limit(NAME),
        "firearm_type": Limit(LABEL),
        "calibre": Limit(LABEL),
        "firearm_class": Limit(LABEL),
        "positions": Limit(LABEL, 100),
        "owner": Limit(NAME),
        "notes": Limit(NOTE),
        "container": _tag(),
    },
    c.InspectFirearm: {
        "firearm": _tag(),
        "positions_checked": Limit(LABEL, 100),
        "firearm_class": Limit(LABEL),
    },
    c.Load: {"firearm": _tag(), "lot": _tag(), "positions": Limit(LABEL, 100), "scene": _tag()},
    c.Unload: {"firearm": _tag(), "positions": Limit(LABEL, 100)},
    c.ShowClear: {
        "firearm": _tag(),
        "scene": _tag(),
        "positions_shown": Limit(LABEL, 100),
        "announced": Limit(LABEL),
    },
    c.HandOver: {"item": _tag(), "to": _tag(), "scene": _tag()},
    c.Return: {"item": _tag()},
    c.ReturnToOwner: {"item": _tag()},
    c.ReceiveLot: {
        "tag": _tag(new=True),
        "lot_kind": Limit(LABEL),
        "calibre": Limit(LABEL),
        "supplier": Limit(NAME),
        "document": Limit(NAME),
        "delivered_on": Limit(DATE),
        "load": Limit(LABEL),
        "for_firearms": _tags(),
        "container": _tag(),
        "maker": Limit(LABEL),
    },
    c.VerifyRounds: {"lot": _tag(), "method": Limit(LABEL)},
    c.QuarantineLot: {"lot": _tag(), "reason": Limit(NOTE)},
    c.ReleaseLot: {"lot": _tag()},
    c.RegisterContainer: {
        "tag": _tag(new=True),
        "container_kind": Limit(LABEL),
        "description": Limit(NOTE),
        "unit": _tag(),
    },
    c.PutIn: {"container": _tag(), "item": _tag()},
    c.TakeOut: {"container": _tag(), "item": _tag()},
    c.LockAway: {"firearm": _tag(), "container": _tag()},
    c.DrawFirearm: {"firearm": _tag()},
    c.Lock: {"container": _tag()},
    c.Unlock: {"container": _tag()},
    c.PlanShootDay: {"day": _tag(new=True), "date": Limit(DATE)},
    c.PlanScene: {
        "scene": _tag(new=True),
        "day": _tag(),
        "title": Limit(NAME),
        "firearms": _tags(),
        "performers": _tags(),
        "condition": Limit(LABEL),
        "crew": _tags(),
        "pointing": Limit(NOTE, 100),
        "worn_lots": _tags(),
        "unit": _tag(),
        "assigned": Limit(0, ITEMS),
    },
    c.ReplanScene: {
        "scene": _tag(),
        "day": _tag(),
        "title": Limit(NAME),
        "firearms": _tags(),
        "performers": _tags(),
        "condition": Limit(LABEL),
        "reason": Limit(NOTE),
        "crew": _tags(),
        "pointing": Limit(NOTE, 100),
        "worn_lots": _tags(),
        "unit": _tag(),
        "assigned": Limit(0, ITEMS),
    },
    c.JoinScene: {"scene": _tag(), "person_id": _tag()},
    c.HoldSafetyMeeting: {
        "scene": _tag(),
        "attendees": _tags(),
        "topics": Limit(NOTE, 100),
        "pointing_plans": Limit(NOTE, 100),
    },
    c.StartScene: {"scene": _tag()},
    c.WrapScene: {"scene": _tag()},
    c.CallBreak: {"reason": Limit(NOTE)},
    c.EndBreak: {},
    c.ReportDischarge: {
        "firearm": _tag(),
        "positions": Limit(LABEL, 100),
        "scene": _tag(),
        "description": _said(NOTE),
    },
    c.ReportMisfire: {"firearm": _tag(), "position": Limit(LABEL), "scene": _tag()},
    c.RecoverMisfire: {
        "firearm": _tag(),
        "went_to": Limit(LABEL),
        "position": Limit(LABEL),
        "container": _tag(),
        "note": Limit(NOTE),
    },
    c.ReportHandling: {
        "person_id": _tag(),
        "act": Limit(LABEL),
        "firearm": _tag(),
        "container": _tag(),
        "scene": _tag(),
        "description": _said(NOTE),
    },
    c.ReportFoundRound: {
        "observed": _said(NOTE),
        "where": _said(NOTE),
        "firearm": _tag(),
        "position": Limit(LABEL),
        "container": _tag(),
        "lot": _tag(),
    },
    c.Complain: {"text": Limit(REPORT), "scene": _tag(), "about": _tags(100)},
    c.CloseIncident: {"incident": _tag(), "findings": Limit(REPORT)},
    c.ReleaseEvidence: {"incident": _tag(), "investigators": _tags(100)},
    c.ReturnEvidence: {"incident": _tag()},
    c.StopWork: {"reason": _said(NOTE), "unit": _said(TAG_LENGTH)},
    c.ResumeWork: {"unit": _tag()},
    c.OverrideRule: {"rule_id": _tag(), "subject": Limit(NAME), "reason": Limit(NOTE)},
    c.CountAndReconcile: {"firearms_present": _tags(), "lots": Limit(0, ITEMS)},
    c.OpenUnit: {"unit": _tag(new=True), "name": Limit(NAME), "location": Limit(NAME)},
    c.DispatchFirearm: {"firearm": _tag(), "unit": _tag(), "to": _tag()},
    c.ConfirmReceipt: {"firearm": _tag()},
}
"""Every field of every command that holds text or a list, by the command's type: its limit.
Fields holding a nested record (a :class:`~showclear.core.commands.Confirmation`, a
:class:`~showclear.core.commands.LotCount`) are checked by that record's own limits."""


def shorten(command: C) -> C:
    """``command`` with each over-long text of a field marked ``shortened`` cut to its limit,
    ending with how long it was. Anyone may call STOP WORK and it is always recorded; a
    discharge or a found round is reported as it happens: none of them is refused for a long
    sentence typed in a hurry."""
    table = LIMITS.get(type(command), {})
    cut = {
        name: _cut(getattr(command, name), limit.chars)
        for name, limit in table.items()
        if limit.shortened and len(getattr(command, name)) > limit.chars
    }
    return replace(command, **cut) if cut else command  # type: ignore[type-var]


def _cut(text: str, most: int) -> str:
    said = f" [shortened from {len(text):,} characters]"
    return text[: most - len(said)].rstrip() + said


@dataclass(frozen=True)
class Breach:
    """One field over its limit, or a new tag outside the safe characters, said in words."""

    field: str
    """The field's name, dotted into nested records (``performer.credential``)."""
    message: str


def tag_problem(text: str) -> str:
    """Why ``text`` cannot be a new tag or id (``""`` when it can)."""
    if len(text) > TAG_LENGTH:
        return f"is {len(text):,} characters long; a tag has at most {TAG_LENGTH}"
    if TAG_PATTERN.fullmatch(text) is None:
        return f"may use only {TAG_CHARACTERS}"
    return ""


def check(command: object) -> list[Breach]:
    """Every limit ``command`` breaks (empty when it keeps to them all)."""
    found: list[Breach] = []
    _check(command, "", found)
    return found


def _check(record: object, prefix: str, found: list[Breach]) -> None:
    table = LIMITS.get(type(record), {})
    for spec in fields(record):  # type: ignore[arg-type]  # every command is a dataclass
        value = getattr(record, spec.name)
        name = prefix + spec.name
        limit = table.get(spec.name)
        if isinstance(value, tuple):
            most = limit.items if limit is not None else ITEMS
            if len(value) > most:
                found.append(
                    Breach(name, f"{name} lists {len(value):,} items; at most {most:,} are kept.")
                )
                continue
            for index, item in enumerate(value):
                _value(item, f"{name}[{index + 1}]", limit, found)
        else:
            _value(value, name, limit, found)


def _value(value: object, name: str, limit: Limit | None, found: list[Breach]) -> None:
    if is_dataclass(value) and not isinstance(value, type):
        _check(value, name + ".", found)
        return
    if not isinstance(value, str):
        return
    most = limit.chars if limit is not None else NOTE
    if len(value) > most:
        found.append(
            Breach(
                name,
                f"{name} is {len(value):,} characters long; at most {most:,} are kept. Shorten it.",
            )
        )
    elif limit is not None and limit.new_tag and value:
        problem = tag_problem(value)
        if problem:
            found.append(Breach(name, f"The {name} {value!r} {problem}."))
