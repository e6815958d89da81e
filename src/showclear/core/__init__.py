"""The pure domain core: no framework, no I/O, no clock, no environment.

Everything in here takes its inputs as arguments and returns values, so that the same code
decides on a phone-facing web request, in the CLI, in a test and in an offline verifier.

Layers, each importing only those above it in this list (``tests/architecture/test_layers.py``):

- :mod:`.ledger`: the tamper-evident format (entries, Merkle tree, signed notes, checkpoints);
- :mod:`.vocabulary`, :mod:`.rules`, :mod:`.commands`, :mod:`.limits`, :mod:`.mentions`: the
  words, the rules, what a person asks for, and the input limits;
- :mod:`.events`: what happened (every kind listed once, in ``EVENTS``);
- :mod:`.state`: the state folded from the events (every applier listed once, in ``APPLIERS``);
- :mod:`.decide`: the deciders, one module per area, and :func:`~.decide.decide`;
- :mod:`.read`: read-only answers (boards, records, traces).
"""
