"""Imports: the paperwork a production already has, taken in whole or not at all.

Three kinds of CSV file (``docs/imports.md``): a rental house's ``manifest`` (firearms and lots),
a ``schedule`` (shoot days and scenes with their firearms and performers) and ``people`` (the
roster with training records). A file is read whole and every line turned into the commands an
armorer would give by hand; then the application service decides them all, in order, and records
them in one transaction sealed by one checkpoint (:meth:`Service.execute_all`). A file with
any problem (unreadable, a missing column, a bad cell, or a command the safety rules refuse) is
refused whole with every problem listed by line and column, and nothing is recorded. A dry run
decides everything the same way and records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from showclear.core.events import Event
from showclear.core.rules import INPUT
from showclear.core.state import ProductionState
from showclear.imports import manifest, people, schedule
from showclear.imports.plan import Plan, Step, names_in
from showclear.imports.table import Problem
from showclear.service import BatchRefused, Service
from showclear.store import Production

KINDS: dict[str, Callable[[bytes, ProductionState], Plan]] = {
    manifest.KIND: manifest.plan,
    schedule.KIND: schedule.plan,
    people.KIND: people.plan,
}
"""Each kind of file, and how it is read into a plan."""


class ImportRefused(Exception):
    """The file was refused whole: every problem, by line and column; nothing was recorded."""

    def __init__(self, kind: str, problems: list[Problem]) -> None:
        self.kind = kind
        self.problems = sorted(set(problems))
        count = len(self.problems)
        super().__init__(
            f"the {kind} was not imported ({count} problem{'s' if count != 1 else ''}; "
            "nothing was recorded):\n" + "\n".join(f"  {p}" for p in self.problems)
        )


@dataclass(frozen=True)
class Imported:
    """What an import recorded (or, in a dry run, would record), step by step."""

    kind: str
    steps: tuple[Step, ...]
    events: tuple[tuple[Event, ...], ...]
    recorded: bool
    first: int = -1
    """The first entry recorded (-1 in a dry run)."""
    last: int = -1
    checkpoint: str = ""
    ignored: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def entries(self) -> int:
        """How many entries it records."""
        return sum(len(events) for events in self.events)


def run(
    service: Service,
    production: Production,
    kind: str,
    data: bytes,
    *,
    person_id: str,
    device: str | None = None,
    dry_run: bool = False,
) -> Imported:
    """Import ``data`` as a file of ``kind`` by ``person_id``, whole, or raise ImportRefused."""
    plan = KINDS[kind](data, service.state(production))
    problems = list(plan.problems)
    if not plan.steps and not problems:
        problems.append(Problem(0, 0, "", "the file has no line with anything to record"))
    commands = [step.command for step in plan.steps]
    events: tuple[tuple[Event, ...], ...] = ()
    recorded = False
    first = last = -1
    checkpoint = ""
    try:
        if problems or dry_run:
            if commands:
                events = service.rehearse(production, commands, person_id=person_id, device=device)
        else:
            done = service.execute_all(production, commands, person_id=person_id, device=device)
            events = tuple(executed.events for executed in done)
            entries = [entry for executed in done for entry in executed.entries]
            recorded = True
            first, last = entries[0].seq, entries[-1].seq
            checkpoint = done[-1].checkpoint
    except BatchRefused as refused:
        withheld = set(plan.withheld)
        for index, one in refused.refusals:
            step = plan.steps[index]
            for violation in one.violations:
                if any(names_in(violation.message, name) for name in withheld):
                    continue  # it follows from a problem already listed on another line
                problems.append(
                    step.place(
                        violation.subject,
                        f"{violation.message} ({violation.rule_id})",
                        field=violation.rule_id == INPUT.rule_id,
                    )
                )
            if step.defines:
                withheld.add(step.defines)
    if problems:
        raise ImportRefused(kind, problems)
    return Imported(
        kind,
        tuple(plan.steps),
        events,
        recorded,
        first,
        last,
        checkpoint,
        tuple(plan.ignored),
        tuple(plan.skipped),
    )


__all__ = ["KINDS", "ImportRefused", "Imported", "Problem", "run"]
