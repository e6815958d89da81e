"""``showclear import`` and ``showclear report``: the paperwork in and out (registered in cli/__init__.py).

Exit codes as for every command: 0 done, 2 bad input (a refused import lists every problem by
line and column on standard error, and nothing was recorded).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from showclear.cli.common import acting_person, fail, open_production
from showclear.service import InputError, Service
from showclear.store import StoreError


def _refusal_log(service: Service) -> None:
    """Keep this process's refusals in the refusal log, as the web app does."""
    from showclear.web.refusals.log import listen
    from showclear.web.setup import migrate

    migrate()
    listen(service)


# -- import ---------------------------------------------------------------------------------------


@click.command("import")
@click.argument("kind", type=click.Choice(["manifest", "schedule", "people"]))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Decide everything and say what would be recorded.")
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option("--by", help="Who imports it: a person id or full name (default: key armorer).")
def import_command(kind: str, file: Path, dry_run: bool, name: str | None, by: str | None) -> None:
    """Import a CSV file (manifest, schedule or people) whole, or nothing of it."""
    from showclear import imports

    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    service, production = open_production(name)
    person_id = acting_person(service, production, by)
    if not dry_run:
        _refusal_log(service)
    try:
        done = imports.run(
            service,
            production,
            kind,
            data,
            person_id=person_id,
            device=f"import:{file.name}",
            dry_run=dry_run,
        )
    except imports.ImportRefused as refused:
        fail(f"{file}: {refused}")
    except StoreError as error:
        fail(f"{file} was not imported: {error}")
    count = f"{done.entries} entr{'y' if done.entries == 1 else 'ies'}"
    if dry_run:
        click.echo(f"Dry run: {file} would record {count} (nothing was recorded):")
    else:
        click.echo(
            f"Imported {file}: {count} recorded (entries {done.first} to {done.last}), sealed "
            f"by one signed checkpoint of size {done.last + 1}."
        )
    for step, events in zip(done.steps, done.events, strict=True):
        warned = [e for e in events if e.kind == "rule.warned"]
        note = f" (with {len(warned)} warning{'s' if len(warned) != 1 else ''})" if warned else ""
        click.echo(f"  line {step.line}: {step.says}{note}")
    for skipped in done.skipped:
        click.echo(f"  skipped {skipped}")
    if done.ignored:
        click.echo(f"Ignored columns: {', '.join(done.ignored)}")


# -- report ---------------------------------------------------------------------------------------


@click.group()
def report() -> None:
    """Reports (PDF or HTML) and CSV exports: see docs/reports.md."""


production_option = click.option(
    "--production", "name", help="The production's name (default: the only one)."
)
out_option = click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: a file named for the report here; '-' for stdout).",
)
format_option = click.option(
    "--format", "form", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True
)
paper_option = click.option(
    "--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True
)
day_option = click.option(
    "--day",
    default="today",
    show_default=True,
    help="A date (YYYY-MM-DD), a shoot day (day-2), or 'today' (the latest entry's day).",
)


def _write(out: Path | None, default: str, data: bytes) -> None:
    if out is not None and str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = out or Path(default)
    try:
        target.write_bytes(data)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")
    click.echo(f"Wrote {target} ({len(data):,} bytes).")


def _draw(
    kind: str,
    name: str | None,
    form: str,
    paper: str,
    out: Path | None,
    *,
    day: str | None = None,
    scene: str | None = None,
    tag: str | None = None,
    incident_id: str | None = None,
) -> None:
    from showclear import reports
    from showclear.reports import reading
    from showclear.web.setup import django_setup

    service, production = open_production(name)
    snap = reading.snapshot(service, production)
    refusals = None
    try:
        when = reading.day_of(day, snap.state) if day is not None else None
        if kind == "compliance":
            assert when is not None
            _refusal_log(service)
            from showclear.web.refusals.log import refusals as kept

            refusals = kept(production, reading.day_bounds(when, snap.state)[1])
        document = reports.document(
            snap,
            kind,
            day=when,
            scene=scene,
            tag=tag,
            incident_id=incident_id,
            refusals=refusals,
        )
    except InputError as error:
        fail(str(error))
    if form == "pdf":
        from showclear.reports.pdf import render_pdf

        _write(out, f"{document.name}.pdf", render_pdf(document, paper=paper))
    else:
        django_setup()
        from showclear.reports.html import render_html

        _write(out, f"{document.name}.html", render_html(document).encode("utf-8"))


@report.command("daily-log")
@day_option
@production_option
@format_option
@paper_option
@out_option
def daily_log(day: str, name: str | None, form: str, paper: str, out: Path | None) -> None:
    """The day's armorer log: every entry by time."""
    _draw("daily-log", name, form, paper, out, day=day)


@report.command("meeting-sheet")
@day_option
@click.option("--scene", help="Only this scene's sheet.")
@production_option
@format_option
@paper_option
@out_option
def meeting_sheet(
    day: str, scene: str | None, name: str | None, form: str, paper: str, out: Path | None
) -> None:
    """The safety meeting sign-in sheet of a day, a page per scene with firearms."""
    _draw("meeting-sheet", name, form, paper, out, day=day, scene=scene)


@report.command("wrap")
@day_option
@production_option
@format_option
@paper_option
@out_option
def wrap(day: str, name: str | None, form: str, paper: str, out: Path | None) -> None:
    """The wrap reconciliation: every count against the record."""
    _draw("wrap", name, form, paper, out, day=day)


@report.command("compliance")
@day_option
@production_option
@format_option
@paper_option
@out_option
def compliance(day: str, name: str | None, form: str, paper: str, out: Path | None) -> None:
    """The compliance summary: rules applied, refusals, warnings, overrides, with plots."""
    _draw("compliance", name, form, paper, out, day=day)


@report.command("firearm")
@click.argument("tag")
@production_option
@format_option
@paper_option
@out_option
def firearm(tag: str, name: str | None, form: str, paper: str, out: Path | None) -> None:
    """A firearm's history sheet (by tag or serial number)."""
    _draw("firearm", name, form, paper, out, tag=tag)


@report.command("incident")
@click.argument("incident", required=False)
@production_option
@format_option
@paper_option
@out_option
def incident(
    incident: str | None, name: str | None, form: str, paper: str, out: Path | None
) -> None:
    """The incident report (the latest incident unless one is named), sealed with proofs."""
    _draw("incident", name, form, paper, out, incident_id=incident)


@report.command("bound-book")
@production_option
@out_option
def bound_book(name: str | None, out: Path | None) -> None:
    """CSV: every firearm's acquisition and disposition, in the bound book's shape."""
    from showclear.reports import exports
    from showclear.reports.cells import csv_bytes

    service, production = open_production(name)
    rows = exports.bound_book(service.state(production))
    _write(out, "bound-book.csv", csv_bytes(exports.BOUND_BOOK, rows))


@report.command("inventory")
@production_option
@out_option
def inventory(name: str | None, out: Path | None) -> None:
    """CSV: what is on the production now, as a manifest another production can import."""
    from showclear.reports import exports
    from showclear.reports.cells import csv_bytes

    service, production = open_production(name)
    rows = exports.inventory(service.state(production))
    _write(out, "inventory.csv", csv_bytes(exports.INVENTORY, rows))


def _moment(text: str | None, what: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        fail(f"--{what} {text!r} is not a time (YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)")
    try:
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        if what == "until" and len(text) == 10:
            moment += timedelta(days=1) - timedelta(microseconds=1)  # a whole day, inclusive
    except OverflowError:  # 0001-01-01T00:00+01:00 is in the year 0 in UTC
        fail(f"--{what} {text!r} is outside the years 0001 to 9999 in UTC")
    return moment


@report.command("history")
@click.option("--firearm", "firearm_tag", help="Entries naming this firearm.")
@click.option("--lot", help="Entries naming this lot.")
@click.option("--container", help="Entries naming this container.")
@click.option("--person", help="Entries recorded by or naming this person id.")
@click.option("--kind", help="Entries of this kind (firearm.handed-over, ...).")
@click.option("--since", help="From this time (UTC).")
@click.option("--until", help="Up to this time (UTC; a date means the whole day).")
@production_option
@out_option
def history(
    firearm_tag: str | None,
    lot: str | None,
    container: str | None,
    person: str | None,
    kind: str | None,
    since: str | None,
    until: str | None,
    name: str | None,
    out: Path | None,
) -> None:
    """CSV of a history view: the entries naming what is given, between two times."""
    from showclear.reports import exports, reading
    from showclear.reports.cells import csv_bytes

    service, production = open_production(name)
    view = exports.HistoryView(
        firearm_tag, lot, container, person, kind, _moment(since, "since"), _moment(until, "until")
    )
    snap = reading.snapshot(service, production)
    try:
        exports.check_view(snap.state, view)
    except InputError as error:
        fail(str(error))
    rows = exports.history(snap, view)
    _write(out, f"{view.name}.csv", csv_bytes(exports.HISTORY, rows))
