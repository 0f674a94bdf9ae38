"""Figures shared by the chapters: network diagrams and computational graphs, and the checks
that keep every figure legible at the width the book shows it.

Colours keep one role across the whole book (after the worked-example source: weights red,
biases grey, inputs blue, target orange), drawn from the Okabe–Ito palette so they stay
distinguishable with every common colour-vision deficiency. Lines and outlines use the palette
itself; text uses a darker shade of the same hue (``TEXT_COLORS``) so that every label has a
contrast of at least 4.5 : 1 against the white figure face.

Dark mode: figures keep their white face and the book's stylesheet (``_static/nnmath.css``)
shows every content image through ``DARK_MODE_FILTER``, an inversion followed by a half turn of
hue. White becomes the page's near-black, dark text becomes light, and each colour keeps its hue,
so one rendering serves both modes (explorers included, whose layers are PNGs too). Because both
steps are linear maps of the pixel values, ``dark_mode_color`` reproduces the filter exactly, and
the tests check every label's contrast in both modes with it.

Legibility: the theme shows a figure at most ``FIGURE_WIDTH_PX`` CSS pixels wide (measured in the
built book at a 1280 px window); a font of ``s`` points in a figure whose tight bounding box is
``w`` inches wide then appears at ``s / 72 * min(dpi, FIGURE_WIDTH_PX / w)`` pixels.
``check_labels`` raises if a label would appear smaller than the page's small text
(``SMALL_TEXT_PX``, the theme's code and sidebar size), if two labels overlap, or if a label
leaves its axes; ``draw_network`` and ``draw_graph`` run it on every figure they draw.
"""

from __future__ import annotations

import re

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Circle, FancyBboxPatch

from .network import Network

__all__ = [
    "ROLE_COLORS",
    "TEXT_COLORS",
    "DARK_MODE_FILTER",
    "FIGURE_WIDTH_PX",
    "SMALL_TEXT_PX",
    "LabelLayoutError",
    "LowContrastError",
    "book_style",
    "check_text_contrast",
    "check_labels",
    "contrast_ratio",
    "dark_mode_color",
    "displayed_px",
    "draw_graph",
    "draw_network",
]

ROLE_COLORS = {
    "weight": "#D55E00",  # vermillion
    "bias": "#6E6E6E",  # grey
    "input": "#0072B2",  # blue
    "target": "#E69F00",  # orange
    "activation": "#009E73",  # bluish green
    "gradient": "#CC79A7",  # reddish purple
    "text": "#1A1A1A",
}

FIGURE_WIDTH_PX = 672  # widest a figure is shown: the content column at a 1280 px window
SMALL_TEXT_PX = 14  # the theme's small text (code blocks, sidebars: 0.875 rem of 16 px)
DARK_MODE_FILTER = "invert(0.93) hue-rotate(180deg)"  # also in _static/nnmath.css
MIN_CONTRAST = 4.5  # WCAG AA for normal text


def _luminance(color):
    rgb = np.asarray(mcolors.to_rgb(color))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(foreground, background):
    """WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _text_shade(color, background="white"):
    """``color`` darkened towards black just enough to reach MIN_CONTRAST on ``background``."""
    rgb = np.asarray(mcolors.to_rgb(color))
    for keep in np.linspace(1, 0, 101):
        if contrast_ratio(rgb * keep, background) >= MIN_CONTRAST:
            return mcolors.to_hex(rgb * keep)
    raise ValueError(f"no shade of {color!r} reaches contrast {MIN_CONTRAST} on {background!r}")


TEXT_COLORS = {role: _text_shade(color) for role, color in ROLE_COLORS.items()}

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


def _math_name(name):
    """``"w10"`` → ``"$w_{10}$"``; other names unchanged."""
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    return f"${match[1]}_{{{match[2]}}}$" if match else name


def _fmt(value, digits):
    return f"{value:.{digits}f}"


def _fmt_gradient(value):
    return f"{value:#.3g}".replace("e-0", "e-")  # three significant digits, trailing zeros kept


_LABEL_BOX = dict(boxstyle="round,pad=0.12", fc="white", ec="none")


def _fit_to_labels(ax, pad_px=4, rounds=6):
    """Widen the limits of ``ax`` until every label fits inside it (labels placed in points
    move in data units whenever the limits, and so the scale, change). An axes alone in its
    figure takes the whole figure, made as tall as the drawing: a diagram has no ticks to
    leave margins for, and no empty bands above and below."""
    fig = ax.figure
    alone = len(fig.axes) == 1
    if alone:
        ax.set_position([0, 0, 1, 1])
    for _ in range(rounds):
        if alone:
            (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
            width = fig.get_size_inches()[0]
            fig.set_size_inches(width, width * (y1 - y0) / (x1 - x0))
        renderer = _renderer(fig)
        boxes = [_label_extent(t, renderer) for t in ax.texts if t.get_text().strip()]
        boxes.append(ax.get_window_extent(renderer))
        needed = type(boxes[0]).union(boxes).padded(pad_px)
        (x0, y0), (x1, y1) = ax.transData.inverted().transform(
            [[needed.x0, needed.y0], [needed.x1, needed.y1]]
        )
        (cx0, cx1), (cy0, cy1) = ax.get_xlim(), ax.get_ylim()
        if x0 >= cx0 and x1 <= cx1 and y0 >= cy0 and y1 <= cy1:
            return
        ax.set_xlim(min(x0, cx0), max(x1, cx1))
        ax.set_ylim(min(y0, cy0), max(y1, cy1))


def draw_network(
    net: Network,
    x=None,
    t=None,
    *,
    gradients=None,
    weight_names=None,
    show="values",
    digits=2,
    ax=None,
    title=None,
    fontsize=10,
):
    """Draw ``net`` as circles joined by labelled edges, one column per layer.

    x, t : one example (columns ``(n_0, 1)``, ``(n_L, 1)``); with ``x`` every unit shows its
        weighted input z and activation a above it, and the inputs their values; with ``t`` the
        output shows the target.
    gradients : a ``nnmath.Gradients``; with ``show="gradients"`` every edge shows ∂C/∂w and
        every unit ∂C/∂b (3 significant digits) where the values figure shows w and b, and the
        figure is titled so (the numbers alone keep the labels short enough to stay apart).
    weight_names : optional list per layer of name matrices (e.g. ``"w1"``) shown with the values.

    Every weight label sits on its own edge, away from where edges cross; a unit's own labels sit
    on the side away from its layer's centre; the finished figure passes ``check_labels``.
    """
    if show not in ("values", "gradients"):
        raise ValueError(f"unknown show {show!r}; known: values, gradients")
    if show == "gradients" and gradients is None:
        raise ValueError("show='gradients' needs gradients=net.backward(x, t)")
    sizes = net.sizes
    fwd = net.forward(x) if x is not None else None
    tallest = max(sizes)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.1, 1.6 * tallest + 1.8))
    ax.set_aspect("equal")
    ax.axis("off")
    x_step, y_step, radius = 5.4, 3.2, 0.3
    gradient_mode = show == "gradients"
    edge_text = TEXT_COLORS["gradient" if gradient_mode else "weight"]
    bias_text = TEXT_COLORS["gradient" if gradient_mode else "bias"]

    def position(layer, unit):
        return layer * x_step, (sizes[layer] - 1) / 2 * y_step - unit * y_step

    def text(px, py, label, color, **kw):
        ax.text(px, py, label, color=color, fontsize=fontsize, zorder=4, **kw)

    for l in range(1, net.L + 1):
        W = gradients.W[l] if gradient_mode else net.W[l]
        n_out, n_in = W.shape
        for j in range(n_out):
            for k in range(n_in):
                (x0, y0), (x1, y1) = position(l - 1, k), position(l, j)
                ax.plot([x0, x1], [y0, y1], color=ROLE_COLORS["weight"], lw=1.4, zorder=1)
                value = _fmt_gradient(W[j, k]) if gradient_mode else _fmt(W[j, k], digits)
                name = _math_name(weight_names[l - 1][j][k]) if weight_names is not None else ""
                label = f"{name} = {value}" if name and not gradient_mode else value
                # level edges are labelled midway; sloped ones, which cross each other midway,
                # a third of the way from their source, on their own stretch of line
                at = 0.5 if y0 == y1 else 0.34
                text(
                    x0 + at * (x1 - x0),
                    y0 + at * (y1 - y0),
                    label,
                    edge_text,
                    ha="center",
                    va="center",
                    bbox=_LABEL_BOX,
                )

    def outward(layer, unit):
        """+1 above the unit, -1 below: a unit's own labels go on the side away from the
        layer's centre, leaving the space between units to the edge labels."""
        return 1 if unit <= (sizes[layer] - 1) / 2 else -1

    def unit_label(px, py, side, line, label, color):
        """Line ``line`` (0 next to the unit) of the labels on ``side`` of the unit at (px, py)."""
        ax.annotate(
            label,
            xy=(px, py + side * (radius + 0.1)),
            xytext=(0, side * line * fontsize * 1.35),
            textcoords="offset points",
            ha="center",
            va="bottom" if side > 0 else "top",
            color=color,
            fontsize=fontsize,
            zorder=4,
            linespacing=1.2,
        )

    for l in range(1, net.L + 1):
        b = gradients.b[l] if gradient_mode else net.b[l]
        for j in range(sizes[l]):
            px, py = position(l, j)
            value = _fmt_gradient(b[j, 0]) if gradient_mode else _fmt(b[j, 0], digits)
            unit_label(
                px, py, outward(l, j), 0, value if gradient_mode else f"b = {value}", bias_text
            )
            if fwd is not None:
                unit_label(
                    px,
                    py,
                    outward(l, j),
                    1,
                    f"z = {_fmt(fwd.z[l][j, 0], 3)}\na = {_fmt(fwd.a[l][j, 0], 3)}",
                    TEXT_COLORS["activation"],
                )
    for l, n in enumerate(sizes):
        for j in range(n):
            px, py = position(l, j)
            edge = ROLE_COLORS["input"] if l == 0 else ROLE_COLORS["activation"]
            ax.add_patch(Circle((px, py), radius, fc="white", ec=edge, lw=2.2, zorder=3))
            if fwd is not None and l == 0:
                unit_label(
                    px,
                    py,
                    outward(l, j),
                    0,
                    f"$x_{{{j + 1}}}$ = {_fmt(fwd.a[0][j, 0], digits)}",
                    TEXT_COLORS["input"],
                )
    if t is not None:
        t = np.asarray(t, dtype=float).reshape(sizes[-1], -1)
        for j in range(sizes[-1]):
            px, py = position(net.L, j)
            text(
                px + radius + 0.2,
                py,
                f"t = {_fmt(t[j, 0], digits)}",
                TEXT_COLORS["target"],
                ha="left",
                va="center",
                fontweight="bold",
            )
    half = (tallest - 1) / 2 * y_step
    for l in range(len(sizes)):
        name = "input" if l == 0 else ("output" if l == net.L else f"hidden {l}")
        # below the lowest unit's own labels (up to three lines) of the tallest layer
        ax.annotate(
            f"layer {l}\n({name})",
            xy=(l * x_step, -half - radius - 0.1),
            xytext=(0, -4.6 * fontsize),
            textcoords="offset points",
            ha="center",
            va="top",
            color=TEXT_COLORS["text"],
            fontsize=fontsize,
            linespacing=1.2,
        )
    ax.set_xlim(-radius - 0.2, net.L * x_step + radius + 0.2)
    ax.set_ylim(-half - radius - 0.2, half + radius + 0.2)
    _fit_to_labels(ax)
    if title is None and gradient_mode:
        title = "∂C/∂w on each edge, ∂C/∂b beside each unit"
    if title:
        ax.set_title(title, color=TEXT_COLORS["gradient"] if gradient_mode else TEXT_COLORS["text"])
    check_labels(ax.figure)
    return ax


def draw_graph(nodes, edges, ax=None, title=None, box_width=1.5, label_at=0.5, fontsize=11):
    """A computational graph: ``nodes`` maps a name to ``(x, y, text, role)`` or
    ``(x, y, text, role, height)`` with role one of ``"input"``, ``"weight"``, ``"bias"``,
    ``"activation"``; ``edges`` is a list of ``(source, target, forward_text, backward_text)``,
    optionally followed by the fraction of the edge (from its source) at which to write them
    (default ``label_at``). An edge leaves its source level and stays level when it meets a
    target tall enough to take it, so a node with several inputs can be drawn tall and each
    edge keeps its labels to itself. Forward values are written above an edge in the text
    colour, backward derivatives below it in the gradient colour; the finished figure passes
    ``check_labels``.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6.1, 3.2))
    ax.set_aspect("equal")
    ax.axis("off")
    default_height = 0.6
    heights = {name: (spec[4] if len(spec) > 4 else default_height) for name, spec in nodes.items()}
    for source, target, forward_text, backward_text, *where in edges:
        if source not in nodes or target not in nodes:
            raise ValueError(
                f"edge {source!r} → {target!r} names a node not in nodes ({', '.join(nodes)})"
            )
        (x0, y0), (x1, y1) = nodes[source][:2], nodes[target][:2]
        reach = heights[target] / 2 - 0.1  # how far from the target's centre an edge may land
        start = (x0 + box_width / 2, y0)
        end = (x1 - box_width / 2, float(np.clip(y0, y1 - reach, y1 + reach)))
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.6, shrinkA=0, shrinkB=0),
        )
        at = where[0] if where else label_at
        mx, my = start[0] + at * (end[0] - start[0]), start[1] + at * (end[1] - start[1])
        if forward_text:
            ax.text(
                mx,
                my + 0.1,
                forward_text,
                ha="center",
                va="bottom",
                fontsize=fontsize,
                color=TEXT_COLORS["text"],
            )
        if backward_text:
            ax.text(
                mx,
                my - 0.1,
                backward_text,
                ha="center",
                va="top",
                fontsize=fontsize,
                color=TEXT_COLORS["gradient"],
            )
    for name, (x, y, text, role, *_) in nodes.items():
        height = heights[name]
        ax.add_patch(
            FancyBboxPatch(
                (x - box_width / 2, y - height / 2),
                box_width,
                height,
                boxstyle="round,pad=0.05",
                fc="white",
                ec=ROLE_COLORS[role],
                lw=2.2,
                zorder=3,
            )
        )
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=4,
            color=TEXT_COLORS["text"],
        )
    xs = [v[0] for v in nodes.values()]
    ax.set_xlim(min(xs) - box_width / 2 - 0.2, max(xs) + box_width / 2 + 0.2)
    ax.set_ylim(
        min(v[1] - heights[n] / 2 for n, v in nodes.items()) - 0.2,
        max(v[1] + heights[n] / 2 for n, v in nodes.items()) + 0.2,
    )
    if title:
        ax.set_title(title)
    _fit_to_labels(ax)
    check_labels(ax.figure)
    return ax
