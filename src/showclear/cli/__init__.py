"""The ``showclear`` command.

Exit codes: 0 done (for ``verify``: the ledger is intact); 1 the ledger is NOT intact; 2 bad
input or usage (a clear message, nothing changed).
"""

from __future__ import annotations

import base64
import sys
from datetime import datetime
from pathlib import Path

import click

from showclear.cli import backup, credentials, export, paperwork, trace, webhook
from showclear.cli.common import count, fail, open_production, open_service
from showclear.core.ledger.audit import LedgerFault
from showclear.service import InputError, Intrusion, Service
from showclear.store import Production, StoreError

PROGRESS_FROM = 50_000
"""Logs at least this long show a progress bar while they are verified."""


@click.group()
@click.version_option(package_name="showclear")
def main() -> None:
    """Showclear: chain of custody and safety interlocks for firearms on set."""


@main.command()
@click.option("--production", "name", required=True, help="The production's name.")
@click.option("--armorer", required=True, help="The key armorer's full name.")
@click.option(
    "--zone",
    default=None,
    help="The production's time zone, by its IANA name (America/Denver); times are said in "
    "it. Default: UTC.",
)
def init(name: str, armorer: str, zone: str | None) -> None:
    """Create a production, its signing key and its ledger."""
    from showclear.web.setup import migrate

    service = open_service()
    try:
        migrate()
        production, appended = service.create_production(name, armorer, zone)
    except (InputError, StoreError) as error:
        fail(str(error))
        return
    click.echo(f"Created {production.name!r}: ledger {production.origin}, key armorer {armorer}.")
    click.echo(f"Time zone: {service.state(production).zone} (times are said in it)")
    click.echo(f"Signing key: {service.keyring.path(production.slug)} (owner-only; keep a backup)")
    click.echo(f"Verifier key: {service.verifier(production).verifier_key()}")
    click.echo(
        f"The ledger holds {count(appended.size, 'entry', 'entries')}. Keep the output of "
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
    service = open_service()
    witness = None
    if against is not None:
        try:
            witness = against.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read {against}: {getattr(error, 'strerror', None) or error}")
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
        fail(str(error))
        return
    except LedgerFault as fault:
        fail(f"NOT INTACT: {production.name!r}: {fault.where}: {fault.reason}", code=1)
        return
    root = base64.b64encode(report.root).decode()
    line = (
        f"intact: {production.name!r}: {count(report.entries, 'entry', 'entries')}, "
        f"{count(report.checkpoints, 'signed checkpoint', 'signed checkpoints')} verified, root {root}"
    )
    if report.witness is not None:
        line += f"; consistent with the witness checkpoint at size {report.witness.size}"
    click.echo(line)
    if key is None:
        _say_whose_key(service, production)


def _say_whose_key(service: Service, production: Production) -> None:
    """Say on stderr when the verifier key was read from the ledger itself (this machine holds
    no signing key: a restored or an investigator's copy)."""
    if service.verifier_of(production)[1]:
        click.echo(
            "(no signing key for this production on this machine: checked with the verifier "
            "key its first entry records; compare it with one kept outside, or pass --key)",
            err=True,
        )


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
def checkpoint(name: str | None) -> None:
    """Print the latest signed checkpoint, for a witness to keep."""
    service = open_service()
    try:
        production = service.production(name)
    except InputError as error:
        fail(str(error))
        return
    try:
        note = service.newest_checkpoint(production)  # proved against the log, never just read
    except Intrusion as intrusion:
        fault = intrusion.fault
        fail(f"NOT INTACT: {production.name!r}: {fault.where}: {fault.reason}", code=1)
        return
    click.echo(note, nl=False)


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
def key(name: str | None) -> None:
    """Print the production's verifier key (public; the signing key is never printed)."""
    service = open_service()
    try:
        production = service.production(name)
        click.echo(service.verifier(production).verifier_key())
        _say_whose_key(service, production)
    except InputError as error:
        fail(str(error))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes (default: one per core, at most 4).",
)
@click.option(
    "--tls", is_flag=True, help="Serve HTTPS with a certificate made for this server (kept)."
)
@click.option(
    "--cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Serve HTTPS with this certificate (PEM) instead; needs --key.",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The private key of --cert (PEM, unencrypted).",
)
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow plain HTTP on a network address (anyone on the network can read passwords).",
)
def serve(
    host: str,
    port: int,
    workers: int | None,
    tls: bool,
    cert: Path | None,
    key_file: Path | None,
    insecure: bool,
) -> None:
    """Serve the web app (gunicorn, a production-grade server); HTTPS on network addresses."""
    from showclear.cli.serving import secured
    from showclear.web.serving import ServeRefused
    from showclear.web.serving import serve as serve_web

    try:
        certificate = secured(host, port, tls, cert, key_file, insecure)
        serve_web(host, port, workers, tls=certificate, insecure=insecure)
    except (StoreError, ServeRefused) as error:
        fail(f"cannot serve: {error}")


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option("--person", "person_id", required=True, help="The person id on the production.")
@click.option("--username", required=True, help="The login's username.")
def login(name: str | None, person_id: str, username: str) -> None:
    """Create (or reset) a login for a person of the production; prints its new password."""
    import secrets

    from showclear.web.accounts import create_login
    from showclear.web.setup import migrate

    service = open_service()
    try:
        production = service.production(name)
    except InputError as error:
        fail(str(error))
    person = service.state(production).people.get(person_id)
    if person is None:
        fail(f"{production.name!r} has no person {person_id!r}")
    migrate()
    password = secrets.token_urlsafe(12)
    create_login(production.slug, person_id, username, password)
    click.echo(f"Login for {person.name} on {production.name!r}: {username} / {password}")


@main.command("demo")
@click.option("--no-serve", is_flag=True, help="Build the demo and print the logins, then exit.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to serve on.")
@click.option(
    "--day-two",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    hidden=True,  # for the tests: their times stay put whatever day they run
    help="Shoot day two on this date (YYYY-MM-DD), laid out whole, instead of today.",
)
def demo_command(no_serve: bool, host: str, port: int, day_two: datetime | None) -> None:
    """Build a Western mid-shoot through the real commands, print the logins, and serve it."""
    from showclear import config
    from showclear.cli import demo as western
    from showclear.web.setup import migrate

    service = open_service()
    try:
        migrate()
    except Exception as error:  # the web tables are needed for the logins
        fail(f"cannot prepare the web app's tables: {error}")
    path = western.credentials_path(config.data_dir())
    production = western.find(service)
    credentials = western.Credentials.load(path)
    if production is not None:
        click.echo(
            f"{production.name!r} is already built ({service.store.size(production):,} entries)."
        )
        # A file from an earlier demo lacks some logins and PINs: they are made now.
        kept = credentials is not None and credentials.slug == production.slug
        if kept and credentials and western.complete(service, production, credentials):
            credentials.save(path)
    else:
        credentials = western.Credentials.fresh()
        credentials.save(path)  # before the build: the PINs are issued as it runs
        click.echo(
            f"Building {western.NAME!r}: prep day, shoot day one, shoot day two in progress..."
        )
        try:
            built = western.build(
                service, credentials, day_two.date() if day_two is not None else None
            )
        except western.DemoFailed as error:
            fail(f"the demo could not be built (a bug): {error}", code=1)
        credentials.save(path)
        production = built.production
        click.echo(f"Recorded {built.commands:,} commands, none refused, no warnings.")
        click.echo(
            f"Shoot day two is {built.days.two:%A %d %B %Y} in {western.ZONE}"
            + (" (its clock squeezed to end before now)." if built.days.squeeze < 1 else ".")
        )
    if credentials is None or credentials.slug != production.slug:
        click.echo(f"The logins of {production.name!r} are not in {path}.", err=True)
    else:
        from showclear.web.accounts import create_login

        western.create_logins(credentials, create_login)
        click.echo(western.logins_text(credentials, path, f"http://{host}:{port}/"))
    service.store.close()  # the server's workers open their own
    if no_serve:
        return
    from showclear.web.serving import ServeRefused, serve

    click.echo(f"Serving {production.name!r} at http://{host}:{port}/ (Ctrl-C to stop)")
    try:
        serve(host, port)
    except ServeRefused as error:  # the demo serves plain HTTP on loopback only
        fail(f"cannot serve: {error}")


@main.command()
@click.option("--production", "name", help="The production's name (default: the only one).")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON for scripts (see showclear.core.read.status).",
)
def status(name: str | None, as_json: bool) -> None:
    """Where every firearm and lot is, with whom, in what condition, and what is missing."""
    import json

    from showclear.core.read import status as board

    service = open_service()
    try:
        production = service.production(name)
    except InputError as error:
        fail(str(error))
        return
    state = service.state(production)
    if as_json:  # times for scripts: UTC
        click.echo(json.dumps(board.production_status(state), indent=2))
    else:  # for people: in the production's zone
        zone = service.zone(production)
        click.echo(board.render(board.production_status(state, zone), zone))


# -- device tokens for the API ---------------------------------------------------------------


@main.group()
def token() -> None:
    """Device tokens for the API: one production, one person, one role each."""


@token.command("create")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--person", "person_id", required=True, help="The person id the device acts for.")
@click.option(
    "--role",
    required=True,
    help="The one role the token acts in (one the person holds): the rules take the person to "
    "hold this role alone, so a first AD's token gives no armorer's command even if the person "
    "is also an armorer. Make one token per role.",
)
@click.option("--name", "device", required=True, help="The device's name (recorded with entries).")
def token_create(name: str, person_id: str, role: str, device: str) -> None:
    """Make a device token; it is printed once and never again (only its hash is kept)."""
    service, production = open_production(name, migrated=True)
    from showclear.web.api import tokens  # after Django is set up

    try:
        made = tokens.make(
            service.state(production),
            production.slug,
            person_id=person_id,
            role=role,
            name=device,
            created_by="cli",
        )
    except InputError as error:
        fail(str(error))
    click.echo(
        f"Token for device {made.token.name!r}: {made.token.person_id} as {made.token.role} "
        f"on {production.name!r} (production {production.slug}). It is shown this once:",
        err=True,
    )
    click.echo(made.secret)


@token.command("list")
@click.option("--production", "name", required=True, help="The production's name or slug.")
def token_list(name: str) -> None:
    """List a production's device tokens (never their secrets)."""
    _, production = open_production(name, migrated=True)
    from showclear.web.api import tokens  # after Django is set up

    found = tokens.listed(production.slug)
    if not found:
        click.echo(f"{production.name!r} has no device tokens.")
    for item in found:
        used = f"{item.last_used_at:%Y-%m-%d %H:%M}" if item.last_used_at else "never"
        state = f"revoked {item.revoked_at:%Y-%m-%d %H:%M}" if item.revoked_at else "live"
        click.echo(
            f"{item.name}  {item.person_id}  {item.role}  {state}  last used {used}  "
            f"made {item.created_at:%Y-%m-%d %H:%M} by {item.created_by}"
        )


@token.command("revoke")
@click.option("--production", "name", required=True, help="The production's name or slug.")
@click.option("--name", "device", required=True, help="The device whose token stops working.")
def token_revoke(name: str, device: str) -> None:
    """Revoke a device's token: it stops working at once."""
    _, production = open_production(name, migrated=True)
    from showclear.web.api import tokens  # after Django is set up

    try:
        revoked = tokens.revoke(production.slug, device)
    except InputError as error:
        fail(str(error))
    click.echo(f"Revoked the token of device {revoked.name!r} on {production.name!r}.")


# The subcommands kept in their own modules, registered here in one place.
for command in (
    trace.trace_group,  # showclear trace round | firearm | lot | person
    export.export,  # showclear export
    webhook.webhook,  # showclear webhook add | list | remove | deliveries
    paperwork.import_command,  # showclear import manifest | schedule | people
    paperwork.report,  # showclear report ...
    backup.backup,  # showclear backup
    backup.restore,  # showclear restore
    credentials.credential,  # showclear credential revoke
):
    main.add_command(command)
