"""What a ledger entry *names*: the firearms, lots, containers, people, scenes, incidents, shoot
days and firearm positions it is about.

The store keeps one row per (entry, thing it names) in a derived table written beside each
append (``ledger_mention``), so that a firearm's history, a lot's, a person's or one chamber's
is an index range scan at a million entries instead of a scan of the whole log. What an entry
names is decided here, from the entry alone (its kind, payload and recorder), by the *names of
its payload fields*, never by its Python class: an entry of a kind this version does not know is
indexed by the same rules, and so is any entry an older version wrote.

The rules, field by field at any depth of the payload (list items keep their field's name):

- a **firearm**: a field ``firearm``, or one with the word ``firearms`` in its name
  (``firearms``, ``for_firearms``, ``firearms_expected`` ...); the ``tag`` of
  ``firearm.received``;
- a **lot**: ``lot``, or ``lots`` as a word of the name; the ``tag`` of ``lot.received``;
- a **container**: ``container``, or ``containers`` as a word of the name; the ``tag`` of
  ``container.registered``;
- a **person**: whoever recorded the entry, and any field in :data:`PERSON_FIELDS` or whose name
  ends in ``_id``, ``_ids`` or ``_by``;
- a **scene** (``scene``), an **incident** (``incident``), a **shoot day** (``day``);
- the ``subject`` of a rule override or warning is a firearm, lot, container, person or scene
  tag, and the entry alone does not say which: it is named as each of them, and as a
  ``subject``;
- a **position** of a firearm: a field ``position`` or ``positions`` in an entry whose payload
  has a top-level ``firearm`` (a load, an unload, a show-clear's contents, a discharge, a
  misfire, a found round): the key is :func:`position_key`;
- every entry names its own **kind**.

Empty strings name nothing. Fields that name nothing on the production (a serial number, a
supplier's name, a reason in words) are listed in :data:`NAMES_NOTHING`, so a test can prove
that every field of every event is one or the other: a new event field must be classified here
before the index can be trusted with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

FIREARM = "firearm"
LOT = "lot"
CONTAINER = "container"
PERSON = "person"
SCENE = "scene"
INCIDENT = "incident"
DAY = "day"
POSITION = "position"
SUBJECT = "subject"
KIND = "kind"

KEY_KINDS = (FIREARM, LOT, CONTAINER, PERSON, SCENE, INCIDENT, DAY, POSITION, SUBJECT, KIND)
"""Every kind of thing an entry can name."""

PERSON_FIELDS = frozenset(
    {
        "to",
        "performers",
        "crew",
        "attendees",
        "escalated_to",
        "investigators",
        "witnesses",
        "about",
        "involved",
        "sender",
        "performer",
    }
)
"""Fields holding person ids whose names do not end in ``_id``, ``_ids`` or ``_by``."""

_SIMPLE = {"scene": SCENE, "incident": INCIDENT, "day": DAY}
_OWN_TAG = {"firearm.received": FIREARM, "lot.received": LOT, "container.registered": CONTAINER}
_SUBJECT_KINDS = (FIREARM, LOT, CONTAINER, PERSON, SCENE, SUBJECT)

NAMES_NOTHING = frozenset(
    {
        # identity and description of things
        "tag", "serial", "make", "model", "firearm_type", "calibre", "firearm_class", "owner",
        "notes", "lot_kind", "count", "supplier", "document", "delivered_on", "load",
        "container_kind", "description", "name", "origin", "verifier_key", "title", "date",
        "armorer_name", "zone",
        # people's credentials and qualifications
        "roles", "credential", "credential_id", "duties", "duty", "course", "completed_on", "expires_on",
        # what was done, in words or numbers
        "positions_checked", "barrel_clear", "contents", "removed", "condition", "rounds",
        "method", "remaining", "reason", "live", "reverify", "expected", "counted", "balanced",
        "blank_fire", "min_distance_cm", "close_range_load", "shields", "eye_protection",
        "ear_protection", "pointing", "topics", "pointing_plans", "blank_fire_reviewed",
        "planned", "injury", "observed", "where", "text", "category", "summary", "findings",
        "lockdown", "rule_id", "message", "position", "positions", "performer_via",
        "first_ad_via", "witness_via", "armorer_via", "co_signer_via", "second_via",
        # who made a lot, where a misfired round went, what was done with rounds
        "maker", "went_to", "note", "act",
        "worn_rounds",
        # where: a unit and its location (units are few, and named in words)
        "unit", "from_unit", "location",
        "assigned",
    }
)  # fmt: skip
"""Payload fields that name nothing by themselves (``contents``/``removed`` hold placements
whose ``lot`` and ``position`` fields are classified on their own; ``position``/``positions``
name a firearm position only beside a ``firearm``)."""


def position_key(firearm: str, position: str) -> str:
    """The key of one position of one firearm: ``"R-01\\x1fchamber 3"``.

    The unit separator cannot appear in a tag typed on a phone, so the key is unambiguous.
    """
    return f"{firearm}\x1f{position}"


def _fields(value: Any, name: str = "") -> Iterator[tuple[str, str]]:
    """Every (field name, string value) in a payload, at any depth; list items keep the name."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _fields(inner, str(key))
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _fields(inner, name)
    elif isinstance(value, str) and value:
        yield name, value


def field_names(field: str) -> tuple[str, ...]:
    """The kinds of thing a payload field names (empty for a field that names nothing)."""
    if field == SUBJECT:
        return _SUBJECT_KINDS
    words = field.split("_")
    if field == FIREARM or "firearms" in words:
        return (FIREARM,)
    if field == LOT or "lots" in words:
        return (LOT,)
    if field == CONTAINER or "containers" in words:
        return (CONTAINER,)
    if field in _SIMPLE:
        return (_SIMPLE[field],)
    if field in PERSON_FIELDS or field.endswith(("_id", "_ids", "_by")):
        return (PERSON,)
    return ()


def mentions(kind: str, payload: Mapping[str, Any], person: str) -> frozenset[tuple[str, str]]:
    """Every ``(key kind, key)`` the entry recorded as ``kind`` by ``person`` names."""
    found: set[tuple[str, str]] = {(KIND, kind)}
    if person:
        found.add((PERSON, person))
    own = _OWN_TAG.get(kind)
    tag = payload.get("tag")
    if own is not None and isinstance(tag, str) and tag:
        found.add((own, tag))
    firearm = payload.get(FIREARM)
    for field, value in _fields(payload):
        for named in field_names(field):
            found.add((named, value))
        if field in (POSITION, "positions") and isinstance(firearm, str) and firearm:
            found.add((POSITION, position_key(firearm, value)))
    return frozenset(found)


__all__ = [
    "CONTAINER",
    "DAY",
    "FIREARM",
    "INCIDENT",
    "KEY_KINDS",
    "KIND",
    "LOT",
    "NAMES_NOTHING",
    "PERSON",
    "PERSON_FIELDS",
    "POSITION",
    "SCENE",
    "SUBJECT",
    "field_names",
    "mentions",
    "position_key",
]
