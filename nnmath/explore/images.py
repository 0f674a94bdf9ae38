"""PNG encoding of explorer states: small for the page, fast for the kernel."""
from __future__ import annotations

import base64
import io

__all__ = ["page_png", "figure_png", "kernel_png"]

PALETTE_COLOURS = 48


def page_png(image) -> str:
    """A PIL image as base64 PNG for the static page. A plot has few colours: a 48-colour palette
    keeps it crisp at a fraction of the bytes (median cut for opaque frames; octree, which keeps
    transparency, for overlays)."""
    from PIL import Image

    method = Image.Quantize.FASTOCTREE if image.mode == "RGBA" else Image.Quantize.MEDIANCUT
    buffer = io.BytesIO()
    image.quantize(colors=PALETTE_COLOURS, method=method).save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_png(fig, dpi) -> str:
    """A whole figure saved at ``dpi`` as an RGB base64 PNG for the static page."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    buffer.seek(0)
    return page_png(Image.open(buffer).convert("RGB"))


def kernel_png(pixels) -> bytes:
    """RGB pixels as PNG bytes with light compression: a kernel sends them once and forgets them."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
