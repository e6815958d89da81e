"""A long report does not keep the STOP WORK banner from the phones of the same server.

The set pages are drawn with the state held still, and every other page and command of the
same worker process waits for the hold. A report's PDF is read from the state under the hold
and drawn after it: a busy day's log (here 30,000 entries, several seconds to draw) must not
delay a STOP WORK and its banner on the other phones of that worker. One worker, so every
request below is answered by the same process as the report.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from demo_on_set import Answer, fetch, post
from web_server import Server, showclear

from served_process import start_serve, stop_serve

ROWS = 30_000


def a_busy_day(data_dir: Path) -> dict[str, str]:
    """The demo, with 30,000 training records imported today: a long daily log, and nothing
    else on the set pages grows (one performer's records)."""
    built = showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    assert built.returncode == 0, built.stderr
    roster = data_dir.parent / "training.csv"
    lines = ["Name,Course,Completed"] + [
        f"Jo Carver,stage-combat-{n:05d},2026-10-01" for n in range(ROWS)
    ]
    roster.write_text("\r\n".join(lines) + "\r\n")
    imported = showclear(data_dir, "import", "people", str(roster))
    assert imported.returncode == 0, imported.stderr
    saved = json.loads((data_dir / "demo-logins.json").read_text())
    return {"slug": saved["slug"], **{n["username"]: n["password"] for n in saved["logins"]}}


def test_stop_work_reaches_every_phone_within_two_seconds_while_a_long_report_is_drawn(
    data_dir: Path,
) -> None:
    logins = a_busy_day(data_dir)
    slug = logins["slug"]
    process, base = start_serve(data_dir, None, "--workers", "1")
    try:
        server = Server(data_dir, base)
        producer, armorer, first_ad = server.browser(), server.browser(), server.browser()
        producer.sign_in("ruth", logins["ruth"])
        armorer.sign_in("marta", logins["marta"])
        first_ad.sign_in("dana", logins["dana"])
        alarm = f"/p/{slug}/alarm/"
        assert "STOP WORK" not in fetch(first_ad, alarm).text

        got: list[Answer] = []
        report = threading.Thread(
            target=lambda: got.append(
                fetch(producer, f"/p/{slug}/reports/pdf/?kind=daily-log&day=today")
            )
        )
        report.start()
        time.sleep(1.5)  # the day is read; its pages are being drawn
        assert report.is_alive(), "the report must still be drawing for this to prove anything"
        reported = time.monotonic()
        stopped = post(armorer, f"/p/{slug}/stop/", {"action": "stop", "reason": "drill"})
        assert stopped.status in (200, 302)
        while "STOP WORK" not in fetch(first_ad, alarm).text:
            assert time.monotonic() - reported < 2.0, "the banner waited for the report"
        shown_after = time.monotonic() - reported
        drawing = report.is_alive()
        report.join(timeout=120)

        assert shown_after < 2.0
        assert drawing, "the banner came while the report was still being drawn"
        assert got[0].status == 200
        assert got[0].body.startswith(b"%PDF")
    finally:
        stop_serve(process)
