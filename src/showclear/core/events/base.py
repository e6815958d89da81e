"""Events: what happened on a production, in the past tense.

Every event is a frozen dataclass with a stable ``kind`` (``"firearm.handed-over"``). The
ledger stores and hashes ``kind`` and :meth:`Event.to_payload`, never a Python class path, so
renaming a class never changes history. Who recorded an event, on what device and when, is
carried by the ledger entry around it, not by the event.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self


class UnknownEventError(ValueError):
    """A ledger entry names an event kind this version of Showclear does not know."""


@dataclass(frozen=True)
class Event:
    """Base of every event. Subclasses set ``kind``; :data:`showclear.core.events.EVENTS`
    lists them."""

    kind: ClassVar[str] = ""

    def to_payload(self) -> dict[str, Any]:
        """The event's fields as JSON values (tuples become lists)."""
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """The event whose payload is ``payload``."""
        decoders = _DECODERS.get(cls)
        if decoders is None:
            decoders = _DECODERS[cls] = _field_decoders(cls)
        return cls(
            **{
                name: payload[name] if decode is None else decode(payload[name])
                for name, decode in decoders
                if name in payload
            }
        )


Decode = Callable[[Any], Any]
# Reading a million entries back must be quick: each class's field decoders are worked out
# once from its type hints (``typing.get_type_hints`` is slow) and kept here.
_DECODERS: dict[type, list[tuple[str, Decode | None]]] = {}


def _field_decoders(cls: type) -> list[tuple[str, Decode | None]]:
    hints = typing.get_type_hints(cls)
    return [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]


def _decoder(hint: Any) -> Decode | None:
    """A function turning JSON into a value of ``hint``, or None when JSON already is one."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        inner = _decoder(options[0]) if len(options) == 1 else None
        if inner is None:
            return None
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        args = typing.get_args(hint)
        item = _decoder(args[0]) if args else None
        if item is None:
            return tuple
        return lambda value: tuple(item(element) for element in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        nested = dict(_field_decoders(hint))

        def build(value: Any) -> Any:
            if not isinstance(value, Mapping):
                return value
            return hint(
                **{
                    key: item if nested.get(key) is None else nested[key](item)  # type: ignore[misc]
                    for key, item in value.items()
                }
            )

        return build
    return None


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _to_json(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class ProductionCreated(Event):
    """A production and its ledger were created, with its key armorer named.

    The first entry of every ledger. It carries the checkpoint verifier key, so that an export
    bundle names the key it was signed with inside the very history it seals.
    """

    kind: ClassVar[str] = "production.created"

    name: str
    origin: str
    armorer_id: str
    armorer_name: str
    verifier_key: str


@dataclass(frozen=True)
class TimeZoneSet(Event):
    """The production's time zone was set (at its creation, or changed by an armorer), by its
    IANA name. A ledger without one works in UTC, so older ledgers read as they always did."""

    kind: ClassVar[str] = "production.time-zone-set"

    zone: str
