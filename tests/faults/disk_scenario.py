"""A served production on a small disk that fills up, then fails read-only, then is repaired.

Nothing is simulated: the data directory (database, keys, secrets) is on a real 32 MB ext4
filesystem in a file, mounted through a loop device with ``errors=remount-ro``. It is filled
with a file until the kernel answers ENOSPC; later the kernel is told that the filesystem is
damaged (``/sys/fs/ext4/<device>/trigger_fs_error``), and turns it read-only under the running
server, as it does when a disk fails. Then the server is stopped, the filesystem checked
(``e2fsck``) and mounted again, and the server started.

Mounting a loop device needs root (as ``.ci/run`` has). The scenario runs inside a private mount
namespace (``unshare --mount``), so that its mount vanishes with it however it ends, and prints
one JSON object of what it saw, which ``test_disk_faults.py`` asserts on::

    unshare --mount --propagation private python tests/faults/disk_scenario.py WORKDIR
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fault_server import (
    KillableServer,
    Phone,
    api,
    init_production,
    make_login,
    make_token,
    run_showclear,
    showclear_env,
)

DISK_MB = 32


def fill(disk: Path) -> int:
    """Write a file on ``disk`` until the disk is full (ENOSPC); the bytes written."""
    written = 0
    with (disk / "filler").open("wb", buffering=0) as filler:
        for chunk in (1 << 20, 1 << 12, 1 << 9):
            block = b"\0" * chunk
            while True:
                try:
                    written += filler.write(block)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
    return written


def mount(image: Path, disk: Path) -> None:
    """Mount the ext4 filesystem in ``image`` at ``disk``."""
    subprocess.run(
        ["mount", "-o", "loop,errors=remount-ro", str(image), str(disk)],
        check=True,
        capture_output=True,
    )


def fail_read_only(disk: Path) -> str:
    """Tell the kernel the filesystem at ``disk`` is damaged: it turns read-only at once."""
    source = subprocess.run(
        ["findmnt", "--noheadings", "--output", "SOURCE", str(disk)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    device = Path(source).name  # /dev/loop3 -> loop3
    Path(f"/sys/fs/ext4/{device}/trigger_fs_error").write_text("showclear: the disk failed\n")
    return subprocess.run(
        ["findmnt", "--noheadings", "--output", "OPTIONS", str(disk)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def repair(image: Path, disk: Path) -> int:
    """Unmount, check and repair (``e2fsck -fy``), mount again; e2fsck's exit code."""
    subprocess.run(["umount", str(disk)], check=True)
    checked = subprocess.run(["e2fsck", "-fy", str(image)], capture_output=True, check=False)
    mount(image, disk)
    return checked.returncode


class Production:
    """The production under test, through the API and a signed-in phone."""

    def __init__(self, base: str, slug: str, token: str, phone: Phone) -> None:
        self.base, self.slug, self.token, self.phone = base, slug, token, phone

    def record(self, course: str, key: str | None) -> dict[str, Any]:
        answer = api(
            self.base,
            "POST",
            f"/productions/{self.slug}/commands/record-training",
            token=self.token,
            body={"person_id": "person-1", "course": course, "completed_on": "2024-01-01"},
            key=key,
        )
        return {"status": answer.status, "body": answer.body, "headers": answer.headers}

    def size(self) -> int | None:
        answer = api(self.base, "GET", f"/productions/{self.slug}", token=self.token)
        return int(answer.body["entries"]) if answer.status == 200 else None

    def courses(self) -> list[str] | None:
        answer = api(
            self.base, "GET", f"/productions/{self.slug}/people/person-1", token=self.token
        )
        if answer.status != 200:
            return None
        return [t["course"] for t in answer.body["trainings"]]

    def stop_work(self, reason: str) -> dict[str, Any]:
        status, page = self.phone.open(
            f"/p/{self.slug}/stop/", {"action": "stop", "reason": reason}
        )
        return {"status": status, "page": page}

    def observe(self, course: str, key: str, reason: str) -> dict[str, Any]:
        """Try one API command and one web command; read what the production holds after."""
        before = self.size()
        seen = {"before": before, "api": self.record(course, key)}
        # Without a key the request reaches the ledger itself (no key to claim first).
        seen["api_no_key"] = self.record(course + " without a key", None)
        seen["web"] = self.stop_work(reason)
        seen["after"] = self.size()
        seen["courses"] = self.courses()
        status, page = self.phone.open(f"/p/{self.slug}/stop/")
        seen["read_page"] = {"status": status, "stopped": "STOP WORK" in page and reason in page}
        return seen


def scenario(workdir: Path) -> dict[str, Any]:
    image, disk = workdir / "disk.img", workdir / "disk"
    disk.mkdir()
    with image.open("wb") as made:
        made.truncate(DISK_MB << 20)
    # -m 0: no blocks reserved for root, so the server (root here) fills the disk like anyone.
    subprocess.run(["mkfs.ext4", "-q", "-m", "0", str(image)], check=True)
    mount(image, disk)
    env = showclear_env(disk / "data")
    slug = init_production(env, "Full Disk Western")
    token = make_token(env, slug, "scanner")
    password = make_login(env, "person-1", "hannah")
    server = KillableServer(env, workdir / "serve.log")  # the log is not on the small disk
    server.start()
    seen: dict[str, Any] = {}
    try:
        phone = Phone(server.base)
        phone.sign_in("hannah", password)
        production = Production(server.base, slug, token, phone)
        seen["baseline"] = production.record("first aid", str(uuid.uuid4()))
        full_key, read_only_key = str(uuid.uuid4()), str(uuid.uuid4())

        seen["filled_bytes"] = fill(disk)
        seen["full"] = production.observe("disk full drill", full_key, "the disk is full")
        (disk / "filler").unlink()
        seen["freed"] = {
            "api": production.record("disk full drill", full_key),
            "size": production.size(),
            "courses": production.courses(),
        }

        seen["mount_options"] = fail_read_only(disk)
        seen["read_only"] = production.observe(
            "read-only drill", read_only_key, "the disk is read-only"
        )
        server.stop()
        seen["e2fsck"] = repair(image, disk)
        server.start()
        phone = production.phone = Phone(server.base)
        phone.sign_in("hannah", password)
        seen["repaired"] = {
            "api": production.record("read-only drill", read_only_key),
            "web": production.stop_work("the disk is repaired"),
            "size": production.size(),
            "courses": production.courses(),
        }
    finally:
        server.stop()
        seen["server_log"] = server.tail(300)
    verified = run_showclear(env, "verify")
    seen["verify"] = {"code": verified.returncode, "out": verified.stdout + verified.stderr}
    return seen


if __name__ == "__main__":
    print(json.dumps(scenario(Path(sys.argv[1]))))
    sys.stdout.flush()
    os._exit(0)
