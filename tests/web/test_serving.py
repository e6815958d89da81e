"""Sign-in, the board, the ledger page and who may see what (through Django's test client); and
``showclear serve`` itself: its worker processes, a taken port, a store it cannot open."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

from demo_on_set import fetch, post
from web_server import Server, showclear

from in_process import App
from served_process import environment, free_port, start_serve, stop_serve


def a_production_with_a_login(app: App, name: str, username: str) -> tuple[str, str]:
    created = app.showclear("init", "--production", name, "--armorer", "Hannah Reed")
    assert created.returncode == 0, created.stderr
    made = app.showclear(
        "login", "--production", name, "--person", "person-1", "--username", username
    )
    assert made.returncode == 0, made.stderr
    password = made.stdout.strip().rsplit(" / ", 1)[1]
    slug = re.search(r"showclear/([a-z0-9-]+)/", created.stdout)
    assert slug
    return slug.group(1), password


def test_the_armorer_signs_in_and_sees_the_board_with_the_ledger_footer(app: App) -> None:
    slug, password = a_production_with_a_login(app, "Dust and Iron", "hannah")
    phone = app.browser()
    status, url, page = phone.sign_in("hannah", password)
    assert status == 200
    assert url.endswith(f"/p/{slug}/")
    assert "Dust and Iron" in page
    assert "Ledger: 1 entry" in page


def test_a_wrong_password_is_refused_with_a_plain_message(app: App) -> None:
    a_production_with_a_login(app, "Dust and Iron", "hannah")
    status, url, page = app.browser().sign_in("hannah", "not-the-password")
    assert status == 200
    assert url.endswith("/login/")
    assert "do not match" in page


def test_pages_need_a_sign_in(app: App) -> None:
    slug, _ = a_production_with_a_login(app, "Dust and Iron", "hannah")
    status, url, _ = app.browser().get(f"/p/{slug}/")
    assert status == 200
    assert "/login/" in url


def test_a_login_of_another_production_may_not_see_this_one(app: App) -> None:
    slug, _ = a_production_with_a_login(app, "Dust and Iron", "hannah")
    _, other_password = a_production_with_a_login(app, "Red River", "riley")
    outsider = app.browser()
    outsider.sign_in("riley", other_password)
    status, _, _ = outsider.get(f"/p/{slug}/")
    assert status == 403
    status, _, _ = outsider.get(f"/p/{slug}/ledger/")
    assert status == 403


def test_the_ledger_page_shows_a_checkpoint_that_verifies_with_the_key_it_shows(
    app: App,
) -> None:
    from showclear.core.ledger.checkpoint import open_checkpoint
    from showclear.core.ledger.note import NoteVerifier

    slug, password = a_production_with_a_login(app, "Dust and Iron", "hannah")
    phone = app.browser()
    phone.sign_in("hannah", password)
    status, _, page = phone.get(f"/p/{slug}/ledger/")
    assert status == 200
    notes = re.findall(r'<pre class="note"[^>]*>(.*?)</pre>', page, re.S)
    assert len(notes) == 2
    import html

    checkpoint = open_checkpoint(
        html.unescape(notes[0]), NoteVerifier.parse(html.unescape(notes[1]))
    )
    assert checkpoint.size == 1


# -- the server itself: worker processes, a broken store, stopping ------------------------------


def _children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux /proc)."""
    found = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.add(int(status.parent.name))
    return found


def test_worker_processes_each_serve_what_another_recorded(data_dir: Path) -> None:
    built = showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    assert built.returncode == 0, built.stderr
    saved = json.loads((data_dir / "demo-logins.json").read_text())
    logins = {login["username"]: login["password"] for login in saved["logins"]}
    alarm = f"/p/{saved['slug']}/alarm/"
    process, base = start_serve(data_dir, None, "--workers", "3")
    try:
        assert len(_children(process.pid)) == 3
        server = Server(data_dir, base)
        marta, dana = server.browser(), server.browser()
        marta.sign_in("marta", logins["marta"])
        dana.sign_in("dana", logins["dana"])
        assert not any("STOP WORK" in fetch(dana, alarm).text for _ in range(6))
        reported = post(marta, f"/p/{saved['slug']}/stop/", {"action": "stop", "reason": "drill"})
        assert reported.status in (200, 302)
        # Every read opens a fresh connection, which any of the three workers may take: each
        # one shows the STOP WORK recorded through another.
        banners = [fetch(dana, alarm).text for _ in range(12)]
        assert all("STOP WORK" in banner for banner in banners)
    finally:
        stop_serve(process)
    assert not _children(process.pid)  # the workers stop with the server


def _connections_held(pid: int, port: int) -> int:
    """How many established TCP connections to ``port`` process ``pid`` holds (Linux /proc)."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                established.add(fields[9])  # the socket's inode
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        held += target.startswith("socket:[") and target[8:-1] in established
    return held


def test_phones_connecting_at_once_are_spread_over_the_worker_processes(data_dir: Path) -> None:
    # A hundred phones open their kept-alive connections at the same moment. On one shared listening
    # socket the first worker awake took most of them (44 of 50 seen), leaving the other
    # worker's core idle; each worker now listens on its own and the kernel spreads them.
    built = showclear(data_dir, "init", "--production", "Dust and Iron", "--armorer", "Hannah")
    assert built.returncode == 0, built.stderr
    process, base = start_serve(data_dir, None, "--workers", "2")
    port = int(base.rsplit(":", 1)[1])
    phones = []
    try:
        for _ in range(100):  # each asks at once, while the workers answer the others
            phone = socket.create_connection(("127.0.0.1", port), timeout=30)
            phone.sendall(b"GET /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            phones.append(phone)
        for phone in phones:  # each answered, the connection kept
            assert phone.recv(65536).startswith(b"HTTP/1.1 200")
        held = sorted(_connections_held(worker, port) for worker in _children(process.pid))
        assert sum(held) == 100
        assert held[0] >= 30, f"the connections were split {held}"
    finally:
        for phone in phones:
            phone.close()
        stop_serve(process)


def test_serve_on_a_port_another_program_listens_on_stops_at_once_saying_why(
    data_dir: Path,
) -> None:
    built = showclear(data_dir, "init", "--production", "Dust and Iron", "--armorer", "Hannah")
    assert built.returncode == 0, built.stderr
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        served = subprocess.run(
            [sys.executable, "-m", "showclear", "serve", "--port", str(port)],
            env=environment(data_dir),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert served.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port} (Address already in use)" in served.stderr
    assert "Showclear is serving" not in served.stdout  # nothing claims to serve there
    assert "Traceback" not in served.stderr


def test_serve_on_a_database_it_cannot_open_stops_at_once_saying_why(data_dir: Path) -> None:
    env = environment(data_dir)
    env["SHOWCLEAR_DATABASE_URL"] = "postgresql://nobody@127.0.0.1:1/showclear"
    served = subprocess.run(
        [sys.executable, "-m", "showclear", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert served.returncode == 2
    assert "showclear: cannot serve:" in served.stderr
    assert "Traceback" not in served.stderr


def test_after_five_failed_sign_ins_a_username_must_wait_even_with_the_right_password(
    app: App,
) -> None:
    _, password = a_production_with_a_login(app, "Dust and Iron", "hannah")
    _, other_password = a_production_with_a_login(app, "Red River", "riley")
    guesser = app.browser()
    for attempt in range(5):
        status, url, page = guesser.sign_in("hannah", f"guess-{attempt}")
        assert status == 200
        assert "do not match" in page
    status, url, page = guesser.sign_in("hannah", password)  # right, but too late
    assert status == 429
    assert "Too many failed sign-ins: wait 15 minutes" in page
    assert url.endswith("/login/")
    status, url, _ = guesser.get("/")
    assert "/login/" in url  # not signed in
    # Another username from the same phone is not held back by hannah's failures.
    status, url, page = app.browser().sign_in("riley", other_password)
    assert status == 200
    assert "/login/" not in url
