"""What a first visit to a page of the built book weighs, counted from the built files: each file
the page loaded, gzip-compressed (level 6) as a static host serves it, except formats that are
compressed already (PNG, JPEG, GIF, WOFF, WOFF2), counted as they are.

"Before images" is what issue 20's budget counts (``BUDGET``): the page's HTML, its CSS, JavaScript
and fonts, without the chapter's own images: the image files it loads, and the PNG frames of its
explorers, which are inlined in the HTML as base64 (they are counted as the PNG bytes they decode
to, and the HTML without them is compressed on its own).

Shared by tests/test_browser.py (the budget) and benchmarks/first_visit.py (the table).
"""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path
from urllib.parse import unquote

BUDGET = 600_000  # bytes, compressed, before the chapter's images
IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2")  # a host serves these as they are
INLINE_PNG = re.compile(r"iVBORw0KGgo[A-Za-z0-9+/]*={0,2}")  # base64 of a PNG's signature, onwards


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def served_bytes(path: Path) -> tuple[int, int]:
    """(raw, as served) bytes of one file: gzip-compressed unless the format already is."""
    data = path.read_bytes()
    if path.suffix.lower() in COMPRESSED:
        return len(data), len(data)
    return len(data), gzipped(data)


def without_inline_images(html: bytes) -> tuple[bytes, int]:
    """``html`` without its base64 PNGs, and the bytes those PNGs decode to."""
    images = 0

    def drop(match):
        nonlocal images
        images += len(base64.b64decode(match.group(0) + "=" * (-len(match.group(0)) % 4)))
        return ""

    return INLINE_PNG.sub(drop, html.decode("utf-8")).encode(), images


def weigh(html_dir: Path, loaded: list[str]) -> dict:
    """The weight of a visit that loaded ``loaded`` (paths below the site's root, as
    local_site.open_page lists them): ``before_images`` and ``images`` (bytes as served),
    ``raw`` (before images, uncompressed) and ``files`` ({path: (raw, served)})."""
    files, before, raw, images = {}, 0, 0, 0
    for path in dict.fromkeys(loaded):
        local = html_dir / unquote(path)
        if not local.is_file():
            continue
        if local.suffix.lower() in IMAGES:
            size = served_bytes(local)
            images += size[1]
        elif local.suffix.lower() == ".html":
            text, inline = without_inline_images(local.read_bytes())
            size = (len(text), gzipped(text))
            images += inline
            before, raw = before + size[1], raw + size[0]
        else:
            size = served_bytes(local)
            before, raw = before + size[1], raw + size[0]
        files[path] = size
    return {"before_images": before, "raw": raw, "images": images, "files": files}
