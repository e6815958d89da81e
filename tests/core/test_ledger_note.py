"""C2SP signed notes and tlog checkpoints.

The key and note vectors are those of Go's ``golang.org/x/mod/sumdb/note`` tests
(``note_test.go``, BSD-3-Clause): a note signed by that implementation must open here, and
Showclear's signature of the same text with the same key must be byte-for-byte the same.
"""

from __future__ import annotations

import base64

import pytest

from showclear.core.ledger.checkpoint import (
    Checkpoint,
    CheckpointError,
    open_checkpoint,
    parse_body,
    read_unverified,
)
from showclear.core.ledger.note import (
    NoteError,
    NoteSigner,
    NoteVerifier,
    UnknownKeyError,
    open_note,
)

PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"


def test_our_signature_is_byte_for_byte_the_one_go_makes() -> None:
    signer = NoteSigner.parse(PETER_SIGNER)
    assert signer.sign(TEXT) == TEXT + "\n" + PETER_SIG
    assert signer.verifier.verifier_key() == PETER_VERIFIER
    assert signer.signer_key() == PETER_SIGNER


def test_a_note_signed_by_go_opens_with_its_verifier_key() -> None:
    verifier = NoteVerifier.parse(PETER_VERIFIER)
    assert open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, verifier) == TEXT
    enoch = NoteVerifier.parse(ENOCH_VERIFIER)
    assert open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, enoch) == TEXT


def test_a_note_without_our_signature_names_the_keys_it_does_carry() -> None:
    verifier = NoteVerifier.parse(PETER_VERIFIER)
    with pytest.raises(UnknownKeyError, match="EnochRoot"):
        open_note(TEXT + "\n" + ENOCH_SIG, verifier)


def test_a_changed_signature_or_text_does_not_verify() -> None:
    verifier = NoteVerifier.parse(PETER_VERIFIER)
    with pytest.raises(NoteError, match="not valid"):
        open_note(TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:], verifier)
    with pytest.raises(NoteError, match="not valid"):
        open_note(TEXT.replace("answer", "answe!") + "\n" + PETER_SIG, verifier)


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
    ],
)
def test_malformed_notes_are_refused(message: str) -> None:
    with pytest.raises(NoteError):
        open_note(message, NoteVerifier.parse(PETER_VERIFIER))


def test_every_mangling_of_a_verifier_key_is_refused() -> None:
    for cut in range(1, len(PETER_VERIFIER)):
        with pytest.raises(NoteError):
            NoteVerifier.parse(PETER_VERIFIER[:cut])
    for i in range(len(PETER_VERIFIER)):
        mangled = PETER_VERIFIER[:i] + chr(ord(PETER_VERIFIER[i]) + 1) + PETER_VERIFIER[i + 1 :]
        with pytest.raises(NoteError):
            NoteVerifier.parse(mangled)


def test_a_signer_never_shows_its_key_in_its_repr() -> None:
    signer = NoteSigner.parse(PETER_SIGNER)
    assert "AYEKFALV" not in repr(signer)


ORIGIN = "showclear/dead-mans-gulch/0a1b2c3d"


def test_a_checkpoint_body_is_origin_size_and_base64_root() -> None:
    root = bytes(range(32))
    checkpoint = Checkpoint(ORIGIN, 1234, root)
    assert checkpoint.body() == f"{ORIGIN}\n1234\n{base64.b64encode(root).decode()}\n"
    assert parse_body(checkpoint.body()) == checkpoint


def test_a_signed_checkpoint_opens_with_the_production_key_only() -> None:
    signer = NoteSigner.generate(ORIGIN)
    note = Checkpoint(ORIGIN, 7, b"\x07" * 32).sign(signer)
    assert open_checkpoint(note, signer.verifier) == Checkpoint(ORIGIN, 7, b"\x07" * 32)
    stranger = NoteSigner.generate(ORIGIN)
    with pytest.raises(CheckpointError, match="not signed by"):
        open_checkpoint(note, stranger.verifier)


def test_a_checkpoint_signed_under_another_origin_is_refused() -> None:
    signer = NoteSigner.generate("showclear/other/00000000")
    note = Checkpoint("showclear/other/00000000", 1, b"\x01" * 32).sign(signer)
    impostor = NoteVerifier(ORIGIN, signer.verifier.public_key)
    with pytest.raises(CheckpointError):
        open_checkpoint(note, impostor)


@pytest.mark.parametrize(
    "body",
    [
        "",
        f"{ORIGIN}\n",
        f"{ORIGIN}\n12\n",
        f"{ORIGIN}\n012\n{base64.b64encode(bytes(32)).decode()}\n",
        f"{ORIGIN}\n-1\n{base64.b64encode(bytes(32)).decode()}\n",
        f"{ORIGIN}\n12\n{base64.b64encode(bytes(31)).decode()}\n",
        f"{ORIGIN}\n12\nnot base64!\n",
        f"{ORIGIN}\n12\n{base64.b64encode(bytes(32)).decode()}",
    ],
)
def test_text_that_is_not_a_checkpoint_body_is_refused(body: str) -> None:
    with pytest.raises(CheckpointError):
        parse_body(body)


def test_read_unverified_says_whose_a_checkpoint_is_without_trusting_it() -> None:
    signer = NoteSigner.generate(ORIGIN)
    note = Checkpoint(ORIGIN, 3, b"\x03" * 32).sign(signer)
    assert read_unverified(note).origin == ORIGIN
    with pytest.raises(CheckpointError):
        read_unverified("hello\n")
