"""A fully connected network whose code reads like the book's equations.

Layer ``l`` runs from 1 to L; layer 0 is the input. Examples are columns:

    z^l = W^l a^{l-1} + b^l,     a^l = f^l(z^l),     a^0 = x

and the backward pass is the four backprop equations

    δ^L   = ∇_a C ⊙ f'(z^L)
    δ^l   = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)
    ∇W^l  = δ^l (a^{l-1})ᵀ
    ∇b^l  = δ^l   (summed over the examples of the batch)

Indices in code are the book's: ``net.W[1]`` is W^1, ``fwd.a[0]`` is the input.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_matrix, require_finite
from .activations import Activation, get_activation
from .losses import Loss, get_loss

__all__ = ["ByLayer", "ForwardPass", "Gradients", "Network"]


class ByLayer(Sequence):
    """A list indexed by layer number, starting at ``first`` (0 for a^l, 1 for W^l, z^l, δ^l)."""

    def __init__(self, first: int, items):
        self.first = first
        self._items = list(items)

    @property
    def last(self) -> int:
        return self.first + len(self._items) - 1

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(self._items)

    def __getitem__(self, layer):
        if isinstance(layer, slice):
            raise TypeError("index a ByLayer by layer number, not by slice")
        if not self.first <= layer <= self.last:
            raise IndexError(f"layer {layer} is out of range {self.first}..{self.last}")
        return self._items[layer - self.first]

    def __setitem__(self, layer, value):
        self[layer]  # range check
        self._items[layer - self.first] = value

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


class Network:
    """A fully connected feed-forward network.

    Parameters
    ----------
    sizes : layer widths ``[n_0, n_1, …, n_L]``; at least two.
    activations : one name/``Activation`` for every layer, or a list of L of them.
    loss : a loss name or ``Loss`` (see ``nnmath.losses``).
    weights, biases : optional exact values, lists of L arrays with shapes
        ``(n_l, n_{l-1})`` and ``(n_l, 1)`` (a bias may also be given flat, ``(n_l,)``).
    init : ``"xavier"`` (normal, variance 2/(n_in+n_out)) or ``"he"`` (normal, variance 2/n_in);
        used for weights not given. Biases not given start at zero.
    seed : an int or ``numpy.random.Generator`` for the initialisation.
    dtype : ``float64`` (default) or ``float32``; inputs, parameters and every
        intermediate keep it.
    """

    INITS = ("xavier", "he")

    def __init__(self, sizes, activations="sigmoid", loss="half_squared_error", *,
                 weights=None, biases=None, init="xavier", seed=None, dtype=np.float64,
                 reduction=None):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least two layer sizes (input and output), got {sizes}")
        for i, n in enumerate(sizes):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"sizes[{i}] must be a positive integer, got {n!r}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        if init not in self.INITS:
            raise ValueError(f"unknown init {init!r}; known: {', '.join(self.INITS)}")
        self.sizes = [int(n) for n in sizes]
        self.L = len(sizes) - 1

        if isinstance(activations, (str, Activation)):
            activations = [activations] * self.L
        activations = list(activations)
        if len(activations) != self.L:
            raise ValueError(
                f"activations has {len(activations)} entries, expected one per weight layer ({self.L})")
        self.f = ByLayer(1, [get_activation(a) for a in activations])
        self.loss: Loss = get_loss(loss, reduction)

        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.W = ByLayer(1, [])
        self.b = ByLayer(1, [])
        for l in range(1, self.L + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            scale = np.sqrt(2 / (n_in + n_out)) if init == "xavier" else np.sqrt(2 / n_in)
            self.W._items.append((rng.standard_normal((n_out, n_in)) * scale).astype(self.dtype))
            self.b._items.append(np.zeros((n_out, 1), dtype=self.dtype))
        if weights is not None or biases is not None:
            self.set_parameters(weights=weights, biases=biases)

    # -- parameters --------------------------------------------------------------------------
    def set_parameters(self, weights=None, biases=None) -> None:
        """Set exact weights and/or biases (lists of L arrays, W^1 first)."""
        for kind, values in (("weights", weights), ("biases", biases)):
            if values is None:
                continue
            values = list(values)
            if len(values) != self.L:
                raise ValueError(f"{kind} has {len(values)} arrays, expected {self.L} (one per layer)")
            for l, value in enumerate(values, start=1):
                n_out, n_in = self.sizes[l], self.sizes[l - 1]
                name = f"{'W' if kind == 'weights' else 'b'}^{l}"
                array = np.array(value, dtype=self.dtype)
                expected = (n_out, n_in) if kind == "weights" else (n_out, 1)
                if kind == "biases" and array.shape == (n_out,):
                    array = array.reshape(n_out, 1)
                if array.shape != expected:
                    raise ValueError(f"{name} has shape {array.shape}, expected {expected} "
                                     f"(layer {l}: {n_in} inputs → {n_out} units)")
                require_finite(array, name)
                (self.W if kind == "weights" else self.b)[l] = array

    def parameters(self) -> list[np.ndarray]:
        """[W^1, b^1, …, W^L, b^L]: the arrays themselves (updating them updates the network)."""
        return [p for l in range(1, self.L + 1) for p in (self.W[l], self.b[l])]

    @property
    def n_parameters(self) -> int:
        return sum(p.size for p in self.parameters())

    def __repr__(self):
        acts = ", ".join(f.name for f in self.f)
        return f"Network(sizes={self.sizes}, activations=[{acts}], loss={self.loss!r})"

    # -- checks ------------------------------------------------------------------------------
    def _input(self, x) -> np.ndarray:
        x = as_float_matrix(x, "input x", dtype=self.dtype)
        if x.shape[0] != self.sizes[0]:
            raise ValueError(f"input x has {x.shape[0]} rows, expected n_0 = {self.sizes[0]} "
                             f"(one row per input unit, one column per example; got shape {x.shape})")
        return x

    def _target(self, t, batch: int) -> np.ndarray:
        t = as_float_matrix(t, "target t", dtype=self.dtype)
        expected = (self.sizes[-1], batch)
        if t.shape != expected:
            raise ValueError(f"target t has shape {t.shape}, expected output shape {expected}")
        return t

    # -- the two passes ----------------------------------------------------------------------
    def forward(self, x) -> ForwardPass:
        """z^l = W^l a^{l-1} + b^l and a^l = f^l(z^l) for l = 1..L, keeping every one."""
        W, b, f = self.W, self.b, self.f
        a = ByLayer(0, [self._input(x)])
        z = ByLayer(1, [])
        for l in range(1, self.L + 1):
            z._items.append(W[l] @ a[l - 1] + b[l])
            a._items.append(f[l].value(z[l]))
        return ForwardPass(z=z, a=a)

    def predict(self, x) -> np.ndarray:
        return self.forward(x).output

    def cost(self, x, t) -> float:
        fwd = self.forward(x)
        t = self._target(t, fwd.output.shape[1])
        return float(self.loss.value_at_output(self.f[self.L], fwd.z[self.L], fwd.output, t))

    def backward(self, x, t, forward: ForwardPass | None = None) -> Gradients:
        """Every δ^l, ∇W^l, ∇b^l and ∇x for inputs ``x`` and targets ``t``."""
        fwd = self.forward(x) if forward is None else forward
        W, f, z, a, L = self.W, self.f, fwd.z, fwd.a, self.L
        t = self._target(t, a[L].shape[1])

        delta = ByLayer(1, [None] * L)
        delta[L] = self.loss.output_error(f[L], z[L], a[L], t)        # δ^L = ∇_a C ⊙ f'(z^L)
        for l in range(L - 1, 0, -1):
            delta[l] = f[l].backward(z[l], W[l + 1].T @ delta[l + 1])  # δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)
        grad_W = ByLayer(1, [delta[l] @ a[l - 1].T for l in range(1, L + 1)])                 # ∇W^l = δ^l (a^{l-1})ᵀ
        grad_b = ByLayer(1, [delta[l].sum(axis=1, keepdims=True) for l in range(1, L + 1)])  # ∇b^l = δ^l
        grad_x = W[1].T @ delta[1]                                     # ∂C/∂a^0 = (W^1)ᵀ δ^1

        cost = float(self.loss.value_at_output(f[L], z[L], a[L], t))
        return Gradients(delta=delta, W=grad_W, b=grad_b, x=grad_x, cost=cost)

    def gradient_step(self, gradients: Gradients, learning_rate: float) -> None:
        """Plain gradient descent, in place: W^l ← W^l − α ∇W^l, b^l ← b^l − α ∇b^l."""
        if not (np.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive finite number, got {learning_rate!r}")
        for p, g in zip(self.parameters(), gradients.as_list()):
            p -= self.dtype.type(learning_rate) * g
