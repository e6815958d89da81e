"""The web app served by ``showclear serve``: sign-in, the board, the ledger page, who may see what."""

from __future__ import annotations

import re
from pathlib import Path

from web_server import Server, showclear


def a_production_with_a_login(data_dir: Path, name: str, username: str) -> tuple[str, str]:
    created = showclear(data_dir, "init", "--production", name, "--armorer", "Hannah Reed")
    assert created.returncode == 0, created.stderr
    made = showclear(
        data_dir, "login", "--production", name, "--person", "person-1", "--username", username
    )
    assert made.returncode == 0, made.stderr
    password = made.stdout.strip().rsplit(" / ", 1)[1]
    slug = re.search(r"showclear/([a-z0-9-]+)/", created.stdout)
    assert slug
    return slug.group(1), password


def test_the_armorer_signs_in_and_sees_the_board_with_the_ledger_footer(server: Server) -> None:
    slug, password = a_production_with_a_login(server.data_dir, "Dust and Iron", "hannah")
    phone = server.browser()
    status, url, page = phone.sign_in("hannah", password)
    assert status == 200
    assert url.endswith(f"/p/{slug}/")
    assert "Dust and Iron" in page
    assert "Ledger: 1 entry" in page


def test_a_wrong_password_is_refused_with_a_plain_message(server: Server) -> None:
    a_production_with_a_login(server.data_dir, "Dust and Iron", "hannah")
    status, url, page = server.browser().sign_in("hannah", "not-the-password")
    assert status == 200
    assert url.endswith("/login/")
    assert "do not match" in page


def test_pages_need_a_sign_in(server: Server) -> None:
    slug, _ = a_production_with_a_login(server.data_dir, "Dust and Iron", "hannah")
    status, url, _ = server.browser().get(f"/p/{slug}/")
    assert status == 200
    assert "/login/" in url


def test_a_login_of_another_production_may_not_see_this_one(server: Server) -> None:
    slug, _ = a_production_with_a_login(server.data_dir, "Dust and Iron", "hannah")
    _, other_password = a_production_with_a_login(server.data_dir, "Red River", "riley")
    outsider = server.browser()
    outsider.sign_in("riley", other_password)
    status, _, _ = outsider.get(f"/p/{slug}/")
    assert status == 403
    status, _, _ = outsider.get(f"/p/{slug}/ledger/")
    assert status == 403


def test_the_ledger_page_shows_a_checkpoint_that_verifies_with_the_key_it_shows(
    server: Server,
) -> None:
    from showclear.core.ledger.checkpoint import open_checkpoint
    from showclear.core.ledger.note import NoteVerifier

    slug, password = a_production_with_a_login(server.data_dir, "Dust and Iron", "hannah")
    phone = server.browser()
    phone.sign_in("hannah", password)
    status, _, page = phone.get(f"/p/{slug}/ledger/")
    assert status == 200
    notes = re.findall(r'<pre class="note">(.*?)</pre>', page, re.S)
    assert len(notes) == 2
    import html

    checkpoint = open_checkpoint(
        html.unescape(notes[0]), NoteVerifier.parse(html.unescape(notes[1]))
    )
    assert checkpoint.size == 1
