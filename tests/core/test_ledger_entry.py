"""The canonical byte encoding of ledger entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from showclear.core.ledger.entry import (
    MAX_SAFE_INTEGER,
    EncodingError,
    Entry,
    canonical_json,
    decode_entry,
    format_recorded_at,
    parse_recorded_at,
)

LOG = "showclear/dead-mans-gulch/0a1b2c3d"


def an_entry(**changes: Any) -> Entry:
    fields: dict[str, Any] = {
        "seq": 4,
        "log": LOG,
        "kind": "firearm.handed-over",
        "recorded_at": "2026-11-23T13:02:00.000000Z",
        "person": "person-1",
        "device": "phone-7",
        "payload": {"firearm": "R-02", "to": "person-9", "chambers": [1, 2, 3, 4, 5, 6]},
    }
    fields.update(changes)
    return Entry(**fields)


def test_an_entry_encodes_to_documented_sorted_compact_utf8_json() -> None:
    assert an_entry().encode() == (
        b'{"device":"phone-7","kind":"firearm.handed-over","log":"showclear/dead-mans-gulch/0a1b2c3d",'
        b'"payload":{"chambers":[1,2,3,4,5,6],"firearm":"R-02","to":"person-9"},"person":"person-1",'
        b'"recorded_at":"2026-11-23T13:02:00.000000Z","seq":4,"v":1}'
    )


def test_the_same_entry_always_gives_the_same_bytes_whatever_the_key_order() -> None:
    a = an_entry(payload={"b": 1, "a": {"y": True, "x": None}})
    b = an_entry(payload={"a": {"x": None, "y": True}, "b": 1})
    assert a.encode() == b.encode()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_canonical_json_is_exactly_rfc_8785(value: Any) -> None:
    assert canonical_json(value) == rfc8785.dumps(value)


@given(
    st.dictionaries(st.text(max_size=8), json_values, max_size=5),
    st.integers(0, 10**9),
    st.text(min_size=1, max_size=20),
)
def test_every_entry_decodes_back_to_itself(payload: dict[str, Any], seq: int, person: str) -> None:
    entry = an_entry(payload=payload, seq=seq, person=person)
    assert decode_entry(entry.encode()) == entry


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"distance": 6.1}, "floats are not allowed"),
        ({"count": 2**53}, "too large"),
        ({"note": "\ud800"}, "lone surrogate"),
        ({1: "x"}, "keys must be strings"),
        ({"when": datetime(2026, 1, 1, tzinfo=UTC)}, "cannot be put into an entry"),
    ],
)
def test_values_that_could_encode_two_ways_are_refused(
    payload: dict[Any, Any], reason: str
) -> None:
    with pytest.raises(EncodingError, match=reason):
        an_entry(payload=payload).encode()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"seq": -1}, "non-negative"),
        ({"seq": True}, "non-negative"),
        ({"kind": "Firearm Handed Over"}, "dotted lower-case"),
        ({"kind": "handover"}, "dotted lower-case"),
        ({"kind": "firearm.handed-over\n"}, "dotted lower-case"),
        ({"recorded_at": "2026-11-23 13:02"}, "UTC time"),
        ({"recorded_at": "2026-11-23T13:02:00.000000Z\n"}, "UTC time"),
        ({"person": ""}, "non-empty"),
        ({"payload": [1, 2]}, "JSON object"),
    ],
)
def test_malformed_entries_are_refused_with_the_field_named(
    changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(EncodingError, match=reason):
        an_entry(**changes)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff", "not UTF-8"),
        (b"{", "not JSON"),
        (b"[]", "JSON object"),
        (an_entry().encode().replace(b'"v":1', b'"v":2'), "version"),
        (an_entry().encode().replace(b'"seq":4', b'"seq":4.0'), "not an integer"),
        (an_entry().encode().replace(b"{", b"{ ", 1), "canonical"),
        (an_entry().encode()[:-1] + b',"extra":1}', "extra"),
        (an_entry().encode()[:-1] + b',"v":1}', "twice"),
    ],
)
def test_bytes_that_are_not_a_canonical_entry_do_not_decode(data: bytes, reason: str) -> None:
    with pytest.raises(EncodingError, match=reason):
        decode_entry(data)


def test_recorded_time_is_utc_with_microseconds_whatever_the_zone_given() -> None:
    moment = datetime(2026, 11, 23, 14, 2, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert format_recorded_at(moment) == "2026-11-23T13:02:00.000005Z"
    assert parse_recorded_at("2026-11-23T13:02:00.000005Z") == moment
    with pytest.raises(EncodingError, match="aware"):
        format_recorded_at(datetime(2026, 11, 23, 13, 2))
