"""Running the ledger audit over a store, on every core the machine has.

The pure audit (:mod:`showclear.core.ledger.audit`) combines per-batch digests in log order.
Digesting a batch (reading its entries, hashing every leaf and interior node) is independent
of every other batch, so on a long log worker processes digest batches in parallel while this
process checks signatures and combines. Entries below the log's size never change, so workers
may read them through their own connections; the size, the sequence check and the checkpoints
come from one snapshot here.
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing

from showclear.core.ledger.audit import (
    BATCH,
    AuditReport,
    BatchDigest,
    LedgerFault,
    audit,
    batch_leaves,
    digest_batch,
)
from showclear.core.ledger.checkpoint import read_unverified
from showclear.core.ledger.merkle import fold_nodes, frontier_nodes, tree_root
from showclear.core.ledger.note import NoteVerifier
from showclear.store import LedgerStore, Production, open_store

PARALLEL_FROM = 8 * BATCH
"""Logs shorter than this are digested in this process: starting workers would cost more."""

_worker_stores: dict[str, LedgerStore] = {}


def _digest_task(url: str, production: Production, start: int, sizes: list[int]) -> BatchDigest:
    store = _worker_stores.get(url)
    if store is None:
        store = _worker_stores[url] = open_store(url)
    return digest_batch(start, store.entry_range(production, start, start + BATCH), sizes)


def _sizes_in(sizes: list[int], start: int) -> list[int]:
    low = bisect.bisect_right(sizes, start)
    high = bisect.bisect_right(sizes, start + BATCH)
    return sizes[low:high]


def verify_store(
    store: LedgerStore,
    production: Production,
    verifier: NoteVerifier,
    *,
    witness: str | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int | None = None,
) -> AuditReport:
    """Audit ``production``'s whole ledger in ``store``; LedgerFault at the first fault.

    After the entries and checkpoints, the stored Merkle nodes of the tree's right edge (what
    the writer appends to and proofs are read from) must hash to the root the entries give.
    """
    report = _audit_store(store, production, verifier, witness, progress, workers)
    _check_edge(store, production, report)
    return report


def _check_edge(store: LedgerStore, production: Production, report: AuditReport) -> None:
    """LedgerFault naming the first stored node of the tree's edge the entries disagree with."""
    nodes = frontier_nodes(report.entries)
    stored = store.read_nodes(production, nodes)
    if len(stored) == len(nodes) and fold_nodes([stored[n] for n in nodes]) == report.root:
        return
    for level, index in nodes:
        start = index << level
        leaves = batch_leaves(store.entry_range(production, start, start + (1 << level)))
        if stored.get((level, index)) != tree_root(leaves):
            raise LedgerFault(
                f"Merkle node ({level}, {index})",
                f"the stored hash of entries {start} to {start + (1 << level) - 1} is "
                + ("missing" if (level, index) not in stored else "not theirs")
                + ": it was changed outside Showclear (the entries themselves are intact)",
            )


def _audit_store(
    store: LedgerStore,
    production: Production,
    verifier: NoteVerifier,
    witness: str | None,
    progress: Callable[[int], None] | None,
    workers: int | None,
) -> AuditReport:
    with store.snapshot():
        size = store.size(production)
        sizes = store.checkpoint_sizes(production)
        if witness is not None:
            sizes = sorted({*sizes, read_unverified(witness).size})
        starts = range(0, size, BATCH)
        workers = workers if workers is not None else (os.cpu_count() or 1)

        def read_batch(start: int) -> list[bytes]:
            return store.entry_range(production, start, start + BATCH)

        def serial() -> Generator[BatchDigest, None, None]:
            for start in starts:
                yield digest_batch(start, read_batch(start), _sizes_in(sizes, start))

        if size < PARALLEL_FROM or workers < 2:
            with closing(serial()) as in_process:
                return _run(
                    store, production, verifier, size, in_process, read_batch, witness, progress
                )
        # fork: the workers start at once with everything imported; they never touch the
        # parent's connection, and exit without running its finalizers.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            in_workers = pool.map(
                _digest_task,
                [store.url] * len(starts),
                [production] * len(starts),
                starts,
                [_sizes_in(sizes, start) for start in starts],
            )
            return _run(
                store, production, verifier, size, in_workers, read_batch, witness, progress
            )


def _whole(
    store: LedgerStore, production: Production, size: int, digests: Iterator[BatchDigest]
) -> Iterator[BatchDigest]:
    """The digests, refusing a batch with fewer entries than its place in the log asks for.

    The log's size is one more than its highest sequence number, so a deleted entry shows as a
    short batch; only then is the log searched for the first missing number.
    """
    for digest in digests:
        if digest.count != min(BATCH, size - digest.start):
            gap = store.sequence_gap(production)
            missing = gap if gap is not None else digest.start + digest.count
            raise LedgerFault(
                f"entry {missing}", "it is missing from the log: entries were deleted"
            )
        yield digest


def _run(
    store: LedgerStore,
    production: Production,
    verifier: NoteVerifier,
    size: int,
    digests: Iterator[BatchDigest],
    read_batch: Callable[[int], list[bytes]],
    witness: str | None,
    progress: Callable[[int], None] | None,
) -> AuditReport:
    # Close the streams even when the audit stops early, while the store is still open.
    with closing(store.checkpoints(production)) as checkpoints:
        return audit(
            origin=production.origin,
            verifier=verifier,
            size=size,
            first_entry=store.entry(production, 0),
            digests=_whole(store, production, size, digests),
            checkpoints=checkpoints,
            read_batch=read_batch,
            witness=witness,
            stored_leaves=lambda start, end: store.leaf_hashes(production, start, end),
            progress=progress,
        )
