"""Reports and exports: the paperwork a production hands to people, drawn from the ledger.

Reports (PDF and HTML from one :class:`~showclear.reports.document.Document`, see
``docs/reports.md``): the day's armorer log, the safety meeting sign-in sheet, the wrap
reconciliation, the compliance summary, a firearm's history sheet and the incident report.
Exports (CSV): the bound book, the inventory as a manifest, and any history view. The CLI
(``showclear report ...``) and the web app's Reports page both go through :func:`document`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from showclear.reports import compliance, daily_log, firearm, incident, meeting_sheet, wrap
from showclear.reports.document import Document
from showclear.reports.reading import Snapshot
from showclear.service import InputError

DAILY = ("daily-log", "meeting-sheet", "wrap", "compliance")
"""The reports of one day."""
DOCUMENTS = (*DAILY, "firearm", "incident")
"""Every report drawn as PDF and HTML."""
TITLES = {
    "daily-log": "Armorer's log",
    "meeting-sheet": "Safety meeting sign-in sheet",
    "wrap": "Wrap reconciliation",
    "compliance": "Compliance summary",
    "firearm": "Firearm history sheet",
    "incident": "Incident report",
}


def document(
    snap: Snapshot,
    kind: str,
    *,
    day: date | None = None,
    scene: str | None = None,
    tag: str | None = None,
    incident_id: str | None = None,
    refusals: Sequence[compliance.Refusal] | None = None,
) -> Document:
    """The report ``kind`` (one of :data:`DOCUMENTS`); the day reports need ``day``, the
    firearm sheet ``tag``; the incident report takes the latest incident unless named."""
    if kind in DAILY:
        if day is None:
            raise InputError(f"the {kind} report needs a day")
        if kind == "daily-log":
            return daily_log.build(snap, day)
        if kind == "meeting-sheet":
            return meeting_sheet.build(snap, day, scene)
        if kind == "wrap":
            return wrap.build(snap, day)
        return compliance.build(snap, day, refusals)
    if kind == "firearm":
        if not tag:
            raise InputError("the firearm report needs a firearm's tag or serial")
        return firearm.build(snap, tag)
    if kind == "incident":
        return incident.build(snap, incident_id)
    raise InputError(f"no report is called {kind!r}")


__all__ = ["DAILY", "DOCUMENTS", "TITLES", "document"]
