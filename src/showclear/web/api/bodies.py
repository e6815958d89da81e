"""Request bodies generated from the core's command dataclasses, one model per command.

Each command's fields become a pydantic model of the same name, documented by its docstring,
so the OpenAPI document describes every body exactly as the core declares it. The models
forbid unknown fields (a misspelt field is named in a 422, not silently dropped), keep numbers
within what a ledger entry can hold, and refuse text that is not valid Unicode: bad input is a
422, never a server error. A person confirming in person (:class:`Confirmation`) gives what
they presented: their badge code, the PIN they typed, or a presence token from
``POST .../confirmations``. The API passes it on as it came; the application service checks it
against the credential store, throttled exactly as on the set pages, and only then tells the
core who confirmed. No body can assert a confirmation without the secret, and a stored hash is
never a credential. Badges and PINs are issued by their own operations
(:mod:`showclear.web.api.confirmations`), never by a command body.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
)

from showclear.core import commands as core
from showclear.core.commands import Command

MAX_INTEGER = 2**53 - 1
"""The largest integer a ledger entry holds (see :mod:`showclear.core.ledger.entry`)."""


def _unicode(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from error
    return text


Text = Annotated[str, AfterValidator(_unicode)]
Whole = Annotated[int, Field(ge=-MAX_INTEGER, le=MAX_INTEGER)]
TypedPin = Annotated[
    str, Field(pattern=r"^([0-9]{4,12})?$", description="the PIN they typed (4 to 12 digits)")
]


class Body(BaseModel):
    """Base of every generated body model."""

    model_config = ConfigDict(extra="forbid")


_ONE_OF = ("credential", "pin", "presence")


def _only(given: str) -> dict[str, Any]:
    return {
        "required": [given],
        "properties": {
            name: {"minLength": 1} if name == given else {"maxLength": 0} for name in _ONE_OF
        },
    }


class Confirmation(Body):
    """A person confirming in person on this device, with one of: their badge code as
    ``credential`` (as the scanner read it, ``SC1:B:...``, or typed), the PIN they typed as
    ``pin``, or the ``presence`` token that ``POST .../confirmations`` gave this device for them
    (once, within 15 minutes). Checked by the service and throttled like on the set pages: after
    5 wrong PINs in 15 minutes PIN entry for them is locked for 15 minutes (their badge still
    works); wrong badge codes count the same way."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"oneOf": [_only(name) for name in _ONE_OF]},
    )

    person_id: Text
    pin: TypedPin = ""
    presence: Text = Field("", max_length=100, description="a token from POST .../confirmations")
    credential: Text = Field(
        "", max_length=200, validate_default=True, description="their badge code"
    )

    @field_validator("credential")
    @classmethod
    def _one_of_the_three(cls, credential: str, info: ValidationInfo) -> str:
        given = [bool(info.data.get("pin")), bool(info.data.get("presence")), bool(credential)]
        if "pin" in info.data and "presence" in info.data and sum(given) != 1:
            raise ValueError(
                "give their badge code as credential, their PIN as pin, or a presence token "
                "as presence (one)"
            )
        return credential

    @property
    def presented(self) -> str:
        """What the person presented, as it came."""
        return self.pin or self.presence or self.credential


def _field_type(annotation: Any) -> Any:
    if annotation is str:
        return Text
    if annotation is int:
        return Whole
    if annotation is bool:
        return bool
    origin = typing.get_origin(annotation)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(annotation)
        return tuple[_field_type(item), ...]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _field_type(inner[0]) | None
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return model(annotation)
    raise TypeError(f"no body type for {annotation!r}")


_MODELS: dict[type[Any], type[Body]] = {core.Confirmation: Confirmation}


def model(kind: type[Any]) -> type[Body]:
    """The body model of the dataclass ``kind`` (a command or a value inside one)."""
    if kind not in _MODELS:
        _MODELS[kind] = _generate(kind)
    return _MODELS[kind]


def _generate(kind: type[Any]) -> type[Body]:
    hints = typing.get_type_hints(kind)
    fields: dict[str, Any] = {}
    for found in dataclasses.fields(kind):
        if found.default is not dataclasses.MISSING:
            default: Any = found.default
        elif found.default_factory is not dataclasses.MISSING:
            default = found.default_factory()
        else:
            default = ...
        fields[found.name] = (_field_type(hints[found.name]), default)
    return create_model(
        kind.__name__, __base__=Body, __doc__=kind.__doc__, __module__=__name__, **fields
    )


def _value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(annotation)
        return tuple(_value(item, inner) for inner in value)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _value(inner[0], value)
    if annotation is core.Confirmation:
        return core.Confirmation(value.person_id, value.presented)
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return build(annotation, value)
    return value


def build(kind: type[Any], body: BaseModel) -> Any:
    """The dataclass ``kind`` (a command) from its validated body."""
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {
        found.name: _value(hints[found.name], getattr(body, found.name))
        for found in dataclasses.fields(kind)
    }
    return kind(**values)


ISSUED_BY_THEIR_OWN_OPERATIONS = (core.CreateProduction, core.IssueBadge, core.IssuePin)
"""Commands no body gives: the CLI creates productions; a badge or PIN is issued by
``POST .../people/{person_id}/badge`` and ``.../pin``, which keep its secret beside the ledger."""


def commands() -> list[type[Command]]:
    """Every command the API offers: all of the core's but
    :data:`ISSUED_BY_THEIR_OWN_OPERATIONS`."""
    from showclear.core import commands as core

    return [  # in the order the core declares them, grouped as it groups them
        value
        for value in vars(core).values()
        if isinstance(value, type)
        and issubclass(value, Command)
        and value is not Command
        and value not in ISSUED_BY_THEIR_OWN_OPERATIONS
    ]
