"""Explorer timings and page weights, measured side by side in one run.

    python benchmarks/explorers.py            # after building the book into _build/html

For every explorer of every chapter: the live step time (set a widget's value; the widget renders
the state and encodes the PNG it sends: the work a kernel does per slider step) at 2× and 1× pixels, and, for an explorer with an ``update``
function, the same step with the figure cleared and drawn again instead; the static response time
in headless Chromium (from a control's input event to the new frame being set). For every page of
the built book: its weight. Each cell is median / max.
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


ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def live_step_ms(explorer, scale, repeat=3):
    """Median and max time of one slider step in a kernel, through the ipywidgets form: set a
    control's value and let the widget render the state and encode the PNG it sends (the comm
    message itself goes nowhere here). Every control steps through all its values."""
    import ipywidgets as widgets

    box = explorer.widget(scale=scale)
    inputs = [child.children[1] if isinstance(child, widgets.HBox) else child for child in box.children[:-1]]
    times = []
    for _ in range(repeat):
        for control, widget in zip(explorer.controls, inputs):
            for value in control.values[1:] + control.values[:1]:
                if value == widget.value:  # no change, no redraw: not a step
                    continue
                start = time.perf_counter()
                widget.value = value
                times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), max(times)


def without_update(explorer):
    """The same explorer with no update function: every step clears the figure and draws it again."""
    from nnmath.explore import Explorer

    return Explorer(explorer.draw, explorer.controls, figsize=explorer.figsize, dpi=explorer.dpi)


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
    sys.path.insert(0, str(ROOT))  # tools/ lives in the repository, not in the nnmath package
    from tools.chapters import chapter_explorers

    explorers = list(chapter_explorers(ROOT / "book"))
    static = static_response_ms(sorted({chapter for chapter, _, _ in explorers}))
    print("| chapter | explorer | states | static HTML (kB) | static HTML without `update` (kB) "
          "| live step, 2× (ms) | live step, 1× (ms) | redraw without `update`, 2× (ms) | static response (ms) |")
    print("|---|---|---|---|---|---|---|---|---|")
    seen = {}
    for chapter, name, explorer in explorers:
        index = seen[chapter] = seen.get(chapter, -1) + 1
        columns = [live_step_ms(explorer, 2.0), live_step_ms(explorer, 1.0)]
        if explorer.update is not None:
            columns.append(live_step_ms(without_update(explorer), 2.0))
        kb = len(explorer.static_html().encode()) / 1000
        whole_frames_kb = len(without_update(explorer)._static_page().encode()) / 1000
        cells = [f"{median:.0f} / {worst:.0f}" for median, worst in columns] + ["–"] * (3 - len(columns))
        static_median, static_max = static[chapter][index]
        print(f"| {chapter} | `{name}` | {len(explorer.states())} | {kb:.0f} | {whole_frames_kb:.0f} | {' | '.join(cells)} "
              f"| {static_median:.2f} / {static_max:.2f} |")
    print()
    print("| page | weight (kB) |")
    print("|---|---|")
    for page in sorted((HTML / "book").glob("*.html")):
        print(f"| {page.stem} | {page.stat().st_size / 1000:.0f} |")


if __name__ == "__main__":
    main()
