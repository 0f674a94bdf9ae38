"""Interactive explorers with two renderings of one figure:

* **static** — every state is drawn at build time into a PNG (with ``update``: one background image
  and a transparent layer per state); a few lines of the page's own JavaScript (``explorer.js``)
  swap them when a control moves. No kernel, no CDN, no request to another host.
  Without JavaScript the default frame shows as a plain figure and no control is shown.
* **live** — in a kernel, ipywidgets controls redraw the matplotlib figure.

An explorer is displayed as one MIME bundle holding both: ``text/html`` (static) and, when a
kernel is present, the widget view. ``_config.yml`` sets ``nb_mime_priority_overrides`` so that
the HTML build takes the static form while Jupyter shows the live one.

An author writes ``draw(fig, **values)`` and lists the controls::

    Explorer(draw, [Slider("alpha", "learning rate α", [0.1, 0.5, 0.9]),
                    Choice("surface", "surface", ["bowl", "saddle"])])

The modules, one job each:

``controls``  the control kinds and the states they span (no drawing, no HTML)
``layout``    figures without pyplot, and the default state's axes layout shared by every state
``images``    PNG encoding: a quantised palette for the page, fast compression for the kernel
``explorer``  :class:`Explorer`, which ties a drawing function to its controls
``live``      :class:`LiveFigure`, the persistent figure of the live form (blitting with ``update``)
``static``    the static HTML page; its script and style are ``explorer.js`` and ``explorer.css``
``widget``    the ipywidgets form
"""

from .controls import Choice, Play, Slider
from .explorer import MAX_EXPLORER_BYTES, Explorer
from .live import LiveFigure

__all__ = ["Slider", "Choice", "Play", "Explorer", "LiveFigure", "MAX_EXPLORER_BYTES"]
