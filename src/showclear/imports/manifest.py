"""A rental house's manifest: firearms and lots of dummies or blanks, one per line.

A line is a lot when its type names ammunition (``dummies``, ``blanks``), a firearm otherwise
(``revolver``, ``lever-action rifle``). Every firearm is received into the armorer's hands (or
the container named), every lot quarantined until each round is verified, exactly as when an
armorer receives them one by one.
"""

from __future__ import annotations

from collections.abc import Mapping

from showclear.core.commands import Command, ReceiveFirearm, ReceiveLot
from showclear.core.limits import TAG_LENGTH, tag_problem
from showclear.core.state import ProductionState
from showclear.core.vocabulary import AMMUNITION_MAKER, BLANK, LIVE, MAKER_WORDS, UNKNOWN_MAKER
from showclear.imports import words
from showclear.imports.plan import Plan
from showclear.imports.table import Column, Problem, Row, read

KIND = "manifest"

COLUMNS = (
    Column(
        "tag",
        ("asset tag", "tag number", "tag no", "id", "item id", "stock number", "inventory no"),
        required=True,
    ),
    Column("type", ("item", "item type", "kind", "firearm type", "weapon type"), required=True),
    Column("calibre", ("caliber", "cal", "calibre gauge", "caliber gauge", "gauge"), required=True),
    Column("serial", ("serial number", "serial no", "serial nr", "s n", "sn")),
    Column("make", ("manufacturer", "mfr", "maker", "brand")),
    Column("model", ("model name",)),
    Column("class", ("firearm class", "firing status", "function")),
    Column("positions", ("chambers", "capacity", "magazine capacity", "shots")),
    Column("owner", ("rental house", "received from", "lender", "owned by")),
    Column("notes", ("remarks", "comments", "note")),
    Column("count", ("quantity", "qty", "rounds", "number of rounds")),
    Column("supplier", ("vendor", "source", "made by")),
    Column(
        "document",
        ("delivery note", "invoice", "invoice number", "paperwork", "document number"),
    ),
    Column(
        "delivered on",
        ("delivery date", "delivered", "date delivered", "date received", "received on"),
    ),
    Column("load", ("blank load", "charge", "load strength")),
    Column("for firearms", ("for", "made for", "firearms", "for firearm")),
    Column("container", ("stored in", "storage", "put in")),
    Column(
        "lot maker",
        ("rounds made by", "dummies made by", "manufactured by", "who made", "making", "origin"),
    ),
)


def _serial_key(serial: str) -> str:
    """A serial with case, spaces and punctuation ignored: ``"SA-41872"`` ~ ``"sa 41872"``."""
    return "".join(c for c in serial.casefold() if c.isalnum())


def plan(data: bytes, state: ProductionState) -> Plan:
    """What the manifest in ``data`` would record on ``state``, and every problem in it."""
    table = read(data, COLUMNS)
    result = Plan(KIND, problems=list(table.problems), ignored=table.ignored)
    if result.problems:
        return result
    known = words.calibres_known(
        {f.calibre for f in state.firearms.values()} | {lot.calibre for lot in state.lots.values()}
    )
    serials = {_serial_key(f.serial): f for f in state.firearms.values() if f.active}
    tags: dict[str, int] = {}
    seen_serials: dict[str, int] = {}
    firearm_rows = {
        row.text("tag") for row in table.rows if words.lot_type(row.text("type")) is None
    }
    firearms: list[tuple[Row, Command, str]] = []
    lots: list[tuple[Row, Command, str]] = []
    for row in table.rows:
        problems: list[Problem] = []
        tag = row["tag"]
        if not tag.text:
            problems.append(tag.problem("the tag is missing: every firearm and lot needs one"))
        elif tag.text in tags:
            problems.append(tag.problem(f"tag {tag.text} is already on line {tags[tag.text]}"))
        elif state.knows_tag(tag.text):
            problems.append(tag.problem(f"tag {tag.text} is already in use on the production"))
        elif unsafe := tag_problem(tag.text):
            problems.append(tag.problem(f"the tag {tag.text[:TAG_LENGTH]!r} {unsafe}"))
        tags.setdefault(tag.text, row.line)
        found = words.calibre(row["calibre"], known)
        if isinstance(found, Problem):
            problems.append(found)
        kind = words.lot_type(row.text("type"))
        if kind == LIVE:
            problems.append(
                row["type"].problem(
                    "live ammunition is never received on a production (R-LIVE): take it off "
                    "the manifest and tell the safety supervisor"
                )
            )
        elif kind is None:
            made = _firearm(row, found, problems, serials, seen_serials)
            if made is not None and not problems:
                firearms.append((row, *made))
        else:
            made = _lot(row, kind, found, problems, state, firearm_rows)
            if made is not None and not problems:
                lots.append((row, *made))
        if problems and tag.text:
            result.withheld.add(tag.text)
        result.problems += problems
    for row, command, says in firearms + lots:  # firearms first: a lot may name them
        result.add(row, command, says, row.text("tag"))
    return result


def _firearm(
    row: Row,
    calibre: str | Problem,
    problems: list[Problem],
    serials: Mapping[str, object],
    seen: dict[str, int],
) -> tuple[Command, str] | None:
    firearm_type = row.text("type")
    if not firearm_type:
        problems.append(row["type"].problem("the type is missing (revolver, rifle, dummies...)"))
    serial = row["serial"]
    key = _serial_key(serial.text)
    if not key:
        problems.append(serial.problem("the serial number is missing: a firearm needs it"))
    elif key in seen:
        problems.append(serial.problem(f"serial {serial.text} is already on line {seen[key]}"))
    elif key in serials:
        problems.append(
            serial.problem(f"serial {serial.text} is already a firearm's on the production")
        )
    seen.setdefault(key, row.line)
    klass = words.one_of(row["class"], words.FIREARM_CLASSES, "firearm class")
    if isinstance(klass, Problem):
        problems.append(klass)
        return None
    positions = words.positions(row["positions"], firearm_type, klass)
    if isinstance(positions, Problem):
        problems.append(positions)
    owner = row.text("owner") or row.text("supplier")
    if not owner:
        problems.append(row["owner"].problem("the owner (rental house) is missing"))
    if problems or isinstance(calibre, Problem) or isinstance(positions, Problem):
        return None
    command = ReceiveFirearm(
        tag=row.text("tag"),
        serial=serial.text,
        make=row.text("make"),
        model=row.text("model"),
        firearm_type=firearm_type.casefold(),
        calibre=calibre,
        firearm_class=klass,
        positions=positions,
        owner=owner,
        notes=row.text("notes"),
        container=row.text("container"),
    )
    described = " ".join(part for part in (command.make, command.model) if part)
    says = (
        f"receive {command.firearm_type} {command.tag}: {described or 'no make or model'}, "
        f"{calibre}, serial {command.serial}, {klass}, {len(positions)} position"
        f"{'s' if len(positions) != 1 else ''}, from {owner}; not issued until an armorer's "
        "first inspection records its class"
    )
    return command, says


def _lot(
    row: Row,
    kind: str,
    calibre: str | Problem,
    problems: list[Problem],
    state: ProductionState,
    firearm_rows: set[str],
) -> tuple[Command, str] | None:
    count = words.whole_number(row["count"], "count of rounds", least=1)
    if isinstance(count, Problem):
        problems.append(count)
    supplier = row.text("supplier") or row.text("owner")
    if not supplier:
        problems.append(
            row["supplier"].problem("the supplier is missing: rounds of unknown origin never join")
        )
    if not row.text("document"):
        problems.append(row["document"].problem("the invoice or delivery note is missing"))
    delivered = words.iso_date(row["delivered on"], "delivery date")
    if isinstance(delivered, Problem):
        problems.append(delivered)
    load = ""
    if kind == BLANK:
        found = words.one_of(row["load"], words.BLANK_LOADS, "blank load")
        if isinstance(found, Problem):
            problems.append(found)
        else:
            load = found
    made_for = tuple(words.split_list(row.text("for firearms")))
    unknown = [t for t in made_for if t not in state.firearms and t not in firearm_rows]
    if unknown:
        problems.append(
            row["for firearms"].problem(
                f"no firearm is tagged {', '.join(unknown)} on the production or in this file"
            )
        )
    maker: str | Problem = UNKNOWN_MAKER
    if row.text("lot maker"):
        maker = words.one_of(row["lot maker"], words.LOT_MAKERS, "lot maker")
        if isinstance(maker, Problem):
            problems.append(maker)
    if problems or isinstance(calibre, Problem) or isinstance(count, Problem):
        return None
    assert isinstance(delivered, str)
    assert isinstance(maker, str)
    command = ReceiveLot(
        tag=row.text("tag"),
        lot_kind=kind,
        calibre=calibre,
        count=count,
        supplier=supplier,
        document=row.text("document"),
        delivered_on=delivered,
        load=load,
        for_firearms=made_for,
        container=row.text("container"),
        maker=maker,
    )
    checked = (
        "; every round verified by its primer"
        if kind != BLANK and maker != AMMUNITION_MAKER
        else ""
    )
    says = (
        f"receive {'blank' if kind == BLANK else 'dummy'} lot {command.tag}: {count} rounds of "
        f"{calibre}{f' ({load} load)' if load else ''} from {supplier}, {command.document}, "
        f"delivered {delivered}, made {MAKER_WORDS[maker]}; quarantined until every round "
        f"is verified{checked}"
    )
    return command, says
