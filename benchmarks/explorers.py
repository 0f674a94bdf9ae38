"""Explorer timings and page weights, measured side by side in one run.

    python benchmarks/explorers.py            # after building the book into _build/html

For every explorer of every chapter: the live redraw time (draw + render one state, the work a
kernel does per slider step) and the static response time in headless Chromium (from a control's
input event to the new frame being set). For every page of the built book: its weight.
Prints a Markdown table; benchmarks/README.md holds the last one.
"""
from __future__ import annotations

import functools
import http.server
import statistics
import sys
import threading
import time
from pathlib import Path

import jupytext
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def chapter_explorers():
    """Run each chapter that builds an Explorer and yield (chapter, name, explorer)."""
    from nnmath.explore import Explorer

    for chapter in sorted((ROOT / "book").glob("*.md")):
        text = chapter.read_text()
        if "Explorer(" not in text:
            continue
        notebook = jupytext.reads(text, fmt="md:myst")
        namespace: dict = {}
        for cell in notebook.cells:
            if cell.cell_type == "code" and "skip-execution" not in cell.metadata.get("tags", []):
                exec(compile(cell.source, str(chapter), "exec"), namespace)
        for name, value in namespace.items():
            if isinstance(value, Explorer):
                yield chapter.stem, name, value


def live_redraw_ms(explorer, repeat=3):
    """Draw one state and encode it as the PNG the kernel sends, as a slider step does."""
    import io

    explorer.live_figure()  # the first state solves the layout once; every step after reuses it
    times = []
    for state in explorer.states():
        values = {c.name: c.values[i] for c, i in zip(explorer.controls, state)}
        for _ in range(repeat):
            start = time.perf_counter()
            fig = explorer.live_figure(**values)
            fig.savefig(io.BytesIO(), format="png")
            times.append(1000 * (time.perf_counter() - start))
            plt.close(fig)
    return statistics.median(times), max(times)


def static_response_ms(pages):
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        for page in pages:
            tab.goto(f"{base}/book/{page}.html")
            results[page] = tab.evaluate("""() => [...document.querySelectorAll('figure.nnmath-explorer')].map(fig => {
                const times = [];
                for (const input of fig.querySelectorAll('input[type=range]')) {
                    for (let i = 0; i < 20; i++) {
                        const t0 = performance.now();
                        input.value = (+input.value + 1) % (+input.max + 1);
                        input.dispatchEvent(new Event('input'));
                        times.push(performance.now() - t0);
                    }
                }
                times.sort((a, b) => a - b);
                return [times[Math.floor(times.length / 2)], times[times.length - 1]];
            })""")
        browser.close()
    server.shutdown()
    return results


def main():
    if not HTML.is_dir():
        sys.exit("build the book first: jupyter-book build . -W -n --keep-going")
    explorers = list(chapter_explorers())
    static = static_response_ms(sorted({chapter for chapter, _, _ in explorers}))
    print("| chapter | explorer | states | static HTML (kB) | live redraw median / max (ms) | static response median / max (ms) |")
    print("|---|---|---|---|---|---|")
    seen = {}
    for chapter, name, explorer in explorers:
        index = seen[chapter] = seen.get(chapter, -1) + 1
        live_median, live_max = live_redraw_ms(explorer)
        kb = len(explorer.static_html().encode()) / 1000
        static_median, static_max = static[chapter][index]
        print(f"| {chapter} | `{name}` | {len(explorer.states())} | {kb:.0f} | {live_median:.0f} / {live_max:.0f} "
              f"| {static_median:.2f} / {static_max:.2f} |")
    print()
    print("| page | weight (kB) |")
    print("|---|---|")
    for page in sorted((HTML / "book").glob("*.html")):
        print(f"| {page.stem} | {page.stat().st_size / 1000:.0f} |")


if __name__ == "__main__":
    main()
