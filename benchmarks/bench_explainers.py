"""Speed and weight of the live explainers on the built site, in headless Chromium.

- interaction: 200 random interactions per explainer (every numeric input of the
  starting state perturbed at random, a new sequence length or text where the
  kind has one, through ``el.gbg.set``); "update" is performance.now() around
  the explainer's own recompute + redraw (``data-update-ms``), "with layout" adds
  the browser's style and layout pass forced right after. Target: 16 ms a frame.
- weight: bytes of the explainer code a page loads (the module scripts and the
  stylesheet under _static/gbg-explainers/, as served) plus its container in the
  HTML (for lstm_sequence, the embedded model). Target: 200 KB a page.

Needs a built site (``make build``). Run: .venv/bin/python benchmarks/bench_explainers.py
"""
from __future__ import annotations

import functools
import http.server
import re
import statistics
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "_build" / "html"
sys.path.insert(0, str(REPO / "tests"))
from test_book_site import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_explainers_site import BLOCKS  # noqa: E402

TARGET_MS, TARGET_BYTES, N = 16.0, 200_000, 200

_INTERACT = """([id, n]) => {
  const el = document.getElementById(id), d = el.gbg.defaults();
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const jitter = (v) => Array.isArray(v) ? v.map(jitter) : v + (rnd() - 0.5);
  const own = [], laid = [];
  for (let k = 0; k < n; k++) {
    const s = {};
    for (const [name, v] of Object.entries(d)) {
      if (typeof v === 'string') s[name] = [...Array(1 + Math.floor(rnd() * 40))].map(() => rnd() < 0.6 ? '(' : ')').join('');
      else if (name === 'T') s.T = 2 + Math.floor(rnd() * 49);
      else if (name === 't') s.t = 1;
      else if (name === 'x' && el.dataset.explainer === 'rnn_sequence') s.x = [[...Array(1 + Math.floor(rnd() * 12))].map(() => [rnd() * 4 - 2])];
      else if (!['Wx', 'Wh', 'b'].includes(name) || el.dataset.explainer !== 'lstm_sequence') s[name] = jitter(v);
    }
    const t0 = performance.now();
    el.gbg.set(s);
    el.getBoundingClientRect(); document.body.offsetHeight;
    laid.push(performance.now() - t0);
    own.push(Number(el.dataset.updateMs));
  }
  return {own, laid};
}"""


def _page_bytes(page, html: str, ident: str) -> int:
    code = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(r => r.name.includes('/gbg-explainers/'))
        .reduce((s, r) => s + (r.decodedBodySize || r.encodedBodySize || 0), 0)""")
    m = re.search(rf'<div class="gbg-explainer" id="{re.escape(ident)}".*?</div>', html, re.S)
    return code + (len(m.group(0).encode()) if m else 0)


def main() -> int:
    if not (SITE / "index.html").is_file():
        print("no built site in _build/html: run make build")
        return 2
    from playwright.sync_api import sync_playwright
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    handler = functools.partial(Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'page':<28}{'explainer':<16}{'update ms median/worst':>24}{'with layout':>16}{'KB/page':>9}")
    worst_all, heaviest = 0.0, 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for page_path, kind, ident in BLOCKS:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(base + page_path, wait_until="load")
                page.wait_for_function(f"() => document.getElementById('{ident}')?.dataset.ready === 'true'")
                page.evaluate(_INTERACT, [ident, 20])  # warm-up: the JIT compiles the hot loops
                r = page.evaluate(_INTERACT, [ident, N])
                size = _page_bytes(page, (SITE / page_path).read_text(), ident)
                own, laid = r["own"], r["laid"]
                worst_all, heaviest = max(worst_all, max(laid)), max(heaviest, size)
                print(f"{page_path.split('/')[-1]:<28}{kind:<16}"
                      f"{statistics.median(own):>11.2f} /{max(own):>7.2f}"
                      f"{statistics.median(laid):>10.2f} /{max(laid):>5.1f}{size / 1000:>9.1f}")
                page.close()
            browser.close()
    finally:
        server.shutdown()
    print(f"worst interaction with layout {worst_all:.1f} ms (target {TARGET_MS:.0f}); "
          f"heaviest page {heaviest / 1000:.1f} KB of explainer code (target {TARGET_BYTES / 1000:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
