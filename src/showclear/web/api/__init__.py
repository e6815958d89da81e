"""The JSON API: ``/api/v1/``, for scanners, devices and a production's other software.

Every query and command the set pages have, over HTTP with an OpenAPI 3 document, device tokens
(one production, one role, hashed, revocable), idempotency keys on every command and one error
shape for every refusal. Commands go through :meth:`showclear.service.Service.execute` like
every other writer: the core decides, the API only says who asks and on what device.
"""

from __future__ import annotations
