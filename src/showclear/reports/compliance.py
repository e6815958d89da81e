"""The compliance summary of a day: which rules were applied, what they refused, what they warned,
and every override with its reason, with plots of the days up to it.

What is counted, and where it comes from:

- **warnings** (``rule.warned``), **overrides granted** (``rule.overridden``, with the safety
  supervisor's reason) and **overrides used** (``rule.override-applied``), incidents and STOP
  WORK: from the ledger, each with its entry number;
- **refusals**: a refused command records nothing in the ledger, by design. The application
  service tells its refusal listeners, and the web app and ``showclear import`` keep each
  refusal in a log *beside* the ledger (``showclear.web.refusals``: who, when, which command,
  which rules, the message). That log is not sealed by any checkpoint: the report says so, and
  counts only what it holds (refusals on the set pages, the API and imports; not in a process
  that keeps no log, such as a test script).
- **confirmations in person**: from the ledger, each confirming event's ``*_via`` (how each
  person confirmed): badge scanned (the badge was there), or keyed, typed by hand on the phone
  (a badge code or a PIN), which proves someone knew the secret, not that the badge was there;
- **rules applied**: every command is decided against the whole protocol, so every rule of
  :data:`showclear.core.rules.RULES` applied to every command recorded; the table counts, per
  rule, the refusals, warnings and overrides that day.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from showclear.core.events import on_set
from showclear.core.rules import RULES
from showclear.core.state import ProductionState, Recorded
from showclear.reports import said, units
from showclear.reports.daily_log import tally
from showclear.reports.document import (
    ALERT,
    MUTED,
    NORMAL,
    Block,
    Chart,
    Document,
    Facts,
    Paragraph,
    Section,
    Series,
    Table,
)
from showclear.reports.reading import Snapshot, between, day_bounds, of_kinds, shoot_day_of
from showclear.service import credentials

PLOTTED_DAYS = 21
"""The plots show at most this many days with entries, up to the report's day."""

PLOTTED_KINDS = (
    "rounds.verified",
    "firearm.loaded",
    "discharge.reported",
    "rule.warned",
    "rule.overridden",
    "rule.override-applied",
)
"""The entries the plots count (read through the store's kind index)."""

VERIFIED, LOADED, FIRED = "#2b6cb0", "#b7791f", "#c53030"
REFUSED, WARNED, OVERRIDDEN = "#c53030", "#b7791f", "#6b46c1"


@dataclass(frozen=True)
class Refusal:
    """One refused command, from the refusal log kept beside the ledger."""

    at: datetime
    person_id: str
    device: str
    command: str
    rule_ids: tuple[str, ...]
    message: str


def build(snap: Snapshot, day: date, refusals: Sequence[Refusal] | None) -> Document:
    """The compliance summary of ``day``; ``refusals`` is the refusal log up to the end of that
    day (``None`` when no log is kept where the report is drawn)."""
    state = snap.state
    since, until = day_bounds(day, snap.state)
    entries = between(snap.service, snap.production, since, until, snap.size - 1)
    by_day: dict[date, list[Recorded]] = {
        date.fromisoformat(planned): [] for planned in state.days.values()
    }
    for recorded in of_kinds(snap.service, snap.production, PLOTTED_KINDS, snap.size - 1):
        by_day.setdefault(said.local_day(recorded.at, state), []).append(recorded)
    refused_by_day: dict[date, list[Refusal]] = {}
    for refusal in refusals or ():
        if refusal.at < until:
            on = said.local_day(refusal.at, state)
            refused_by_day.setdefault(on, []).append(refusal)
            by_day.setdefault(on, [])
    today_refused = sorted(refused_by_day.get(day, []), key=lambda r: r.at)
    counted = tally(entries)
    warnings = [(e, e.event) for e in entries if isinstance(e.event, on_set.RuleWarned)]
    granted = [e for e in entries if isinstance(e.event, on_set.RuleOverridden)]
    used = [e for e in entries if isinstance(e.event, on_set.OverrideApplied)]
    incidents = [(e, e.event) for e in entries if isinstance(e.event, on_set.IncidentOpened)]
    shoot_day = shoot_day_of(day, state)
    kept = refusals is not None
    confirmed = confirmations(entries)
    keyed = sum(confirmed[method] for method in credentials.KEYED)
    summary = Facts(
        (
            ("Day", said.long_day(day) + (f" (shoot day {shoot_day})" if shoot_day else "")),
            ("Entries recorded", str(len(entries))),
            ("Refusals", str(len(today_refused)) if kept else "no refusal log here"),
            ("Warnings", str(counted.warnings)),
            ("Overrides granted / used", f"{counted.overrides_granted} / {counted.overrides_used}"),
            ("Incidents opened", str(counted.incidents)),
            ("STOP WORK", str(counted.stoppages)),
            (
                "Confirmed in person",
                f"{sum(confirmed.values())} ({keyed} keyed: typed by hand)",
            ),
        )
    )
    what = Paragraph(
        "Warnings, overrides and incidents come from the ledger (each with its entry number). "
        "A refused command records nothing in the ledger; refusals are counted from the refusal "
        "log kept beside it by the web app, the API and imports, which no checkpoint seals."
        if kept
        else "Warnings, overrides and incidents come from the ledger. A refused command records "
        "nothing in the ledger, and no refusal log was available where this report was drawn: "
        "refusals are NOT counted here.",
        MUTED,
    )
    sections = [
        Section("Summary", (summary, what)),
        Section(
            "Per day",
            (
                _chart_rounds(by_day, day),
                _chart_rules(by_day, refused_by_day if kept else None, day),
            ),
        ),
        Section(
            "Rules applied",
            (_rules_table([w for _, w in warnings], [*granted, *used], today_refused),),
        ),
        *((Section("By unit", _by_unit(snap, entries)),) if units.several(state) else ()),
        Section("Refusals", (_refusals(state, today_refused, kept),)),
        Section("Confirmations in person", _confirmations_table(confirmed, keyed)),
        Section(
            "Warnings",
            (
                Table(
                    ("Time", "Entry", "Rule", "Warning"),
                    tuple(
                        (said.clock(e.at, snap.state), str(e.seq), warned.rule_id, warned.message)
                        for e, warned in warnings
                    ),
                    widths=(1.2, 1.1, 2.4, 9.0),
                    tones=tuple(ALERT for _ in warnings),
                    empty="No warning was recorded.",
                ),
            ),
        ),
        Section(
            "Overrides",
            (
                Table(
                    ("Time", "Entry", "Rule", "For", "Reason or use", "By"),
                    tuple(_override_row(state, e) for e in [*granted, *used]),
                    widths=(1.2, 1.1, 2.4, 1.8, 6.5, 3.2),
                    empty="No rule was overridden.",
                ),
            ),
        ),
        Section(
            "Incidents",
            (
                Table(
                    ("Time", "Entry", "Incident", "What"),
                    tuple(
                        (said.clock(e.at, snap.state), str(e.seq), opened.incident, opened.summary)
                        for e, opened in incidents
                    ),
                    widths=(1.2, 1.1, 2.2, 9.0),
                    tones=tuple(ALERT for _ in incidents),
                    empty="No incident was opened.",
                ),
            ),
        ),
    ]
    return Document(
        kind="compliance",
        title="Compliance summary",
        production=state.name,
        subtitle=said.long_day(day) + f" (times in {said.zone_name(snap.state)})",
        sections=tuple(sections),
        sealed=snap.sealed,
        name=f"compliance-{day.isoformat()}",
    )


def _by_unit(snap: Snapshot, entries: list[Recorded]) -> tuple[Block, ...]:
    """Warnings, overrides, incidents and STOP WORK at each unit on the day."""
    rows = []
    for unit, mine in units.by_unit(snap, entries).items():
        counted = tally(mine)
        rows.append(
            (
                snap.state.unit_label(unit),
                str(len(mine)),
                str(counted.warnings),
                f"{counted.overrides_granted} / {counted.overrides_used}",
                str(counted.incidents),
                units.stopped(mine),
                str(units.moves(mine)),
            )
        )
    return (
        Table(
            ("Unit", "Entries", "Warnings", "Overrides granted / used", "Incidents", "STOP WORK",
             "Moves between units"),
            tuple(rows),
            empty="No unit recorded anything on this day.",
        ),
    )  # fmt: skip


METHOD_WORDS = {
    credentials.BADGE_SCANNED: ("Badge scanned", "the badge itself was at the phone"),
    credentials.BADGE_TYPED: ("Badge code typed", "keyed: someone knew the code"),
    credentials.PIN_TYPED: ("PIN typed", "keyed: someone knew the PIN"),
}
"""Each way of confirming in person, as the report names it, and what it proves."""


def confirmations(entries: Sequence[Recorded]) -> Counter[str]:
    """How many people confirmed in person in ``entries``, by method (``badge-scanned``,
    ``badge-typed``, ``pin-typed``): every ``*_via`` field of a confirming event."""
    counted: Counter[str] = Counter()
    for recorded in entries:
        event = recorded.event
        if not dataclasses.is_dataclass(event):
            continue
        for found in dataclasses.fields(event):
            method = getattr(event, found.name) if found.name.endswith("_via") else ""
            if method:
                counted[str(method)] += 1
    return counted


def _confirmations_table(confirmed: Counter[str], keyed: int) -> tuple[Table, Paragraph]:
    rows = tuple(
        (words, str(confirmed[method]), proves) for method, (words, proves) in METHOD_WORDS.items()
    )
    return (
        Table(
            ("How", "Confirmations", "What it proves"),
            rows,
            widths=(3.5, 2.5, 8.0),
            tones=tuple(
                ALERT if m in credentials.KEYED and confirmed[m] else NORMAL for m in METHOD_WORDS
            ),
        ),
        Paragraph(
            f"{keyed} of {sum(confirmed.values())} confirmations were keyed (a badge code or a "
            "PIN typed by hand): they prove someone knew the secret, not that the badge was "
            "there. A scan needs the badge itself.",
            MUTED,
        ),
    )


def _plotted_days(by_day: dict[date, list[Recorded]], day: date) -> list[date]:
    days = sorted(d for d in by_day if d <= day)
    if day not in days:
        days.append(day)
    return days[-PLOTTED_DAYS:]


def _label(day: date) -> str:
    return f"{day:%b} {day.day}"


def _chart_rounds(by_day: dict[date, list[Recorded]], day: date) -> Chart:
    days = _plotted_days(by_day, day)
    tallies = [tally(by_day.get(d, [])) for d in days]
    return Chart(
        "Rounds verified, loaded and fired per day",
        tuple(_label(d) for d in days),
        (
            Series("verified", tuple(t.rounds_verified for t in tallies), VERIFIED),
            Series("loaded", tuple(t.rounds_loaded for t in tallies), LOADED),
            Series("fired", tuple(t.rounds_fired for t in tallies), FIRED),
        ),
    )


def _chart_rules(
    by_day: dict[date, list[Recorded]],
    refused: dict[date, list[Refusal]] | None,
    day: date,
) -> Chart:
    days = _plotted_days(by_day, day)
    tallies = [tally(by_day.get(d, [])) for d in days]
    series = [
        Series("warnings", tuple(t.warnings for t in tallies), WARNED),
        Series(
            "overrides", tuple(t.overrides_granted + t.overrides_used for t in tallies), OVERRIDDEN
        ),
    ]
    if refused is not None:
        series.insert(0, Series("refusals", tuple(len(refused.get(d, [])) for d in days), REFUSED))
    return Chart(
        "Refusals, warnings and overrides per day"
        if refused is not None
        else "Warnings and overrides per day (no refusal log here)",
        tuple(_label(d) for d in days),
        tuple(series),
        note="Overrides: granted and used.",
    )


def _rules_table(
    warnings: list[on_set.RuleWarned], overrides: list[Recorded], refusals: list[Refusal]
) -> Table:
    warned = Counter(w.rule_id for w in warnings)
    overridden = Counter(
        e.event.rule_id
        for e in overrides
        if isinstance(e.event, on_set.RuleOverridden | on_set.OverrideApplied)
    )
    refused = Counter(rule for r in refusals for rule in r.rule_ids)
    rows, tones = [], []
    for rule in RULES.values():
        busy = refused[rule.rule_id] or warned[rule.rule_id] or overridden[rule.rule_id]
        rows.append(
            (
                rule.rule_id,
                rule.title,
                rule.severity + (", overridable" if rule.overridable else ""),
                str(refused[rule.rule_id]),
                str(warned[rule.rule_id]),
                str(overridden[rule.rule_id]),
            )
        )
        tones.append(ALERT if busy else NORMAL)
    return Table(
        ("Rule", "Title", "Severity", "Refusals", "Warnings", "Overrides"),
        tuple(rows),
        widths=(2.6, 7.2, 2.4, 1.4, 1.5, 1.5),
        tones=tuple(tones),
    )


def _refusals(state: ProductionState, refusals: list[Refusal], kept: bool) -> Table | Paragraph:
    if not kept:
        return Paragraph("No refusal log is kept where this report was drawn.", MUTED)
    return Table(
        ("Time", "Who", "Command", "Rules", "Why"),
        tuple(
            (
                said.clock(r.at, state),
                said.person(state, r.person_id),
                r.command,
                ", ".join(r.rule_ids),
                r.message,
            )
            for r in refusals
        ),
        widths=(1.2, 3.2, 2.2, 2.4, 7.0),
        tones=tuple(ALERT for _ in refusals),
        empty="No command was refused (nothing in the refusal log for this day).",
    )


def _override_row(state: ProductionState, recorded: Recorded) -> tuple[str, ...]:
    event = recorded.event
    if isinstance(event, on_set.RuleOverridden):
        why = f"granted: {event.reason}"
    else:
        assert isinstance(event, on_set.OverrideApplied)
        why = f"used: {event.message}"
    return (
        said.clock(recorded.at, state),
        str(recorded.seq),
        event.rule_id,
        event.subject,
        why,
        said.person(state, recorded.person_id),
    )
