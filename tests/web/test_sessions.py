"""Sessions and logins are read fresh from the database on every request, by every worker.

Each request reads its session, its login and the login's place on the production with one
plain query each (``showclear.web.accounts.lookups``) rather than through the ORM. These tests
hold those reads to what Django's own do, against ``showclear serve`` with two worker
processes: every request opens a new connection, which either worker may take.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from demo_on_set import fetch
from web_server import Browser, Server, showclear

from served_process import start_serve, stop_serve


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    data_dir = tmp_path_factory.mktemp("sessions") / "data"
    built = showclear(data_dir, "demo", "--no-serve", "--day-two", "2026-10-14")
    assert built.returncode == 0, built.stderr
    saved = json.loads((data_dir / "demo-logins.json").read_text())
    process, base = start_serve(data_dir, None, "--workers", "2")
    try:
        yield (
            Server(data_dir, base),
            {
                "slug": saved["slug"],
                **{login["username"]: login["password"] for login in saved["logins"]},
            },
        )
    finally:
        stop_serve(process)


def signed_in(demo: tuple[Server, dict[str, str]], username: str) -> Browser:
    server, logins = demo
    phone = server.browser()
    phone.sign_in(username, logins[username])
    return phone


def same_session(phone: Browser, base: str) -> Browser:
    """A second browser holding ``phone``'s session cookie (a copied cookie, a second tab)."""
    other = Browser(base)
    for cookie in phone.jar:
        other.jar.set_cookie(cookie)
    return other


def sign_out(phone: Browser, slug: str) -> int:
    page = fetch(phone, f"/p/{slug}/today/").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "the page carries the sign-out form's CSRF token"
    request = urllib.request.Request(
        phone.base + "/logout/",
        data=urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1)}).encode(),
        headers={"Referer": phone.base + "/"},
    )
    try:
        with phone.opener.open(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_signed_in_phone_sees_its_person_on_every_worker(
    demo: tuple[Server, dict[str, str]],
) -> None:
    logins = demo[1]
    phone = signed_in(demo, "dana")
    pages = [fetch(phone, f"/p/{logins['slug']}/today/") for _ in range(8)]
    assert all(page.status == 200 for page in pages)
    assert all("Sign out Dana" in page.text for page in pages)


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie_at_once(
    demo: tuple[Server, dict[str, str]],
) -> None:
    server, logins = demo
    phone = signed_in(demo, "marta")
    tab = same_session(phone, server.base)
    assert fetch(tab, f"/p/{logins['slug']}/today/").status == 200
    assert sign_out(phone, logins["slug"]) == 200
    answers = [fetch(tab, f"/p/{logins['slug']}/today/") for _ in range(6)]
    assert all(answer.status == 302 for answer in answers), [a.status for a in answers]
    assert all("/login/" in answer.location for answer in answers)
    assert all(fetch(tab, f"/p/{logins['slug']}/alarm/").status == 403 for _ in range(4))


def test_resetting_a_login_signs_out_every_phone_using_it_on_its_next_request(
    demo: tuple[Server, dict[str, str]],
) -> None:
    server, logins = demo
    phone = signed_in(demo, "sam")
    assert fetch(phone, f"/p/{logins['slug']}/today/").status == 200
    saved = json.loads((server.data_dir / "demo-logins.json").read_text())
    sam = next(login for login in saved["logins"] if login["username"] == "sam")
    reset = showclear(server.data_dir, "login", "--person", sam["person_id"], "--username", "sam")
    assert reset.returncode == 0, reset.stderr
    answers = [fetch(phone, f"/p/{logins['slug']}/today/") for _ in range(6)]
    assert all(answer.status == 302 for answer in answers), [a.status for a in answers]
    new_password = reset.stdout.strip().rsplit(" / ", 1)[1]
    again = server.browser()
    status, url, _ = again.sign_in("sam", new_password)
    assert status == 200
    assert "/login/" not in url


def test_a_forged_or_unknown_session_cookie_is_a_stranger(
    demo: tuple[Server, dict[str, str]],
) -> None:
    server, logins = demo
    for forged in ("x" * 32, "'; DROP TABLE django_session; --", ""):
        request = urllib.request.Request(
            server.base + f"/p/{logins['slug']}/today/",
            headers={"Cookie": f"sessionid={urllib.parse.quote(forged)}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert "/login/" in response.url  # redirected to sign in, as anyone unknown
    still = signed_in(demo, "marta")
    assert fetch(still, f"/p/{logins['slug']}/today/").status == 200  # the table is still there
