"""Webhooks: a production's other software hears of STOP WORK, incidents, misfires and count
differences the moment they are recorded, signed with the hook's own secret.

:mod:`.models` the hooks, the outbox of deliveries and every attempt; :mod:`.signing` the
secret and the signature; :mod:`.outbox` what is queued and how it is retried;
:mod:`.courier` the thread that sends; :mod:`.subscriptions` adding and removing hooks, and
:mod:`.log` their delivery log (for the API and ``showclear webhook``, in
:mod:`showclear.cli.webhook`).
"""

from __future__ import annotations
