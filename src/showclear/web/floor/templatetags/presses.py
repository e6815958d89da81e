"""``{% press_key %}``: the hidden key of one press, in every form that records.

A fresh key each time the form is drawn (:func:`showclear.web.floor.presses.new_key`). Inside a
kept part of a page (``{% fragment %}``) a stand-in is written instead, and each request gets
fresh keys in its place (:mod:`~showclear.web.floor.templatetags.fragments`), so a kept form
never shares its key with another drawing of it.
"""

from __future__ import annotations

import secrets

from django import template
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString

from showclear.web.floor.presses import FIELD, new_key

register = template.Library()

STAND_IN = f"press-{secrets.token_hex(16)}"
"""Written for a key inside a kept part; each request puts a fresh key in each one's place."""

KEPT = "_press_kept"
"""The context flag a kept part sets while it is drawn."""


@register.simple_tag(takes_context=True)
def press_key(context: Context) -> SafeString:
    """``<input type="hidden" name="press" value="...">`` with a fresh key."""
    key = STAND_IN if context.get(KEPT) else new_key()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, key)


def fresh_keys(html: str) -> str:
    """``html`` with a fresh key in place of each stand-in (one per form)."""
    if STAND_IN not in html:
        return html
    parts = html.split(STAND_IN)
    return "".join(part + (new_key() if n < len(parts) - 1 else "") for n, part in enumerate(parts))
