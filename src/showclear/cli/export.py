"""``showclear export``: a production's ledger as a bundle anyone can verify offline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

PROGRESS_FROM = 50_000
"""Logs at least this long show a progress bar while they are exported."""


@click.command("export")
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="A new (or empty) folder to write the bundle to.",
)
@click.option(
    "--entries",
    help="Entries to include inclusion proofs for, by number: 12,40-45.",
)
def export(name: str | None, out: Path, entries: str | None) -> None:
    """Write the ledger as a bundle to check offline with showclear-verify."""
    from showclear.archive.bundle import ExportError, describe, export_bundle
    from showclear.cli.common import count, fail, open_service
    from showclear.service import InputError
    from showclear.store import StoreError

    service = open_service()
    try:
        production = service.production(name)
        verifier = service.verifier(production)
        size = service.store.size(production)
        if size >= PROGRESS_FROM:
            with click.progressbar(length=size, label="Exporting", file=sys.stderr) as bar:
                done = [0]

                def advance(upto: int) -> None:
                    bar.update(upto - done[0])
                    done[0] = upto

                exported = export_bundle(
                    service.store, production, verifier, out, entries=entries, progress=advance
                )
        else:
            exported = export_bundle(service.store, production, verifier, out, entries=entries)
    except (InputError, ExportError, StoreError) as error:
        fail(str(error))
    proofs = f", inclusion proofs of entries {describe(exported.proofs)}" if exported.proofs else ""
    click.echo(
        f"Exported {production.name!r} to {out}: "
        f"{count(exported.entries, 'entry', 'entries')}, "
        f"{count(exported.checkpoints, 'signed checkpoint', 'signed checkpoints')}{proofs}."
    )
    click.echo(
        f"Check it anywhere with: showclear-verify {out}  (or: python {out / 'verify.py'} {out})"
    )
