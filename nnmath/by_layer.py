"""What the network and its two passes hold, indexed by the book's layer numbers.

``ByLayer`` is a list indexed from 0 (a^l) or 1 (W^l, z^l, δ^l); ``ForwardPass`` holds every z^l and
a^l, ``Gradients`` every δ^l, ∇W^l, ∇b^l, ∇x and the cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["ByLayer", "ForwardPass", "Gradients"]


class ByLayer(Sequence):
    """A list indexed by layer number, starting at ``first`` (0 for a^l, 1 for W^l, z^l, δ^l).

    ``check(layer, value)``, if given, vets every assigned value and returns what is stored:
    the network's ``W``, ``b`` and ``f`` use it so that ``net.W[2] = <wrong shape>`` is refused
    at once, naming W^2 and the expected shape, instead of failing later inside a product.
    """

    def __init__(self, first: int, items, check=None):
        self.first = first
        self._check = check
        items = list(items)
        if check is not None:
            items = [check(layer, item) for layer, item in enumerate(items, start=first)]
        self._items = items

    @classmethod
    def empty(cls, first: int, last: int) -> ByLayer:
        """Layers ``first..last``, each ``None`` until assigned (the passes fill them in order)."""
        return cls(first, [None] * (last - first + 1))

    @property
    def last(self) -> int:
        return self.first + len(self._items) - 1

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def _position(self, layer) -> int:
        if isinstance(layer, slice):
            raise TypeError("index a ByLayer by layer number, not by slice")
        if isinstance(layer, (bool, np.bool_)) or not isinstance(layer, (int, np.integer)):
            raise TypeError(
                f"a layer number must be an integer, got {type(layer).__name__} {layer!r}"
            )
        if not self.first <= layer <= self.last:
            raise IndexError(f"layer {layer} is out of range {self.first}..{self.last}")
        return layer - self.first

    def __getitem__(self, layer):
        if type(layer) is int and self.first <= layer < self.first + len(self._items):
            return self._items[layer - self.first]  # the common case, without the checks
        return self._items[self._position(layer)]

    def __setitem__(self, layer, value):
        if self._check is None and type(layer) is int and 0 <= layer - self.first < len(self):
            self._items[layer - self.first] = value  # the passes filling their lists
            return
        position = self._position(layer)
        if self._check is not None:
            value = self._check(layer, value)
        self._items[position] = value

    def items(self):
        """(layer, item) pairs."""
        return zip(range(self.first, self.last + 1), self._items)

    def __repr__(self):
        return "ByLayer({" + ", ".join(f"{l}: {np.shape(v)}" for l, v in self.items()) + "})"


@dataclass
class ForwardPass:
    """Everything the forward pass computed: z[1..L], a[0..L]."""

    z: ByLayer
    a: ByLayer
    # Which parameters produced it, so that backward(x, t, forward=...) can refuse a stale pass.
    parameters_fingerprint: int | None = field(default=None, repr=False, compare=False)
    # ‖a^l‖² for l = 0..L, from the test of the pass's finiteness; the network's own backward
    # bounds ∇W^l with them (a pass handed back by a caller is measured afresh).
    a_squared_norms: list[float] | None = field(default=None, repr=False, compare=False)

    @property
    def output(self) -> np.ndarray:
        return self.a[self.a.last]


@dataclass
class Gradients:
    """Everything the backward pass computed: δ[1..L], ∇W[1..L], ∇b[1..L], ∇x and the cost."""

    delta: ByLayer
    W: ByLayer
    b: ByLayer
    x: np.ndarray
    cost: float

    def as_list(self) -> list[np.ndarray]:
        """[∇W^1, ∇b^1, …, ∇W^L, ∇b^L], the order of ``Network.parameters()``."""
        return [g for l in range(1, self.W.last + 1) for g in (self.W[l], self.b[l])]
