"""The three reads every signed-in request makes, as one plain query each.

Every page, and every one-second STOP WORK poll of every phone, must know whose session it is,
which login that is, and which person that login speaks for on the production. Django answers
each through its ORM, which builds the SQL anew every time: about 0.2 ms of CPU a read, where
the database itself takes 0.02 ms. Here each is one fixed statement on the same tables, read
fresh from the database on every request (nothing is kept in memory), so signing out, a
deactivated login or a changed membership takes effect on the very next request, in every
worker process, exactly as with Django's own readers:

- :class:`SessionStore` (``SESSION_ENGINE = "showclear.web.accounts.lookups"``): Django's
  database sessions, loaded with one query. Saving, creating and deleting are Django's own.
- :class:`LoginBackend` (``AUTHENTICATION_BACKENDS``): Django's ``ModelBackend`` (argon2
  passwords, inactive logins refused), fetching the signed-in login with one query.
- :func:`person_on`: the person id a login acts as on one production, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Model
from django.db.models.expressions import Col
from django.utils import timezone

from showclear.web.accounts.models import Membership


def _text(model: type[Model], column: str, where: dict[str, str], params: list[Any]) -> str | None:
    """One text ``column`` of the first row of ``model``'s table matching ``where`` (column →
    comparison, each with its parameter in ``params``), or ``None``: one fixed statement."""
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    condition = " AND ".join(f"{quote(name)} {compare} %s" for name, compare in where.items())
    sql = f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE {condition}"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else str(row[0])


class SessionStore(DatabaseSessionStore):
    """Django's database session store, loading a session with one plain query."""

    def load(self) -> dict[str, Any]:
        data = None
        if self.session_key:  # None when there is no cookie, or Django refused it as malformed
            now = connections[router.db_for_read(self.model)].ops.adapt_datetimefield_value(
                timezone.now()
            )
            data = _text(
                self.model,
                "session_data",
                {"session_key": "=", "expire_date": ">"},
                [self.session_key, now],
            )
        if data is None:  # no session, or an unknown or expired one: a new, empty session
            self._session_key = None
            return {}
        return dict(self.decode(data))


class LoginBackend(ModelBackend):
    """Django's ``ModelBackend`` (argon2 passwords, inactive logins refused), fetching the
    signed-in login for each request with one plain query."""

    def get_user(self, user_id: Any) -> User | None:
        model = get_user_model()
        alias = router.db_for_read(model)
        pk = model._meta.pk
        assert pk is not None
        try:
            key = pk.to_python(user_id)
        except ValidationError:  # a session naming no valid id names no login
            return None
        reader = _RowReader.of(model, alias, pk.column, connections[alias].vendor)
        with connections[alias].cursor() as cursor:
            cursor.execute(reader.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        user = reader.instance(row)
        return user if self.user_can_authenticate(user) else None


@dataclass(frozen=True)
class _RowReader:
    """How to read one row of ``model`` by a column into an instance, as the ORM would: the
    same statement every time, and each value through the ORM's own converters (SQLite gives
    a timestamp as a naive datetime, for one, which the ORM makes aware)."""

    model: type[Model]
    alias: str
    sql: str
    names: tuple[str, ...]
    converters: tuple[tuple[int, Callable[..., Any], Col], ...]

    @classmethod
    @lru_cache
    def of(cls, model: type[Model], alias: str, by: str, vendor: str) -> _RowReader:
        """The reader of ``model`` by ``by`` on ``alias``, made once per database engine (its
        converters are the engine's: a process pointed at another database gets its own)."""
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        table = model._meta.db_table
        columns = ", ".join(quote(field.column) for field in fields)
        converters = []
        for number, field in enumerate(fields):
            column = field.get_col(table)
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                converters.append((number, convert, column))
        return cls(
            model,
            alias,
            f"SELECT {columns} FROM {quote(table)} WHERE {quote(by)} = %s",  # noqa: S608 - names from the model
            tuple(field.attname for field in fields),
            tuple(converters),
        )

    def instance(self, row: tuple[Any, ...]) -> Any:
        values = list(row)
        connection = connections[self.alias]
        for number, convert, column in self.converters:
            values[number] = convert(values[number], column, connection)
        return self.model.from_db(self.alias, list(self.names), values)


def person_on(user_id: int | None, production_slug: str) -> str | None:
    """The person id login ``user_id`` acts as on ``production_slug``, or ``None``."""
    if user_id is None:
        return None
    return _text(
        Membership,
        "person_id",
        {"user_id": "=", "production_slug": "="},
        [user_id, production_slug],
    )
