"""``showclear init | verify | checkpoint | key`` as an armorer or an investigator runs them.

Exit codes: 0 done (the ledger is intact); 1 the ledger is NOT intact; 2 bad input, nothing
changed. A failure is always one clear message, never a Python traceback.
"""

from __future__ import annotations

import base64
import dataclasses
import re
import stat
from datetime import UTC, datetime, timedelta

import pytest

from showclear.core.ledger.checkpoint import Checkpoint, open_checkpoint, read_unverified
from showclear.core.ledger.note import NoteSigner, NoteVerifier
from showclear.service import Service
from showclear.service.keyring import Keyring

PRODUCTION = "Dead Man's Gulch"
ARMORER = "Sarah Zachry"


def _verifier_key_in(output: str) -> str:
    found = re.findall(r"\bshowclear/\S+\+[0-9a-f]{8}\+\S+", output)
    assert len(found) == 1, output
    return found[0]


def _assert_refused_clearly(result, code: int) -> None:
    assert result.code == code, result.output
    assert result.out == ""
    assert result.err.startswith("showclear: "), result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err


@pytest.fixture
def initialized(showclear):
    """``showclear init`` of the production the CLI tests use, already run."""
    result = showclear("init", "--production", PRODUCTION, "--armorer", ARMORER)
    assert result.code == 0, result.output
    return result


@pytest.fixture
def record(database):
    """Appends entries to a production's ledger, as the running app would, between commands."""

    def record(count: int, name: str = PRODUCTION, on=None) -> int:
        target = on if on is not None else database
        store = target.open_store()
        try:
            service = Service(store=store, keyring=Keyring(target.data_dir), device="set-phone")
            production = service.production(name)
            signer = service.signer(production)
            start = datetime(2025, 3, 14, 7, 30, tzinfo=UTC)
            for n in range(count):
                with store.writing(production, signer) as log:
                    log.append(
                        "test.noted",
                        {"note": "prop table checked", "pass": n},
                        person="person-2",
                        device="set-phone",
                        recorded_at=start + timedelta(minutes=n),
                    )
            return store.size(production)
        finally:
            store.close()

    return record


# -- init -------------------------------------------------------------------------------------


def test_init_creates_the_production_and_prints_its_verifier_key(showclear, initialized) -> None:
    printed = NoteVerifier.parse(_verifier_key_in(initialized.out))

    assert PRODUCTION in initialized.out
    assert ARMORER in initialized.out
    assert printed.name.startswith("showclear/dead-mans-gulch/")
    assert showclear("key").out.strip() == printed.verifier_key()


def test_init_never_prints_the_signing_key_and_keeps_it_owner_only(
    showclear, initialized, database
) -> None:
    keys = database.data_dir / "keys"
    (key_file,) = keys.glob("*.key")
    secret = key_file.read_text().strip()
    seed = NoteSigner.parse(secret).private_key.private_bytes_raw()
    seed_texts = [secret.split("+", 4)[4], base64.b64encode(seed).decode(), seed.hex()]
    outputs = [initialized, showclear("key"), showclear("checkpoint"), showclear("verify")]

    for result in outputs:
        assert secret not in result.output
        for text in seed_texts:
            assert text not in result.output
        assert "PRIVATE" not in result.output
    assert NoteSigner.parse(secret).verifier.verifier_key() == _verifier_key_in(initialized.out)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keys.stat().st_mode) == 0o700


@pytest.mark.parametrize("again", [PRODUCTION, PRODUCTION.upper()], ids=["same", "other-case"])
def test_init_twice_for_the_same_name_is_refused_and_changes_nothing(
    showclear, initialized, database, again: str
) -> None:
    key_files = {path: path.read_bytes() for path in (database.data_dir / "keys").iterdir()}
    checkpoint = showclear("checkpoint").out

    second = showclear("init", "--production", again, "--armorer", "Someone Else")

    _assert_refused_clearly(second, code=2)
    assert "already exists" in second.err
    assert {path: path.read_bytes() for path in (database.data_dir / "keys").iterdir()} == key_files
    assert showclear("checkpoint").out == checkpoint
    assert showclear("key").out.strip() == _verifier_key_in(initialized.out)


# -- verify -----------------------------------------------------------------------------------


def test_verify_of_an_intact_ledger_exits_0_with_exactly_one_summary_line(
    showclear, initialized, record
) -> None:
    record(5)

    result = showclear("verify")

    assert result.code == 0, result.output
    assert len(result.out.splitlines()) == 1
    assert result.out.startswith("intact: ")
    assert "6 entries" in result.out
    assert "6 signed checkpoints" in result.out
    assert result.err == ""


def test_a_byte_edited_in_the_database_makes_verify_exit_1_and_name_the_entry(
    showclear, initialized, record, database
) -> None:
    record(5)
    with database.raw() as sql:
        sql.drop_triggers()
        ((body,),) = sql.execute("SELECT body FROM ledger_entry WHERE seq = 3")
        edited = bytes(body).replace(b'"pass":2', b'"pass":7')
        assert edited != bytes(body)
        sql.execute("UPDATE ledger_entry SET body = ? WHERE seq = 3", (edited,))

    result = showclear("verify")

    _assert_refused_clearly(result, code=1)
    assert "NOT INTACT" in result.err
    assert "entry 3" in result.err


def test_a_log_cut_back_with_its_checkpoints_is_caught_by_verify_against_a_kept_checkpoint(
    showclear, initialized, record, database, tmp_path
) -> None:
    record(5)
    kept = tmp_path / "witness.checkpoint"
    kept.write_text(showclear("checkpoint").out)
    with database.raw() as sql:
        sql.drop_triggers()
        for table, column in (("ledger_entry", "seq"), ("ledger_checkpoint", "size - 1")):
            sql.execute(f"DELETE FROM {table} WHERE {column} >= 4")  # noqa: S608 (fixed names)
        sql.execute("DELETE FROM ledger_node WHERE ((idx + 1) << level) > 4")

    assert showclear("verify").code == 0  # the cut log agrees with itself...
    result = showclear("verify", "--against", str(kept))

    _assert_refused_clearly(result, code=1)  # ...but not with what the witness kept
    assert "witness checkpoint" in result.err
    assert "the witness saw 6 entries but the log holds only 4" in result.err


def test_verify_against_a_good_older_checkpoint_exits_0_and_mentions_the_witness(
    showclear, initialized, record, tmp_path
) -> None:
    record(2)
    kept = tmp_path / "witness.checkpoint"
    kept.write_text(showclear("checkpoint").out)
    record(4)

    result = showclear("verify", "--against", str(kept))

    assert result.code == 0, result.output
    assert len(result.out.splitlines()) == 1
    assert "7 entries" in result.out
    assert "witness" in result.out
    assert "size 3" in result.out


NOT_CHECKPOINTS = {
    "plain-text": b"the call sheet for day 12\n",
    "empty": b"",
    "binary": bytes(range(256)),
    "unsigned-body": b"showclear/dead-mans-gulch/00000000\n1\n" + b"A" * 43 + b"=\n",
    "a-verifier-key": b"showclear/x+01234567+AQ==\n",
}


@pytest.mark.parametrize("content", list(NOT_CHECKPOINTS.values()), ids=list(NOT_CHECKPOINTS))
def test_verify_against_a_file_that_is_not_a_checkpoint_is_refused_clearly(
    showclear, initialized, tmp_path, content: bytes
) -> None:
    not_a_checkpoint = tmp_path / "not.checkpoint"
    not_a_checkpoint.write_bytes(content)

    result = showclear("verify", "--against", str(not_a_checkpoint))

    _assert_refused_clearly(result, code=2)
    assert "not.checkpoint" in result.err or "not a signed" in result.err


def test_verify_against_a_missing_file_is_refused_clearly(showclear, initialized, tmp_path) -> None:
    result = showclear("verify", "--against", str(tmp_path / "nowhere.checkpoint"))

    _assert_refused_clearly(result, code=2)
    assert "nowhere.checkpoint" in result.err


def test_verify_against_a_checkpoint_of_a_same_named_production_elsewhere_is_refused_clearly(
    showclear, initialized, make_database, tmp_path
) -> None:
    elsewhere = make_database("elsewhere")
    created = showclear("init", "--production", PRODUCTION, "--armorer", ARMORER, on=elsewhere)
    assert created.code == 0, created.output
    theirs = tmp_path / "theirs.checkpoint"
    theirs.write_text(showclear("checkpoint", on=elsewhere).out)
    assert read_unverified(theirs.read_text()).origin.startswith("showclear/dead-mans-gulch/")

    result = showclear("verify", "--against", str(theirs))

    _assert_refused_clearly(result, code=2)
    assert "another ledger" in result.err


def test_verify_against_this_ledgers_checkpoint_signed_by_another_key_is_refused_clearly(
    showclear, initialized, tmp_path
) -> None:
    ours = read_unverified(showclear("checkpoint").out)
    impostor = NoteSigner.generate(ours.origin)
    forged = tmp_path / "forged.checkpoint"
    forged.write_text(Checkpoint(ours.origin, ours.size, ours.root).sign(impostor))

    result = showclear("verify", "--against", str(forged))

    _assert_refused_clearly(result, code=1)
    assert "witness checkpoint" in result.err
    assert impostor.verifier.key_id in result.err


def test_verify_against_a_damaged_copy_of_our_own_checkpoint_blames_the_file_not_the_ledger(
    showclear, initialized, tmp_path
) -> None:
    note = showclear("checkpoint").out
    lines = note.split("\n")
    lines[2] = base64.b64encode(bytes(32)).decode()  # the root, retyped wrong
    damaged = tmp_path / "damaged.checkpoint"
    damaged.write_text("\n".join(lines))

    result = showclear("verify", "--against", str(damaged))

    _assert_refused_clearly(result, code=2)
    assert "altered or damaged" in result.err


def test_verify_against_a_checkpoint_of_another_production_in_the_same_data_dir_is_refused_clearly(
    showclear, initialized, tmp_path
) -> None:
    other = showclear("init", "--production", "The Crow", "--armorer", ARMORER)
    assert other.code == 0, other.output
    crow = tmp_path / "crow.checkpoint"
    crow.write_text(showclear("checkpoint", "--production", "The Crow").out)

    result = showclear("verify", "--production", PRODUCTION, "--against", str(crow))

    _assert_refused_clearly(result, code=2)
    assert "another ledger" in result.err
    assert showclear("verify", "--production", "The Crow", "--against", str(crow)).code == 0


# -- checkpoint and key -----------------------------------------------------------------------


def test_checkpoint_prints_a_note_that_verifies_with_the_printed_key(
    showclear, initialized, record
) -> None:
    record(3)
    key = NoteVerifier.parse(showclear("key").out)

    printed = showclear("checkpoint")

    assert printed.code == 0, printed.output
    opened = open_checkpoint(printed.out, key)
    assert opened.origin == key.name
    assert opened.size == 4
    assert key.verifier_key() == _verifier_key_in(initialized.out)


# -- naming the production --------------------------------------------------------------------


@pytest.mark.parametrize("command", ["verify", "checkpoint", "key"])
def test_an_unknown_production_is_refused_with_exit_2(showclear, initialized, command) -> None:
    result = showclear(command, "--production", "The Crowe")

    _assert_refused_clearly(result, code=2)
    assert "The Crowe" in result.err


def test_verify_before_any_production_exists_says_to_run_init(showclear) -> None:
    result = showclear("verify")

    _assert_refused_clearly(result, code=2)
    assert "showclear init" in result.err


def test_with_two_productions_each_command_asks_which_one(showclear, initialized) -> None:
    assert showclear("init", "--production", "The Crow", "--armorer", ARMORER).code == 0

    _assert_refused_clearly(showclear("verify"), code=2)
    assert showclear("verify", "--production", "the crow").code == 0
    assert showclear("verify", "--production", "dead-mans-gulch").code == 0


def test_a_database_that_cannot_be_opened_is_exit_2_and_never_reported_as_tampering(
    showclear, database
) -> None:
    if database.backend == "sqlite":
        assert database.path is not None
        database.path.write_bytes(b"this is not a database, it is a call sheet\n" * 200)
        unreachable = database
    else:
        unreachable = dataclasses.replace(database, url="postgresql://postgres@127.0.0.1:1/test")

    result = showclear("verify", on=unreachable)

    assert result.code == 2, result.output
    assert result.err.startswith("showclear: cannot "), result.err
    assert "Traceback" not in result.err
    assert "NOT INTACT" not in result.err
