"""Idempotency keys: a retry records nothing more, a reused key with another body is refused,
the same command sent concurrently with one key records once, and a retry after the server died
between recording and keeping the answer gets the recorded answer (on SQLite, and on PostgreSQL
when ``SHOWCLEAR_TEST_POSTGRES_URL`` is set).

In this process (Django's test client) but where real requests race each other (threads against
a served app's workers, ``served_site``) and where the server dies (a ``showclear serve`` killed).
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from api_server import Answer, Site, production_in_process, unserved_production

from served_process import start_serve, stop_serve

RACERS = 8


def _complaints(site: Site, text: str) -> int:
    history = site.call(
        "GET", f"/productions/{site.slug}/history?kind=complaint.made&limit=500", "armorer"
    )
    assert history.status == 200, history.body
    return sum(1 for e in history.body["entries"] if e["payload"].get("text") == text)


def _race(site: Site, body: dict[str, str], key: str | None) -> list[Answer]:
    """Send one command ``RACERS`` times at once, released together by a barrier."""
    site.token("cast")  # made before the race
    start = threading.Barrier(RACERS)
    answers: list[Answer] = []
    lock = threading.Lock()

    def send() -> None:
        start.wait()
        headers = {"Idempotency-Key": key} if key else None
        answer = site.command("cast", "complain", body, headers=headers)
        with lock:
            answers.append(answer)

    racers = [threading.Thread(target=send) for _ in range(RACERS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=60)
    return answers


def test_the_same_command_sent_concurrently_with_one_key_records_once(served_site: Site) -> None:
    text = "The smoke machine is pointed at the armory truck."
    before = served_site.size()
    answers = _race(served_site, {"text": text}, key=str(uuid.uuid4()))
    assert len(answers) == RACERS
    assert {a.status for a in answers} == {201}
    assert all(a.body == answers[0].body for a in answers), "every racer gets the one answer"
    replayed = [a for a in answers if a.headers.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == RACERS - 1
    assert _complaints(served_site, text) == 1
    assert served_site.size() == before + len(answers[0].body["entries"])


def test_without_a_key_the_same_race_records_every_time(served_site: Site) -> None:
    # The control: the race above is only proof if the command records each time it is sent.
    text = "Nobody is checking the gun belts."
    answers = _race(served_site, {"text": text}, key=None)
    assert {a.status for a in answers} == {201}
    assert _complaints(served_site, text) == RACERS


def test_a_retry_gets_the_first_answer_and_records_nothing_more(site: Site) -> None:
    key = str(uuid.uuid4())
    body = {"text": "The blank-fire distance was not marked."}
    first = site.command("cast", "complain", body, headers={"Idempotency-Key": key})
    assert first.status == 201
    assert "Idempotent-Replayed" not in first.headers
    size = site.size()
    again = site.command("cast", "complain", body, headers={"Idempotency-Key": key})
    assert (again.status, again.body) == (first.status, first.body)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert site.size() == size


def test_a_reused_key_with_another_body_is_refused_naming_the_header(site: Site) -> None:
    key = str(uuid.uuid4())
    first = site.command("cast", "complain", {"text": "one"}, headers={"Idempotency-Key": key})
    assert first.status == 201
    size = site.size()
    other = site.command("cast", "complain", {"text": "two"}, headers={"Idempotency-Key": key})
    assert other.status == 422
    assert other.body["errors"] == [
        {"field": "Idempotency-Key", "message": "already used for a different request"}
    ]
    assert "different request" in other.body["detail"]
    assert site.size() == size


def test_a_refusal_is_answered_again_for_its_key(site: Site) -> None:
    key = str(uuid.uuid4())
    body = {"item": "NO-SUCH-GUN", "to": "jo"}
    refused = site.command("armorer", "hand-over", body, headers={"Idempotency-Key": key})
    assert refused.status == 409
    again = site.command("armorer", "hand-over", body, headers={"Idempotency-Key": key})
    assert (again.status, again.body) == (409, refused.body)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_keys_belong_to_their_device(site: Site) -> None:
    key = str(uuid.uuid4())
    text = "Two devices may both use key one."
    mine = site.command("cast", "complain", {"text": text}, headers={"Idempotency-Key": key})
    theirs = site.command("producer", "complain", {"text": text}, headers={"Idempotency-Key": key})
    assert (mine.status, theirs.status) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers
    assert _complaints(site, text) == 2


def test_a_key_must_be_visible_ascii(site: Site) -> None:
    answer = site.command(
        "cast", "complain", {"text": "x"}, headers={"Idempotency-Key": "two words"}
    )
    assert answer.status == 422
    assert [e["field"] for e in answer.body["errors"]] == ["Idempotency-Key"]


# -- after a crash: the ledger keeps the key's name with the entries it recorded ----------------

LOST_ANSWER = {
    # The answer's write fails as a full disk would fail it, after the ledger has committed.
    "sqlite": [
        "CREATE TRIGGER answer_lost BEFORE UPDATE ON showclear_api_idempotentrequest "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    ],
    "postgres": [
        "CREATE FUNCTION answer_lost() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'could not extend file: No space left on device'; END; $$",
        "CREATE TRIGGER answer_lost BEFORE UPDATE ON showclear_api_idempotentrequest "
        "FOR EACH ROW EXECUTE FUNCTION answer_lost()",
    ],
}
ANSWER_KEPT_AGAIN = {
    "sqlite": ["DROP TRIGGER answer_lost"],
    "postgres": [
        "DROP TRIGGER answer_lost ON showclear_api_idempotentrequest",
        "DROP FUNCTION answer_lost()",
    ],
}


def _run(database: Any, statements: list[str]) -> None:
    with database.raw() as sql:
        for statement in statements:
            sql.execute(statement)


def test_a_retry_after_the_server_died_with_the_answer_unkept_gets_the_recorded_answer(
    database: Any,  # tests/conftest.py: SQLite, and PostgreSQL when asked for
) -> None:
    site, env = unserved_production(database, SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="0")
    key = str(uuid.uuid4())
    body = {"text": "The armory truck's door does not lock."}
    process, site.base = start_serve(database.data_dir, env)
    try:
        size = site.size()
        _run(database, LOST_ANSWER[database.backend])
        first = site.command("armorer", "complain", body, headers={"Idempotency-Key": key})
        assert first.status == 201, first.body
        recorded_size = site.size()
    finally:
        process.kill()  # a crash, not a shutdown: the key is left claimed, its answer unkept
        process.wait(timeout=10)
    _run(database, ANSWER_KEPT_AGAIN[database.backend])

    process, site.base = start_serve(database.data_dir, env)
    try:
        started = time.monotonic()
        again = site.command("armorer", "complain", body, headers={"Idempotency-Key": key})
        waited = time.monotonic() - started
        third = site.command("armorer", "complain", body, headers={"Idempotency-Key": key})
        history = site.call("GET", f"/productions/{site.slug}/history?kind=complaint.made")
        final_size = site.size()
    finally:
        stop_serve(process)
    assert recorded_size == size + len(first.body["entries"]), "recorded; its answer unkept"
    assert final_size == recorded_size, "the retries recorded nothing more"
    assert (again.status, again.body) == (201, first.body), "the real answer, read back"
    assert again.headers["Idempotent-Replayed"] == "true"
    assert waited < 5, "answered at once, not after waiting for the dead request"
    assert (third.status, third.body, third.headers["Idempotent-Replayed"]) == (
        201,
        first.body,
        "true",
    )
    (complaint,) = history.body["entries"]
    assert complaint == first.body["entries"][0]
    assert complaint["payload"]["text"] == body["text"]


def test_a_key_left_claimed_by_a_request_that_died_before_recording_is_run_after_five_minutes(
    database: Any,
) -> None:
    body = {"text": "Nobody signed for the blanks."}
    key = str(uuid.uuid4())
    # What a request that died before recording leaves: its claim of the key, pending for six
    # minutes now, and nothing in the ledger. (Its request hash is the one this body has, as
    # an earlier request with the same body and another key shows.)
    six_minutes_ago = datetime.now(UTC) - timedelta(minutes=6)
    claimed_at = (
        six_minutes_ago.strftime("%Y-%m-%d %H:%M:%S.%f")  # how Django keeps times in SQLite
        if database.backend == "sqlite"
        else six_minutes_ago.isoformat()
    )
    with production_in_process(database, SHOWCLEAR_API_AUTH_FAILURES_PER_MINUTE="0") as site:
        earlier = str(uuid.uuid4())
        site.command("armorer", "complain", body, headers={"Idempotency-Key": earlier})
        with database.raw() as sql:
            sql.execute(
                "INSERT INTO showclear_api_idempotentrequest "
                "(token_id, key, request_hash, created_at) "
                "SELECT token_id, ?, request_hash, ? FROM showclear_api_idempotentrequest "
                "WHERE key = ?",
                (key, claimed_at, earlier),
            )
        size = site.size()
        retried = site.command("armorer", "complain", body, headers={"Idempotency-Key": key})
        recorded_size = site.size()
        again = site.command("armorer", "complain", body, headers={"Idempotency-Key": key})
        final_size = site.size()
    assert retried.status == 201, retried.body
    assert "Idempotent-Replayed" not in retried.headers, "run now, not replayed"
    assert recorded_size == size + len(retried.body["entries"])
    assert (again.status, again.body, again.headers["Idempotent-Replayed"]) == (
        201,
        retried.body,
        "true",
    )
    assert final_size == recorded_size
