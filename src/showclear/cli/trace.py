"""``showclear trace``: how a round got into a firearm; a firearm's, lot's or person's record.

Every line names the ledger entry it comes from (``#seq``), which an inclusion proof against a
signed checkpoint proves to anyone. Times typed are ISO 8601 (a time without a zone is UTC);
the text says every time in the production's zone, the JSON in UTC.

Exit codes: 0 traced; 1 there is nothing to trace (no round was loaded in that position by
then); 2 bad input (an unknown firearm, lot, person or position, a time that is not ISO 8601,
``--from`` after ``--to``), with a clear message and nothing changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

import click

from showclear.cli.common import fail, open_production
from showclear.core.read.trace import Holder, Line, RoundTrace, Timeline
from showclear.core.words import full_stamp
from showclear.service import InputError
from showclear.service.traces import NothingLoaded, Tracer, parse_time
from showclear.store import StoreError


def _tracer(name: str | None) -> tuple[Tracer, tzinfo]:
    """The production's traces, and its zone (the text's times are said in it)."""
    service, production = open_production(name)
    try:
        tracer = Tracer(service.store, production, service.sealed_size(production))
        return tracer, service.zone(production)
    except (InputError, StoreError) as error:
        fail(str(error))


def _time(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        return parse_time(text, what)
    except InputError as error:
        fail(str(error))


def _window(since_text: str | None, until_text: str | None) -> tuple[datetime | None, ...]:
    since, until = _time(since_text, "--from"), _time(until_text, "--to")
    if since is not None and until is not None and since > until:
        fail(f"--from {since_text} is after --to {until_text}")
    return since, until


# -- output ----------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def as_json(found: RoundTrace | Timeline) -> str:
    """A trace as JSON: every field, times as canonical UTC text, lines with their ``seq``."""
    return json.dumps(_jsonable(dataclasses.asdict(found)), indent=2, ensure_ascii=False)


def said_line(each: Line, zone: tzinfo = UTC) -> str:
    """``#412  2025-03-04 08:10:00 UTC  Hannah Reed (armorer): Loaded ...``, the time in
    ``zone``."""
    return f"#{each.seq:<7} {full_stamp(each.at, zone=zone)}  {each.recorded_by}: {each.text}"


def _section(title: str, lines: Iterable[str]) -> list[str]:
    shown = list(lines)
    return [f"{title}:", *(f"  {text}" for text in shown or ["none recorded"])]


def _held_by(holder: Holder, zone: tzinfo) -> str:
    said = f"{holder.what:<9} {holder.label:<32} from {said_line(holder.line, zone)}"
    if holder.times > 1:
        said += (
            f"\n{'':<44}... {holder.times} times, the last: #{holder.last.seq} "
            f"{full_stamp(holder.last.at, zone=zone)}"
        )
    return said


def round_text(found: RoundTrace, zone: tzinfo = UTC) -> str:
    """The round trace for a person to read, its times in ``zone``."""

    def line(each: Line) -> str:
        return said_line(each, zone)

    out = [
        f"The round in {found.position} of {found.firearm_label} at {full_stamp(found.at, zone=zone)}",
        f"Lot: {found.lot_label}",
        f"  supplier {found.supplier or 'unknown'}; delivery: {found.document or 'no document'}, "
        f"delivered {found.delivered_on or 'on an unknown date'}",
        "",
        f"Loaded:  {line(found.load)}",
        f"         (device {found.load.device}; a load names no witness of its own: the "
        "show-clears below do)",
    ]
    if found.fate is None:
        out.append(f"Then:    still in {found.position} at {full_stamp(found.at, zone=zone)}")
    else:
        out.append(f"Then:    {line(found.fate)}")
    out.append("")
    out += _section("Seen in place after loading", map(line, found.seen))
    received = [line(found.received)] if found.received is not None else []
    out += _section("Lot received", received)
    rounds = sum(v.count for v in found.verifications)
    out += _section(
        f"Lot verified ({rounds} rounds recorded verified in {len(found.verifications)} entries)",
        (
            f"{line(v.line)} [recorded by {v.recorded_by}; method {v.method}; witness {v.witness}]"
            for v in found.verifications
        ),
    )
    out += _section("Holds on the lot", map(line, found.holds))
    out += _section(
        "Held by (the lot's box until the load, then the firearm, and their containers)",
        (_held_by(h, zone) for h in found.holders),
    )
    out += _section(
        "Evidence (frozen, released to the investigators, handed back)",
        map(line, found.evidence),
    )
    out += _section("Rule overrides and warnings on the way", map(line, found.overrides))
    out += [
        "",
        f"{len(found.lines)} ledger entries; each #seq can be proven with an inclusion proof "
        "against a signed checkpoint ('showclear checkpoint').",
    ]
    return "\n".join(out)


def timeline_text(found: Timeline, zone: tzinfo = UTC) -> str:
    """A timeline for a person to read: one line per entry, oldest first, times in ``zone``."""
    since = full_stamp(found.since, zone=zone) if found.since else "the start"
    until = full_stamp(found.until, zone=zone) if found.until else "now"
    lines = len(found.lines)
    out = [f"{found.label}: {lines} entr{'y' if lines == 1 else 'ies'} from {since} to {until}"]
    out += [
        f"#{each.seq:<7} {full_stamp(each.at, zone=zone)}  {each.category:<12} {each.recorded_by}: {each.text}"
        for each in found.lines
    ]
    return "\n".join(out)


def _print(found: RoundTrace | Timeline, json_out: bool, zone: tzinfo) -> None:
    if json_out:
        click.echo(as_json(found))
    elif isinstance(found, RoundTrace):
        click.echo(round_text(found, zone))
    else:
        click.echo(timeline_text(found, zone))


# -- the commands --------------------------------------------------------------------------------

_production = click.option(
    "--production", "name", help="The production's name (default: the only one)."
)
_json = click.option("--json", "json_out", is_flag=True, help="Print JSON for scripts.")
_from = click.option("--from", "since", help="From this time (ISO 8601; no zone means UTC).")
_to = click.option("--to", "until", help="Up to this time (ISO 8601; no zone means UTC).")


@click.group("trace")
def trace_group() -> None:
    """Trace a round, a firearm, a lot or a person through the ledger."""


@trace_group.command("round")
@click.option("--firearm", "tag", required=True, help="The firearm's tag.")
@click.option("--position", required=True, help="Its position: 'chamber 3', or just 3.")
@click.option("--at", "at_text", help="At this time (ISO 8601; default now).")
@_production
@_json
def round_command(
    tag: str, position: str, at_text: str | None, name: str | None, json_out: bool
) -> None:
    """How the round in that position got there: load, lot, supplier, verification, custody."""
    at = _time(at_text, "--at") or datetime.now(UTC)
    tracer, zone = _tracer(name)
    try:
        found = tracer.round(tag, position, at)
    except InputError as error:
        fail(str(error))
    except NothingLoaded as error:
        fail(str(error), code=1)
    _print(found, json_out, zone)


@trace_group.command("firearm")
@click.argument("tag")
@_from
@_to
@_production
@_json
def firearm_command(
    tag: str, since: str | None, until: str | None, name: str | None, json_out: bool
) -> None:
    """A firearm's timeline: custody, inspections, loads, show-clears, discharges, misfires."""
    window = _window(since, until)
    tracer, zone = _tracer(name)
    try:
        found = tracer.firearm(tag, *window)
    except InputError as error:
        fail(str(error))
    _print(found, json_out, zone)


@trace_group.command("lot")
@click.argument("tag")
@_from
@_to
@_production
@_json
def lot_command(
    tag: str, since: str | None, until: str | None, name: str | None, json_out: bool
) -> None:
    """A lot's timeline: receipt, verification, holds, custody, loads, rounds fired."""
    window = _window(since, until)
    tracer, zone = _tracer(name)
    try:
        found = tracer.lot(tag, *window)
    except InputError as error:
        fail(str(error))
    _print(found, json_out, zone)


@trace_group.command("person")
@click.argument("who")
@_from
@_to
@_production
@_json
def person_command(
    who: str, since: str | None, until: str | None, name: str | None, json_out: bool
) -> None:
    """Everything a person recorded, witnessed, received or handed over (id or full name)."""
    window = _window(since, until)
    tracer, zone = _tracer(name)
    try:
        found = tracer.person(who, *window)
    except InputError as error:
        fail(str(error))
    _print(found, json_out, zone)


__all__ = ["as_json", "round_text", "timeline_text", "trace_group"]
