"""One Chromium tab reused for many page loads, recording what the pages did wrong.

What it records: console errors, uncaught page errors, every request for
anything but 127.0.0.1 (or a data:/blob: URL), and every request's URL. Requests are watched by a
listener, not intercepted: Playwright's routing turns Chromium's HTTP cache off,
so every load fetched and compiled the theme and the widget scripts (MathJax's too, then)
afresh (a chapter's load cost 4.0 CPU-s routed, 2.4 s watched in a reused tab,
measured in a cgroup). The browser cannot reach another host anyway: the
browser tests' Chromium resolves no host name (``chromium.LOCAL_ONLY_ARGS``), so
such a request fails at once, and is still recorded here.
"""
from __future__ import annotations

import urllib.parse

def is_local(url: str) -> bool:
    return url.startswith(("data:", "blob:")) or urllib.parse.urlsplit(url).hostname == "127.0.0.1"


class Tab:
    """A tab of ``context``, its ``page`` reused for every load; ``errors`` and ``outside`` accumulate."""

    def __init__(self, context):
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"{e.name}: {e.message}"))
        self.page.on("request", self._record)
        self._cdp = None
        self._blocked: tuple[str, ...] = ()

    def _record(self, request) -> None:
        self.requests.append(request.url)
        if not is_local(request.url):
            self.outside.append(request.url)

    def block(self, patterns: tuple[str, ...] = ()) -> None:
        """From the next load on, the tab fetches nothing whose URL matches ``patterns``
        (DevTools' wildcards; none: fetch everything), without intercepting requests."""
        patterns = tuple(patterns)
        if patterns == self._blocked:
            return
        if self._cdp is None:
            self._cdp = self.page.context.new_cdp_session(self.page)
            self._cdp.send("Network.enable")
        self._cdp.send("Network.setBlockedURLs", {"urls": list(patterns)})
        self._blocked = patterns

    def open(self, url: str, width: int | None = None, block: tuple[str, ...] = ()):
        """A fresh load of ``url`` (through about:blank when only its fragment differs from the
        page shown, or when the width changes: the page shown is not laid out again)."""
        self.block(block)
        same_document = urllib.parse.urldefrag(self.page.url)[0] == urllib.parse.urldefrag(url)[0]
        resize = width is not None and self.page.viewport_size["width"] != width
        if same_document or resize:
            self.page.goto("about:blank")
        if resize:
            self.page.set_viewport_size({"width": width, "height": self.page.viewport_size["height"]})
        return self.page.goto(url, wait_until="load")

    def take(self) -> tuple[list[str], list[str]]:
        """The console errors and outside requests recorded so far, forgotten here."""
        errors, outside = list(self.errors), list(self.outside)
        self.errors.clear()
        self.outside.clear()
        return errors, outside

    def close(self) -> None:
        if not self.page.is_closed():
            self.page.close()
