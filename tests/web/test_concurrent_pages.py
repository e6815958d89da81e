"""Many phones at once: pages read by concurrent server threads never fail.

The web process has one store connection, shared by its threads; reads made outside the
service (the ledger footer's checkpoint, the production by its slug) once interleaved their
transactions with each other and answered 500 ("cannot start a transaction within a
transaction").
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from demo_on_set import DemoSite, fetch, served_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    with served_demo(tmp_path_factory.mktemp("concurrent") / "data") as site:
        yield site


def test_thirty_phones_reading_at_once_all_get_their_pages(demo: DemoSite) -> None:
    phones = [
        demo.signed_in(role) for role in ("armorer", "first-ad", "producer") for _ in range(10)
    ]
    paths = [f"/p/{demo.slug}/{page}" for page in ("today/", "firearm/R-01/", "alarm/", "")]
    answers: Counter[int] = Counter()
    counting = threading.Lock()
    start = threading.Barrier(len(phones))

    def read(number: int) -> None:
        start.wait()
        for round_ in range(12):
            status = fetch(phones[number], paths[(number + round_) % len(paths)]).status
            with counting:
                answers[status] += 1

    threads = [threading.Thread(target=read, args=(n,)) for n in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {200: len(phones) * 12}
