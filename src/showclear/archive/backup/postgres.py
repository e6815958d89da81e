"""PostgreSQL backups with ``pg_dump`` and restores with ``pg_restore`` (see :mod:`showclear.archive.backup`).

The client programs get the connection from ``PG*`` environment variables made from the
database URL, never on their command line, where any user of the machine could read a password.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from showclear.archive.backup.common import BackupError, Sealed, refuse_if_in_use, tool, tool_major

ENVIRONMENT = {
    "host": "PGHOST",
    "hostaddr": "PGHOSTADDR",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "dbname": "PGDATABASE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def _environment(url: str) -> tuple[dict[str, str], str]:
    """The environment a PostgreSQL client program needs to reach ``url``, and the database."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise BackupError(f"the database URL cannot be used: {error}") from error
    unknown = sorted(set(params) - set(ENVIRONMENT))
    if unknown:
        raise BackupError(f"pg_dump cannot be given the database URL's {', '.join(unknown)}")
    env = dict(os.environ)
    env.update({ENVIRONMENT[name]: str(value) for name, value in params.items()})
    return env, str(params.get("dbname") or env.get("PGDATABASE") or "")


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    ran = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if ran.returncode != 0:
        raise BackupError(f"{what} failed: {ran.stderr.strip() or ran.stdout.strip()}")
    return ran.stdout


def dump(url: str, out: Path) -> list[Sealed]:
    """``pg_dump`` the schema Showclear uses at ``url`` into ``out`` (custom format), from one
    snapshot; the checkpoints that snapshot holds."""
    pg_dump = tool("pg_dump")
    env, _ = _environment(url)
    try:
        with psycopg.connect(url) as connection:
            server = connection.info.server_version // 10000
            client = tool_major(pg_dump)
            if client < server:
                raise BackupError(
                    f"pg_dump is version {client} but the server runs PostgreSQL {server}: "
                    f"install PostgreSQL {server}'s client programs (pg_dump never dumps a "
                    "newer server)"
                )
            connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            connection.read_only = True
            row = connection.execute("SELECT pg_export_snapshot(), current_schema()").fetchone()
            assert row is not None
            snapshot, schema = row
            if schema is None:
                raise BackupError("the database has no schema Showclear can use")
            try:
                found = connection.execute(
                    "SELECT p.name, c.size, c.note FROM ledger_production p JOIN "
                    "ledger_checkpoint c ON c.production_id = p.id WHERE c.size = (SELECT "
                    "MAX(size) FROM ledger_checkpoint WHERE production_id = p.id) ORDER BY p.id"
                ).fetchall()
            except psycopg.errors.UndefinedTable as error:
                raise BackupError("the database holds no Showclear ledger") from error
            # pg_dump reads the very snapshot the checkpoints above were read from; the
            # exporting transaction stays open until it is done.
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}",
                 f"--file={out}", "--no-password"],
                env, "pg_dump",
            )  # fmt: skip
            connection.rollback()
    except psycopg.Error as error:
        raise BackupError(f"cannot read the database: {error}") from error
    return [Sealed(str(name), int(size), str(note)) for name, size, note in found]


def _dumped_schema(pg_restore: str, source: Path, env: dict[str, str]) -> str:
    """The schema whose ledger the archive ``source`` holds."""
    listing = _run([pg_restore, "--list", str(source)], env, f"reading {source} with pg_restore")
    found = re.search(r"^\d+; \d+ \d+ TABLE (\S+) ledger_production ", listing, re.MULTILINE)
    if found is None:
        raise BackupError(f"{source} is a pg_dump archive but holds no Showclear ledger")
    return found.group(1)


def load(url: str, source: Path, *, force: bool) -> None:
    """Replace the contents of the schema Showclear uses at ``url`` by the archive ``source``,
    in one transaction (``pg_restore --single-transaction --clean``)."""
    pg_restore = tool("pg_restore")
    env, database = _environment(url)
    dumped = _dumped_schema(pg_restore, source, env)
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            row = connection.execute("SELECT current_schema()").fetchone()
            schema = row[0] if row else None
            if schema is None:
                # The URL names a schema that does not exist yet: the archive creates it.
                path = connection.execute("SHOW search_path").fetchone()
                schema = str(path[0]).split(",")[0].strip().strip('"') if path else "public"
            if schema != dumped:
                raise BackupError(
                    f"{source} holds the schema {dumped!r}, but the database URL uses "
                    f"{schema!r}: restore it into a database that uses {dumped!r}"
                )
            others = connection.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchone()
            if others and others[0]:
                raise BackupError(
                    f"{others[0]} other sessions are connected to the database (app servers, "
                    "psql, ...): stop them before restoring"
                )
            if not force:
                refuse_if_in_use(_holdings(connection, schema), f"{database} ({schema})")
    except psycopg.Error as error:
        raise BackupError(f"cannot reach the database: {error}") from error
    _run(
        [pg_restore, "--single-transaction", "--exit-on-error", "--clean", "--if-exists",
         "--no-owner", f"--dbname={database}", "--no-password", str(source)],
        env, "pg_restore (nothing was changed)",
    )  # fmt: skip


def _holdings(connection: psycopg.Connection[tuple[object, ...]], schema: str) -> tuple[int, int]:
    """How many productions and logins the schema holds."""
    tables = {
        str(row[0])
        for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        ).fetchall()
    }
    counted = []
    for table in ("ledger_production", "auth_user"):
        if table not in tables:
            counted.append(0)
            continue
        row = connection.execute(
            psycopg.sql.SQL("SELECT COUNT(*) FROM {}.{}").format(
                psycopg.sql.Identifier(schema), psycopg.sql.Identifier(table)
            )
        ).fetchone()
        counted.append(int(str(row[0])) if row else 0)
    return counted[0], counted[1]
