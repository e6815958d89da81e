"""``showclear credential revoke``: a lost badge or a disclosed PIN stops counting at once,
recorded in the ledger with who revoked it and why (never the secret), on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from in_person import BADGES, add
from showclear.service import Service
from showclear.service.credential_desk import Checked, Failed
from showclear.service.keyring import Keyring

ARMORER = "person-1"


def test_a_revoked_badge_and_pin_are_refused_and_the_ledger_says_who_and_why(
    showclear: Callable[..., Any], database: Any
) -> None:
    made = showclear("init", "--production", "Night Shoot", "--armorer", "Hannah Reed")
    assert made.code == 0, made.err
    service = Service(store=database.open_store(), keyring=Keyring(database.data_dir))
    production = service.production()
    add(service, production, "jo", "Jo Carver", ("cast",), by=ARMORER, with_pin="2468")
    badge = BADGES["jo"]
    service.store.close()

    lost = showclear(
        "credential", "revoke", "--person", "Jo Carver", "--credential", "badge",
        "--reason", "badge lost at lunch",
    )  # fmt: skip
    assert lost.code == 0, lost.err
    assert f"Revoked Jo Carver's badge {badge[:6]}" in lost.out
    assert "it is refused from now on" in lost.out
    told = showclear(
        "credential", "revoke", "--person", "jo", "--credential", "pin", "--reason", "told a grip",
    )  # fmt: skip
    assert told.code == 0, told.err
    again = showclear(
        "credential", "revoke", "--person", "jo", "--credential", "pin", "--reason", "twice",
    )  # fmt: skip
    assert again.code == 2
    assert "Jo Carver (cast) has no pin to revoke." in again.err
    nobody = showclear(
        "credential", "revoke", "--person", "Nobody", "--credential", "pin", "--reason", "x"
    )
    assert nobody.code == 2

    service = Service(store=database.open_store(), keyring=Keyring(database.data_dir))
    try:
        production = service.production()
        for presented in (f"SC1:B:{badge}", "2468"):
            found = service.credentials.confirm_in_person(
                production, "jo", presented, actor=ARMORER
            )
            assert isinstance(found, Failed), presented
        revoked = [
            json.loads(body)
            for body in service.store.entry_range(production, 0, service.sealed_size(production))
            if json.loads(body)["kind"] == "credential.revoked"
        ]
        assert [(e["payload"]["credential"], e["payload"]["reason"]) for e in revoked] == [
            ("badge", "badge lost at lunch"),
            ("pin", "told a grip"),
        ]
        assert all(e["person"] == ARMORER and e["device"] == "cli" for e in revoked)
        assert badge not in json.dumps(revoked)
        assert "2468" not in json.dumps(revoked)
        # A new badge works again.
        fresh = service.credentials.issue_badge(production, "jo", by=ARMORER).code
        found = service.credentials.confirm_in_person(
            production, "jo", f"SC1:B:{fresh}", actor=ARMORER
        )
        assert isinstance(found, Checked)
    finally:
        service.store.close()
    assert showclear("verify").code == 0
