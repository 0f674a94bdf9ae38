"""Explorer timings and page weights, measured side by side in one run.

    python benchmarks/explorers.py            # after building the book into _build/html

For every explorer of every chapter: the live step time (set a widget's value; the widget renders
the state and encodes the PNG it sends: the work a kernel does per slider step) at 2× and 1×
pixels, and, for an explorer with an ``update``
function, the same step with the figure cleared and drawn again instead; the static response time
in headless Chromium (from a control's input event to the new frame being set). For every page of
the built book (every page of _toc.yml): its weight and the MathJax it loads from the site.
Each cell is median / max.
Prints a Markdown table; benchmarks/README.md holds the last one.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
sys.path.insert(
    0, str(ROOT / "tests")
)  # the tests' harness: the served site and Chromium (local_site.py)

from local_site import toc_pages  # noqa: E402


def live_step_ms(explorer, scale, repeat=3):
    """Median and max time of one slider step in a kernel, through the ipywidgets form: set a
    control's value and let the widget render the state and encode the PNG it sends (the comm
    message itself goes nowhere here). Every control steps through all its values."""
    import ipywidgets as widgets

    box = explorer.widget(scale=scale)
    inputs = [
        child.children[1] if isinstance(child, widgets.HBox) else child
        for child in box.children[:-1]
    ]
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


def in_chromium(explorer_pages, all_pages):
    """Static response times of the explorers on ``explorer_pages`` (per page, one [median, max]
    per explorer), and the kB of MathJax each of ``all_pages`` loads from the site, measured in
    headless Chromium with the site served on 127.0.0.1 and every other host blocked."""
    from local_site import chromium, open_page, serve, wait_for_typesetting

    response, mathjax_kb = {}, {}
    with serve(HTML) as base, chromium() as browser:
        for page in all_pages:
            context, tab, problems, loaded = open_page(browser, base, page)
            wait_for_typesetting(tab)
            tab.wait_for_load_state("networkidle")  # the fonts MathJax asks for once it has typeset
            if any(problems.values()):
                sys.exit(f"{page}: {problems}")
            mathjax_kb[page] = (
                sum(
                    (HTML / path).stat().st_size
                    for path in set(loaded)
                    if path.startswith("_static/mathjax/")
                )
                / 1000
            )
            if page in explorer_pages:
                response[page] = (
                    tab.evaluate("""() => [...document.querySelectorAll('figure.nnmath-explorer')].map(fig => {
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
                )
            context.close()
    return response, mathjax_kb


def main():
    if not HTML.is_dir():
        sys.exit("build the book first: jupyter-book build . -W -n --keep-going")
    sys.path.insert(0, str(ROOT))  # tools/ lives in the repository, not in the nnmath package
    from tools.chapters import chapter_explorers

    explorers = list(chapter_explorers(ROOT / "book"))
    pages = toc_pages()
    static, mathjax_kb = in_chromium({f"book/{chapter}.html" for chapter, _, _ in explorers}, pages)
    print(
        "| chapter | explorer | states | static HTML (kB) | static HTML without `update` (kB) "
        "| live step, 2× (ms) | live step, 1× (ms) | redraw without `update`, 2× (ms) | static response (ms) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    seen = {}
    for chapter, name, explorer in explorers:
        index = seen[chapter] = seen.get(chapter, -1) + 1
        columns = [live_step_ms(explorer, 2.0), live_step_ms(explorer, 1.0)]
        if explorer.update is not None:
            columns.append(live_step_ms(without_update(explorer), 2.0))
        kb = len(explorer.static_html().encode()) / 1000
        whole_frames_kb = len(without_update(explorer)._static_page().encode()) / 1000
        cells = [f"{median:.0f} / {worst:.0f}" for median, worst in columns] + ["–"] * (
            3 - len(columns)
        )
        static_median, static_max = static[f"book/{chapter}.html"][index]
        print(
            f"| {chapter} | `{name}` | {len(explorer.states())} | {kb:.0f} | {whole_frames_kb:.0f} | {' | '.join(cells)} "  # noqa: E501
            f"| {static_median:.2f} / {static_max:.2f} |"
        )
    print()
    print("| page | weight (kB) | MathJax it loads from the site (kB) |")
    print("|---|---|---|")
    for page in pages:
        print(
            f"| {Path(page).stem} | {(HTML / page).stat().st_size / 1000:.0f} | {mathjax_kb[page]:.0f} |"
        )
    on_disk = sum(
        f.stat().st_size for f in (HTML / "_static" / "mathjax").rglob("*") if f.is_file()
    )
    print(
        f"\nMathJax in the site (`_static/mathjax`, all of MathJax 3's es5 folder): {on_disk / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
