"""Request bodies generated from the core's command dataclasses, one model per command.

Each command's fields become a pydantic model of the same name, documented by its docstring,
so the OpenAPI document describes every body exactly as the core declares it. The models
forbid unknown fields (a misspelt field is named in a 422, not silently dropped), keep numbers
within what a ledger entry can hold, and refuse text that is not valid Unicode: bad input is a
422, never a server error. One translation: a ``pin_hash`` field is taken as ``pin`` (digits)
and hashed here with the same hasher the set pages check PINs with; a client never computes
or sends a hash.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Annotated, Any

from django.contrib.auth.hashers import make_password
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model

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
Pin = Annotated[str, Field(pattern=r"^(\d{4,12})?$", description="4 to 12 digits; hashed")]


class Body(BaseModel):
    """Base of every generated body model."""

    model_config = ConfigDict(extra="forbid")


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


_MODELS: dict[type[Any], type[Body]] = {}


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
    if dataclasses.is_dataclass(annotation) and isinstance(annotation, type):
        return build(annotation, value)
    return value


def build(kind: type[Any], body: BaseModel) -> Any:
    """The dataclass ``kind`` (a command) from its validated body."""
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for found in dataclasses.fields(kind):
        if found.name == "pin_hash":
            pin = str(getattr(body, "pin", ""))
            values["pin_hash"] = make_password(pin) if pin else ""
        else:
            values[found.name] = _value(hints[found.name], getattr(body, found.name))
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
