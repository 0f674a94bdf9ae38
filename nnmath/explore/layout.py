"""Figures for explorers, and the one axes layout every state shares."""

from __future__ import annotations

__all__ = ["new_figure", "SharedLayout"]


def new_figure(figsize, dpi, layout=None):
    """A plain :class:`matplotlib.figure.Figure` with an Agg canvas: no pyplot, so nothing is
    left open and nothing is displayed twice in a notebook."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout=layout)
    FigureCanvasAgg(fig)
    return fig


class SharedLayout:
    """Draws every state with the axes where constrained layout puts them for the default state.

    Every state then shares one layout: the plot does not shift by a pixel when a title's glyphs
    change, and laying out once is much cheaper than at every step. The positions are solved on
    first use and kept.
    """

    def __init__(self, draw, figsize, dpi, default_state):
        self._draw, self._figsize, self._dpi = draw, figsize, dpi
        self._default_state = default_state
        self._positions = None

    def positions(self):
        """The axes positions (figure fractions) of the default state under constrained layout."""
        if self._positions is None:
            default = new_figure(self._figsize, self._dpi, layout="constrained")
            self._draw(default, **self._default_state)
            default.canvas.draw()
            self._positions = [ax.get_position() for ax in default.axes]
        return self._positions

    def draw(self, fig, state):
        """``draw`` one state on ``fig`` in the shared layout; returns what ``draw`` returned.
        A state with other axes than the default one gets its own constrained layout."""
        positions = self.positions()
        returned = self._draw(fig, **state)
        if len(fig.axes) == len(positions):
            fig.set_layout_engine("none")
            for ax, position in zip(fig.axes, positions):
                ax.set_position(position)
        else:
            fig.set_layout_engine("constrained")
        return returned
