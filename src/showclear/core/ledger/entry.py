"""Ledger entries and their canonical byte encoding.

An entry is what Showclear seals: one recorded event of one production. Its bytes are the
RFC 8785 (JSON Canonicalization Scheme) serialization of a JSON object with exactly these
members::

    {"device": str, "kind": str, "log": str, "payload": {...}, "person": str,
     "recorded_at": "YYYY-MM-DDTHH:MM:SS.ffffffZ", "seq": int, "v": 1}

Restrictions make the encoding deterministic on every machine and Python version: no floats
(a number is an integer within +/-(2**53 - 1)), strings are valid Unicode (no lone
surrogates), object keys are strings, and the whole is UTF-8. Members are sorted by their
UTF-16 code units as RFC 8785 requires, with no insignificant white space.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

FORMAT_VERSION = 1
MAX_SAFE_INTEGER = 2**53 - 1

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*)+$")
RECORDED_AT_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


class EncodingError(ValueError):
    """A value cannot be put into a ledger entry, or bytes are not a canonical entry."""


@dataclass(frozen=True)
class Entry:
    """One sealed record of a production's ledger.

    ``seq`` is the entry's position in the log (0 for the first), ``log`` the production's
    checkpoint origin, ``kind`` the stable event name (``"firearm.handed-over"``),
    ``recorded_at`` the UTC time in canonical text, ``person`` and ``device`` who recorded it
    and on what, and ``payload`` the event's own fields.
    """

    seq: int
    log: str
    kind: str
    recorded_at: str
    person: str
    device: str
    payload: Mapping[str, Any]

    def __post_init__(self) -> None:
        if isinstance(self.seq, bool) or not isinstance(self.seq, int) or self.seq < 0:
            raise EncodingError(f"seq must be a non-negative integer, not {self.seq!r}")
        if self.seq > MAX_SAFE_INTEGER:
            raise EncodingError("seq is beyond the largest integer an entry can hold")
        if not KIND_PATTERN.fullmatch(self.kind):
            raise EncodingError(f"kind {self.kind!r} is not a dotted lower-case event name")
        if not RECORDED_AT_PATTERN.fullmatch(self.recorded_at):
            raise EncodingError(
                f"recorded_at {self.recorded_at!r} is not UTC time as YYYY-MM-DDTHH:MM:SS.ffffffZ"
            )
        for name in ("log", "person", "device"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise EncodingError(f"{name} must be a non-empty string")
        if not isinstance(self.payload, Mapping):
            raise EncodingError("payload must be a JSON object")

    def encode(self) -> bytes:
        """The entry's canonical bytes: what the ledger hashes and what an export carries."""
        return canonical_json(
            {
                "device": self.device,
                "kind": self.kind,
                "log": self.log,
                "payload": self.payload,
                "person": self.person,
                "recorded_at": self.recorded_at,
                "seq": self.seq,
                "v": FORMAT_VERSION,
            }
        )


def format_recorded_at(moment: datetime) -> str:
    """The canonical text of a moment: UTC, microseconds, ``Z``. Naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise EncodingError("recorded_at must be an aware datetime (with a time zone)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_recorded_at(text: str) -> datetime:
    """The moment named by canonical ``recorded_at`` text, as an aware UTC datetime."""
    if not RECORDED_AT_PATTERN.fullmatch(text):
        raise EncodingError(f"{text!r} is not canonical UTC time")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def canonical_json(value: Any) -> bytes:
    """RFC 8785 bytes of ``value``, after checking it holds only what an entry may hold."""
    try:
        text = json.dumps(
            _ordered(value, "$"),
            ensure_ascii=False,
            separators=(",", ":"),
            allow_nan=False,
        )
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise EncodingError(
            "a string holds a lone surrogate, which is not valid Unicode"
        ) from error


def _ordered(value: Any, path: str) -> Any:
    """A copy of ``value`` whose objects list their members in RFC 8785 order."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise EncodingError(f"{path}: the integer {value} is too large for an entry")
        return value
    if isinstance(value, float):
        raise EncodingError(f"{path}: floats are not allowed in an entry (use an integer)")
    if isinstance(value, Mapping):
        for key in value:
            if not isinstance(key, str):
                raise EncodingError(f"{path}: object keys must be strings, not {key!r}")
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return {key: _ordered(value[key], f"{path}.{key}") for key in keys}
    if isinstance(value, list | tuple):
        return [_ordered(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise EncodingError(f"{path}: a {type(value).__name__} cannot be put into an entry")


def _refuse_constant(name: str) -> Any:
    raise EncodingError(f"{name} is not allowed in an entry")


def _refuse_float(text: str) -> Any:
    raise EncodingError(f"the number {text} is not an integer")


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise EncodingError(f"the member {key!r} appears twice")
        result[key] = value
    return result


def decode_entry(data: bytes) -> Entry:
    """The entry whose canonical bytes are ``data``; anything else is an EncodingError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise EncodingError("entry bytes are not UTF-8") from error
    try:
        raw = json.loads(
            text,
            object_pairs_hook=_unique_members,
            parse_float=_refuse_float,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise EncodingError(f"entry bytes are not JSON: {error.msg}") from error
    if not isinstance(raw, dict):
        raise EncodingError("an entry is a JSON object")
    expected = {"device", "kind", "log", "payload", "person", "recorded_at", "seq", "v"}
    if set(raw) != expected:
        missing = sorted(expected - set(raw))
        extra = sorted(set(raw) - expected)
        raise EncodingError(
            f"entry members differ from the format: missing {missing}, extra {extra}"
        )
    if raw["v"] != FORMAT_VERSION:
        raise EncodingError(f"entry format version {raw['v']!r} is not {FORMAT_VERSION}")
    for name in ("device", "kind", "log", "person", "recorded_at"):
        if not isinstance(raw[name], str):
            raise EncodingError(f"{name} must be a string")
    entry = Entry(
        seq=raw["seq"],
        log=raw["log"],
        kind=raw["kind"],
        recorded_at=raw["recorded_at"],
        person=raw["person"],
        device=raw["device"],
        payload=raw["payload"],
    )
    if entry.encode() != data:
        raise EncodingError("entry bytes are valid JSON but not in canonical form")
    return entry
