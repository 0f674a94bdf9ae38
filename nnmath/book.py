"""Helpers for the chapters themselves (imports myst-nb; not imported by ``import nnmath``).

The harness that runs chapters for tests and benchmarks is ``tools/chapters.py``, outside the package.
"""
from __future__ import annotations

import numpy as np
from myst_nb import glue as _glue

__all__ = ["glue"]


def glue(name: str, value, display: bool = False):
    """myst-nb's ``glue``, with numpy scalars turned into Python numbers first.

    myst-nb formats ``{glue:text}`name:.3f``` by parsing the value's ``repr``; numpy 2 writes
    ``np.float64(0.5)``, which it cannot parse.
    """
    if isinstance(value, np.generic):
        value = value.item()
    return _glue(name, value, display=display)
