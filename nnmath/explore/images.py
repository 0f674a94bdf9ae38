"""PNG encoding of explorer states: small for the page, fast for the kernel."""

from __future__ import annotations

import base64
import io

from ..palette import OKABE_ITO, ROLE_COLORS, TEXT_COLORS

__all__ = ["KEPT_COLOURS", "page_png", "figure_png", "kernel_png"]

PALETTE_COLOURS = 48

# Colours an opaque frame keeps exactly: the Okabe–Ito palette, the book's roles (nnmath.palette), black and
# white. An adaptive palette alone averages a small legend swatch into its neighbours (an orange line
# came out brown), so the legend would no longer match the curves drawn over it.


def _rgb(hex_colour):
    return tuple(int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))


def _kept_colours():
    named = (*OKABE_ITO, *ROLE_COLORS.values(), *TEXT_COLORS.values(), "#FFFFFF")
    return tuple(dict.fromkeys(_rgb(c.upper()) for c in named))  # in order, without repeats


KEPT_COLOURS = _kept_colours()


def _palette_image(image):
    """``image`` (RGB) mapped to a 48-colour palette: the kept colours, then median-cut colours of its own."""
    from PIL import Image

    others = PALETTE_COLOURS - len(KEPT_COLOURS)
    adaptive = image.quantize(colors=others, method=Image.Quantize.MEDIANCUT).getpalette()
    own = [tuple(adaptive[k : k + 3]) for k in range(0, 3 * others, 3)]
    colours = list(dict.fromkeys([*KEPT_COLOURS, *own]))
    palette = Image.new("P", (1, 1))
    palette.putpalette([channel for colour in colours for channel in colour])
    return image.quantize(palette=palette, dither=Image.Dither.NONE)


def page_png(image) -> str:
    """A PIL image as base64 PNG for the static page. A plot has few colours: a small palette keeps
    it crisp at a fraction of the bytes. Opaque frames keep KEPT_COLOURS exactly and fill the rest by
    median cut; overlays use an octree, which keeps transparency."""
    from PIL import Image

    if image.mode == "RGBA":
        quantized = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    else:
        quantized = _palette_image(image.convert("RGB"))
    buffer = io.BytesIO()
    quantized.save(buffer, format="PNG", optimize=True)
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
