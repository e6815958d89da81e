"""Evidence on the set pages: after a live round is found in the sheriff's gun belt, the
revolver loaded from the same lot says on its page, and on Today, that it is evidence of the
incident rather than ready, and the armorer's next action is refused with R-EVIDENCE."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from floor_demo import Demo, demo_in_process, text


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    with demo_in_process(tmp_path) as served:
        yield served


def test_a_frozen_revolver_reads_evidence_of_the_incident_on_its_page_and_on_today(
    demo: Demo,
) -> None:
    dana = demo.phone("dana")
    dana.get(demo.page("stop/"))
    found = {
        "action": "found",
        "observed": "live",
        "where": "in the sheriff's gun belt",
        "container": "BELT-1",
        "lot": "D-01",
    }
    dana.post(demo.page("stop/"), found)

    marta = demo.phone("marta")
    _, _, page = marta.get(demo.page("firearm/R-01/"))
    words = text(page)
    assert "Evidence EVIDENCE OF INCIDENT-1, FROZEN AS FOUND" in words
    assert "Not ready: 1 thing missing." in words
    assert (
        "Revolver R-01 is evidence of incident-1, frozen as found: nobody touches it until the "
        "safety supervisor releases it to the investigators."
    ) in words
    assert "Frozen as found, as evidence of incident-1" in words

    _, _, page = marta.post(demo.page("firearm/R-01/act/"), {"action": "take-back"})
    words = text(page)
    assert "R-EVIDENCE" in words
    assert "Revolver R-01 is evidence of incident-1: nobody touches it" in words

    _, _, today = marta.get(demo.page("today/"))
    assert "EVIDENCE OF INCIDENT-1" in text(today)
