"""The persistent figure of an explorer's live form."""

from __future__ import annotations

from .images import kernel_png

__all__ = ["LiveFigure"]


class LiveFigure:
    """The one figure of an explorer's live form, kept for the life of the widget.

    Every state is drawn in the default state's layout, as the static frames are. With an
    ``update`` function only the changing artists are redrawn over a saved background
    (blitting); without one, the figure is cleared and ``draw`` runs again. :meth:`png` encodes
    with light compression: a kernel sends it once and forgets it.
    """

    def __init__(self, explorer, scale=2.0):
        import numpy as np

        if not scale > 0:
            raise ValueError(f"scale must be positive, got {scale!r}")
        self.explorer = explorer
        self.figure = explorer.blank_figure(scale)
        self.canvas = self.figure.canvas
        returned = explorer.draw_state(self.figure)
        self.changing = None
        if explorer.update is not None:
            self.changing = _artists(returned)
            if not self.changing:
                raise ValueError(
                    "with update=, draw(fig, **values) must return the artists that update changes "
                    "(an artist, or a list, tuple or dict of them); it returned "
                    f"{type(returned).__name__}"
                )
            self.returned = returned
            for artist in self.changing:
                artist.set_animated(True)
            self.canvas.draw()  # everything but the changing artists
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.background_pixels = np.asarray(self.canvas.buffer_rgba()).copy()

    def render(self, **values):
        """Draw the state ``values`` (the rest at their defaults) into the canvas's buffer."""
        if self.changing is None:
            self.figure.clear()
            self.explorer.draw_state(self.figure, **values)
            self.canvas.draw()
        else:
            self.explorer.update(self.returned, **self.explorer.state(**values))
            self.canvas.restore_region(self.background)
            for artist in self.changing:
                self.figure.draw_artist(artist)

    def pixels(self, **values):
        """The RGB pixels of one state, as an (height, width, 3) uint8 array."""
        import numpy as np

        self.render(**values)
        return np.asarray(self.canvas.buffer_rgba())[..., :3].copy()

    def overlay(self, **values):
        """The changing artists alone for one state, on a transparent canvas: an (height, width, 4)
        uint8 RGBA array to lay over ``background_pixels`` (the static form's layers)."""
        import numpy as np

        if self.changing is None:
            raise ValueError("overlay needs an explorer with update= (the changing artists)")
        self.explorer.update(self.returned, **self.explorer.state(**values))
        self.canvas.get_renderer().clear()  # transparent; render() restores the background
        for artist in self.changing:
            self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba()).copy()

    def png(self, **values) -> bytes:
        """One state as PNG bytes, the form a kernel sends to the page."""
        return kernel_png(self.pixels(**values))


def _artists(returned):
    """The artists in what ``draw`` returned: an artist, or lists, tuples and dicts of them."""
    from matplotlib.artist import Artist

    if returned is None:
        return []
    if isinstance(returned, Artist):
        return [returned]
    items = returned.values() if isinstance(returned, dict) else returned
    if not isinstance(items, (list, tuple, type({}.values()))):
        raise ValueError(
            f"draw returned a {type(returned).__name__}; with update= it must return the artists "
            "that update changes (an artist, or a list, tuple or dict of them)"
        )
    return [artist for item in items for artist in _artists(item)]
