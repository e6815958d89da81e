"""Each set page is drawn from one moment of the state.

The service moves a production's state on in place when a command is recorded, so a page drawn
while another thread of the same process records a command could read half of one moment and
half of the next (or fail, when a dictionary it walks changes size). Under ``/p/`` every request
is answered inside :meth:`~showclear.service.Showclear.held`: commands of this process wait for
the page (a few milliseconds) and the page waits for a command being made durable. Commands
recorded by other processes reach this one only through its own catch-up, which runs under the
same hold.

The hold is taken after the session and the login are read (they are not the state, and reading
them under the hold would make every other request of the process wait for the database too).
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
        # Who is asking is read from the database before the hold, not under it: the hold is
        # for the state, and every other page and command of this process waits while it is
        # held (Django reads the session and the login lazily, at first use).
        _ = request.user.is_authenticated
        with service().held():
            return self.get_response(request)
