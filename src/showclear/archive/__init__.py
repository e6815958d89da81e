"""The ledger written to a file that leaves this machine, and read back.

- :mod:`.bundle`: the export bundle for an investigator (entries, checkpoints, proofs);
- :mod:`.verify`: the standalone offline verifier of a bundle. It imports nothing from
  Showclear, on purpose: a reader can check a bundle with this one file and ``cryptography``
  (``python -m showclear.archive.verify``, or the ``showclear-verify`` console script);
- :mod:`.backup`: backups and restores of the whole database (``postgres`` for pg_dump and
  pg_restore, ``common`` for what both halves share).
"""
