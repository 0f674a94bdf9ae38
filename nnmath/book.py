"""Helpers for the chapters themselves (imports myst-nb; not imported by ``import nnmath``).

The harness that runs chapters for tests and benchmarks is ``tools/chapters.py``, outside the package.
"""

from __future__ import annotations

import numpy as np
from myst_nb import glue as _glue

from .page import smallest_text_px

__all__ = ["glue", "glue_figure", "power_of_ten"]


def glue(name: str, value, display: bool = False):
    """myst-nb's ``glue``, with numpy scalars turned into Python numbers first.

    myst-nb formats ``{glue:text}`name:.3f``` by parsing the value's ``repr``; numpy 2 writes
    ``np.float64(0.5)``, which it cannot parse.
    """
    if isinstance(value, np.generic):
        value = value.item()
    return _glue(name, value, display=display)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, digits: int = 2) -> str:
    """``value`` as text in powers of ten, for ``{glue:text}``: ``1e-8`` as "10⁻⁸", ``2e-9`` as
    "2·10⁻⁹", ``5e-4`` as "5·10⁻⁴" (the mantissa to ``digits`` significant digits, trailing zeros
    dropped; a negative value keeps its sign). Prose cannot put a glued value inside ``$…$``, so the
    exponent is written with Unicode superscripts."""
    value = float(value)
    if value == 0 or not np.isfinite(value):
        raise ValueError(f"power_of_ten: a finite, non-zero value, got {value!r}")
    mantissa_text, exponent_text = f"{value:.{digits - 1}e}".split("e")
    mantissa = mantissa_text.rstrip("0").rstrip(".")
    power = "10" + str(int(exponent_text)).translate(_SUPERSCRIPT)
    if mantissa in ("1", "-1"):
        return mantissa[:-1] + power
    return f"{mantissa}·{power}"


def glue_figure(name: str, fig, alt: str):
    """Glue a matplotlib figure for ``{glue:figure}`` together with its alt text.

    ``alt`` says what the figure shows and what to take from it (computed numbers included, as an
    f-string); it must not repeat the caption. The book's ``_ext/figure_alt.py`` puts it on the
    ``<img>``; the notebook edition uses it too. The size of the figure's smallest text goes
    with it (``text_px``), so that a phone shows the figure no narrower than keeps that text
    legible.
    """
    import IPython.core.formatters
    from IPython.display import display as ipy_display
    from myst_nb.ext.glue import GLUE_PREFIX

    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(
            f"glue_figure({name!r}): alt text must be a non-empty sentence, got {alt!r}"
        )

    bundle, metadata = IPython.core.formatters.format_display_data(fig)
    # the image's pixels are CSS px at its natural size (the figure's dpi): its smallest text
    # there, which a phone keeps legible (_ext/figure_alt.py, _static/nnmath.js)
    text_px = smallest_text_px(fig, fig.dpi)
    for mime in bundle:
        if mime.startswith("image/"):
            metadata.setdefault(mime, {}).update(alt=alt, text_px=round(text_px, 1))
    metadata["scrapbook"] = dict(name=name, mime_prefix=GLUE_PREFIX)
    ipy_display({GLUE_PREFIX + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
