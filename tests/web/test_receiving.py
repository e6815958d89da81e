"""Receiving by hand: a firearm and a lot typed in by the armorer, with every field the
commands need; what was typed wrong is said, kept, and records nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, status, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


FIREARM = {
    "action": "firearm",
    "tag": "r-09",
    "serial": "SN-4471",
    "make": "Uberti",
    "model": "1873 Cattleman",
    "type": "Revolver",
    "calibre": ".45 colt",
    "firearm_class": "blank firing",
    "positions": "6",
    "owner": "Western Props Rental",
}
LOT = {
    "action": "lot",
    "lot_kind": "dummy",
    "tag": "D-09",
    "calibre": ".45 Colt",
    "count": "50",
    "maker": "ammunition-maker",
    "supplier": "Western Props Rental",
    "document": "INV-2211",
    "delivered_on": "2026-12-01",
}


def test_the_armorer_receives_a_revolver_by_hand(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("receive/"))
    _, url, page = armorer.post(demo.page("receive/"), FIREARM)
    assert url.endswith("#receive-firearm")
    assert "Done. Firearm R-09 is received" in text(page)
    assert any(f["tag"] == "R-09" for f in status(demo)["firearms"])


def test_the_armorer_receives_a_lot_of_dummies_quarantined(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("receive/"))
    _, _, page = armorer.post(demo.page("receive/"), LOT)
    assert "Done. Lot D-09 is received: quarantined until every round is verified." in text(page)
    assert any(lot["tag"] == "D-09" for lot in status(demo)["lots"])


def test_bad_input_is_said_under_the_form_kept_and_records_nothing(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("receive/"))
    entries = status(demo)["entries"]
    code, _, page = armorer.post(
        demo.page("receive/"), {**FIREARM, "calibre": "banana", "positions": "lots"}
    )
    assert code == 400
    assert "Unknown calibre 'banana'" in text(page)
    assert 'value="SN-4471"' in page, "the form is as the armorer left it"
    code, _, page = armorer.post(demo.page("receive/"), {**LOT, "count": "0", "lot_kind": "live"})
    assert code == 400
    assert "Choose dummies or blanks (live rounds are never received)." in text(page)
    assert status(demo)["entries"] == entries


def test_a_tag_in_use_is_refused_by_the_core_with_its_reason(demo: Demo) -> None:
    armorer = demo.phone("marta")
    armorer.get(demo.page("receive/"))
    entries = status(demo)["entries"]
    _, _, page = armorer.post(demo.page("receive/"), {**FIREARM, "tag": "R-01"})
    assert "Refused, nothing recorded." in text(page)
    assert "The tag 'R-01' is empty or already in use." in text(page)
    assert status(demo)["entries"] == entries


def test_only_an_armorer_receives(demo: Demo) -> None:
    assert demo.phone("dana").get(demo.page("receive/"))[0] == 403
