"""The bytes a first visit transfers, compressed as a static host serves them (gzip, level 6).

    python benchmarks/first_visit.py            # after building the book into _build/html

Each page of _toc.yml is opened in a fresh headless Chromium context (empty cache) on the site
served from 127.0.0.1; every file it loads (its HTML, CSS, JavaScript, fonts, images) is weighed
raw and gzip-compressed (images as they are: PNG is compressed already). The page's own images
are listed apart from everything else ("before images": what issue 20's 600 kB budget counts).
Prints a Markdown table; benchmarks/README.md holds the last one.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
sys.path.insert(
    0, str(ROOT / "tests")
)  # the tests' harness: the served site and Chromium (local_site.py)

from local_site import chromium, open_page, serve, toc_pages  # noqa: E402

IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
COMPRESSED = IMAGES[:-2] + (".woff", ".woff2")  # a host serves these as they are


def served_bytes(path: Path) -> tuple[int, int]:
    """(raw, as served) bytes of one file: gzip-compressed unless the format already is."""
    data = path.read_bytes()
    if path.suffix.lower() in COMPRESSED:
        return len(data), len(data)
    return len(data), len(gzip.compress(data, compresslevel=6))


def first_visit(browser, base, page):
    """The files a first visit to ``page`` loads: {path: (raw, served)}."""
    context, tab, _, loaded = open_page(browser, base, page)
    tab.wait_for_load_state("networkidle")
    context.close()
    files = {}
    for path in loaded:
        local = HTML / unquote(path)
        if local.is_file():
            files[path] = served_bytes(local)
    return files


def main():
    rows, largest = [], {}
    with chromium() as browser, serve(HTML) as base:
        for page in toc_pages():
            files = first_visit(browser, base, page)
            images = {p: b for p, b in files.items() if p.lower().endswith(IMAGES)}
            rest = {p: b for p, b in files.items() if p not in images}
            rows.append(
                (
                    page,
                    len(files),
                    sum(b[0] for b in rest.values()),
                    sum(b[1] for b in rest.values()),
                    sum(b[1] for b in images.values()),
                )
            )
            for p, b in rest.items():
                largest[p] = b
    print(
        "| page | files | before images, raw (kB) | before images, compressed (kB) | images (kB) |"
    )
    print("|---|---|---|---|---|")
    for page, n, raw, served, images in rows:
        print(f"| {page} | {n} | {raw / 1e3:.0f} | {served / 1e3:.0f} | {images / 1e3:.0f} |")
    print("\nLargest files (compressed kB):")
    for p, (raw, served) in sorted(largest.items(), key=lambda item: -item[1][1])[:8]:
        print(f"- `{p}`: {served / 1e3:.0f} kB ({raw / 1e3:.0f} kB raw)")


if __name__ == "__main__":
    main()
