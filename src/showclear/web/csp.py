"""The Content-Security-Policy every answer carries: scripts, styles and everything else only
from Showclear itself, and no inline script at all.

Should someone get text of theirs into a page (a firearm's notes, a person's name, an imported
manifest) that escaping somehow failed to neutralise, the browser still runs no script and
loads nothing it names: no inline ``<script>``, no ``onclick=``, no ``javascript:`` link, no
style attribute, no form posting elsewhere, no framing of the pages. Every asset is served by
Showclear (sets are often offline), so ``'self'`` is all a page needs; the pages carry no
inline script or style, and ``tests/browser/test_content_security_policy.py`` holds them to it
in Chromium. Django 5.2 has no CSP of its own; this one header needs no library.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # QR codes and charts drawn as data: images
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicy:
    """Django middleware: add :data:`POLICY` to every answer that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
