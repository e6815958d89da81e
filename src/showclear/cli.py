"""The ``showclear`` command.

Exit codes: 0 done (for ``verify``: the ledger is intact); 1 the ledger is NOT intact; 2 bad
input or usage (a clear message, nothing changed).
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import NoReturn

import click

from showclear.core.ledger.audit import LedgerFault
from showclear.service import InputError, Showclear
from showclear.store import StoreError

PROGRESS_FROM = 50_000
"""Logs at least this long show a progress bar while they are verified."""


def _service() -> Showclear:
    try:
        return Showclear.from_environment()
    except StoreError as error:
        # Exit 2, not click's 1: for verify, 1 means "NOT intact", and a database that cannot
        # be opened says nothing about the ledger's integrity.
        _fail(str(error))


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"showclear: {message}", err=True)
    sys.exit(code)


@click.group()
@click.version_option(package_name="showclear")
def main() -> None:
    """Showclear: chain of custody and safety interlocks for firearms on set."""


@main.command()
@click.option("--production", "name", required=True, help="The production's name.")
@click.option("--armorer", required=True, help="The key armorer's full name.")
def init(name: str, armorer: str) -> None:
    """Create a production, its signing key and its ledger."""
    from showclear.web.setup import migrate

    service = _service()
    try:
        migrate()
        production, appended = service.create_production(name, armorer)
    except (InputError, StoreError) as error:
        _fail(str(error))
        return
    click.echo(f"Created {production.name!r}: ledger {production.origin}, key armorer {armorer}.")
    click.echo(f"Signing key: {service.keyring.path(production.slug)} (owner-only; keep a backup)")
    click.echo(f"Verifier key: {service.verifier(production).verifier_key()}")
    click.echo(
        f"The ledger holds {_count(appended.size, 'entry', 'entries')}. Keep the output of "
        "'showclear checkpoint' somewhere safe (see README: witness checkpoint)."
    )


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option(
    "--against",
    "against",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A signed checkpoint kept elsewhere: prove the log is consistent with it.",
)
@click.option(
    "--key", "key", help="Check signatures with this verifier key instead of the stored one."
)
def verify(name: str | None, against: Path | None, key: str | None) -> None:
    """Recompute the whole ledger and check every signed checkpoint."""
    service = _service()
    witness = None
    if against is not None:
        try:
            witness = against.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"cannot read {against}: {getattr(error, 'strerror', None) or error}")
    try:
        production = service.production(name)
        size = service.store.size(production)
        if size >= PROGRESS_FROM:
            with click.progressbar(length=size, label="Verifying", file=sys.stderr) as bar:
                done = [0]

                def advance(upto: int) -> None:
                    bar.update(upto - done[0])
                    done[0] = upto

                report = service.verify(
                    production, witness=witness, verifier_key=key, progress=advance
                )
        else:
            report = service.verify(production, witness=witness, verifier_key=key)
    except InputError as error:
        _fail(str(error))
        return
    except LedgerFault as fault:
        _fail(f"NOT INTACT: {production.name!r}: {fault.where}: {fault.reason}", code=1)
        return
    root = base64.b64encode(report.root).decode()
    line = (
        f"intact: {production.name!r}: {_count(report.entries, 'entry', 'entries')}, "
        f"{_count(report.checkpoints, 'signed checkpoint', 'signed checkpoints')} verified, root {root}"
    )
    if report.witness is not None:
        line += f"; consistent with the witness checkpoint at size {report.witness.size}"
    click.echo(line)


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
def checkpoint(name: str | None) -> None:
    """Print the latest signed checkpoint, for a witness to keep."""
    service = _service()
    try:
        production = service.production(name)
    except InputError as error:
        _fail(str(error))
        return
    note = service.store.latest_checkpoint(production)
    if note is None:
        _fail(f"{production.name!r} has no checkpoint yet")
        return
    click.echo(note, nl=False)


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
def key(name: str | None) -> None:
    """Print the production's verifier key (public; the signing key is never printed)."""
    service = _service()
    try:
        production = service.production(name)
        click.echo(service.verifier(production).verifier_key())
    except InputError as error:
        _fail(str(error))
