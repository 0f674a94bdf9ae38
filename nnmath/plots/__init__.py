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

The package (matplotlib; ``import nnmath`` does not load it): ``style`` (the colours, the dark
mode's filter, ``book_style``), ``legibility`` (``check_labels``, ``check_text_contrast``,
``displayed_px``) and ``diagrams`` (``draw_network``, ``draw_graph``).
"""

# Each module's __all__ is the one list of its public names; the package exports them all.
from . import diagrams, legibility, style
from .diagrams import *  # noqa: F403
from .legibility import *  # noqa: F403
from .style import *  # noqa: F403

__all__ = [*style.__all__, *legibility.__all__, *diagrams.__all__]
