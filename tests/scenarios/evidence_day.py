"""A shoot day with evidence frozen, and commands of every kind built from the core's own
catalogue, for the evidence lockdown tests (R-EVIDENCE).

``frozen_day()``: scene 14 is running; Jo Carver (``performer``) holds revolver R-01 loaded with
six dummies of lot D-01 and wears gun belt BELT-1 holding twelve more; D-01's box is back in the
ammunition lockbox AMMO-1 (with blank lot B-01's box). At 11:40 R-01 fires from chamber 1, which
held a dummy, outside any take: incident-1 freezes R-01, D-01, BELT-1 and seals AMMO-1.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core import commands as catalogue
from showclear.core.commands import (
    Command,
    Confirmation,
    CreateProduction,
    HandOver,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    PutIn,
    ReportDischarge,
    TakeOut,
    Unlock,
)
from showclear.core.decide.evidence import REFERENCES, REPORTS
from showclear.core.state import ProductionState

FROZEN_FIREARM, FROZEN_LOT, FROZEN_BELT, SEALED_BOX = "R-01", "D-01", "BELT-1", "AMMO-1"
FROZEN = (FROZEN_FIREARM, FROZEN_LOT, FROZEN_BELT, SEALED_BOX)
#: An item of the same kind that is not evidence, for each frozen one.
FREE = {FROZEN_FIREARM: "R-02", FROZEN_LOT: "B-01", FROZEN_BELT: "SAFE-1", SEALED_BOX: "SAFE-1"}

FIREARM_FIELDS = frozenset({"firearm", "firearms", "firearms_present"})
LOT_FIELDS = frozenset({"lot", "lots"})


def frozen_day() -> OnSet:
    """See the module docstring."""
    day = shoot()
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    day.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
    day.do("armorer", Unlock("AMMO-1"))
    day.do("armorer", TakeOut("AMMO-1", "D-01"))
    day.do("armorer", Unlock("BELT-1"))
    day.do("armorer", PutIn("BELT-1", "D-01", rounds=12))
    day.do("armorer", PutIn("AMMO-1", "D-01"))
    day.do("armorer", Lock("AMMO-1"))
    day.show("R-01", "14", "dummies", 6)
    day.do("armorer", HandOver("R-01", "performer", "14"))
    day.do("armorer", HandOver("BELT-1", "performer", "14"))
    day.at("11:40")
    day.do(
        "performer",
        ReportDischarge(
            "R-01", ("chamber 1",), planned=False, scene="14", description="went off holstering"
        ),
    )
    return day


# -- the command catalogue ------------------------------------------------------------------------


def every_command() -> list[type[Command]]:
    """Every command the core decides, in the order it declares them (the production's own
    creation aside: it names nothing on a production)."""
    return [
        kind
        for kind in vars(catalogue).values()
        if isinstance(kind, type)
        and issubclass(kind, Command)
        and kind is not Command
        and kind is not CreateProduction
    ]


def referring_fields(kind: type[Command]) -> list[str]:
    """The fields of ``kind`` that name a firearm, lot or container on record."""
    return [f.name for f in dataclasses.fields(kind) if f.name in REFERENCES]


def acting_on_things() -> list[type[Command]]:
    """Every command that names a firearm, lot or container, reports aside."""
    return [k for k in every_command() if referring_fields(k) and not issubclass(k, REPORTS)]


def may_name(field: str, tag: str) -> bool:
    """Whether a field of this name can name ``tag`` (a firearm, lot, or container)."""
    if field in FIREARM_FIELDS:
        return tag == FROZEN_FIREARM
    if field == "lot":
        return tag == FROZEN_LOT
    if field in ("container", "lots"):  # a lot count names a lot, or a container with it
        return tag != FROZEN_FIREARM and (field == "lots" or tag != FROZEN_LOT)
    return field == "item"


def _plain(name: str, hint: Any) -> Any:
    """A plausible value for a field that names nothing on record."""
    if hint is Confirmation:
        return confirm("first_ad")
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return None
    if origin is tuple:
        return CHAMBERS if name.startswith("positions") else ()
    if hint is bool:
        return False
    if hint is int:
        return 1
    return {"scene": "14", "to": "performer", "position": "chamber 2"}.get(name, "x")


def build(kind: type[Command], field: str, tag: str) -> Command:
    """A ``kind`` whose ``field`` names ``tag`` and whose other referring fields name things
    that are not evidence; the other fields plausible."""
    hints = typing.get_type_hints(kind)
    values: dict[str, Any] = {}
    for found in dataclasses.fields(kind):
        if found.name in REFERENCES:
            named = tag if found.name == field else _free_for(found.name)
            values[found.name] = _shaped(found.name, hints[found.name], named)
        elif found.default is not dataclasses.MISSING:
            values[found.name] = found.default
        else:
            values[found.name] = _plain(found.name, hints[found.name])
    return kind(**values)


def _free_for(field: str) -> str:
    if field in FIREARM_FIELDS:
        return "R-02"
    if field in LOT_FIELDS:
        return "B-01"
    return "SAFE-1" if field == "container" else "R-02"


def _shaped(field: str, hint: Any, tag: str) -> Any:
    """``tag`` in the shape the field takes (a tag, a tuple of tags, or lot counts)."""
    if field == "lots":
        if tag in (FROZEN_BELT, SEALED_BOX, "SAFE-1"):
            return (LotCount("B-01", 1, container=tag),)
        return (LotCount(tag, 1),)
    if typing.get_origin(hint) is tuple:
        return (tag,)
    return tag


def evidence_now(state: ProductionState) -> dict[str, object]:
    """Custody and contents of every item held as evidence now (what must never move)."""
    held: dict[str, object] = {}
    for tag, firearm in state.firearms.items():
        if firearm.evidence is not None:
            held[tag] = (
                firearm.evidence,
                firearm.holder,
                firearm.container,
                firearm.status,
                tuple(sorted(firearm.contents.items())),
            )
    for tag, lot in state.lots.items():
        if lot.evidence is not None:
            held[tag] = (
                lot.evidence,
                lot.holder,
                lot.container,
                lot.stock,
                lot.unverified,
                lot.hold,
                lot.fired,
                lot.removed,
                lot.returned,
                state.rounds_in_firearms(tag),
                state.rounds_in_containers(tag),
            )
    for tag, container in state.containers.items():
        if container.evidence is not None:
            held[tag] = (
                container.evidence,
                container.custodian,
                container.locked,
                tuple(sorted(container.firearms)),
                tuple(sorted(container.lots)),
                tuple(sorted(container.rounds.items())),
            )
    return held
