"""The one application service a web process uses, opened on first use."""

from __future__ import annotations

import threading

from showclear.service import Service
from showclear.web.refusals import log as refusals

_service: Service | None = None
_opening = threading.Lock()


def service() -> Service:
    """This process's application service (one store connection, used in turns)."""
    global _service
    if _service is None:
        with _opening:
            if _service is None:
                _service = Service.from_environment()
                _service.device = "web"
                refusals.listen(_service)  # refused commands go to the refusal log
    return _service
