"""A confirmation in person proves presence: the attacks on badges and PINs, played through the
application service on SQLite and PostgreSQL.

An armorer alone once recorded a show-clear "confirmed" by a performer and a first AD who were
not there, with the badge codes and PIN hashes every token could read from the history. Here
the secrets are nowhere in the ledger, the service checks what was presented, a stored hash is
no PIN, a reprinted badge's photocopy is refused, and racing guesses are checked five times at
most.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from staging import ARMORER, CHAMBERS, OnSet, confirm, open_service

import in_person
from backends import ON_DATABASES
from showclear.core.commands import Confirmation, RevokeCredential, ShowClear
from showclear.core.decide import Refused
from showclear.core.events.armory import ShownClear
from showclear.service import InputError
from showclear.service.credential_desk import MAX_ATTEMPTS, Checked, Failed, NotPresent
from showclear.service.credentials import Pepper
from showclear.store.credentials import CredentialStore
from showclear.store.memory import MemoryStore

PIN = "482913"


def show_clear(performer: Confirmation, first_ad: Confirmation) -> ShowClear:
    return ShowClear("R-01", "12", CHAMBERS, "cold", 0, performer, first_ad)


def revolver_in_hand(on_set: OnSet) -> None:
    """R-01 out of the safe, inspected, in the key armorer's hands."""
    from showclear.core.commands import InspectFirearm, Lock, TakeOut, Unlock

    on_set.do("armorer", Unlock("SAFE-1"))
    on_set.do("armorer", TakeOut("SAFE-1", "R-01"))
    on_set.do("armorer", Lock("SAFE-1"))
    on_set.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))


def ledger_bytes(on_set: OnSet) -> bytes:
    return b"".join(
        body for batch in on_set.store.entry_batches(on_set.production) for body in batch
    )


def stored_digests(on_set: OnSet) -> list[str]:
    if isinstance(on_set.store, MemoryStore):
        return [row["digest"] for row in on_set.store.memory.credentials.values()]
    with on_set.store._reading() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT digest FROM credential")
        return [str(row[0]) for row in cursor.fetchall()]


@pytest.fixture
def with_pin(on_set: OnSet) -> OnSet:
    in_person.pin(on_set.service, on_set.production, "performer", PIN, by=ARMORER)
    return on_set


def test_no_badge_code_pin_or_hash_of_one_is_in_the_ledger(with_pin: OnSet) -> None:
    ledger = ledger_bytes(with_pin)
    for code in in_person.BADGES.values():
        assert code.encode() not in ledger
        assert code.replace("-", "").encode() not in ledger
    assert PIN.encode() not in ledger
    assert b"$argon2" not in ledger
    assert b"pin_hash" not in ledger
    for digest in stored_digests(with_pin):
        assert digest.startswith("$argon2id$")
        assert digest.encode() not in ledger
    issued = [e for e in with_pin.state.people.values() if e.badge_id]
    assert len(issued) == 6, "the ledger names each badge by its serial only"


def test_the_stored_hash_given_as_a_pin_or_a_badge_is_refused(with_pin: OnSet) -> None:
    revolver_in_hand(with_pin)
    size = with_pin.size
    for digest in stored_digests(with_pin):
        with pytest.raises(Refused) as refused:
            with_pin.service.execute(
                with_pin.production,
                show_clear(Confirmation("performer", digest), Confirmation("first_ad", digest)),
                person_id=ARMORER,
            )
        assert "R-SHOW-CLEAR" in refused.value.rule_ids
    assert with_pin.size == size


def test_an_armorer_alone_cannot_record_a_show_clear_for_an_absent_performer_and_first_ad(
    on_set: OnSet,
) -> None:
    revolver_in_hand(on_set)
    people = on_set.state.people
    size = on_set.size
    for presented in ("", "performer", people["performer"].badge_id, "SC1:B:", "0000"):
        with pytest.raises(Refused) as refused:
            on_set.service.execute(
                on_set.production,
                show_clear(
                    Confirmation("performer", presented), Confirmation("first_ad", presented)
                ),
                person_id=ARMORER,
            )
        assert "R-SHOW-CLEAR" in refused.value.rule_ids
        said = " ".join(v.message for v in refused.value.violations)
        assert "Jo Carver (cast) did not confirm" in said
        assert "Dana Hale (first AD) did not confirm" in said
    assert on_set.size == size, "nothing was recorded"


def test_a_photocopied_badge_is_refused_once_the_badge_is_reprinted(on_set: OnSet) -> None:
    revolver_in_hand(on_set)
    photocopy = confirm("performer")
    old_serial = on_set.state.people["performer"].badge_id

    reprinted = on_set.service.credentials.issue_badge(on_set.production, "performer", by=ARMORER)

    kinds = [event.kind for event in reprinted.executed.events]
    assert kinds == ["credential.revoked", "credential.issued"]
    assert on_set.state.people["performer"].badge_id == reprinted.serial != old_serial
    with pytest.raises(NotPresent) as refused:
        on_set.service.execute(
            on_set.production, show_clear(photocopy, confirm("first_ad")), person_id=ARMORER
        )
    assert "not Jo Carver's current badge" in refused.value.failures[0].problem
    fresh = Confirmation("performer", f"SC1:B:{reprinted.code}")
    on_set.do("armorer", show_clear(fresh, confirm("first_ad")))


def test_a_revoked_pin_no_longer_confirms(with_pin: OnSet) -> None:
    with_pin.do("armorer", RevokeCredential("performer", "pin", "told to a stranger"))
    found = with_pin.service.credentials.confirm_in_person(
        with_pin.production, "performer", PIN, actor=ARMORER
    )
    assert isinstance(found, Failed)
    assert "no PIN on record" in found.problem


def test_each_confirmation_records_how_it_was_made(with_pin: OnSet) -> None:
    revolver_in_hand(with_pin)
    typed_badge = Confirmation("first_ad", in_person.BADGES["first_ad"].lower())

    executed = with_pin.do("armorer", show_clear(Confirmation("performer", PIN), typed_badge))

    (shown,) = [e for e in executed.events if isinstance(e, ShownClear)]
    assert (shown.performer_via, shown.first_ad_via) == ("pin-typed", "badge-typed")
    (entry,) = [e for e in executed.entries if e.kind == "firearm.shown-clear"]
    assert entry.payload["performer_via"] == "pin-typed"


def test_a_presence_token_confirms_once_and_only_for_the_armorer_it_was_checked_for(
    on_set: OnSet,
) -> None:
    revolver_in_hand(on_set)
    desk = on_set.service.credentials
    performer = desk.confirm_in_person(
        on_set.production, "performer", f"SC1:B:{in_person.BADGES['performer']}", actor=ARMORER
    )
    first_ad = desk.confirm_in_person(
        on_set.production, "first_ad", in_person.BADGES["first_ad"], actor="assistant_armorer"
    )
    assert isinstance(performer, Checked)
    assert isinstance(first_ad, Checked)
    assert performer.method == "badge-scanned"
    assert first_ad.method == "badge-typed"

    with pytest.raises(NotPresent):  # the first AD's token is the assistant armorer's
        on_set.service.execute(
            on_set.production,
            show_clear(
                Confirmation("performer", performer.token),
                Confirmation("first_ad", first_ad.token),
            ),
            person_id=ARMORER,
        )
    with pytest.raises(NotPresent) as again:  # and the performer's token was used up
        on_set.service.execute(
            on_set.production,
            show_clear(Confirmation("performer", performer.token), confirm("first_ad")),
            person_id=ARMORER,
        )
    assert "lapsed or was used" in again.value.failures[0].problem


def test_five_wrong_pins_lock_pin_entry_and_the_badge_still_confirms(with_pin: OnSet) -> None:
    desk = with_pin.service.credentials
    answers = [
        desk.confirm_in_person(with_pin.production, "performer", "111111", actor=ARMORER)
        for _ in range(MAX_ATTEMPTS + 1)
    ]
    assert all(isinstance(a, Failed) for a in answers)
    assert "4 more wrong PINs" in answers[0].problem  # type: ignore[union-attr]
    assert answers[-1].retry_after > 0  # type: ignore[union-attr]
    locked = desk.confirm_in_person(with_pin.production, "performer", PIN, actor=ARMORER)
    assert isinstance(locked, Failed)
    assert "locked" in locked.problem
    badge = desk.confirm_in_person(
        with_pin.production, "performer", in_person.BADGES["performer"], actor=ARMORER
    )
    assert isinstance(badge, Checked)


def test_wrong_badge_codes_count_against_a_throttle_like_wrong_pins(on_set: OnSet) -> None:
    desk = on_set.service.credentials
    serial = on_set.state.people["performer"].badge_id
    guesses = [f"{serial}-0000000-00000{n:02d}" for n in range(MAX_ATTEMPTS + 1)]
    answers = [
        desk.confirm_in_person(on_set.production, "performer", g, actor=ARMORER) for g in guesses
    ]
    assert all(isinstance(a, Failed) for a in answers)
    real = desk.confirm_in_person(
        on_set.production, "performer", in_person.BADGES["performer"], actor=ARMORER
    )
    assert isinstance(real, Failed)
    assert "badge code entry is locked" in real.problem


@pytest.mark.parametrize(**ON_DATABASES)
def test_sixteen_wrong_pins_sent_at_once_from_sixteen_connections_check_at_most_five(
    with_pin: OnSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    checks: list[int] = []
    matches = Pepper.matches

    def counted(self: Pepper, *args: Any) -> bool:
        checks.append(1)
        return matches(self, *args)

    monkeypatch.setattr(Pepper, "matches", counted)
    services = [open_service(with_pin.database, device=f"phone-{n}") for n in range(16)]
    answers: list[object] = []
    start = threading.Barrier(16)

    def guess(n: int) -> None:
        service = services[n]
        production = service.production(with_pin.production.name)
        service.state(production)
        start.wait()
        answers.append(
            service.credentials.confirm_in_person(
                production, "performer", f"{900000 + n}", actor=ARMORER
            )
        )

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for service in services:
        service.store.close()

    assert len(answers) == 16
    assert all(isinstance(a, Failed) for a in answers)
    assert len(checks) <= MAX_ATTEMPTS
    assert sum(1 for a in answers if isinstance(a, Failed) and a.retry_after) >= 16 - 5


@pytest.mark.parametrize(**ON_DATABASES)
def test_sixteen_sign_in_tries_at_once_are_let_through_five_times(database: Any) -> None:
    stores = [database.open_store() for _ in range(16)]
    for store in stores:
        store.create_schema()
    allowed: list[float] = []
    start = threading.Barrier(16)

    def attempt(store: Any) -> None:
        start.wait()
        allowed.append(CredentialStore(store).attempt("sign-in:hannah", 5, 900, 900, 1000.0))

    threads = [threading.Thread(target=attempt, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert sorted(allowed)[:5] == [0.0] * 5
    assert all(wait > 0 for wait in sorted(allowed)[5:])


def test_a_ledger_holding_credentials_in_the_old_format_is_refused_by_verify(
    new_set: Callable[[], OnSet],
) -> None:
    on_set = new_set()
    service = on_set.service
    at = service.clock()
    with service.store.writing(on_set.production, service.signer(on_set.production)) as log:
        log.append(
            "person.added",
            {
                "person_id": "jo",
                "name": "Jo Carver",
                "roles": ["cast"],
                "badge": "DI-1C34F7A688",
                "pin_hash": "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA",
                "duties": [],
            },
            person=ARMORER,
            device="old-phone",
            recorded_at=at,
        )
    assert "badge" not in service.state(on_set.production).people["jo"].__slots__
    with pytest.raises(InputError) as refused:
        service.verify(on_set.production)
    said = str(refused.value)
    assert "ledger of format 1" in said
    assert "(1)" in said
    assert "hashes and signatures were checked and hold" in said
    assert "docs/ledger-format.md" in said
    found = service.credentials.confirm_in_person(
        on_set.production, "jo", "DI-1C34F7A688", actor=ARMORER
    )
    assert isinstance(found, Failed), "a format-1 badge is never accepted"
