"""Each set page is drawn from one moment of the state.

The service moves a production's state on in place when a command is recorded, so a page drawn
while another thread of the same process records a command could read half of one moment and
half of the next (or fail, when a dictionary it walks changes size). Under ``/p/`` every request
is answered inside :meth:`~showclear.service.Service.held`: commands of this process wait for
the page (a few milliseconds) and the page waits for a command being made durable. Commands
recorded by other processes reach this one only through its own catch-up, which runs under the
same hold.

The hold is taken once the view is known, after the session and the login are read: they are
not the state, and reading them under the hold would make every other request of the process
wait for the database too. A view that draws something long from what it read (a report's
PDF: seconds for a busy day) is marked :func:`holds_the_state_itself` and holds the state only
while it reads it, so the STOP WORK banner polls answered by the same process are not kept
waiting while the PDF is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase

from showclear.web.runtime import service

View = TypeVar("View", bound=Callable[..., Any])


def holds_the_state_itself(view: View) -> View:
    """Mark a set page view that takes ``service().held()`` itself around what it reads of the
    state (nothing it draws afterwards may read the state)."""
    view.holds_the_state_itself = True  # type: ignore[attr-defined]
    return view


class StateHeldStill:
    """Django middleware: hold the state still while a set page (``/p/...``) is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith("/p/"):
            return self.get_response(request)
        _ = request.user.is_authenticated  # Django reads the session and login at first use
        with ExitStack() as hold:
            request.state_hold = hold  # type: ignore[attr-defined]
            return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> None:
        """Hold the state from here to the answer, unless the view holds it itself."""
        hold: ExitStack | None = getattr(request, "state_hold", None)
        if hold is not None and not getattr(view, "holds_the_state_itself", False):
            hold.enter_context(service().held())
