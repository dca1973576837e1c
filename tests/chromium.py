"""Which Chromium the browser tests drive, and its flags (one home for both).

Debian's old headless shell (package chromium-headless-shell, the same Chromium
release as the chromium package) when it is installed: it spent about half the
CPU seconds of the full browser in headless mode per page load of the book
(4.2 s against 8.1 s on a chapter, measured in a cgroup on this machine), most
of the difference in the browser process itself. Otherwise /usr/bin/chromium.
``GBG_CHROMIUM`` names another executable (to compare them, say).
"""
from __future__ import annotations

import os
import shutil

HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"
FULL_BROWSER = "/usr/bin/chromium"
CHROMIUM = os.environ.get("GBG_CHROMIUM") or (HEADLESS_SHELL if shutil.which(HEADLESS_SHELL) else FULL_BROWSER)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
#: For the browser tests of the built site: no host name resolves, so a page's request for
#: anything but 127.0.0.1 fails at once (tests/browser_tab.py records it) without the
#: request interception that turns the HTTP cache off.
LOCAL_ONLY_ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
MISSING = (f"{CHROMIUM} is missing: run `make system-deps` "
           "(Debian packages chromium-headless-shell and chromium)")
