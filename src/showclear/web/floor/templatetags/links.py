"""Links to the page of a firearm, lot, container or person, where the signed-in person may
open it (a crew member who may not open a firearm's page sees its name, not a link to a 403).

``{% thing_url place "firearm" "R-01" %}``, ``{% person_url place person_id %}``, ``{{ place|where:item }}``
(a board line's "with Jo Carver (cast)" with the person or the container linked), and
``{% incidents_url place %}``.

A person links to the people page (``person``) once the set pages have one, else to the
person's scan page; the incidents list (``incidents``) likewise, else the STOP WORK page, which
lists the open incidents.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from showclear.web.floor.access import OnProduction, may

register = template.Library()

_PAGES = {
    "firearm": ("firearm", "firearm", "tag"),
    "lot": ("lot", "lot", "tag"),
    "container": ("scan-container", "scan", "tag"),
}
"""Kind -> (URL name, area that opens it, the URL's keyword)."""


def _url(name: str, **kwargs: str) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.simple_tag
def thing_url(place: OnProduction, kind: str, tag: str) -> str:
    """The page of firearm / lot / container ``tag``, or ``""`` when theirs to open is not."""
    name, area, key = _PAGES[kind]
    if not may(place, area):
        return ""
    return _url(name, slug=place.production.slug, **{key: tag})


@register.simple_tag
def person_url(place: OnProduction, person_id: str) -> str:
    """The page of a person: the people page when there is one, else their scan page."""
    slug = place.production.slug
    found = _url("person", slug=slug, person_id=person_id)
    if found:
        return found
    return _url("scan-person", slug=slug, person_id=person_id) if may(place, "scan") else ""


@register.simple_tag
def incidents_url(place: OnProduction) -> str:
    """The incidents page when the set pages have one, else the STOP WORK page (it lists them)."""
    slug = place.production.slug
    return _url("incidents", slug=slug) or reverse("stop", kwargs={"slug": slug})


def _linked(text: str, label: str, url: str) -> str:
    """``text`` escaped, with ``label`` in it a link to ``url``."""
    escaped, name = escape(text), escape(label)
    if not url or not label or name not in escaped:
        return str(escaped)
    return escaped.replace(name, str(format_html('<a href="{}">{}</a>', url, label)), 1)


@register.filter
def where(place: OnProduction, item: dict[str, Any]) -> SafeString:
    """A board line's ``where`` with its holder or container linked to their page."""
    text = str(item.get("where", ""))
    box, holder = item.get("container"), item.get("holder")
    if box:
        return mark_safe(_linked(text, box["label"], thing_url(place, "container", box["tag"])))  # noqa: S308 (escaped in _linked)
    if holder:
        return mark_safe(_linked(text, holder["label"], person_url(place, holder["person_id"])))  # noqa: S308 (escaped in _linked)
    return mark_safe(escape(text))  # noqa: S308 (escaped)
