"""``showclear demo``: a Western in the middle of its shoot, built through the real commands.

*Dust and Iron* shoots in Colorado (its time zone America/Denver). It has a prep day, a complete
first shoot day and a second day in progress, which is today there (with a second unit at Red
Mesa for its first scene, its own armorer there, and the rifle moved to it and back by
handovers between the armorers): eight firearms, dummy and blank lots from named suppliers
verified round by round before a witness, an armory safe, an ammunition lockbox and two gun
belts, six performers, the crew and an investigator. Every step goes through
:meth:`Service.execute` exactly as the web app or a scanner would send it, with the clock moved
by hand through the three days: there is no back door into the tables, so the demo is also a
long end-to-end test of the protocol. A refused command (or one recorded with a warning) is a
bug in the demo and stops it with the reasons.

No entry is after the moment the demo is built: run early in Denver's day, day two's clock is
squeezed into the hours gone since midnight (see :class:`Days`). Every date of the script
(deliveries, training, the shoot days) moves with the days.

The people, their logins, badges and PINs are in :mod:`showclear.cli.demo_people`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from showclear.cli.demo_people import (
    CREDENTIALS_FILE,
    KEY_ARMORER,
    NAME,
    ROSTER,
    Badge,
    Credentials,
    Login,
    complete,
    create_logins,
    credentials_path,
    logins_text,
    role_name,
)
from showclear.core.commands import (
    AddPerson,
    ArriveOnSet,
    BlankFirePlan,
    CallBreak,
    Command,
    Confirmation,
    ConfirmReceipt,
    CountAndReconcile,
    DispatchFirearm,
    EndBreak,
    FirearmFor,
    HandOver,
    HoldSafetyMeeting,
    InspectFirearm,
    Load,
    Lock,
    LotCount,
    OpenUnit,
    PlanScene,
    PlanShootDay,
    PutIn,
    ReceiveFirearm,
    ReceiveLot,
    RecordTraining,
    RegisterContainer,
    ReportDischarge,
    Return,
    SetTimeZone,
    ShowClear,
    StartScene,
    TakeOut,
    Unload,
    Unlock,
    VerifyRounds,
    WrapScene,
)
from showclear.core.decide import Refused
from showclear.core.events.on_set import PersonAdded
from showclear.core.vocabulary import (
    AMMUNITION_MAKER,
    ARMORER_LICENCE,
    ARMORY_SAFE,
    BLANK,
    BLANK_ADAPTED,
    COLD,
    DUMMIES,
    DUMMY,
    FIREARM_SAFETY,
    FIRING,
    GUN_BELT,
    HOT,
    LOCKBOX,
    NON_FIRING_REPLICA,
    OTHER,
    OTHER_MAKER,
    PRIMER_POCKET_EMPTY,
    RATTLE,
    barrels,
    magazine_positions,
    revolver_chambers,
)
from showclear.core.vocabulary import CASE_HOLE as CASE_HOLE_METHOD
from showclear.service import GENESIS_PERSON, Executed, Service
from showclear.store import Production

__all__ = [  # the people's part is kept in demo_people and said here too, as before
    "CREDENTIALS_FILE",
    "KEY_ARMORER",
    "NAME",
    "ROSTER",
    "Badge",
    "Built",
    "Credentials",
    "Days",
    "DemoFailed",
    "Login",
    "build",
    "complete",
    "create_logins",
    "credentials_path",
    "find",
    "logins_text",
    "role_name",
]

ZONE = "America/Denver"
#: The second shoot day the script's dates are written for (the prep day two days before it):
#: every date in it moves by as many days as the demo's day two is from this one.
WRITTEN_FOR = date(2026, 10, 14)
#: The latest clock time of day two's script (the livery showdown is under way by then); run
#: earlier in the day, day two's times are squeezed so that this one would be now.
DAY_TWO_ENDS = time(11, 0)

CHAMBERS = revolver_chambers(6)
MAIN_UNIT = "main"
SECOND_UNIT = "second"
RENTALS = "Western Prop Rentals"
DESERT = "Desert Arms Film Services"

# tag, serial, make, model, type, calibre, class, positions, owner, notes
FIREARMS: tuple[tuple[str, str, str, str, str, str, str, tuple[str, ...], str, str], ...] = (
    ("R-01", "SA-41872", "Colt", "Single Action Army", "revolver", ".45 Colt", FIRING, CHAMBERS, RENTALS, "the sheriff's revolver"),
    ("R-02", "UB-30117", "Uberti", "1873 Cattleman", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, RENTALS, ""),
    ("R-03", "UB-30142", "Uberti", "1873 Cattleman", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, RENTALS, ""),
    ("R-04", "RV-55120", "Ruger", "New Vaquero", "revolver", ".45 Colt", FIRING, CHAMBERS, DESERT, "the outlaw's revolver"),
    ("R-05", "CM-88213", "Cimarron", "Model P", "revolver", ".45 Colt", BLANK_ADAPTED, CHAMBERS, DESERT, ""),
    ("W-06", "WN-19044", "Winchester", "1892", "lever-action rifle", ".44-40", FIRING, magazine_positions(10), RENTALS, "saddle rifle"),
    ("S-07", "ST-60731", "Stoeger", "Coach Gun", "shotgun", "12 gauge", FIRING, barrels(2), DESERT, "side-by-side"),
    ("P-08", "DX-1106", "Denix", "Peacemaker replica", "revolver", ".45 Colt", NON_FIRING_REPLICA, (), RENTALS, "background holster gun"),
)  # fmt: skip

# tag, kind, calibre, count, supplier, document, delivered on, load, for firearms, method, tray
LOTS: tuple[tuple[str, str, str, int, str, str, str, str, tuple[str, ...], str, int], ...] = (
    ("D-01", DUMMY, ".45 Colt", 100, "Acme Dummy Cartridge Co.", "invoice INV-1042", "2026-10-09", "", (), RATTLE, 25),
    ("D-02", DUMMY, ".44-40", 50, "Stembridge Gun Rentals", "delivery note DN-5531", "2026-10-09", "", (), PRIMER_POCKET_EMPTY, 25),
    ("D-03", DUMMY, "12 gauge", 10, "Stembridge Gun Rentals", "delivery note DN-5531", "2026-10-09", "", (), CASE_HOLE_METHOD, 10),
    ("B-01", BLANK, ".45 Colt", 60, "Stembridge Gun Rentals", "delivery note DN-5532", "2026-10-10", "half", ("R-02", "R-03", "R-05"), OTHER, 20),
    ("B-02", BLANK, "12 gauge", 20, "Desert Arms Film Services", "invoice DA-2207", "2026-10-10", "full", ("S-07",), OTHER, 20),
)  # fmt: skip

#: Day two, before the first scene: a new box of dummies, a third of it verified so far.
#: Who made each lot (R-INERT-PRIMER): the rental house's own .44-40 dummies were made up by
#: them, not by an ammunition maker, so each round was checked by its (empty) primer pocket.
MAKERS = {"D-02": OTHER_MAKER}
LATE_LOT = ("D-04", DUMMY, ".45 Colt", 50, "Hollywood Prop Ammo", "invoice HPA-7781", "2026-10-13")
LATE_LOT_VERIFIED = 20


class DemoFailed(Exception):
    """A command of the demo was refused or warned: a bug in the demo or in the protocol."""


@dataclass(frozen=True)
class Days:
    """The demo's three days, in Denver: the prep day, shoot day one and shoot day two (today,
    unless pinned), and how day two's clock is squeezed when the demo is built early.

    The script says clock times on Denver's wall clock. Day two's run from 06:45 to before
    :data:`DAY_TWO_ENDS`; built at, say, 07:20 there, each of them is moved towards midnight in
    proportion (the time since midnight times ``squeeze``, here 7h20/11h = 2/3: 06:45 becomes
    04:30, 10:15 becomes 06:50), so every entry keeps its order and lies before now. From 11:00
    on, ``squeeze`` is 1 and day two reads as written. The squeeze runs on real elapsed time,
    so a daylight-saving change in the night cannot push an entry past now.
    """

    prep: date
    one: date
    two: date
    squeeze: float = 1.0

    @classmethod
    def until(cls, now: datetime, day_two: date | None = None) -> Days:
        """The days of a demo built at ``now``: day two is Denver's today (squeezed into the
        hours gone since its midnight), or ``day_two`` laid out whole."""
        squeeze = 1.0
        if day_two is None:
            day_two = now.astimezone(ZoneInfo(ZONE)).date()
            midnight = _moment(day_two, time())
            ends = _moment(day_two, DAY_TWO_ENDS)
            squeeze = max(0.0, min(1.0, (now - midnight) / (ends - midnight)))
        return cls(day_two - timedelta(days=2), day_two - timedelta(days=1), day_two, squeeze)

    def moment(self, wall: datetime) -> datetime:
        """The instant (UTC) of the script's wall-clock time ``wall`` (naive, in Denver)."""
        at = _moment(wall.date(), wall.time())
        if wall.date() == self.two and self.squeeze < 1:
            midnight = _moment(self.two, time())
            at = midnight + (at - midnight) * self.squeeze
        return at

    def moved(self, written: str) -> str:
        """A date of the script (written for :data:`WRITTEN_FOR`) moved with the days."""
        return (date.fromisoformat(written) + (self.two - WRITTEN_FOR)).isoformat()


def _moment(day: date, clock: time) -> datetime:
    """``clock`` on ``day`` in Denver, in UTC."""
    return datetime.combine(day, clock, ZoneInfo(ZONE)).astimezone(UTC)


def find(service: Service) -> Production | None:
    """The demo production, if it was built already."""
    for production in service.store.productions():
        if production.name.casefold() == NAME.casefold():
            return production
    return None


# -- the script -----------------------------------------------------------------------------------


class _Shoot:
    """Plays commands through the service with a clock moved by hand, one minute per command."""

    def __init__(self, service: Service, credentials: Credentials, days: Days) -> None:
        self.service = service
        self.credentials = credentials
        self.days = days
        self.wall = datetime.combine(days.prep, time(8))
        """The script's clock: Denver's wall clock, before any squeeze."""
        self.now = days.moment(self.wall)
        self.ids: dict[str, str] = {"armorer": GENESIS_PERSON}
        self.production: Production | None = None
        self.commands = 0
        service.clock = lambda: self.now

    def at(self, day: date, hhmm: str) -> None:
        """Move the clock forward to ``hhmm`` on ``day`` (never back: the log keeps order)."""
        hours, minutes = (int(part) for part in hhmm.split(":"))
        wall = datetime.combine(day, time(hours, minutes))
        if wall < self.wall:
            raise DemoFailed(f"the demo's clock would go back from {self.wall} to {wall}")
        self._set(wall)

    def tick(self) -> None:
        """One minute on the script's clock (each command takes one)."""
        self._set(self.wall + timedelta(minutes=1))

    def _set(self, wall: datetime) -> None:
        if wall.date() == self.days.two and wall.time() >= DAY_TWO_ENDS:
            raise DemoFailed(f"day two's script runs past {DAY_TWO_ENDS:%H:%M}: move it earlier")
        self.wall = wall
        self.now = self.days.moment(wall)

    def do(self, who: str, command: Command) -> Executed:
        """Record ``command`` by the person known as ``who``; anything but a clean record fails."""
        assert self.production is not None
        try:
            executed = self.service.execute(
                self.production, command, person_id=self.ids[who], device="demo"
            )
        except Refused as refused:
            reasons = "; ".join(f"{v.rule_id}: {v.message}" for v in refused.violations)
            raise DemoFailed(
                f"{type(command).__name__} by {who} at {self.wall:%Y-%m-%d %H:%M} was refused: "
                f"{reasons}"
            ) from refused
        if executed.warnings:
            reasons = "; ".join(f"{w.rule_id}: {w.message}" for w in executed.warnings)
            raise DemoFailed(
                f"{type(command).__name__} by {who} was recorded with warnings: {reasons}"
            )
        self.tick()
        self.commands += 1
        return executed

    def confirm(self, key: str) -> Confirmation:
        """The person known as ``key`` confirming in person: their badge scanned."""
        return Confirmation(self.ids[key], f"SC1:B:{self.credentials.badge(key).badge}")

    def confirm_by_pin(self, key: str) -> Confirmation:
        """The person known as ``key`` typing their PIN on the armorer's phone (their badge
        scanned if they have no PIN)."""
        pin = self.credentials.badge(key).pin
        return Confirmation(self.ids[key], pin) if pin else self.confirm(key)

    def credentials_for(self, key: str) -> None:
        """Issue the badge (and PIN, for a confirmer) of the person known as ``key``."""
        assert self.production is not None
        desk = self.service.credentials
        badge = self.credentials.badge(key)
        person_id = self.ids[key]
        issued = desk.issue_badge(self.production, person_id, by=GENESIS_PERSON, device="demo")
        self.tick()
        self.commands += 1
        if badge.pin:
            desk.issue_pin(self.production, person_id, badge.pin, by=GENESIS_PERSON, device="demo")
            self.tick()
            self.commands += 1
        self.credentials.badges = [
            replace(b, badge=issued.code, serial=issued.serial) if b.person_id == key else b
            for b in self.credentials.badges
        ]

    def dates(self, *written: str) -> tuple[str, ...]:
        """Dates of the script, moved with the days."""
        return tuple(self.days.moved(each) for each in written)

    # -- armory moves (the key armorer unless told) ---------------------------------------------

    def out_of_safe(self, *tags: str, who: str = "armorer") -> None:
        """Take firearms out of the safe, lock it again, and inspect each in hand."""
        self.do(who, Unlock("SAFE-1"))
        for tag in tags:
            self.do(who, TakeOut("SAFE-1", tag))
        self.do(who, Lock("SAFE-1"))
        for tag in tags:
            self.inspect(tag, who)

    def into_safe(self, *tags: str, who: str = "armorer") -> None:
        """Lock firearms (inspected, unloaded) away."""
        self.do(who, Unlock("SAFE-1"))
        for tag in tags:
            self.do(who, PutIn("SAFE-1", tag))
        self.do(who, Lock("SAFE-1"))

    def inspect(self, tag: str, who: str = "armorer") -> None:
        """Every position and the barrel."""
        assert self.production is not None
        positions = self.service.state(self.production).firearms[tag].positions
        self.do(who, InspectFirearm(tag, positions, barrel_clear=True))

    def issue(
        self,
        tag: str,
        performer: str,
        scene: str,
        announced: str,
        rounds: int,
        who: str = "armorer",
    ) -> None:
        """Show every position to the performer and the first AD, then hand it over (a
        performer with a PIN types it; the first AD's badge is scanned)."""
        assert self.production is not None
        positions = self.service.state(self.production).firearms[tag].positions
        self.do(
            who,
            ShowClear(
                tag,
                scene,
                positions,
                announced,
                rounds,
                self.confirm_by_pin(performer),
                self.confirm("first_ad"),
            ),
        )
        self.do(who, HandOver(tag, self.ids[performer], scene))

    def take_back(self, *tags: str, who: str = "armorer") -> None:
        """Take firearms back and inspect them at once (they were out of sight)."""
        for tag in tags:
            self.do(who, Return(tag))
            self.inspect(tag, who)

    def box(self, lot: str) -> None:
        """Take a lot's box out of the lockbox (left open until :meth:`box_back`)."""
        self.do("armorer", Unlock("AMMO-1"))
        self.do("armorer", TakeOut("AMMO-1", lot))

    def box_back(self, lot: str) -> None:
        """Put a lot's box back and lock the lockbox."""
        self.do("armorer", PutIn("AMMO-1", lot))
        self.do("armorer", Lock("AMMO-1"))

    def meeting(self, scene: str, *, pointing: tuple[str, ...] = ()) -> None:
        """The scene's safety meeting, called by the first AD, then the scene starts."""
        assert self.production is not None
        planned = self.service.state(self.production).scenes[scene]
        people = [key for key, person_id in self.ids.items() if person_id in planned.people]
        attendees = tuple(self.ids[k] for k in ("armorer", "assistant", "first_ad", *people))
        self.do(
            "first_ad",
            HoldSafetyMeeting(
                scene,
                attendees,
                ("the action", "pointing", "distances", "abort plan", "hot and cold calls"),
                pointing,
                blank_fire_reviewed=planned.condition == HOT,
            ),
        )
        self.do("first_ad", StartScene(scene))

    # -- the days -------------------------------------------------------------------------------

    def prep_day(self) -> None:
        """The production, its people and training, the armory received and verified."""
        self.production, _ = self.service.create_production(NAME, KEY_ARMORER)
        self.tick()
        self.do("armorer", SetTimeZone(ZONE))
        self.credentials_for("armorer")
        for key, name, role, _username in ROSTER:
            executed = self.do("armorer", AddPerson(name, (role,)))
            added = executed.events[0]
            assert isinstance(added, PersonAdded)
            self.ids[key] = added.person_id
            self.credentials_for(key)
        self.at(self.days.prep, "09:00")
        for key in self.ids:
            self.do(
                "safety",
                RecordTraining(
                    self.ids[key], FIREARM_SAFETY, *self.dates("2026-06-18", "2028-06-18")
                ),
            )
        for key in ("armorer", "assistant"):
            self.do(
                "safety",
                RecordTraining(
                    self.ids[key], ARMORER_LICENCE, *self.dates("2025-02-03", "2028-02-03")
                ),
            )

        self.at(self.days.prep, "09:30")
        self.do("armorer", RegisterContainer("SAFE-1", ARMORY_SAFE, "gun safe, armory truck"))
        self.do("armorer", RegisterContainer("AMMO-1", LOCKBOX, "ammunition lockbox, armory truck"))
        self.do(
            "armorer", RegisterContainer("BELT-1", GUN_BELT, "the sheriff's gun belt (Jo Carver)")
        )
        self.do(
            "armorer", RegisterContainer("BELT-2", GUN_BELT, "the outlaw's gun belt (Eli Stone)")
        )
        self.do("armorer", Unlock("SAFE-1"))
        for tag, serial, make, model, kind, calibre, klass, positions, owner, notes in FIREARMS:
            self.do(
                "armorer",
                ReceiveFirearm(
                    tag, serial, make, model, kind, calibre, klass, positions, owner, notes
                ),
            )
            self.do("armorer", InspectFirearm(tag, positions, True, firearm_class=klass))
            self.do("armorer", PutIn("SAFE-1", tag))
        self.do("armorer", Lock("SAFE-1"))

        self.at(self.days.prep, "11:00")
        self.do("armorer", Unlock("AMMO-1"))
        for (
            tag,
            kind,
            calibre,
            count,
            supplier,
            document,
            delivered,
            load,
            made_for,
            method,
            tray,
        ) in LOTS:
            self.do(
                "armorer",
                ReceiveLot(
                    tag,
                    kind,
                    calibre,
                    count,
                    supplier,
                    document,
                    self.days.moved(delivered),
                    load,
                    made_for,
                    maker=MAKERS.get(tag, AMMUNITION_MAKER),
                ),
            )
            witness = "assistant" if kind == DUMMY else "safety"
            for _ in range(count // tray):  # tray by tray, every round in hand
                self.do("armorer", VerifyRounds(tag, tray, method, self.confirm(witness)))
            self.do("armorer", PutIn("AMMO-1", tag))
        self.do("armorer", Lock("AMMO-1"))

        self.at(self.days.prep, "14:00")
        self.do("first_ad", PlanShootDay("day-1", self.days.one.isoformat()))
        self.do("first_ad", PlanShootDay("day-2", self.days.two.isoformat()))
        self.do("producer", OpenUnit(SECOND_UNIT, "Second unit", "Red Mesa quarry, 30 km north"))
        street = BlankFirePlan(800, eye_protection=True, ear_protection=True)
        coach = BlankFirePlan(900, shields=True, eye_protection=True, ear_protection=True)
        i = self.ids
        scenes = (
            PlanScene("12", "day-1", "Saloon stand-off", ("R-01", "R-04"), (i["jo"], i["eli"]), COLD, crew=(i["camera"],), pointing=("camera",), assigned=(FirearmFor("R-01", i["jo"]), FirearmFor("R-04", i["eli"]))),
            PlanScene("14", "day-1", "Loading at the kitchen table", ("R-01",), (i["jo"],), DUMMIES, 6, worn_rounds=12, worn_lots=("D-01",)),
            PlanScene("21", "day-1", "Shots in Main Street", ("R-02", "R-03"), (i["eli"], i["will"]), HOT, 2, crew=(i["camera"],), blank_fire=street, assigned=(FirearmFor("R-02", i["eli"]), FirearmFor("R-03", i["will"]))),
            PlanScene("23", "day-1", "The coach ambush", ("S-07", "P-08"), (i["lee"], i["kit"]), HOT, 2, crew=(i["camera"],), blank_fire=coach, assigned=(FirearmFor("S-07", i["lee"]), FirearmFor("P-08", i["kit"]))),
            PlanScene("30", "day-2", "Ride into Red Mesa", ("W-06",), (i["rosa"],), COLD, unit=SECOND_UNIT),
            PlanScene("34", "day-2", "Showdown at the livery", ("R-01", "R-04"), (i["jo"], i["eli"]), DUMMIES, 6, crew=(i["camera"],), worn_rounds=12, worn_lots=("D-01",), assigned=(FirearmFor("R-01", i["jo"]), FirearmFor("R-04", i["eli"]))),
            PlanScene("36", "day-2", "Night raid on the mission", ("R-05",), (i["kit"],), HOT, 1, blank_fire=street),
        )  # fmt: skip
        for scene in scenes:
            self.do("first_ad", scene)

    def day_one(self) -> None:
        """Four scenes: cold, dummies with a gun belt, blanks fired in two takes; wrap count."""
        self.at(self.days.one, "07:30")
        self.meeting("12", pointing=("camera",))
        self.out_of_safe("R-01", "R-04")
        self.issue("R-01", "jo", "12", COLD, 0)
        self.issue("R-04", "eli", "12", COLD, 0)
        self.at(self.days.one, "09:40")
        self.take_back("R-01", "R-04")
        self.into_safe("R-01", "R-04")
        self.do("first_ad", WrapScene("12"))

        self.at(self.days.one, "10:00")
        self.meeting("14")
        self.out_of_safe("R-01")
        self.box("D-01")
        self.do("armorer", Load("R-01", "D-01", CHAMBERS, "14"))
        self.fill_belt("BELT-1", 12)
        self.box_back("D-01")
        self.issue("R-01", "jo", "14", DUMMIES, 6)
        self.do("armorer", HandOver("BELT-1", self.ids["jo"], "14"))
        self.at(self.days.one, "11:45")
        self.take_back("R-01")
        self.do("armorer", Return("BELT-1"))
        self.box("D-01")
        self.do("armorer", Unload("R-01"))
        self.do("armorer", TakeOut("BELT-1", "D-01", 12))
        self.do("armorer", Lock("BELT-1"))
        self.box_back("D-01")
        self.into_safe("R-01")
        self.do("first_ad", WrapScene("14"))

        self.at(self.days.one, "12:30")
        self.do("first_ad", CallBreak("lunch"))  # everything is locked away: nothing to note
        self.at(self.days.one, "13:15")
        self.do("first_ad", EndBreak())

        self.at(self.days.one, "13:30")
        self.meeting("21")
        self.out_of_safe("R-02", "R-03")
        self.box("B-01")
        self.do("armorer", Load("R-02", "B-01", CHAMBERS[:2], "21"))
        self.do("armorer", Load("R-03", "B-01", CHAMBERS[:2], "21"))
        self.box_back("B-01")
        self.do("armorer", HandOver("R-03", self.ids["assistant"], "21"))
        self.issue("R-02", "eli", "21", HOT, 2)
        self.issue("R-03", "will", "21", HOT, 2, who="assistant")
        self.at(self.days.one, "14:20")
        self.do("eli", ReportDischarge("R-02", CHAMBERS[:2], planned=True, scene="21"))
        self.do("will", ReportDischarge("R-03", CHAMBERS[:2], planned=True, scene="21"))
        self.take_back("R-02")
        self.take_back("R-03", who="assistant")
        self.into_safe("R-02")
        self.into_safe("R-03", who="assistant")
        self.do("first_ad", WrapScene("21"))

        self.at(self.days.one, "15:30")
        self.meeting("23")
        self.out_of_safe("S-07", "P-08")
        self.box("B-02")
        self.do("armorer", Load("S-07", "B-02", barrels(2), "23"))
        self.box_back("B-02")
        self.issue("S-07", "lee", "23", HOT, 2)
        self.issue("P-08", "kit", "23", COLD, 0)
        self.at(self.days.one, "16:10")
        self.do("lee", ReportDischarge("S-07", barrels(2), planned=True, scene="23"))
        self.take_back("S-07", "P-08")
        self.into_safe("S-07", "P-08")
        self.do("first_ad", WrapScene("23"))

        self.at(self.days.one, "18:30")
        self.do(
            "armorer",
            CountAndReconcile(
                tuple(tag for tag, *_ in FIREARMS),
                (
                    LotCount("D-01", 100),
                    LotCount("D-02", 50),
                    LotCount("D-03", 10),
                    LotCount("B-01", 56),
                    LotCount("B-02", 18),
                ),
            ),
        )

    def fill_belt(self, belt: str, rounds: int) -> None:
        """Counted dummies from the open D-01 box into a gun belt's loops."""
        self.do("armorer", Unlock(belt))
        self.do("armorer", PutIn(belt, "D-01", rounds))

    def day_two(self) -> None:
        """A new lot half verified, a cold scene done, the livery showdown running now."""
        self.at(self.days.two, "06:45")
        tag, kind, calibre, count, supplier, document, delivered = LATE_LOT
        self.do(
            "armorer",
            ReceiveLot(
                tag,
                kind,
                calibre,
                count,
                supplier,
                document,
                self.days.moved(delivered),
                maker=AMMUNITION_MAKER,
            ),
        )
        self.do("armorer", VerifyRounds(tag, LATE_LOT_VERIFIED, RATTLE, self.confirm("assistant")))
        self.do("armorer", Unlock("AMMO-1"))
        self.box_back(tag)

        # Scene 30 is the second unit's, at Red Mesa: its armorer and performer go there, and
        # the rifle goes from the key armorer to the second unit's armorer, both recording it.
        self.at(self.days.two, "07:00")
        self.do("assistant", ArriveOnSet(self.ids["assistant"], unit=SECOND_UNIT))
        self.do("rosa", ArriveOnSet(self.ids["rosa"], unit=SECOND_UNIT))
        # The first AD runs the second unit's scene, and witnesses its show-clear, there.
        self.do("first_ad", ArriveOnSet(self.ids["first_ad"], unit=SECOND_UNIT))
        self.out_of_safe("W-06")
        self.do("armorer", DispatchFirearm("W-06", SECOND_UNIT, self.ids["assistant"]))
        self.at(self.days.two, "07:25")
        self.do("assistant", ConfirmReceipt("W-06"))
        self.inspect("W-06", who="assistant")
        self.at(self.days.two, "07:30")
        self.meeting("30")
        self.issue("W-06", "rosa", "30", COLD, 0, who="assistant")
        self.at(self.days.two, "09:30")
        self.take_back("W-06", who="assistant")
        self.do("first_ad", WrapScene("30"))
        # The second unit wraps: the rifle goes back to the key armorer the same way.
        self.do("assistant", DispatchFirearm("W-06", MAIN_UNIT, GENESIS_PERSON))
        self.at(self.days.two, "10:05")
        self.do("armorer", ConfirmReceipt("W-06"))
        self.do("assistant", ArriveOnSet(self.ids["assistant"], unit=MAIN_UNIT))
        self.do("rosa", ArriveOnSet(self.ids["rosa"], unit=MAIN_UNIT))
        self.do("first_ad", ArriveOnSet(self.ids["first_ad"], unit=MAIN_UNIT))
        self.inspect("W-06")
        self.into_safe("W-06")

        self.at(self.days.two, "10:15")
        self.meeting("34")
        self.out_of_safe("R-01", "R-04")
        self.box("D-01")
        self.do("armorer", Load("R-01", "D-01", CHAMBERS, "34"))
        self.do("armorer", Load("R-04", "D-01", CHAMBERS, "34"))
        self.fill_belt("BELT-1", 12)
        self.fill_belt("BELT-2", 12)
        self.box_back("D-01")
        self.issue("R-01", "jo", "34", DUMMIES, 6)
        self.issue("R-04", "eli", "34", DUMMIES, 6)
        self.do("armorer", HandOver("BELT-1", self.ids["jo"], "34"))
        self.do("armorer", HandOver("BELT-2", self.ids["eli"], "34"))


@dataclass(frozen=True)
class Built:
    """The demo production, how many commands built it, and its days."""

    production: Production
    commands: int
    days: Days


def build(service: Service, credentials: Credentials, day_two: date | None = None) -> Built:
    """Build *Dust and Iron* through the service; raise :class:`DemoFailed` at the first refusal.

    Day two is today in Denver by the service's clock (squeezed before now, :class:`Days`), or
    the date ``day_two``, laid out whole (the tests pin it so that their times stay put).
    Badges and PINs are issued through the service's credential desk (kept beside the ledger,
    never in it); the badge codes it answers are kept in ``credentials``, to print. The
    service's clock is set per step and put back afterwards.
    """
    clock = service.clock
    days = Days.until(clock(), day_two)
    shoot = _Shoot(service, credentials, days)
    try:
        shoot.prep_day()
        shoot.day_one()
        shoot.day_two()
    finally:
        service.clock = clock
    assert shoot.production is not None
    credentials.slug = shoot.production.slug
    # The script's names for people become their person ids on the production.
    credentials.logins = [
        replace(login, person_id=shoot.ids[login.person_id]) for login in credentials.logins
    ]
    credentials.badges = [replace(b, person_id=shoot.ids[b.person_id]) for b in credentials.badges]
    return Built(shoot.production, shoot.commands + 1, days)
