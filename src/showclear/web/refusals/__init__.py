"""The refusal log: every command the safety rules refused, kept beside the ledger.

A refused command records nothing in the ledger (that is the ledger's promise). Yet how often,
by whom and by which rule Showclear said no is what a safety supervisor reads in the compliance
summary. So the application service tells its refusal listeners of each refusal, and this app
keeps one row per refused command in the database beside the ledger: when, who, on which device,
which command, which rules, and the sentence they were told. The rows are not hashed or sealed by
any checkpoint; the compliance summary says so.
"""
