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

import secrets
import threading
from collections import OrderedDict
from datetime import datetime

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

KEPT = 2048
"""How many rendered parts a process keeps."""

_STAND_IN = f"csrf-{secrets.token_hex(16)}"
_kept: OrderedDict[tuple[str, ...], str] = OrderedDict()
_lock = threading.Lock()


def moment(at: datetime, seconds: int = 5) -> int:
    """The ``seconds``-long stretch of time ``at`` falls in: a key part for a clock-bound part,
    so it is drawn again at most ``seconds`` later."""
    return int(at.timestamp()) // seconds


class FragmentNode(Node):
    def __init__(self, nodelist: NodeList, key: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: Context) -> SafeString:
        key = tuple(str(part.resolve(context)) for part in self.key)
        with _lock:
            html = _kept.get(key)
            if html is not None:
                _kept.move_to_end(key)
        if html is None:
            with context.push(csrf_token=_STAND_IN):
                html = self.nodelist.render(context)
            with _lock:
                _kept[key] = html
                while len(_kept) > KEPT:
                    _kept.popitem(last=False)
        if _STAND_IN in html:
            html = html.replace(_STAND_IN, str(context.get("csrf_token", "")))
        return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


@register.tag("fragment")
def fragment(parser: Parser, token: Token) -> FragmentNode:
    """``{% fragment "name" part… %}``: keep what is inside under the key (name, parts…)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name and the parts of its key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
