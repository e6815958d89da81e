"""The tamper-evident ledger: canonical entries, RFC 6962 Merkle hashing, signed checkpoints.

The format is documented in ``docs/ledger-format.md``; these modules are its reference
implementation and use only the standard library and ``cryptography``.
"""
