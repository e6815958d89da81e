"""Uploads are measured while they are read: a file over its limit is refused before the rest is
read (413 when its size is declared over the page's limit, a plain form error when it goes past
the file's own limit inside the form), a body sent in chunks with no length is refused with
411, and nothing is recorded; through a real ``showclear serve`` on the demo production.
"""

from __future__ import annotations

import html
import re
import socket
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_on_set import DemoSite, fetch, post, served_demo
from web_server import Browser

from showclear.store import open_store

MAX_BYTES = 1_000_000
"""The largest CSV the import page takes (``showclear.web.floor.uploads``)."""
MAX_PHOTO_BYTES = 25 * 1024 * 1024
"""The largest photo the scan page takes (``showclear.web.floor.scan``)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with served_demo(tmp_path_factory.mktemp("uploads") / "data") as served:
        yield served


def _size(data_dir: Path) -> int:
    store = open_store(f"sqlite:///{data_dir / 'showclear.sqlite3'}")
    try:
        return store.size(store.productions()[0])
    finally:
        store.close()


def _words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _send_part(phone: Browser, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str]:
    """POST ``path`` as ``phone`` (its cookies), sending the headers and then only ``body``,
    however long the declared body; the status and page of the answer."""
    address = urllib.parse.urlsplit(phone.base)
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in phone.jar)
    head = [f"POST {path} HTTP/1.1", f"Host: {address.netloc}", f"Cookie: {cookies}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        answer = b""
        while True:
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
            top, found, rest = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length:\s*(\d+)", top)
            if found and length and len(rest) >= int(length.group(1)):
                break
    top, _, rest = answer.partition(b"\r\n\r\n")
    return int(top.split(b" ", 2)[1]), rest.decode()


def _multipart_head(size: int) -> dict[str, str]:
    return {
        "Content-Type": "multipart/form-data; boundary=limit-test",
        "Content-Length": str(size),
    }


def test_a_manifest_declared_over_the_limit_is_refused_before_the_rest_is_sent(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)
    fifty_megabytes = 50_000_000
    start = (
        b'--limit-test\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    )

    # Only the start of the body is sent: the answer comes without the rest ever being read.
    status, page = _send_part(
        marta, f"/p/{site.slug}/import/", _multipart_head(fifty_megabytes), start + b"x" * 1000
    )

    assert status == 413
    assert (
        "Not taken. The file is too large: Showclear takes files of at most 1,000 kB, and this "
        "was 50,000 kB. Nothing was recorded." in _words(page)
    )
    assert _size(site.server.data_dir) == before


def test_a_photo_declared_over_the_limit_is_refused_before_the_rest_is_sent(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    start = (
        b'--limit-test\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\n\r\n'
    )
    status, page = _send_part(
        marta, f"/p/{site.slug}/scan/", _multipart_head(MAX_PHOTO_BYTES * 4), start
    )
    assert status == 413
    assert f"at most {MAX_PHOTO_BYTES // 1000:,} kB" in _words(page)


def test_a_file_past_its_limit_inside_the_form_is_stopped_while_read_and_said_plainly(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)
    header = b"Tag,Type,Make,Model,Calibre,Serial #,Class,Chambers,Rental house\r\n"
    line = b"R-99,Revolver,Colt,Single Action Army,.45 LC,SA-1,blank firing,6,Western Prop\r\n"
    large = header + line * (MAX_BYTES // len(line) + 1000)  # over the file's limit
    assert MAX_BYTES < len(large) < MAX_BYTES * 4 // 3  # within the page's

    answer = post(
        marta,
        f"/p/{site.slug}/import/",
        {"kind": "manifest", "action": "import"},
        files={"file": ("big.csv", "text/csv", large)},
    )

    assert answer.status == 200
    assert f"Not imported. The file is over {MAX_BYTES // 1000} kB." in _words(answer.text)
    assert _size(site.server.data_dir) == before
    # The connection and the session are fine afterwards: the next page opens.
    assert fetch(marta, f"/p/{site.slug}/import/").status == 200


def test_a_photo_past_its_limit_inside_the_form_is_said_plainly(site: DemoSite) -> None:
    marta = site.signed_in("armorer")
    answer = post(
        marta,
        f"/p/{site.slug}/scan/",
        {},
        files={"photo": ("label.jpg", "image/jpeg", b"\xff" * (MAX_PHOTO_BYTES + 1000))},
    )
    assert answer.status == 200
    assert "That file is too large to be a photo of a label." in _words(answer.text)


def test_an_upload_sent_in_chunks_without_a_length_is_411_and_records_nothing(
    site: DemoSite,
) -> None:
    marta = site.signed_in("armorer")
    before = _size(site.server.data_dir)
    part = b'--limit-test\r\nContent-Disposition: form-data; name="kind"\r\n\r\nmanifest\r\n'
    body = f"{len(part):x}\r\n".encode() + part + b"\r\n0\r\n\r\n"
    status, page = _send_part(
        marta,
        f"/p/{site.slug}/import/",
        {
            "Content-Type": "multipart/form-data; boundary=limit-test",
            "Transfer-Encoding": "chunked",
        },
        body,
    )
    assert status == 411
    assert "Send the body with a Content-Length" in _words(page)
    assert _size(site.server.data_dir) == before


def test_the_import_page_still_takes_a_file_within_the_limit(site: DemoSite) -> None:
    marta = site.signed_in("armorer")
    manifest = (
        b"Tag,Type,Make,Model,Calibre,Serial #,Class,Chambers,Rental house\r\n"
        b"R-31,Revolver,Colt,Single Action Army,.45 LC,SA-77001,blank firing,6,Western Props\r\n"
    )
    answer = post(
        marta,
        f"/p/{site.slug}/import/",
        {"kind": "manifest", "action": "check"},
        files={"file": ("rentals.csv", "text/csv", manifest)},
    )
    assert answer.status == 200
    assert "rentals.csv would record 1 entry (nothing recorded yet)" in _words(answer.text)
