"""The checks that keep every figure legible at the width the book shows it.

The theme shows a figure at most ``FIGURE_WIDTH_PX`` CSS pixels wide (measured in the built book
at a 1280 px window); a font of ``s`` points in a figure whose tight bounding box is ``w`` inches
wide then appears at ``s / 72 * min(dpi, FIGURE_WIDTH_PX / w)`` pixels. ``check_labels`` raises if
a label would appear smaller than the page's small text (``SMALL_TEXT_PX``, the theme's code and
sidebar size), if two labels overlap, if a label leaves its axes, or (``check_text_contrast``) if
a text's colour has less than ``MIN_CONTRAST`` on what is behind it.
"""

from __future__ import annotations

import matplotlib.colors as mcolors
from matplotlib.backends.backend_agg import FigureCanvasAgg

from ..page import legible_width, smallest_text_px
from .style import FIGURE_WIDTH_PX, MIN_CONTRAST, SMALL_TEXT_PX, contrast_ratio

__all__ = [
    "LabelLayoutError",
    "LowContrastError",
    "check_text_contrast",
    "check_labels",
    "displayed_px",
    "smallest_text_px",
    "legible_width",
]


def _renderer(fig):
    """Draw ``fig`` and return its renderer (a closed figure gets an Agg canvas back)."""
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig.canvas.get_renderer()


class LabelLayoutError(ValueError):
    """A figure's labels would be too small, overlap, or leave their axes."""


class LowContrastError(ValueError):
    """A figure's text colour has less than MIN_CONTRAST (WCAG AA) on the background it sits on."""


def _texts(fig):
    """Every visible text of ``fig`` with the colour behind it: axes texts, titles, axis labels,
    tick labels and legend texts on their axes' face; figure texts on the figure's face."""
    for ax in fig.axes:
        face = (
            ax.get_facecolor()
            if ax.patch.get_visible() and ax.get_facecolor()[3] > 0
            else fig.get_facecolor()
        )
        legend = ax.get_legend()
        texts = [
            *ax.texts,
            ax.title,
            ax._left_title,
            ax._right_title,
            ax.xaxis.label,
            ax.yaxis.label,
            *ax.get_xticklabels(),
            *ax.get_yticklabels(),
            *(legend.get_texts() if legend else []),
        ]
        for text in texts:
            patch = text.get_bbox_patch()
            behind = (
                patch.get_facecolor()
                if patch is not None and patch.get_facecolor()[3] > 0
                else face
            )
            yield text, behind
    for text in fig.texts:
        yield text, fig.get_facecolor()


def check_text_contrast(fig, minimum=MIN_CONTRAST):
    """Raise LowContrastError naming the text if any visible text of ``fig`` has less than
    ``minimum`` contrast with the colour behind it (in dark mode the stylesheet's filter keeps
    the ratio: tests/test_plots.py checks TEXT_COLORS in both modes). Use ``TEXT_COLORS`` for
    text; ``ROLE_COLORS`` are for lines and markers. Returns ``fig``."""
    for text, behind in _texts(fig):
        if not text.get_visible() or not text.get_text().strip():
            continue
        ratio = contrast_ratio(mcolors.to_rgb(text.get_color()), mcolors.to_rgb(behind))
        if ratio < minimum:
            raise LowContrastError(
                f"text {text.get_text()!r} in {mcolors.to_hex(text.get_color())} has contrast "
                f"{ratio:.2f}:1 on {mcolors.to_hex(behind)}, below {minimum}:1; use TEXT_COLORS"
            )
    return fig


def displayed_px(fig, fontsize, renderer=None):
    """Pixel height at which a ``fontsize``-point font of ``fig`` appears in the book."""
    width_in = fig.get_tightbbox(
        renderer or _renderer(fig)
    ).width  # glue saves figures with bbox_inches="tight"
    return fontsize / 72 * min(fig.dpi, FIGURE_WIDTH_PX / width_in)


def _label_extent(text, renderer):
    """Window extent of a text, with its background box if it has one (after a draw)."""
    extent = text.get_window_extent(renderer)
    patch = text.get_bbox_patch()
    if patch is not None:
        extent = type(extent).union([extent, patch.get_window_extent(renderer)])
    return extent


def check_labels(fig, min_px=SMALL_TEXT_PX, tolerance_px=0.5, inside_margin_px=1.0):
    """Raise LabelLayoutError naming the labels if any two labels of ``fig`` overlap, a label
    leaves its axes, or a label would appear smaller than ``min_px`` pixels in the book.
    A label may sit inside a shape (a node's own text), at least ``inside_margin_px`` clear of
    its outline, but not across a shape's outline (its bounding box: conservative for circles).
    Labels are the texts placed in axes (``ax.text``, ``ax.annotate``), not titles or ticks.
    Raises LowContrastError for a text colour below MIN_CONTRAST (``check_text_contrast``).
    Returns ``fig``."""
    check_text_contrast(fig)
    renderer = _renderer(fig)
    for ax in fig.axes:
        labels = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
        frame = ax.get_window_extent(renderer)
        extents = []
        for label in labels:
            size = displayed_px(fig, label.get_fontsize(), renderer)
            if size < min_px - 1e-9:
                raise LabelLayoutError(
                    f"label {label.get_text()!r} would appear {size:.1f} px high in the book, "
                    f"below the page's small text ({min_px} px); enlarge its font or narrow the figure"
                )
            extent = _label_extent(label, renderer)
            if (
                extent.x0 < frame.x0 - tolerance_px
                or extent.x1 > frame.x1 + tolerance_px
                or extent.y0 < frame.y0 - tolerance_px
                or extent.y1 > frame.y1 + tolerance_px
            ):
                raise LabelLayoutError(
                    f"label {label.get_text()!r} leaves its axes (label {extent.bounds}, "
                    f"axes {frame.bounds}, pixels)"
                )
            extents.append(extent)
        for i in range(len(labels)):
            for j in range(i + 1, len(labels)):
                width, height = _overlap(extents[i], extents[j])
                if width > tolerance_px and height > tolerance_px:
                    raise LabelLayoutError(
                        f"labels {labels[i].get_text()!r} and {labels[j].get_text()!r} overlap "
                        f"({width:.1f} × {height:.1f} px)"
                    )
        # a label may sit inside a shape (a node's own text) but not across its outline
        for shape in ax.patches:
            outline = shape.get_window_extent(renderer)
            room = outline.padded(-inside_margin_px)  # a label touching the outline is not inside
            for label, extent in zip(labels, extents):
                inside = (
                    room.x0 <= extent.x0
                    and extent.x1 <= room.x1
                    and room.y0 <= extent.y0
                    and extent.y1 <= room.y1
                )
                width, height = _overlap(outline, extent)
                if not inside and width > tolerance_px and height > tolerance_px:
                    raise LabelLayoutError(
                        f"label {label.get_text()!r} overlaps the outline of a {type(shape).__name__} "
                        f"({width:.1f} × {height:.1f} px)"
                    )
    return fig


def _overlap(a, b):
    """Width and height of the intersection of two extents (negative when apart)."""
    return min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
