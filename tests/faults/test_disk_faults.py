"""A full disk and a disk that fails read-only, under a running server: a command that cannot be
made durable is answered "not recorded" (503, in the API's one error shape, and on the page),
nothing changes, reads go on, and the same command is recorded once the disk is back.

The disk is real: a 32 MB ext4 filesystem on a loop device, filled until the kernel answers
ENOSPC, then turned read-only by the kernel itself (see ``disk_scenario.py``). Mounting needs
root, as ``.ci/run`` has; as anyone else these tests fail saying so rather than pretend.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCENARIO = Path(__file__).with_name("disk_scenario.py")


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What the disk scenario saw, run once for every test here."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.fail(
            "the disk-fault tests mount a small ext4 filesystem on a loop device: run them as "
            "root (as .ci/run does), with util-linux's unshare and e2fsprogs installed",
            pytrace=False,
        )
    workdir = tmp_path_factory.mktemp("disk")
    ran = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, str(SCENARIO),
         str(workdir)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-5000:]
    return dict(json.loads(ran.stdout.strip().splitlines()[-1]))


def _not_recorded(answer: dict[str, Any]) -> None:
    assert answer["status"] == 503, answer
    body = answer["body"]
    assert set(body) == {"status", "title", "detail", "rule_ids", "violations", "errors"}
    assert body["status"] == 503
    assert body["title"] == "Not recorded"
    assert "nothing was recorded" in body["detail"].lower()


@pytest.mark.parametrize("fault", ["full", "read_only"])
def test_the_api_answers_a_command_it_cannot_make_durable_with_503_not_recorded(
    seen: dict[str, Any], fault: str
) -> None:
    _not_recorded(seen[fault]["api"])
    _not_recorded(seen[fault]["api_no_key"])


@pytest.mark.parametrize("fault", ["full", "read_only"])
def test_the_page_says_not_recorded_and_answers_503(seen: dict[str, Any], fault: str) -> None:
    web = seen[fault]["web"]
    assert web["status"] == 503
    assert "Not recorded." in web["page"]


@pytest.mark.parametrize("fault", ["full", "read_only"])
def test_nothing_changes_and_the_production_can_still_be_read(
    seen: dict[str, Any], fault: str
) -> None:
    observed = seen[fault]
    assert observed["after"] == observed["before"], "the ledger holds no new entry"
    assert "disk full drill" not in (observed["courses"] if fault == "full" else [])
    assert not any("read-only drill" in course for course in observed["courses"])
    assert not any("without a key" in course for course in observed["courses"])
    assert observed["read_page"] == {"status": 200, "stopped": False}, "work was not stopped"


def test_the_disk_was_really_full_and_then_really_read_only(seen: dict[str, Any]) -> None:
    assert seen["filled_bytes"] > 20 << 20
    assert "emergency_ro" in seen["mount_options"]
    assert seen["e2fsck"] in (0, 1), "the filesystem was checked (1: errors corrected)"


def test_the_same_command_is_recorded_once_when_the_disk_has_room_again(
    seen: dict[str, Any],
) -> None:
    freed = seen["freed"]
    assert freed["api"]["status"] == 201, freed["api"]
    assert freed["courses"].count("disk full drill") == 1
    assert freed["size"] == seen["full"]["before"] + 1


def test_after_the_disk_is_repaired_the_server_records_again_and_the_ledger_is_intact(
    seen: dict[str, Any],
) -> None:
    repaired = seen["repaired"]
    assert repaired["api"]["status"] == 201, repaired["api"]
    assert repaired["courses"].count("read-only drill") == 1
    assert repaired["web"]["status"] == 200
    assert "STOP WORK" in repaired["web"]["page"]
    assert seen["verify"]["code"] == 0, seen["verify"]["out"]
    assert seen["verify"]["out"].startswith("intact:")
