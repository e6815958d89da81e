"""``{% fragment "name" key… %}…{% endfragment %}``: a part of a page rendered once, then kept.

The set's pages are read far more often than the ledger grows: fifty phones reload Today and
the firearm pages while nothing is recorded. Django's templates cost milliseconds a page, so
the parts drawn from the ledger's state are rendered once per key and served from memory until
the key changes. The key must name everything the part shows: the ledger (its origin, unique
to each ledger ever made), the ledger size the state was read at (``place.state.seq``: every
change to the state is an entry, so a new entry is a new key), who is looking where the part
depends on it, the query's parameters, and for a part that depends on the clock, the moment it
was drawn (see :func:`moment`).

Forms inside a kept part are rendered with a stand-in for the CSRF token; each request gets its
own token put in its place, so a kept form is never another person's.

The memory is per process, bounded (least recently used parts go first), and holds only the
rendered text.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, Generic, TypeVar

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from showclear.web.floor.templatetags.presses import KEPT as PRESS_KEPT
from showclear.web.floor.templatetags.presses import fresh_keys

register = template.Library()
T = TypeVar("T")

KEPT = 2048
"""How many rendered parts a process keeps."""

_STAND_IN = f"csrf-{secrets.token_hex(16)}"
_kept: OrderedDict[tuple[Hashable, ...], str] = OrderedDict()
_lock = threading.Lock()


class WhenDrawn(Generic[T]):
    """``work``, done only if a template reads its value, and then once.

    Django's templates call a callable they are given and use what it returns. A page whose
    parts are kept gives the values those parts show as ``WhenDrawn(lambda: ...)``: worked out
    only when a part is drawn again, never for a request served from memory. (Lighter than
    ``functools.cache``, which costs more to make than most of these cost to skip.)
    """

    __slots__ = ("_done", "_value", "_work")

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._done = False

    def __call__(self) -> T:
        if not self._done:
            self._value = self._work()
            self._done = True
        return self._value


def moment(at: datetime, seconds: int = 5) -> int:
    """The ``seconds``-long stretch of time ``at`` falls in: a key part for a clock-bound part,
    so it is drawn again at most ``seconds`` later."""
    return int(at.timestamp()) // seconds


KeyPart = str | tuple[str, ...]
"""A part of a key as written: a quoted text (``str``), or a name and its attributes or
dictionary keys (``("place", "state", "seq")``)."""

_NAME = re.compile(r"[A-Za-z_]\w*(\.\w+)*")


def _looked_up(context: Context, path: tuple[str, ...]) -> Hashable:
    """``place.state.seq`` in ``context``: each step an attribute, or a key of a dictionary
    (a query's parameters). Missing is ``None``, which no text or number equals.

    Django's own variable lookup tries a key, an attribute and an index in turn, raising and
    catching an exception for each miss; a page resolves a dozen key parts per request.
    """
    value: Any = context.get(path[0])
    for name in path[1:]:
        if value is None:
            break
        value = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
    return value if value is None or isinstance(value, (str, int)) else str(value)


class FragmentNode(Node):
    def __init__(self, nodelist: NodeList, key: list[KeyPart]) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: Context) -> SafeString:
        key = tuple(
            part if isinstance(part, str) else _looked_up(context, part) for part in self.key
        )
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            with context.push({"csrf_token": _STAND_IN, PRESS_KEPT: True}):
                html = self.nodelist.render(context)
            with _lock:
                _kept[key] = html
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        if _STAND_IN in html:
            html = html.replace(_STAND_IN, str(context.get("csrf_token", "")))
        return mark_safe(fresh_keys(html))  # noqa: S308 - rendered by the template engine, escaped there


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    """``{% fragment "name" part… %}``: keep what is inside under the key (name, parts…)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and the parts of its key")
    key: list[KeyPart] = []
    for bit in bits:
        if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
            key.append(bit[1:-1])
        elif _NAME.fullmatch(bit):
            key.append(tuple(bit.split(".")))
        else:
            raise template.TemplateSyntaxError(
                f"{{% fragment %}} key part {bit!r}: a quoted text or a name such as "
                "place.state.seq (no filters)"
            )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, key)
