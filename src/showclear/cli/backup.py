"""``showclear backup --out FILE`` and ``showclear restore FILE [--force]`` (see
:mod:`showclear.archive.backup`). Exit codes as ``showclear verify``: 0 done, 1 a ledger is NOT intact,
2 refused or bad input (nothing changed)."""

from __future__ import annotations

from pathlib import Path

import click

from showclear import config
from showclear.cli.common import fail


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (owner-only; replaced if it exists).",
)
def backup(out: Path) -> None:
    """Back the whole database up while Showclear keeps serving (SQLite's online backup, or
    pg_dump's custom format for PostgreSQL)."""
    from showclear.archive.backup import backend_of
    from showclear.archive.backup import backup as take
    from showclear.archive.backup.common import BackupError

    url = config.database_url()
    try:
        sealed = take(url, out)
    except BackupError as error:
        fail(str(error))
        return
    how = "pg_dump, custom format" if backend_of(url) == "postgres" else "SQLite online backup"
    click.echo(f"Backed up to {out} ({out.stat().st_size:,} bytes, {how}).")
    for each in sealed:
        click.echo(f"  {each.line()}")
    keys = config.data_dir() / "keys"
    click.echo(
        f"The signing keys are not in the backup: keep a copy of {keys} apart from it. To check "
        "a restore later, keep each production's 'showclear checkpoint' too."
    )


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--force", is_flag=True, help="Replace a database that already holds productions or logins."
)
def restore(source: Path, force: bool) -> None:
    """Replace the database with a backup, whole or not at all, and verify every ledger.

    The server must be stopped. Refuses a database that holds a production or a login unless
    --force. A restored old backup is caught by 'showclear verify --against' a newer witness
    checkpoint.
    """
    from showclear.archive.backup import NotIntactError
    from showclear.archive.backup import restore as put_back
    from showclear.archive.backup.common import BackupError

    try:
        restored = put_back(config.database_url(), source, config.data_dir(), force=force)
    except NotIntactError as error:
        fail(str(error), 1)
        return
    except BackupError as error:
        fail(str(error))
        return
    click.echo(f"Restored {source}.")
    for each in restored:
        click.echo(f"  {each.line()}")
        if each.key_missing:
            click.echo(
                f"  No signing key for {each.name!r} in {config.data_dir() / 'keys'}: its "
                "checkpoints were checked with the key its first entry names. Copy the signing "
                "key back before recording."
            )
    click.echo(
        "If a witness kept a checkpoint newer than this backup, 'showclear verify --against "
        "it' will say the ledger lost entries: record what happened since on paper again."
    )
