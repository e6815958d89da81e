"""No badge code, badge secret, PIN or argon2 hash in anything Showclear lets anyone read: the
API's history and queries, the history CSV, the traces (``showclear trace --json`` and the web
trace pages), every PDF report and the export bundle.

The secrets are made through the real interfaces first: the demo issues every badge and the
performers' PINs through the service's credential desk (``showclear demo``), and then a badge and
a PIN are issued over the API, and every performer with a PIN confirms by typing it. Then each
read path is read whole, as bytes (PDF streams inflated), and searched.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from api_server import Site, make_token, serving
from demo_on_set import fetch
from web_server import Browser

from served_process import environment

API_PIN = "80427316"


def _showclear(data_dir: Path, *args: str) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "showclear", *args],
        env=environment(data_dir), capture_output=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def _inflated(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed (its text is in them)."""
    parts = [pdf]
    for found in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):  # not Flate: an image's own encoding
            parts.append(zlib.decompress(found.group(1)))
    return b"\n".join(parts)


def _secrets(credentials: dict[str, object], extra: list[str]) -> list[str]:
    badges = [str(b["badge"]) for b in credentials["badges"]]  # type: ignore[index,union-attr]
    pins = [str(b["pin"]) for b in credentials["badges"] if b["pin"]]  # type: ignore[index,union-attr]
    assert badges, "the demo issued badges"
    assert pins, "and PINs"
    found = [*badges, *pins, *extra]
    # A badge's secret part alone, with and without its dashes, is a secret too.
    for code in [*badges, *(e for e in extra if "-" in e)]:
        secret = code.split("-", 1)[1]
        found += [secret, secret.replace("-", "")]
    return found


def _holds(blob: bytes, secrets: list[str]) -> list[str]:
    text = blob.decode("latin-1")
    held = [s for s in secrets if re.search(rf"(?<![0-9A-Z]){re.escape(s)}(?![0-9A-Z])", text)]
    return held + [marker for marker in ("$argon2", "argon2id") if marker in text]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("reads") / "data"
    data_dir.mkdir(mode=0o700)
    _showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    return data_dir


def test_no_read_path_holds_a_badge_code_a_pin_or_a_hash(demo: Path, tmp_path: Path) -> None:
    credentials = json.loads((demo / "demo-logins.json").read_text())
    slug = str(credentials["slug"])
    armorer = credentials["logins"][0]
    token = make_token(demo, slug, armorer["person_id"], "armorer", "reading device")
    read: dict[str, bytes] = {}
    with serving(demo) as base:
        site = Site(base, demo, slug, {"armorer": token})
        cast = next(b for b in credentials["badges"] if b["role"] == "stunt")
        issued = site.issue_badge(cast["person_id"])
        site.issue_pin(cast["person_id"], API_PIN)
        confirmed = site.call(
            "POST",
            f"/productions/{slug}/confirmations",
            body={"person_id": cast["person_id"], "pin": API_PIN},
        )
        assert confirmed.status == 200, confirmed.body

        state = site.call("GET", f"/productions/{slug}")
        read["API state"] = json.dumps(state.body).encode()
        for person in state.body["people"]:
            answer = site.call("GET", f"/productions/{slug}/people/{person['person_id']}")
            read[f"API person {person['person_id']}"] = json.dumps(answer.body).encode()
        for firearm in state.body["firearms"]:
            answer = site.call("GET", f"/productions/{slug}/firearms/{firearm['tag']}")
            read[f"API firearm {firearm['tag']}"] = json.dumps(answer.body).encode()
        after, pages = -1, []
        while after is not None:
            page = site.call("GET", f"/productions/{slug}/history?limit=500&after={after}")
            assert page.status == 200, page.body
            pages.append(json.dumps(page.body).encode())
            after = page.body["next_after"]
        read["API history"] = b"\n".join(pages)
        assert b"credential.issued" in read["API history"], "the issues are in the history"

        phone = site_phone(base, armorer["username"], armorer["password"])
        for person in state.body["people"]:
            page = fetch(phone, f"/p/{slug}/person/{person['person_id']}/trace/")
            assert page.status == 200
            read[f"web trace {person['person_id']}"] = page.body
        for firearm in state.body["firearms"]:
            page = fetch(phone, f"/p/{slug}/firearm/{firearm['tag']}/trace/")
            read[f"web trace {firearm['tag']}"] = page.body

    read["history CSV"] = _showclear(demo, "report", "history", "--out", "-")
    for person in state.body["people"]:
        read[f"trace --json {person['person_id']}"] = _showclear(
            demo, "trace", "person", person["person_id"], "--json"
        )
    read["trace --json R-01"] = _showclear(demo, "trace", "firearm", "R-01", "--json")
    for kind, args in (
        ("daily-log", ("--day", "day-2")),
        ("meeting-sheet", ("--day", "day-2")),
        ("wrap", ("--day", "day-1")),
        ("compliance", ("--day", "day-2")),
        ("firearm", ("R-01",)),
        ("bound-book", ()),
        ("inventory", ()),
    ):
        out = tmp_path / f"{kind}.pdf"
        _showclear(demo, "report", kind, *args, "--out", str(out))
        body = out.read_bytes()
        read[f"report {kind}"] = _inflated(body) if body.startswith(b"%PDF") else body
    # The scan reads words, not compressed bytes: each report's names are there to be found.
    assert b"Dust and Iron" in read["report daily-log"]
    bundle = tmp_path / "bundle"
    _showclear(demo, "export", "--out", str(bundle))
    for file in sorted(bundle.iterdir()):
        read[f"bundle {file.name}"] = file.read_bytes()
    assert b"credential.issued" in read["bundle log.jsonl"]

    secrets = _secrets(credentials, [issued, API_PIN])
    leaks = {where: held for where, blob in read.items() if (held := _holds(blob, secrets))}
    assert leaks == {}, f"secrets readable: {leaks}"


def site_phone(base: str, username: str, password: str) -> Browser:
    """A browser signed in as the armorer."""
    phone = Browser(base)
    status, url, _ = phone.sign_in(username, password)
    assert status == 200
    assert "/login/" not in url
    return phone
