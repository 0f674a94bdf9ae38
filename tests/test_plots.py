"""nnmath.plots: the legibility check catches what it must, and every diagram of the book passes it."""

import re
from pathlib import Path

import jupytext
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnmath import plots  # noqa: E402
from nnmath.examples import worked_example  # noqa: E402
from nnmath.plots import (  # noqa: E402
    DARK_MODE_FILTER,
    ROLE_COLORS,
    TEXT_COLORS,
    LabelLayoutError,
    book_style,
    check_labels,
    contrast_ratio,
    dark_mode_color,
    displayed_px,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def style():
    with plt.rc_context(book_style()):
        yield
    plt.close("all")


def empty_axes(width=6.1, height=3):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set(xlim=(0, 10), ylim=(0, 10))
    return fig, ax


def test_a_planted_overlap_is_caught_and_named():
    fig, ax = empty_axes()
    ax.text(5, 5, "w1 = 0.15", fontsize=11)
    ax.text(5.3, 5.1, "b = 0.35", fontsize=11)
    with pytest.raises(LabelLayoutError, match=r"'w1 = 0.15' and 'b = 0.35' overlap"):
        check_labels(fig)


def test_labels_apart_pass():
    fig, ax = empty_axes()
    ax.text(1, 2, "w1 = 0.15", fontsize=11)
    ax.text(6, 7, "b = 0.35", fontsize=11)
    assert check_labels(fig) is fig


def test_a_label_leaving_its_axes_is_caught():
    fig, ax = empty_axes()
    ax.text(9.5, 5, "t = 0.05", fontsize=11)
    with pytest.raises(LabelLayoutError, match=r"'t = 0.05' leaves its axes"):
        check_labels(fig)


def test_a_label_across_a_shape_is_caught_but_a_label_inside_one_is_not():
    fig, ax = empty_axes()
    ax.add_patch(plt.Rectangle((2, 2), 4, 4, fill=False))
    ax.text(4, 4, "inside", fontsize=11, ha="center", va="center")
    check_labels(fig)
    ax.text(6, 4, "across", fontsize=11, ha="center", va="center")
    with pytest.raises(LabelLayoutError, match=r"'across' overlaps the outline of a Rectangle"):
        check_labels(fig)


def test_a_label_touching_the_outline_from_inside_is_caught():
    fig, ax = empty_axes()
    box = ax.add_patch(plt.Rectangle((2, 2), 4, 4, fill=False))
    label = ax.text(2, 4, "flush", fontsize=11, ha="left", va="center")
    renderer = fig.canvas.get_renderer()
    gap = label.get_window_extent(renderer).x0 - box.get_window_extent(renderer).x0
    assert abs(gap) < 0.5  # the text starts on the left outline
    with pytest.raises(LabelLayoutError, match=r"'flush' overlaps the outline of a Rectangle"):
        check_labels(fig)
    check_labels(fig, inside_margin_px=0)  # only the margin makes it fail


def test_a_label_too_small_at_page_width_is_caught():
    fig, ax = empty_axes(width=12)  # a 12 in figure is shrunk to the column: 11 pt becomes ~8.6 px
    ax.text(1, 1, "tiny", fontsize=11)
    assert displayed_px(fig, 11) < plots.SMALL_TEXT_PX
    with pytest.raises(LabelLayoutError, match=r"'tiny' would appear .* px high"):
        check_labels(fig)


def test_displayed_size_follows_the_column_width():
    fig, ax = empty_axes(width=6.1)
    ax.text(1, 1, "x", fontsize=10)
    ax.set_position([0, 0, 1, 1])
    ax.axis("off")
    # narrower than the column: shown at its own 110 dpi
    assert displayed_px(fig, 10) == pytest.approx(10 / 72 * 110)


def test_every_text_colour_reads_in_both_modes():
    page_dark = dark_mode_color("white")
    for role, color in TEXT_COLORS.items():
        assert contrast_ratio(color, "white") >= 4.5, role
        assert contrast_ratio(dark_mode_color(color), page_dark) >= 4.5, role
    # the shade keeps the role's hue
    for role in ("weight", "input", "gradient"):
        hue = lambda c: matplotlib.colors.rgb_to_hsv(matplotlib.colors.to_rgb(c))[0]  # noqa: E731
        assert abs(hue(TEXT_COLORS[role]) - hue(ROLE_COLORS[role])) < 0.02, role


def test_dark_mode_filter_is_the_one_in_the_stylesheet():
    css = (ROOT / "_static" / "nnmath.css").read_text()
    assert f"filter: {DARK_MODE_FILTER}" in css
    amount = float(re.search(r"invert\(([\d.]+)\)", DARK_MODE_FILTER)[1])
    assert dark_mode_color("white", amount) == dark_mode_color("white")


def test_draw_network_rejects_bad_options():
    net, x, t, _ = worked_example()
    with pytest.raises(ValueError, match="unknown show 'grads'"):
        plots.draw_network(net, x, t, show="grads")
    with pytest.raises(ValueError, match="needs gradients"):
        plots.draw_network(net, x, t, show="gradients")


def test_draw_graph_rejects_an_edge_to_an_unknown_node():
    with pytest.raises(ValueError, match=r"'x' → 'y' names a node not in nodes"):
        plots.draw_graph({"x": (0, 0, "x", "input")}, [("x", "y", "", "")])


def test_gradient_labels_are_the_gradients():
    net, x, t, _ = worked_example()
    gradients = net.backward(x, t)
    fig, ax = plt.subplots(figsize=(6.1, 5.3))
    plots.draw_network(net, x, t, gradients=gradients, show="gradients", ax=ax)
    shown = {
        float(text.get_text()) for text in ax.texts if re.fullmatch(r"-?[\d.e-]+", text.get_text())
    }
    expected = {
        float(f"{g:.3g}")
        for l in range(1, net.L + 1)
        for g in [*gradients.W[l].ravel(), *gradients.b[l].ravel()]
    }
    assert shown == expected


def diagram_cells():
    """(chapter, index of the last cell that draws a diagram) for every chapter that draws one."""
    for path in sorted((ROOT / "book").glob("*.md")):
        cells = [c for c in jupytext.read(path).cells if c.cell_type == "code"]
        drawing = [
            i for i, c in enumerate(cells) if re.search(r"\bdraw_(network|graph)\(", c.source)
        ]
        if drawing:
            yield pytest.param(path, cells[: drawing[-1] + 1], id=path.stem)


@pytest.mark.parametrize("path, cells", list(diagram_cells()))
def test_every_book_diagram_passes_the_check(path, cells, monkeypatch):
    """Run the chapter up to its last diagram: draw_network and draw_graph check every figure
    they draw, and a check that fails raises here."""
    monkeypatch.chdir(path.parent)
    namespace = {"__name__": "__chapter__"}
    drawn = []
    for name in ("draw_network", "draw_graph"):
        original = getattr(plots, name)

        def counted(*args, _original=original, **kwargs):
            ax = _original(*args, **kwargs)
            drawn.append(ax.figure)
            return ax

        monkeypatch.setattr(plots, name, counted)
    for cell in cells:
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.startswith(("%", "!"))
        )
        exec(compile(source, f"{path.name}", "exec"), namespace)
    assert drawn, f"{path.name} draws no diagram through nnmath.plots"
    for fig in drawn:
        check_labels(fig)
        assert np.isfinite(fig.get_size_inches()).all()


def test_a_text_colour_below_aa_contrast_is_refused_by_name():
    import matplotlib.pyplot as plt

    from nnmath.plots import (
        ROLE_COLORS,
        TEXT_COLORS,
        LowContrastError,
        check_labels,
        check_text_contrast,
    )

    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "∇C", color=TEXT_COLORS["weight"])
    ax.set_title("fine", color=TEXT_COLORS["target"])
    assert check_text_contrast(fig) is fig
    ax.set_title("digit 3", color=ROLE_COLORS["weight"])  # vermillion on white: 3.8:1
    with pytest.raises(
        LowContrastError, match=r"'digit 3' in #d55e00 has contrast 3\.\d\d:1 on #ffffff"
    ):
        check_text_contrast(fig)
    with pytest.raises(LowContrastError):
        check_labels(fig)
    ax.set_title("")
    ax.legend(handles=[ax.plot([0], [0], label="orange")[0]], labelcolor=ROLE_COLORS["target"])
    with pytest.raises(LowContrastError, match="'orange'"):
        check_text_contrast(fig)
    plt.close(fig)
