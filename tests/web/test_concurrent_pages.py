"""Many phones at once: pages read by concurrent server threads never fail.

The web process has one store connection, shared by its threads; reads made outside the
service (the ledger footer's checkpoint, the production by its slug) once interleaved their
transactions with each other and answered 500 ("cannot start a transaction within a
transaction").
"""

from __future__ import annotations

import re
import threading
import urllib.parse
import urllib.request
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


def test_phones_keep_reading_whole_pages_while_the_armorer_records_in_the_same_process(
    demo: DemoSite,
) -> None:
    # Every record moves the shared state on in place while twenty phones draw pages from
    # it: each page is drawn from one moment, so none fails and none is cut short.
    armorer = demo.signed_in("armorer")
    readers = [demo.signed_in(role) for role in ("first-ad", "producer") for _ in range(10)]
    paths = [f"/p/{demo.slug}/{page}" for page in ("today/", "firearm/R-03/", "")]
    recording = threading.Event()
    answers: Counter[int] = Counter()
    whole: Counter[bool] = Counter()
    counting = threading.Lock()

    def read(number: int) -> None:
        round_ = 0
        while recording.is_set() or round_ < 3:
            answer = fetch(readers[number], paths[(number + round_) % len(paths)])
            with counting:
                answers[answer.status] += 1
                whole[answer.text.rstrip().endswith("</html>")] += 1
            round_ += 1

    recording.set()
    threads = [threading.Thread(target=read, args=(n,)) for n in range(len(readers))]
    for thread in threads:
        thread.start()
    recorded = 0
    try:
        page = f"/p/{demo.slug}/firearm/R-03/"
        for _ in range(8):  # out of the safe and back in, each a record of several entries
            for fields in ({"action": "draw"}, {"action": "secure", "container": "SAFE-1"}):
                token = re.search(
                    r'name="csrfmiddlewaretoken" value="([^"]+)"', fetch(armorer, page).text
                )
                assert token
                form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token.group(1)})
                sent = urllib.request.Request(
                    armorer.base + page + "act/", form.encode(), {"Referer": armorer.base + page}
                )
                with armorer.opener.open(sent, timeout=30) as answered:
                    assert "Recorded:" in answered.read().decode()
                recorded += 1
    finally:
        recording.clear()
        for thread in threads:
            thread.join()
    assert recorded == 16
    assert set(answers) == {200}
    assert whole == {True: sum(answers.values())}
