"""The page a figure is shown on, in CSS pixels, and how large a figure's text appears there.

Plain Python, like ``palette``: the drawing leaves (``plots``, ``explore``, ``book``) take these
measures from here, so that none of them imports another. ``smallest_text_px`` reads a
matplotlib figure through its own methods and imports nothing from matplotlib.
"""

from __future__ import annotations

import math

__all__ = ["FIGURE_WIDTH_PX", "SMALL_TEXT_PX", "PHONE_TEXT_PX", "smallest_text_px", "legible_width"]

FIGURE_WIDTH_PX = 672  # widest a figure is shown: the content column at a 1280 px window
SMALL_TEXT_PX = 14  # the theme's small text (code blocks, sidebars: 0.875 rem of 16 px)
# the smallest figure text a phone shows: below 600 px a figure keeps the width at which its
# smallest text is this many CSS px and scrolls sideways in its own box (legible_width)
PHONE_TEXT_PX = 11


def _is_text(artist) -> bool:
    """A matplotlib Text (or Annotation): it has a font size and a string."""
    return hasattr(artist, "get_fontsize") and hasattr(artist, "get_text")


def smallest_text_px(fig, dpi) -> float:
    """CSS px of the smallest visible text of the matplotlib figure ``fig`` when it is shown at
    ``dpi`` pixels per inch (laid out first: tick labels get their text when drawn)."""
    fig.draw_without_rendering()
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(_is_text)
        if t.get_visible() and t.get_text().strip() and t.figure is not None
    ]
    return min(sizes, default=10.0) / 72 * dpi


def legible_width(width_px: int, text_px: float) -> int:
    """The narrowest width (CSS px, at most ``width_px``) at which a picture ``width_px`` wide
    whose smallest text is ``text_px`` shows that text at PHONE_TEXT_PX or more."""
    return min(width_px, math.ceil(width_px * PHONE_TEXT_PX / text_px))
