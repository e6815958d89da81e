"""Each set page is drawn from one moment of the state.

The service moves a production's state on in place when a command is recorded, so a page drawn
while another thread of the same process records a command could read half of one moment and
half of the next (or fail, when a dictionary it walks changes size). Under ``/p/`` every request
is answered inside :meth:`~showclear.service.Showclear.held`: commands of this process wait for
the page (a few milliseconds) and the page waits for a command being made durable. Commands
recorded by other processes reach this one only through its own catch-up, which runs under the
same hold.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from showclear.web.runtime import service


class StateHeldStill:
    """Django middleware: hold the state still while a set page (``/p/...``) is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith("/p/"):
            return self.get_response(request)
        with service().held():
            return self.get_response(request)
