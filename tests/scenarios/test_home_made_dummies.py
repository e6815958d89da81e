"""R-INERT-PRIMER: dummies made or remade on the production, by anyone who is not a recognised
ammunition maker, or by nobody knows whom, are verified round by round by a struck or empty
primer pocket, never by rattle alone (the 1993 Brandon Lee death: home-made dummies with live
primers)."""

from __future__ import annotations

import pytest
from shoot import CHAMBERS, OnSet, confirm, shoot

from showclear.core.commands import (
    InspectFirearm,
    Load,
    ReceiveLot,
    ReportFoundRound,
    VerifyRounds,
)
from showclear.core.events.armory import LotReceived, RoundsVerified
from showclear.core.read.sentences import Names, said
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    BLANK,
    CASE_HOLE,
    DUMMY,
    MADE_ON_PRODUCTION,
    OTHER,
    OTHER_MAKER,
    PRIMER,
    PRIMER_POCKET_EMPTY,
    PRIMER_STRUCK,
    RATTLE,
    UNKNOWN_MAKER,
)


def received(maker: str | None) -> OnSet:
    """Shoot day; lot D-09 of 12 dummies received now, made by ``maker`` (``None``: not said)."""
    day = shoot()
    made = {} if maker is None else {"maker": maker}
    day.do(
        "armorer",
        ReceiveLot(
            "D-09", DUMMY, ".45 Colt", 12, "Props Dept.", "work order 7", "2025-03-04", **made
        ),
    )
    return day


@pytest.mark.parametrize("maker", [MADE_ON_PRODUCTION, OTHER_MAKER, UNKNOWN_MAKER, None])
@pytest.mark.parametrize("method", [RATTLE, CASE_HOLE, OTHER])
def test_home_made_dummies_are_not_verified_by_rattle_or_any_check_that_misses_a_live_primer(
    maker: str | None, method: str
) -> None:
    day = received(maker)
    refused = day.refuse("armorer", VerifyRounds("D-09", 12, method, confirm("assistant_armorer")))
    assert refused.rule_ids == ("R-INERT-PRIMER",)
    assert "does not prove a primer inert. Check each round's primer" in str(refused)
    assert day.state.lots["D-09"].unverified == 12


def test_the_refusal_says_who_made_them_and_what_to_do() -> None:
    day = received(MADE_ON_PRODUCTION)
    refused = day.refuse("armorer", VerifyRounds("D-09", 6, RATTLE, confirm("assistant_armorer")))
    assert refused.violations[0].message == (
        "Dummy lot D-09 was made on the production: a rattle check does not prove a primer "
        "inert. Check each round's primer (struck, or an empty primer pocket) and record that "
        "method; set aside any round with a live primer."
    )


@pytest.mark.parametrize("maker", [MADE_ON_PRODUCTION, OTHER_MAKER, UNKNOWN_MAKER])
def test_a_struck_or_empty_primer_pocket_verifies_them_round_by_round(maker: str) -> None:
    day = received(maker)
    day.do("armorer", VerifyRounds("D-09", 6, PRIMER_STRUCK, confirm("assistant_armorer")))
    day.do("armorer", VerifyRounds("D-09", 4, PRIMER_POCKET_EMPTY, confirm("assistant_armorer")))
    day.do("armorer", VerifyRounds("D-09", 2, PRIMER, confirm("assistant_armorer")))
    assert day.state.lots["D-09"].usable


def test_dummies_from_a_recognised_ammunition_maker_may_still_be_rattled() -> None:
    day = received(AMMUNITION_MAKER)
    day.do("armorer", VerifyRounds("D-09", 12, RATTLE, confirm("assistant_armorer")))
    assert day.state.lots["D-09"].usable


def test_blanks_are_not_dummies_and_keep_their_own_checks() -> None:
    day = shoot()
    day.do(
        "armorer",
        ReceiveLot("B-09", BLANK, ".45 Colt", 10, "Stembridge", "dn 9", "2025-03-04", load="half"),
    )
    day.do("armorer", VerifyRounds("B-09", 10, OTHER, confirm("assistant_armorer")))
    assert day.state.lots["B-09"].maker == UNKNOWN_MAKER


def test_a_lot_received_without_its_maker_is_of_unknown_making_and_says_so() -> None:
    day = received(None)
    assert day.state.lots["D-09"].maker == UNKNOWN_MAKER
    entry = next(e for e in day.log if isinstance(e.event, LotReceived) and e.event.tag == "D-09")
    assert "made by nobody on record" in said(entry, Names(day.state.people))


def test_a_maker_that_is_not_one_of_the_words_is_refused() -> None:
    day = shoot()
    refused = day.refuse(
        "armorer",
        ReceiveLot("D-09", DUMMY, ".45 Colt", 12, "Props", "wo 7", "2025-03-04", maker="Bob"),
    )
    assert refused.rule_ids == ("R-KNOWN",)
    assert "Say who made lot D-09" in str(refused)


def test_remade_dummies_found_with_a_wrong_round_are_verified_again_by_their_primers() -> None:
    day = received(MADE_ON_PRODUCTION)
    day.do("armorer", VerifyRounds("D-09", 12, PRIMER_STRUCK, confirm("assistant_armorer")))
    day.do("armorer", ReportFoundRound("blank", "in the box of D-09", lot="D-09"))
    assert day.state.lots["D-09"].unverified == 11
    refused = day.refuse("armorer", VerifyRounds("D-09", 11, RATTLE, confirm("assistant_armorer")))
    assert refused.rule_ids == ("R-INERT-PRIMER",)
    day.do("armorer", VerifyRounds("D-09", 11, PRIMER_STRUCK, confirm("assistant_armorer")))


def test_in_an_old_ledger_a_rattle_of_dummies_of_unknown_making_does_not_count() -> None:
    """A ledger from before the maker was asked: the lot folds as of unknown making, and its
    rattle verification leaves its rounds to be verified by their primers before any is loaded."""
    day = shoot()
    day.record(
        "armorer",
        LotReceived(
            "D-08", DUMMY, ".45 Colt", 6, "Old Stock", "note 1", "2024-01-01", "", (), None
        ),
    )
    day.record("armorer", RoundsVerified("D-08", 6, RATTLE, "assistant_armorer", 0))
    lot = day.state.lots["D-08"]
    assert lot.maker == UNKNOWN_MAKER
    assert lot.unverified == 6
    assert not lot.usable
    day.ready("14")
    day.take_out("R-01")
    day.do("armorer", InspectFirearm("R-01", CHAMBERS, barrel_clear=True))
    refused = day.refuse("armorer", Load("R-01", "D-08", CHAMBERS, "14"))
    assert "R-VERIFIED" in refused.rule_ids
    day.do("armorer", VerifyRounds("D-08", 6, PRIMER_POCKET_EMPTY, confirm("assistant_armorer")))
    day.do("armorer", Load("R-01", "D-08", CHAMBERS, "14"))
