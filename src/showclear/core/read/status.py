"""``showclear status``: where every firearm and round is, with whom, in what condition, now.

:func:`production_status` is a pure function over the production's core state, which the
service keeps current in memory, so the status costs the same at a million entries as at a
hundred. It returns plain dicts, lists and scalars: ``--json`` prints it as is for scripts,
:func:`render` as an aligned table. The shape (every key always present)::

    {
      "production": "Dust and Iron",
      "entries": 412,                      # entries in the ledger
      "as_of": "2026-10-14T10:52:00Z",     # time of the last entry (null when empty)
      "stop_work": null | {"reason", "at", "by", "lockdown"},
      "on_break": null | "lunch",
      "firearms": [{
        "tag", "label", "type", "make", "model", "serial", "calibre", "class", "owner",
        "status",            # "active" | "returned" | "impounded"
        "where",             # "with Jo Carver (cast)", "in Armory safe SAFE-1 (locked)"
        "unit",              # the unit it is at: its holder's or its container's
        "holder": null | {"person_id", "name", "roles": [...], "label"},
        "container": null | {"tag", "label", "locked"},
        "scene",             # the scene it was last issued or loaded for ("" if none)
        "out_for_scene",     # a performer holds it for a running scene: a count leaves it out
        "condition",         # "cold" | "dummies" | "hot" | "mixed"
        "rounds",            # rounds in it
        "capacity",          # how many positions it has (0: a replica or inert prop)
        "described",         # "dummies (6)", "hot (2 blanks)", "cold"
        "positions": {"chamber 1": "D-01", ...},   # loaded positions only
        "needs_inspection": null | "left armorer custody at Oct 14 10:41 UTC (held by ...)",
        "last_inspection": null | {"at", "by", "name", "barrel_clear"}
      }],
      "lots": [{
        "tag", "label", "kind", "calibre", "load", "supplier", "document", "delivered_on",
        "where", "holder": null | {...}, "container": null | {...},
        "received", "in_box", "in_firearms", "in_containers": {"BELT-1": 12},
        "fired", "removed", "returned", "unaccounted", "unverified",
        "usable", "hold": null | "why", "live_found"
      }],
      "containers": [{"tag", "label", "kind", "description", "locked",
                      "custodian": {...}, "firearms": [...], "lots": [...],
                      "rounds": {"D-01": 12}, "out_for_scene": false}],
      "scenes": [{"scene", "day", "date", "title", "status",   # planned | started | wrapped
                  "condition", "rounds", "firearms": [...], "performers": [person_id, ...],
                  "unit"}],                     # the unit that shoots it ("main" unless said)
      "people": [{"person_id", "name", "roles", "label"}],
      "units": [{"unit", "name", "location", "label", "stopped", "armorers_on_set": [...]}],
      "alerts": ["Dummy lot D-04 is quarantined: 30 rounds not verified.", ...]
    }

Times are UTC in the dict's ``at`` fields; its sentences (``needs_inspection``, ``alerts``) and
:func:`render` say them in the ``zone`` given (the production's: the caller resolves it), UTC
when none is.

Alerts are what is missing or wrong: STOP WORK, custody gaps (:func:`core.board.custody_gaps`),
rounds unaccounted for, quarantined lots, open incidents, misfires and obstructed barrels.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from showclear.core.read.board import custody_gaps, where
from showclear.core.read.firearm_record import condition
from showclear.core.state import Container, Firearm, Lot, ProductionState
from showclear.core.state.model import OutForScenes
from showclear.core.words import described, full_stamp, stamp


def _iso(moment: datetime | None) -> str | None:
    """``"2026-10-14T10:41:00Z"``: a time for scripts (the words for people are :func:`stamp`)."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _person(state: ProductionState, person_id: str | None) -> dict[str, Any] | None:
    if person_id is None:
        return None
    person = state.people.get(person_id)
    if person is None:
        return {"person_id": person_id, "name": person_id, "roles": [], "label": person_id}
    return {
        "person_id": person_id,
        "name": person.name,
        "roles": sorted(person.roles),
        "label": person.label,
    }


def _container(state: ProductionState, tag: str | None) -> dict[str, Any] | None:
    if tag is None:
        return None
    box = state.containers[tag]
    return {"tag": tag, "label": box.label, "locked": box.locked}


def _firearm(
    state: ProductionState, firearm: Firearm, zone: tzinfo, out: OutForScenes
) -> dict[str, Any]:
    word, count = condition(state, firearm)
    inspected = firearm.last_inspection
    gap = firearm.gap
    return {
        "tag": firearm.tag,
        "label": firearm.label,
        "type": firearm.firearm_type,
        "make": firearm.make,
        "model": firearm.model,
        "serial": firearm.serial,
        "calibre": firearm.calibre,
        "class": firearm.firearm_class,
        "owner": firearm.owner,
        "status": firearm.status,
        "where": where(state, firearm.tag),
        "unit": state.unit_of(firearm),
        "holder": _person(state, firearm.holder),
        "container": _container(state, firearm.container),
        "scene": firearm.scene,
        "out_for_scene": firearm.tag in out.firearms,
        "condition": word,
        "rounds": count,
        "capacity": len(firearm.positions),
        "described": described((word, count)),
        "positions": {p: firearm.contents[p] for p in firearm.positions if p in firearm.contents},
        "needs_inspection": None if gap is None else gap.told("", stamp(gap.at, zone=zone)).strip(),
        "last_inspection": None
        if inspected is None
        else {
            "at": _iso(inspected.at),
            "by": inspected.by,
            "name": state.person_label(inspected.by),
            "barrel_clear": inspected.barrel_clear,
        },
    }


def _lot(state: ProductionState, lot: Lot) -> dict[str, Any]:
    in_firearms = state.rounds_in_firearms(lot.tag)
    in_containers = {
        tag: box.rounds[lot.tag]
        for tag, box in sorted(state.containers.items())
        if box.rounds.get(lot.tag)
    }
    accounted = (
        lot.stock
        + in_firearms
        + sum(in_containers.values())
        + lot.fired
        + lot.removed
        + lot.returned
    )
    return {
        "tag": lot.tag,
        "label": lot.label,
        "kind": lot.lot_kind,
        "calibre": lot.calibre,
        "load": lot.load,
        "supplier": lot.supplier,
        "document": lot.document,
        "delivered_on": lot.delivered_on,
        "where": where(state, lot.tag),
        "holder": _person(state, lot.holder),
        "container": _container(state, lot.container),
        "received": lot.received,
        "in_box": lot.stock,
        "in_firearms": in_firearms,
        "in_containers": in_containers,
        "fired": lot.fired,
        "removed": lot.removed,
        "returned": lot.returned,
        "unaccounted": lot.received - accounted,
        "unverified": lot.unverified,
        "usable": lot.usable,
        "hold": lot.hold,
        "live_found": lot.live,
    }


def _box(state: ProductionState, box: Container, out: OutForScenes) -> dict[str, Any]:
    return {
        "tag": box.tag,
        "label": box.label,
        "kind": box.container_kind,
        "description": box.description,
        "locked": box.locked,
        "custodian": _person(state, box.custodian),
        "firearms": sorted(box.firearms),
        "lots": sorted(box.lots),
        "rounds": dict(sorted((lot, n) for lot, n in box.rounds.items() if n)),
        "out_for_scene": box.tag in out.containers,
    }


def _alerts(state: ProductionState, lots: list[dict[str, Any]], zone: tzinfo) -> list[str]:
    def at(moment: datetime) -> str:
        return stamp(moment, zone=zone)

    alerts: list[str] = []
    stoppage = state.stoppage
    if stoppage is not None:
        alerts.append(
            f"STOP WORK since {at(stoppage.at)} by {state.person_label(stoppage.by)}: "
            f"{stoppage.reason}{' (lockdown: evidence frozen)' if stoppage.lockdown else ''}."
        )
    for unit, held in sorted(state.unit_stoppages.items()):
        alerts.append(
            f"STOP WORK at {state.unit_label(unit)} since {at(held.at)} by "
            f"{state.person_label(held.by)}: {held.reason}."
        )
    for firearm in state.firearms.values():
        if firearm.dispatch is not None:
            alerts.append(
                f"{firearm.label} is on its way to {state.person_label(firearm.dispatch.to)} at "
                f"{state.unit_label(firearm.dispatch.unit)} since "
                f"{at(firearm.dispatch.at)}: receipt not yet confirmed."
            )
    alerts += custody_gaps(state)
    for lot in lots:
        if lot["unaccounted"]:
            alerts.append(
                f"{lot['label']}: {lot['unaccounted']} round(s) of {lot['received']} received "
                "are unaccounted for."
            )
        if lot["live_found"]:
            alerts.append(f"{lot['label']}: a live round was found in it; it is never used again.")
        elif not lot["usable"] and (lot["in_box"] or lot["in_firearms"] or lot["in_containers"]):
            why = (
                f"{lot['unverified']} round{'s' if lot['unverified'] != 1 else ''} not verified"
                if lot["unverified"]
                else lot["hold"] or "held"
            )
            alerts.append(f"{lot['label']} is quarantined: {why}.")
    for firearm in state.firearms.values():
        if firearm.misfire_at is not None:
            alerts.append(
                f"{firearm.label} misfired at {at(firearm.misfire_at)}: clear it and "
                "inspect its barrel."
            )
        elif not firearm.barrel_clear:
            alerts.append(f"{firearm.label} was found with an obstructed barrel.")
        if firearm.duds:
            alerts.append(
                f"{firearm.label}: the round that misfired in {', '.join(firearm.duds)} is still "
                "in it: recover it and record where it went."
            )
        if firearm.handled is not None:
            alerts.append(
                f"{firearm.label} {firearm.handled.account} at "
                f"{at(firearm.handled.at)}: held until an armorer unloads and "
                "inspects it."
            )
        if firearm.active and not firearm.class_found:
            alerts.append(
                f"{firearm.label} has not had its first inspection: an armorer records its class."
            )
        if firearm.active and condition(state, firearm)[0] == "mixed":
            alerts.append(f"{firearm.label} holds dummies and blanks together.")
    for incident in state.incidents.values():
        if incident.open:
            alerts.append(
                f"Incident {incident.incident} is open ({incident.category}, "
                f"{at(incident.at)}): {incident.summary}."
            )
    return alerts


def production_status(state: ProductionState, zone: tzinfo = UTC) -> dict[str, Any]:
    """The production now, in the documented shape (see the module docstring), its sentences
    saying times in ``zone``."""
    lots = [_lot(state, lot) for lot in state.lots.values()]
    stoppage = state.stoppage
    out = state.out_for_scenes()
    return {
        "production": state.name,
        "entries": state.seq + 1,
        "as_of": _iso(state.last_at),
        "stop_work": None
        if stoppage is None
        else {
            "reason": stoppage.reason,
            "at": _iso(stoppage.at),
            "by": stoppage.by,
            "lockdown": stoppage.lockdown,
        },
        "on_break": state.on_break,
        "firearms": [_firearm(state, firearm, zone, out) for firearm in state.firearms.values()],
        "lots": lots,
        "containers": [_box(state, box, out) for box in state.containers.values()],
        "scenes": [
            {
                "scene": scene.scene,
                "day": scene.day,
                "date": state.days.get(scene.day, ""),
                "title": scene.title,
                "status": scene.status,
                "condition": scene.condition,
                "rounds": scene.rounds,
                "firearms": list(scene.firearms),
                "performers": list(scene.performers),
                "unit": scene.unit,
            }
            for scene in state.scenes.values()
        ],
        "units": [
            {
                "unit": unit.unit,
                "name": unit.name,
                "location": unit.location,
                "label": unit.label,
                "stopped": unit.unit in state.unit_stoppages,
                "armorers_on_set": [p.person_id for p in state.on_set_at(unit.unit)],
            }
            for unit in state.units.values()
        ],
        "people": [_person(state, person_id) for person_id in state.people],
        "alerts": _alerts(state, lots, zone),
    }


# -- the table --------------------------------------------------------------------------------


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Left-aligned columns two spaces apart; the last column is not padded."""
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for row in [headers, *rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return lines


def _short_time(iso: str | None, zone: tzinfo) -> str:
    """``"2026-10-14T10:41:00Z"`` -> ``"Oct 14 04:41 MDT"`` in Denver."""
    return "never" if iso is None else stamp(datetime.fromisoformat(iso), zone=zone)


def _where_now(firearm: dict[str, Any]) -> str:
    """Where it is, and for which scene when a performer holds it."""
    text = str(firearm["where"])
    holder = firearm["holder"]
    armorers = {"armorer", "assistant-armorer"}
    if firearm["scene"] and holder is not None and not armorers & set(holder["roles"]):
        text += f", scene {firearm['scene']}"
    return text


def _loaded(firearm: dict[str, Any]) -> str:
    """``"hot (2 blanks) in chamber 1, chamber 2"``: which positions, when not all are loaded."""
    if not firearm["capacity"]:
        return "takes no rounds"
    text = str(firearm["described"])
    loaded = firearm["positions"]
    if loaded and len(loaded) < firearm["capacity"]:
        text += " in " + ", ".join(loaded)
    return text


def _inspected(inspection: dict[str, Any], zone: tzinfo) -> str:
    """``"Oct 14 10:21 MDT Marta Velez"``, flagged when the barrel was not clear."""
    name = str(inspection["name"]).split(" (")[0]
    barrel = "" if inspection["barrel_clear"] else ", BARREL OBSTRUCTED"
    return f"{_short_time(inspection['at'], zone)} {name}{barrel}"


def render(report: dict[str, Any], zone: tzinfo = UTC) -> str:
    """The status as plain text: firearms, lots, containers, then what needs attention; its
    times in ``zone`` (as the report's sentences were said: pass the same)."""
    last = report["as_of"]
    lines = [
        f"{report['production']}: {report['entries']:,} ledger entries, the last at "
        + ("never" if last is None else full_stamp(datetime.fromisoformat(last), zone=zone)),
    ]
    if report["stop_work"] is not None:
        lines.append(f"STOP WORK: {report['stop_work']['reason']}")
    for scene in report["scenes"]:
        if scene["status"] == "started":
            planned = described((scene["condition"], scene["rounds"]))
            lines.append(
                f"Running now: scene {scene['scene']}, {scene['title']} ({planned}), "
                f"firearms {', '.join(scene['firearms'])}"
            )
    if report["on_break"]:
        lines.append(f"On a {report['on_break']} break.")
    lines += ["", "FIREARMS"]
    lines += _table(
        ("TAG", "FIREARM", "WHERE", "CONDITION", "LAST INSPECTED"),
        [
            (
                f["tag"],
                f"{f['make']} {f['model']} ({f['type']}, {f['calibre']})",
                _where_now(f),
                _loaded(f),
                "never" if f["last_inspection"] is None else _inspected(f["last_inspection"], zone),
            )
            for f in report["firearms"]
        ],
    )
    lines += ["", "AMMUNITION"]
    lines += _table(
        ("LOT", "KIND", "WHERE (BOX)", "BOX", "FIREARMS", "CONTAINERS", "FIRED", "STATE"),
        [
            (
                lot["tag"],
                f"{lot['kind']}{' ' + lot['load'] if lot['load'] else ''} {lot['calibre']}",
                str(lot["where"]),
                str(lot["in_box"]),
                str(lot["in_firearms"]),
                ", ".join(f"{t} {n}" for t, n in lot["in_containers"].items()) or "-",
                str(lot["fired"]),
                "usable"
                if lot["usable"]
                else "LIVE FOUND"
                if lot["live_found"]
                else f"quarantined ({lot['unverified']} unverified)"
                if lot["unverified"]
                else f"held: {lot['hold']}",
            )
            for lot in report["lots"]
        ],
    )
    lines += ["", "CONTAINERS"]
    lines += _table(
        ("TAG", "KIND", "LOCK", "CUSTODIAN", "HOLDS"),
        [
            (
                box["tag"],
                box["kind"].replace("-", " "),
                "locked" if box["locked"] else "open",
                box["custodian"]["label"] if box["custodian"] else "nobody",
                ", ".join(
                    [*box["firearms"], *(f"{t} box" for t in box["lots"])]
                    + [f"{n} rounds of {t}" for t, n in box["rounds"].items()]
                )
                or "empty",
            )
            for box in report["containers"]
        ],
    )
    lines += ["", "NEEDS ATTENTION"]
    lines += [f"- {alert}" for alert in report["alerts"]] or [
        "- nothing: every firearm and round is accounted for."
    ]
    return "\n".join(lines)
