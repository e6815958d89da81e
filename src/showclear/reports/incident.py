"""The incident report: what happened around an incident, who was there, which rules applied and
what was overridden, sealed by the latest signed checkpoint with inclusion proofs.

The timeline is every entry recorded from :data:`BEFORE` before the incident to :data:`AFTER`
after it, every entry naming the incident's firearm on that day, and every entry naming the
incident itself (its closing, a complaint, the evidence handed over), oldest first. The people
are everyone who recorded one of those entries or is named in one. The seal is the newest signed
checkpoint (its signature checked with the production's key) and, for each of the incident's own
entries, its leaf hash and the inclusion proof that puts it under that checkpoint's root (RFC
6962), checked here too: a reader can check them again with any RFC 6962 implementation.
"""

from __future__ import annotations

import base64
from datetime import timedelta

from showclear.core.events import on_set
from showclear.core.ledger.checkpoint import CheckpointError, open_checkpoint, read_unverified
from showclear.core.ledger.merkle import ProofError, leaf_hash, prove_inclusion, verify_inclusion
from showclear.core.mentions import INCIDENT, PERSON, mentions
from showclear.core.rules import RULES
from showclear.core.state import Incident, ProductionState, Recorded
from showclear.reports import said
from showclear.reports.document import (
    ALERT,
    GOOD,
    MUTED,
    NORMAL,
    Document,
    Facts,
    Paragraph,
    Preformatted,
    Section,
    Table,
)
from showclear.reports.reading import Snapshot, between, day_bounds, recorded
from showclear.service import InputError

BEFORE = timedelta(hours=2)
AFTER = timedelta(hours=1)
RULE_KINDS = ("rule.warned", "rule.overridden", "rule.override-applied")


def find(snap: Snapshot, incident: str | None) -> Incident:
    """The incident ``incident`` (the latest when ``None``); InputError naming the others."""
    incidents = snap.state.incidents
    if not incidents:
        raise InputError(f"{snap.production.name!r} has no incident on record")
    if incident is None:
        return max(incidents.values(), key=lambda i: i.seq)
    found = incidents.get(incident)
    if found is None:
        raise InputError(
            f"there is no incident {incident!r}; the incidents: {', '.join(sorted(incidents))}"
        )
    return found


def build(snap: Snapshot, incident_id: str | None = None) -> Document:
    """The report of incident ``incident_id`` (the latest when ``None``)."""
    state = snap.state
    incident = find(snap, incident_id)
    upto = snap.size - 1
    timeline = _timeline(snap, incident, upto)
    own = _own_entries(snap, incident, timeline, upto)
    own_seqs = {e.seq for e in own}
    known = said.names(state)
    firearm = state.firearms.get(incident.firearm)
    closed = next(
        (
            e
            for e in timeline
            if isinstance(e.event, on_set.IncidentClosed) and e.event.incident == incident.incident
        ),
        None,
    )
    facts = Facts(
        (
            ("Incident", incident.incident),
            ("Category", incident.category),
            ("What", incident.summary),
            ("Firearm", f"{firearm.label} (serial {firearm.serial})" if firearm else "none"),
            ("Opened", f"{said.full_stamp(incident.at, snap.state)} (entry {incident.seq})"),
            ("Status", _status(state, incident, closed)),
        )
    )
    lines = Table(
        ("When", "Entry", "About", "What happened", "Recorded by"),
        tuple(
            (
                said.stamp(e.at, snap.state),
                str(e.seq),
                said.about(e),
                said.entry(state, e, known),
                said.person(state, e.person_id),
            )
            for e in timeline
        ),
        widths=(2.0, 1.0, 1.8, 7.2, 3.0),
        tones=tuple(ALERT if e.seq in own_seqs else NORMAL for e in timeline),
    )
    return Document(
        kind="incident",
        title=f"Incident report: {incident.incident}",
        production=state.name,
        subtitle=f"{incident.summary}, {said.full_stamp(incident.at, snap.state)}",
        sections=(
            Section("The incident", (facts,)),
            Section(
                "Timeline",
                (
                    Paragraph(
                        f"Every entry from {said.full_stamp(incident.at - BEFORE, snap.state)} to "
                        f"{said.full_stamp(incident.at + AFTER, snap.state)}, every entry naming "
                        f"{incident.firearm or 'its firearm'} that day, and every entry naming "
                        f"{incident.incident}. The incident's own entries are in red.",
                        MUTED,
                    ),
                    lines,
                ),
            ),
            Section("People", (_people(snap, timeline, incident),)),
            Section("Rules and overrides", _rules(snap, timeline, incident)),
            Section("Seal", _seal(snap, own)),
        ),
        sealed=snap.sealed,
        name=f"incident-{incident.incident}",
    )


def _status(state: ProductionState, incident: Incident, closed: Recorded | None) -> str:
    if incident.open:
        return "open: under investigation"
    if closed is not None and isinstance(closed.event, on_set.IncidentClosed):
        return f"closed {said.full_stamp(closed.at, state)}: {closed.event.findings}"
    return "closed"


def _timeline(snap: Snapshot, incident: Incident, upto: int) -> list[Recorded]:
    store, production = snap.service.store, snap.production
    found = {
        e.seq: e
        for e in between(
            snap.service,
            production,
            incident.at - BEFORE,
            incident.at + AFTER + timedelta(microseconds=1),
            upto,
        )
    }
    start, end = day_bounds(said.local_day(incident.at, snap.state), snap.state)
    firearm = snap.state.firearms.get(incident.firearm)
    if firearm is not None:
        for e in firearm.history:
            if start <= e.at < end and e.seq <= upto:
                found.setdefault(e.seq, e)
    for _, body in store.named(production, INCIDENT, incident.incident, upto=upto):
        entry = recorded(body)
        found.setdefault(entry.seq, entry)
    return [found[seq] for seq in sorted(found)]


def _own_entries(
    snap: Snapshot, incident: Incident, timeline: list[Recorded], upto: int
) -> list[Recorded]:
    """The entries of the command that opened the incident, and those naming it."""
    opened = next((e for e in timeline if e.seq == incident.seq), None)
    if opened is None:  # outside the window only if the log is odd; read it directly
        body = snap.service.store.entry(snap.production, incident.seq)
        opened = recorded(body) if body is not None else None
    own = [
        e
        for e in timeline
        if (opened is not None and e.at == opened.at and e.person_id == opened.person_id)
        or (INCIDENT, incident.incident) in mentions(e.event.kind, e.event.to_payload(), "")
    ]
    return [e for e in own if e.seq <= upto]


def _people(snap: Snapshot, timeline: list[Recorded], incident: Incident) -> Table:
    state = snap.state
    recorded_by: dict[str, int] = {}
    named_in: dict[str, int] = {}
    for e in timeline:
        recorded_by[e.person_id] = recorded_by.get(e.person_id, 0) + 1
        for kind, key in mentions(e.event.kind, e.event.to_payload(), ""):
            if kind == PERSON and key in state.people:
                named_in[key] = named_in.get(key, 0) + 1
    people = list(dict.fromkeys([*recorded_by, *named_in]))
    return Table(
        ("Name", "Role", "Firearm safety training", "Recorded", "Named in"),
        tuple(
            (
                state.people[p].name if p in state.people else p,
                said.roles(state, p),
                said.training(state, p, said.local_day(incident.at, state)),
                said.plural(recorded_by.get(p, 0), "entry", "entries"),
                said.plural(named_in.get(p, 0), "entry", "entries"),
            )
            for p in people
        ),
        widths=(3.4, 2.6, 3.2, 1.8, 1.8),
    )


def _rules(snap: Snapshot, timeline: list[Recorded], incident: Incident) -> tuple[Table, ...]:
    state = snap.state
    firearm = state.firearms.get(incident.firearm)
    history = firearm.history if firearm is not None else []
    involved = {incident.firearm, *(firearm.contents.values() if firearm is not None else ())}
    rows, tones = [], []
    for e in timeline:
        event = e.event
        if isinstance(event, on_set.RuleWarned):
            what, tone = f"warned: {event.message}", ALERT
        elif isinstance(event, on_set.RuleOverridden):
            what, tone = f"overridden for {event.subject}: {event.reason}", ALERT
        elif isinstance(event, on_set.OverrideApplied):
            what, tone = f"override used for {event.subject}: {event.message}", ALERT
        else:
            continue
        rule = RULES.get(event.rule_id)
        rows.append(
            (
                said.full_stamp(e.at, snap.state),
                str(e.seq),
                event.rule_id,
                rule.title if rule else "",
                what,
                said.person(state, e.person_id),
            )
        )
        tones.append(tone)
    earlier = [
        e
        for e in history
        if isinstance(e.event, on_set.RuleOverridden) and e.event.subject in involved
    ]
    return (
        Table(
            ("When", "Entry", "Rule", "Title", "What", "By"),
            tuple(rows),
            widths=(2.4, 1.0, 2.2, 4.0, 5.2, 2.6),
            tones=tuple(tones),
            empty="No rule warned and nothing was overridden in the timeline.",
        ),
        Table(
            ("When", "Entry", "Override granted for the firearm", "By"),
            tuple(
                (
                    said.full_stamp(e.at, snap.state),
                    str(e.seq),
                    said.entry(state, e),
                    said.person(state, e.person_id),
                )
                for e in earlier
            ),
            widths=(2.6, 1.0, 8.0, 3.2),
            empty="No override was ever granted for the firearm.",
        ),
    )


def _seal(
    snap: Snapshot, own: list[Recorded]
) -> tuple[Facts | Paragraph | Preformatted | Table, ...]:
    if not snap.checkpoint:
        return (Paragraph("The ledger has no checkpoint to seal this report with.", ALERT),)
    service, production = snap.service, snap.production
    seal = read_unverified(snap.checkpoint)
    verifier = service.verifier(production)
    try:
        open_checkpoint(snap.checkpoint, verifier)
        signed = "the signature holds (Ed25519, the production's key)"
        signed_tone = GOOD
    except CheckpointError as error:
        signed, signed_tone = f"THE SIGNATURE DOES NOT HOLD: {error}", ALERT
    facts = Facts(
        (
            ("Ledger", seal.origin),
            ("Checkpoint size", f"{seal.size} entries"),
            ("Root", base64.b64encode(seal.root).decode()),
            ("Verifier key", verifier.verifier_key()),
        )
    )
    proofs: list[Paragraph | Preformatted] = []
    for e in own:
        body = service.store.entry(production, e.seq)
        if body is None:
            proofs.append(Paragraph(f"Entry {e.seq} is MISSING from the log.", ALERT))
            continue
        leaf = leaf_hash(body)
        proof = prove_inclusion(
            e.seq, seal.size, lambda wanted: service.store.read_nodes(production, wanted)
        )
        try:
            verify_inclusion(e.seq, seal.size, leaf, proof, seal.root)
            holds = "the proof holds"
        except ProofError:
            holds = "THE PROOF DOES NOT HOLD"
        lines = [
            f"entry {e.seq} ({e.event.kind}): {holds}",
            f"leaf    {base64.b64encode(leaf).decode()}",
            *(f"proof {n:>2} {base64.b64encode(h).decode()}" for n, h in enumerate(proof, start=1)),
        ]
        proofs.append(Preformatted("\n".join(lines)))
    return (
        Paragraph(
            "This report was drawn from the ledger as sealed by the checkpoint below. Each of "
            "the incident's entries is proven to be in that ledger: hash the entry's canonical "
            "bytes as SHA-256(0x00 || entry), then fold in the proof's hashes (RFC 6962, "
            "section 2.1.3.2) to reach the root.",
            MUTED,
        ),
        facts,
        Paragraph(f"Checkpoint: {signed}.", signed_tone),
        Preformatted(snap.checkpoint.rstrip("\n")),
        Paragraph(
            "The incident's entries: each leaf hash and its inclusion proof (base64, from the "
            "leaf up) in the tree of the checkpoint's size.",
            MUTED,
        ),
        *proofs,
    )
