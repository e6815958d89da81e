"""The pure domain core: no framework, no I/O, no clock, no environment.

Everything in here takes its inputs as arguments and returns values, so that the same code
decides on a phone-facing web request, in the CLI, in a test and in an offline verifier.
"""
