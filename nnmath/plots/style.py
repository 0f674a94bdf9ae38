"""The book's figure style: the colour of each role and the text shades that read on the white
face (defined in ``nnmath.palette``, re-exported here), the contrast of any two colours, how the
dark mode's filter shows a colour, and the rcParams every figure takes.
"""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np

# the colours and the page's measures are the core's (nnmath.palette, nnmath.page), shared with
# the other drawing leaves
from ..page import FIGURE_WIDTH_PX, PHONE_TEXT_PX, SMALL_TEXT_PX
from ..palette import MIN_CONTRAST, ROLE_COLORS, TEXT_COLORS, relative_luminance

__all__ = [
    "ROLE_COLORS",
    "TEXT_COLORS",
    "DARK_MODE_FILTER",
    "FIGURE_WIDTH_PX",
    "SMALL_TEXT_PX",
    "MIN_CONTRAST",
    "PHONE_TEXT_PX",
    "book_style",
    "contrast_ratio",
    "dark_mode_color",
]

DARK_MODE_FILTER = "invert(0.93) hue-rotate(180deg)"  # also in _static/nnmath.css


def contrast_ratio(foreground, background):
    """WCAG contrast ratio of two colours (any matplotlib colour), from 1 (none) to 21 (black on
    white)."""
    lighter, darker = sorted(
        (relative_luminance(mcolors.to_rgb(c)) for c in (foreground, background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


_HUE_HALF_TURN = np.array(
    [
        [-0.574, 1.430, 0.144],  # the CSS hue-rotate(180deg) matrix
        [0.426, 0.430, 0.144],
        [0.426, 1.430, -0.856],
    ]
)


def dark_mode_color(color, amount=0.93):
    """How the stylesheet's ``DARK_MODE_FILTER`` shows ``color`` in dark mode (hex)."""
    rgb = np.asarray(mcolors.to_rgb(color))
    inverted = amount * (1 - rgb) + (1 - amount) * rgb
    return mcolors.to_hex(np.clip(_HUE_HALF_TURN @ inverted, 0, 1))


def book_style():
    """rcParams for every figure of the book: white face, readable sizes, crisp on HiDPI."""
    return {
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.dpi": 110,
        "savefig.dpi": 200,
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "legend.fontsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "text.color": ROLE_COLORS["text"],
        "axes.prop_cycle": plt.cycler(
            color=["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
        ),
    }
