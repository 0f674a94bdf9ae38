"""A built book served on 127.0.0.1 and opened in headless Chromium with every other host blocked,
and the list of its pages (from _toc.yml).

Shared by the browser tests (tests/test_browser.py) and the benchmarks (benchmarks/explorers.py).
Chromium is Debian's (/usr/bin/chromium), driven by Playwright; Playwright's own browser download
is never used.
"""

import contextlib
import functools
import http.server
import threading
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"

# No background traffic of Chromium's own, and every host name but ours resolves to nothing: a
# request that slipped past the page's route would fail instead of reaching the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-domain-reliability",
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}",
]


def toc_pages(root=ROOT):
    """The HTML page of every file in ``_toc.yml`` (root, parts, chapters, sections), in order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", [toc]):
        walk(part.get("chapters", []))
    return [f"{Path(file).with_suffix('')}.html" for file in files]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory):
    """Serve ``directory`` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def missing_browser():
    """Why Chromium cannot be driven here (a sentence), or None when it can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-test.txt)"
    return None


@contextlib.contextmanager
def chromium():
    """Headless Chromium, launched through Playwright; yields the browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, base, page, color_scheme="light", viewport=(1280, 900), **context_options):
    """Open ``base/page`` in a new context in which only ``base`` is reachable (``context_options``
    go to Playwright's ``new_context``, e.g. ``reduced_motion="reduce"``).

    Returns (context, tab, problems, loaded). ``problems`` collects console errors, failed or
    4xx/5xx local requests and every request for another origin (aborted); ``loaded`` is the list
    of paths (below ``base``) the page has loaded so far. The caller closes the context.
    """
    context = browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]},
        color_scheme=color_scheme,
        **context_options,
    )
    problems = {"console": [], "failed": [], "external": []}
    loaded = []

    def route(request_route):
        url = request_route.request.url
        if url == base or url.startswith(base + "/"):
            request_route.continue_()
        else:
            problems["external"].append(url)
            request_route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda m: problems["console"].append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems["console"].append(str(e)))
    tab.on(
        "requestfailed",
        lambda r: problems["failed"].append(r.url) if r.url.startswith(base) else None,
    )
    tab.on(
        "response",
        lambda r: problems["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    tab.on(
        "requestfinished",
        lambda r: (
            loaded.append(r.url[len(base) + 1 :].split("?")[0])
            if r.url.startswith(base + "/")
            else None
        ),
    )
    tab.goto(f"{base}/{page}", wait_until="load")
    return context, tab, problems, loaded


def wait_for_typesetting(tab, timeout_ms=10_000):
    """Wait until MathJax has typeset the page, if the page has MathJax: a MathJax that never
    starts (e.g. its script was blocked) is left for ``untypeset_formulas`` to report."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        tab.wait_for_function(
            "() => !window.MathJax || (window.MathJax.startup && window.MathJax.startup.promise)",
            timeout=timeout_ms,
        )
    except PlaywrightTimeout:
        return
    tab.evaluate("() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise")


def untypeset_formulas(tab):
    """How many of the page's formulas MathJax did not turn into a rendered formula."""
    return tab.evaluate("""() => [...document.querySelectorAll('.math, span.math, div.math')]
        .filter(e => !e.querySelector('mjx-container')).length""")
