"""Idempotency keys: a retry records nothing more, a reused key with another body is refused,
and the same command sent concurrently with one key records once."""

from __future__ import annotations

import threading
import uuid

from api_server import Answer, Site

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


def test_the_same_command_sent_concurrently_with_one_key_records_once(site: Site) -> None:
    text = "The smoke machine is pointed at the armory truck."
    before = site.size()
    answers = _race(site, {"text": text}, key=str(uuid.uuid4()))
    assert len(answers) == RACERS
    assert {a.status for a in answers} == {201}
    assert all(a.body == answers[0].body for a in answers), "every racer gets the one answer"
    replayed = [a for a in answers if a.headers.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == RACERS - 1
    assert _complaints(site, text) == 1
    assert site.size() == before + len(answers[0].body["entries"])


def test_without_a_key_the_same_race_records_every_time(site: Site) -> None:
    # The control: the race above is only proof if the command records each time it is sent.
    text = "Nobody is checking the gun belts."
    answers = _race(site, {"text": text}, key=None)
    assert {a.status for a in answers} == {201}
    assert _complaints(site, text) == RACERS


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
