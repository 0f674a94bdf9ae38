"""The book's diagrams: a network with its values or gradients on every unit and edge, and a
computational graph. Both are drawn in the book's colours and pass ``check_labels``.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from ..network import Network
from .legibility import _label_extent, _renderer, check_labels
from .style import ROLE_COLORS, TEXT_COLORS

__all__ = ["draw_network", "draw_graph"]


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
