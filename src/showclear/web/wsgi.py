"""WSGI entry point."""

from __future__ import annotations

import os
import sys

from django.core.wsgi import get_wsgi_application

# A worker's threads share one interpreter lock. While one thread draws a long report (pure
# Python, seconds of CPU), every other thread gives the lock up at each database call and
# socket read and, by default, waits up to 5 ms to get it back: a STOP WORK and the banner
# polls of the other phones, dozens of such waits each, took 0.5 to 3 s. At 0.5 ms they take
# under 0.15 s (tests/web/test_long_reports.py). A thread alone is never interrupted, so a
# report drawn while nothing else runs takes as long as before.
SWITCH_INTERVAL = 0.0005
sys.setswitchinterval(SWITCH_INTERVAL)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "showclear.web.settings")
application = get_wsgi_application()
