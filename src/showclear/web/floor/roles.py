"""Who may open which area of the set pages, by their roles on the production.

This decides only what a person *sees* and which forms they are offered. What they may *do*
is decided by the core's safety rules when the command is attempted (an outsider's form post is
refused there too), so the two never disagree about safety: a page can only be more careful.
"""

from __future__ import annotations

from showclear.core.vocabulary import (
    ARMORER,
    ASSISTANT_ARMORER,
    CAST,
    CREW,
    FIRST_AD,
    INVESTIGATOR,
    PRODUCER,
    SAFETY_SUPERVISOR,
    STUNT,
)

ARMORERS = (ARMORER, ASSISTANT_ARMORER)
EVERYONE = (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR, CREW)
"""Everyone who works the production's pages."""
ANYONE_ON_SET = (*EVERYONE, CAST, STUNT)
"""Everyone, performers too: anyone on set may call STOP WORK (R-STOP-WORK) and must see it."""

AREAS: dict[str, tuple[str, ...]] = {
    # reading
    "board": EVERYONE,
    "today": EVERYONE,
    "ledger": EVERYONE,
    "firearm": (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "lot": (*ARMORERS, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "wrap": (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),
    "scan": (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR),
    "labels": ARMORERS,
    "reports": (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR, PRODUCER, INVESTIGATOR),  # paperwork
    "trace": (*ARMORERS, SAFETY_SUPERVISOR, INVESTIGATOR),  # provenance, for an investigation
    # acting
    "handle-firearms": ARMORERS,  # inspect, load, show, hand over, take back, secure
    "verify-rounds": ARMORERS,
    "safety-meeting": (*ARMORERS, FIRST_AD, SAFETY_SUPERVISOR),
    "count-at-wrap": ARMORERS,
    "import": ARMORERS,  # manifests, schedules and people, as CSV
    "report-incident": ANYONE_ON_SET,  # anyone on set can report and stop work (R-STOP-WORK)
    "alarm": ANYONE_ON_SET,  # the STOP WORK banner, on every page anyone may open
    "resume-work": (ARMORER, SAFETY_SUPERVISOR),
}
"""Area -> the roles that may open it. Every view names its area; tests walk this table."""
