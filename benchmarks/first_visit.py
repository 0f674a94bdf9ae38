"""The bytes a first visit transfers, compressed as a static host serves them (gzip, level 6).

    python benchmarks/first_visit.py            # after building the book into _build/html
    python benchmarks/first_visit.py DIR        # another build's html directory

Each page of _toc.yml is opened in a fresh headless Chromium context (empty cache) on the site
served from 127.0.0.1 and left until its formulas are typeset and the network is idle; every file
it loaded is weighed as tests/page_weight.py does (gzip level 6, PNG and web fonts as they are;
the page's own images, its explorers' inlined PNG frames among them, apart: "before images" is
what issue 20's 600 kB budget counts, which tests/test_browser.py asserts). Prints a Markdown
table; benchmarks/README.md holds the last one.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
sys.path.insert(
    0, str(ROOT / "tests")
)  # the tests' harness: the served site and Chromium (local_site.py), the weighing (page_weight.py)

from local_site import chromium, open_page, serve, toc_pages, wait_for_typesetting  # noqa: E402
from page_weight import BUDGET, weigh  # noqa: E402


def first_visit(browser, base, page, html=HTML):
    """The weight of a first visit to ``page`` (page_weight.weigh)."""
    context, tab, _, loaded = open_page(browser, base, page)
    wait_for_typesetting(tab)
    tab.wait_for_load_state("networkidle")
    context.close()
    return weigh(html, loaded)


def main(html=HTML):
    rows, largest = [], {}
    with chromium() as browser, serve(html) as base:
        for page in toc_pages():
            weight = first_visit(browser, base, page, html)
            rows.append(
                (
                    page,
                    len(weight["files"]),
                    weight["raw"],
                    weight["before_images"],
                    weight["images"],
                )
            )
            largest.update(weight["files"])
    print(
        "| page | files | before images, raw (kB) | before images, compressed (kB) | images (kB) |"
    )
    print("|---|---|---|---|---|")
    for page, n, raw, served, images in rows:
        print(f"| {page} | {n} | {raw / 1e3:.0f} | {served / 1e3:.0f} | {images / 1e3:.0f} |")
    print("\nLargest files (compressed kB):")
    for p, (raw, served) in sorted(largest.items(), key=lambda item: -item[1][1])[:8]:
        print(f"- `{p}`: {served / 1e3:.0f} kB ({raw / 1e3:.0f} kB raw)")

    print(f"\nBudget: {BUDGET / 1e3:.0f} kB before images.")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HTML)
