"""The :class:`Explorer`: a drawing function, its controls, and both of its renderings."""

from __future__ import annotations

import uuid

from . import controls as _controls
from .layout import SharedLayout, new_figure

__all__ = ["Explorer", "MAX_EXPLORER_BYTES"]

MAX_EXPLORER_BYTES = 1_000_000


class Explorer:
    """A figure ``draw(fig, **values)`` explored over the listed controls.

    ``draw`` draws one state on an empty figure. For a fast live form it may also return the
    artists that change from state to state (an artist, or a list, tuple or dict of them) and the
    author passes ``update(artists, **values)``, which sets those artists to another state. The
    live form then draws everything else once and redraws only those artists (blitting), and the
    static form stores one background image and a transparent layer per state.
    :meth:`check_update` compares the result with a fresh ``draw`` for every state.

    ``describe(**values)`` returns one sentence that says in words what a state shows (the numbers
    the picture shows and what happens: converges, oscillates, diverges); it is the text a reader
    who cannot see the picture gets for that state.
    """

    def __init__(
        self,
        draw,
        controls,
        *,
        update=None,
        describe=None,
        figsize=(7.0, 3.4),
        dpi=90,
        alt="",
        name=None,
    ):
        self.draw = draw
        self.update = update
        if describe is not None and not callable(describe):
            raise TypeError(
                f"describe must be a function describe(**values) -> str, got {type(describe).__name__}"
            )
        self.describe = describe
        self.controls = list(controls)
        names = [c.name for c in self.controls]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        if not self.controls:
            raise ValueError("an explorer needs at least one control")
        if update is not None and not callable(update):
            raise ValueError(
                f"update must be a function update(artists, **values), got {type(update).__name__}"
            )
        self.figsize, self.dpi = figsize, dpi
        self.width_px = int(figsize[0] * dpi)  # shown at 1×, whatever the pixels behind it
        self.alt = alt or "interactive figure"
        self.name = name or f"explorer-{uuid.uuid4().hex[:8]}"
        self._layout = SharedLayout(draw, figsize, dpi, self.state())

    # -- states ----------------------------------------------------------------------------------
    def state(self, **values) -> dict:
        """The full state: the controls' defaults, overridden by ``values`` (unknown names are an error)."""
        return _controls.state(self.controls, values)

    def states(self):
        """Every combination of the controls' value indices, in frame order (last control fastest)."""
        return _controls.states(self.controls)

    def covering_states(self):
        """A few states that between them give every control each of its values (see
        :func:`~nnmath.explore.controls.covering_states`): enough to catch an artist ``update``
        forgets, at a fraction of the cost of every state."""
        return _controls.covering_states(self.controls)

    def description(self, **values) -> str:
        """The text description of one state: ``describe``'s sentence, or the alt text without one."""
        if self.describe is None:
            return self.alt
        text = self.describe(**self.state(**values))
        if not isinstance(text, str) or not text.strip():
            raise ValueError(
                f"describe returned {text!r} for {self.state(**values)}: it must return a sentence"
            )
        return text

    def values_of(self, state):
        """The control values ``{name: value}`` of a state given as value indices."""
        return _controls.values_of(self.controls, state)

    # -- drawing -------------------------------------------------------------------------------
    def blank_figure(self, scale=1.0):
        """An empty figure of the explorer's size at ``scale`` times its dpi (no pyplot)."""
        return new_figure(self.figsize, self.dpi * scale)

    def draw_state(self, fig, **values):
        """``draw`` one state on ``fig`` in the default state's layout (see
        :class:`~nnmath.explore.layout.SharedLayout`); returns what ``draw`` returned."""
        return self._layout.draw(fig, self.state(**values))

    def figure(self, **values):
        """A new figure drawn by ``draw`` for one state (``values`` default to the controls' defaults),
        in the layout of the default state."""
        fig = self.blank_figure()
        self.draw_state(fig, **values)
        return fig

    def live(self, scale=2.0):
        """The persistent figure of the live form (see :class:`LiveFigure`); ``scale`` multiplies
        the dpi, 2 by default so that it is as crisp on a HiDPI screen as the static frames."""
        from .live import LiveFigure

        return LiveFigure(self, scale=scale)

    def check_update(self, max_fraction=1e-3, states=None):
        """Check that the live form shows what the static form shows: for every state (or the
        given ``states``, in their order), the pixels of the live figure (``update`` and blitting)
        against a fresh ``draw``. Blitting
        draws the changing artists on top of the rest, so a few pixels may differ where they
        cross, say, a legend; a forgotten artist changes far more than ``max_fraction``.
        Returns the largest fraction of differing pixels; raises naming the first bad state."""
        import numpy as np

        live = self.live(scale=1.0)
        worst = 0.0
        for state in self.states() if states is None else states:
            values = self.values_of(state)
            fig = self.figure(**values)
            fig.canvas.draw()
            fresh = np.asarray(fig.canvas.buffer_rgba())[..., :3]
            shown = live.pixels(**values)
            if shown.shape != fresh.shape:
                raise ValueError(
                    f"live figure is {shown.shape[1]}x{shown.shape[0]} px, a fresh draw "
                    f"{fresh.shape[1]}x{fresh.shape[0]} px, at {values}"
                )
            fraction = float(np.mean(np.any(shown != fresh, axis=-1)))
            if fraction > max_fraction:
                raise ValueError(
                    f"the live figure differs from a fresh draw in {fraction:.2%} of its pixels "
                    f"at {values} (allowed {max_fraction:.2%}): does update set every artist "
                    "that changes, and does draw return them all?"
                )
            worst = max(worst, fraction)
        return worst

    # -- renderings ------------------------------------------------------------------------------
    def static_html(self) -> str:
        """The static form: every state prebuilt, a few lines of the page's own JavaScript."""
        page = self._static_page()
        if len(page.encode()) > MAX_EXPLORER_BYTES:
            raise ValueError(
                f"explorer {self.name} weighs {len(page.encode()) / 1e6:.2f} MB, over the "
                f"{MAX_EXPLORER_BYTES / 1e6:.0f} MB budget: use fewer values or a smaller figure"
            )
        return page

    def _static_page(self) -> str:
        """The static form without the budget check (benchmarks/explorers.py weighs it)."""
        from .static import static_page

        return static_page(self)

    def widget(self, scale=2.0):
        """The ipywidgets form (see :func:`nnmath.explore.widget.explorer_widget`)."""
        from .widget import explorer_widget

        return explorer_widget(self, scale=scale)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {
            "text/html": self.static_html(),
            "text/plain": f"<Explorer {self.name}: {self.alt}>",
        }
        try:
            from IPython import get_ipython

            if get_ipython() is not None and getattr(get_ipython(), "kernel", None) is not None:
                bundle.update(self.widget()._repr_mimebundle_())
                bundle["text/plain"] = f"<Explorer {self.name}: {self.alt}>"
        except ImportError:
            pass
        return bundle
