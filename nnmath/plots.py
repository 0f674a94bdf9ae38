"""Figures shared by the chapters: network diagrams with values, loss curves.

Colours keep one role across the whole book (after the worked-example source: weights red,
biases grey, inputs blue, target orange), drawn from the Okabe–Ito palette so they stay
distinguishable with every common colour-vision deficiency. Figures have an opaque white
face so they read the same in the theme's light and dark modes.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from .network import Network

__all__ = ["ROLE_COLORS", "draw_network", "draw_graph", "plot_loss_curve", "book_style"]

ROLE_COLORS = {
    "weight": "#D55E00",      # vermillion
    "bias": "#6E6E6E",        # grey
    "input": "#0072B2",       # blue
    "target": "#E69F00",      # orange
    "activation": "#009E73",  # bluish green
    "gradient": "#CC79A7",    # reddish purple
    "text": "#1A1A1A",
}


def book_style():
    """rcParams for every figure of the book: white face, readable sizes, crisp on HiDPI."""
    return {
        "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
        "figure.dpi": 110, "savefig.dpi": 200, "font.size": 11, "axes.titlesize": 12,
        "axes.labelsize": 11, "legend.fontsize": 10, "axes.spines.top": False,
        "axes.spines.right": False, "text.color": ROLE_COLORS["text"],
        "axes.prop_cycle": plt.cycler(color=["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]),
    }


def _fmt(value, digits):
    return f"{value:.{digits}f}"


def draw_network(net: Network, x=None, t=None, *, gradients=None, weight_names=None,
                 show="values", digits=2, ax=None, title=None, node_radius=0.22):
    """Draw ``net`` as circles and labelled edges.

    x, t : one example (columns ``(n_0, 1)``, ``(n_L, 1)``); with ``x`` the nodes show z and a.
    gradients : a ``nnmath.Gradients``; with it (and ``show="gradients"``) every edge and bias
        shows ∂C/∂w instead of w.
    weight_names : optional list per layer of name matrices (e.g. ``"w1"``) shown beside values.
    """
    if show not in ("values", "gradients"):
        raise ValueError(f"unknown show {show!r}; known: values, gradients")
    if show == "gradients" and gradients is None:
        raise ValueError("show='gradients' needs gradients=net.backward(x, t)")
    sizes = net.sizes
    fwd = net.forward(x) if x is not None else None
    if ax is None:
        _, ax = plt.subplots(figsize=(2.9 * len(sizes) + 1, 1.25 * max(sizes) + 1.6))
    ax.set_aspect("equal")
    ax.axis("off")
    x_step, y_step = 2.9, 1.7

    def position(layer, unit):
        return layer * x_step, (sizes[layer] - 1) / 2 * y_step - unit * y_step

    for l in range(1, net.L + 1):
        W = gradients.W[l] if show == "gradients" else net.W[l]
        n_out, n_in = W.shape
        for j in range(n_out):
            for k in range(n_in):
                (x0, y0), (x1, y1) = position(l - 1, k), position(l, j)
                ax.plot([x0 + node_radius, x1 - node_radius], [y0, y1], color=ROLE_COLORS["weight"],
                        lw=1.3, alpha=0.75, zorder=1)
                # label at a point that differs per edge so labels of crossing edges don't collide
                s = 0.25 + 0.30 * (k / max(n_in - 1, 1)) if n_in > 1 else 0.45
                lx, ly = x0 + s * (x1 - x0), y0 + s * (y1 - y0)
                label = _fmt(W[j, k], digits)
                if weight_names is not None:
                    label = f"{weight_names[l - 1][j][k]} = {label}"
                ax.text(lx, ly, label, color=ROLE_COLORS["gradient"] if show == "gradients" else ROLE_COLORS["weight"],
                        ha="center", va="center", fontsize=9, zorder=4,
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
        b = gradients.b[l] if show == "gradients" else net.b[l]
        for j in range(n_out):
            px, py = position(l, j)
            ax.text(px, py - node_radius - 0.28, f"b={_fmt(b[j, 0], digits)}",
                    color=ROLE_COLORS["gradient"] if show == "gradients" else ROLE_COLORS["bias"],
                    ha="center", va="center", fontsize=9, zorder=4)

    for l, n in enumerate(sizes):
        for j in range(n):
            px, py = position(l, j)
            edge = ROLE_COLORS["input"] if l == 0 else ROLE_COLORS["activation"]
            ax.add_patch(Circle((px, py), node_radius, fc="white", ec=edge, lw=2, zorder=3))
            if fwd is not None:
                if l == 0:
                    ax.text(px - node_radius - 0.12, py, f"x{j + 1}={_fmt(fwd.a[0][j, 0], digits)}",
                            color=ROLE_COLORS["input"], ha="right", va="center", fontsize=10, zorder=4)
                else:
                    ax.text(px, py + node_radius + 0.22,
                            f"z={_fmt(fwd.z[l][j, 0], 3)}\na={_fmt(fwd.a[l][j, 0], 3)}",
                            color=ROLE_COLORS["activation"], ha="center", va="bottom", fontsize=8.5, zorder=4)
    if t is not None:
        t = np.asarray(t, dtype=float).reshape(sizes[-1], -1)
        for j in range(sizes[-1]):
            px, py = position(net.L, j)
            ax.text(px + node_radius + 0.15, py, f"t={_fmt(t[j, 0], digits)}", color=ROLE_COLORS["target"],
                    ha="left", va="center", fontsize=10, fontweight="bold", zorder=4)
    for l in range(len(sizes)):
        label = "input" if l == 0 else ("output" if l == net.L else f"hidden {l}")
        ax.text(l * x_step, -(max(sizes) - 1) / 2 * y_step - 1.0, f"layer {l}\n({label})",
                ha="center", va="top", fontsize=9.5, color=ROLE_COLORS["text"])
    half = (max(sizes) - 1) / 2 * y_step
    ax.set_xlim(-1.4, net.L * x_step + 1.2)
    ax.set_ylim(-half - 1.7, half + 1.3)
    if title:
        ax.set_title(title)
    return ax


def plot_loss_curve(losses, ax=None, label=None, log=True):
    """Loss against step, log scale by default."""
    losses = np.asarray(losses, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(np.arange(len(losses)), losses, label=label, lw=2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("loss C")
    ax.grid(True, alpha=0.3)
    return ax


def draw_graph(nodes, edges, ax=None, title=None, box_width=1.5, label_at=0.5):
    """A computational graph: ``nodes`` maps a name to ``(x, y, text, role)`` with role one of
    ``"input"``, ``"weight"``, ``"bias"``, ``"activation"``; ``edges`` is a list of
    ``(source, target, forward_text, backward_text)``. Forward values are written above an
    edge in black, backward derivatives below it in the gradient colour.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    ax.set_aspect("equal")
    ax.axis("off")
    for source, target, forward_text, backward_text in edges:
        (x0, y0), (x1, y1) = nodes[source][:2], nodes[target][:2]
        ax.annotate("", xy=(x1 - box_width / 2 - 0.05, y1), xytext=(x0 + box_width / 2 + 0.05, y0),
                    arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.6, shrinkA=0, shrinkB=0))
        mx, my = x0 + label_at * (x1 - x0), y0 + label_at * (y1 - y0)
        if forward_text:
            ax.text(mx, my + 0.18, forward_text, ha="center", va="bottom", fontsize=10, color=ROLE_COLORS["text"],
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
        if backward_text:
            ax.text(mx, my - 0.18, backward_text, ha="center", va="top", fontsize=10, color=ROLE_COLORS["gradient"],
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9))
    for name, (x, y, text, role) in nodes.items():
        ax.add_patch(FancyBboxPatch((x - box_width / 2, y - 0.27), box_width, 0.54, boxstyle="round,pad=0.05",
                                    fc="white", ec=ROLE_COLORS[role], lw=2.2, zorder=3))
        ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=4, color=ROLE_COLORS["text"])
    xs = [v[0] for v in nodes.values()]
    ys = [v[1] for v in nodes.values()]
    ax.set_xlim(min(xs) - box_width / 2 - 0.2, max(xs) + box_width / 2 + 0.2)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.9)
    if title:
        ax.set_title(title)
    return ax
