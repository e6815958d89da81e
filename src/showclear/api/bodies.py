"""Request bodies generated from the core's command dataclasses, one model per command.

Each command's fields become a pydantic model of the same name, documented by its docstring,
so the OpenAPI document describes every body exactly as the core declares it. The models
forbid unknown fields (a misspelt field is named in a 422, not silently dropped), keep numbers
within what a ledger entry can hold, and refuse text that is not valid Unicode: bad input is a
422, never a server error. Two translations: a ``pin_hash`` field is taken as ``pin`` (digits)
and hashed here with the same hasher the set pages check PINs with, so a client never computes
or sends a hash; and a person confirming in person (:class:`Confirmation`) gives either their
badge code or the PIN they typed, which the API checks and throttles exactly as the set pages
do (:mod:`showclear.api.confirmations`) before the core sees the stored credential.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any

from django.contrib.auth.hashers import make_password
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
Pin = Annotated[str, Field(pattern=r"^([0-9]{4,12})?$", description="4 to 12 digits; hashed")]
TypedPin = Annotated[
    str, Field(pattern=r"^([0-9]{4,12})?$", description="the PIN they typed (4 to 12 digits)")
]


class Body(BaseModel):
    """Base of every generated body model."""

    model_config = ConfigDict(extra="forbid")


class Confirmation(Body):
    """A person confirming in person on this device: their badge code as ``credential``, or the
    PIN they typed as ``pin`` (checked against their stored PIN and throttled like on the set
    pages: after 5 wrong PINs in 15 minutes, PIN entry for them is locked for 15 minutes, and
    their badge still works). Give one of the two."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "oneOf": [
                {
                    "required": ["credential"],
                    "properties": {"credential": {"minLength": 1}, "pin": {"maxLength": 0}},
                },
                {
                    "required": ["pin"],
                    "properties": {"pin": {"minLength": 1}, "credential": {"maxLength": 0}},
                },
            ]
        },
    )

    person_id: Text
    pin: TypedPin = ""
    credential: Text = Field("", validate_default=True, description="their badge code")

    @field_validator("credential")
    @classmethod
    def _one_of_the_two(cls, credential: str, info: ValidationInfo) -> str:
        if "pin" in info.data and bool(info.data["pin"]) == bool(credential):
            raise ValueError("give their badge code as credential, or their PIN as pin (one)")
        return credential


PinCheck = Callable[[str, str, str], str]
"""``(person_id, pin, field) -> credential``: checks a typed PIN (or raises the API's error)."""


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
        if found.name == "pin_hash":
            fields["pin"] = (Pin, "" if default is not ... else ...)
            continue
        fields[found.name] = (_field_type(hints[found.name]), default)
    return create_model(
        kind.__name__, __base__=Body, __doc__=kind.__doc__, __module__=__name__, **fields
    )


def _value(annotation: Any, value: Any, pins: PinCheck, field: str) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(annotation)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(annotation)
        return tuple(
            _value(item, inner, pins, f"{field}.{index}") for index, inner in enumerate(value)
        )
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _value(inner[0], value, pins, field)
    if annotation is core.Confirmation:
        credential = pins(value.person_id, value.pin, field) if value.pin else value.credential
        return core.Confirmation(value.person_id, credential)
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return build(annotation, value, pins, field)
    return value


def build(kind: type[Any], body: BaseModel, pins: PinCheck, within: str = "") -> Any:
    """The dataclass ``kind`` (a command) from its validated body.

    ``pins`` checks each PIN a person typed to confirm (``within`` names where the body sits,
    for the field an error names).
    """
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for found in dataclasses.fields(kind):
        if found.name == "pin_hash":
            pin = str(getattr(body, "pin", ""))
            values["pin_hash"] = make_password(pin) if pin else ""
        else:
            field = f"{within}.{found.name}" if within else found.name
            values[found.name] = _value(hints[found.name], getattr(body, found.name), pins, field)
    return kind(**values)


def commands() -> list[type[Command]]:
    """Every command the API offers: all of the core's but ``CreateProduction`` (the CLI's)."""
    from showclear.core import commands as core

    return [  # in the order the core declares them, grouped as it groups them
        value
        for value in vars(core).values()
        if isinstance(value, type)
        and issubclass(value, Command)
        and value is not Command
        and value is not core.CreateProduction
    ]
