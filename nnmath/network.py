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

import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._validate import NonFiniteError, as_float_matrix, as_positive_number, as_real_array, require_finite
from .activations import Activation, Identity, ReLU, Sigmoid, Softmax, Tanh, get_activation
from .losses import Loss, get_loss
from .optimizers import SGD

__all__ = ["ByLayer", "ForwardPass", "Gradients", "Network", "NonFiniteError"]


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
    def empty(cls, first: int, last: int) -> "ByLayer":
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
            raise TypeError(f"a layer number must be an integer, got {type(layer).__name__} {layer!r}")
        if not self.first <= layer <= self.last:
            raise IndexError(f"layer {layer} is out of range {self.first}..{self.last}")
        return layer - self.first

    def __getitem__(self, layer):
        return self._items[self._position(layer)]

    def __setitem__(self, layer, value):
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
    reduction : how the cost combines the examples (columns) of a batch of m examples.
        ``"sum"``: C is the sum of the examples' costs, so every gradient (δ^l, ∇W^l, ∇b^l, ∇x)
        is the sum of the single-example gradients. ``"mean"``: C and every gradient are
        divided by m, so a learning rate means the same for any batch size. ``None`` (default)
        takes the loss's own default: ``"sum"`` for ``half_squared_error`` (the sources'
        convention), ``"mean"`` for the others.

    Errors and state
    ----------------
    Bad arguments raise ``TypeError`` (wrong type) or ``ValueError`` (wrong shape or value)
    naming the argument, the layer and what was expected. Every call that changes the network
    (``set_parameters``, ``gradient_step``, ``net.W[l] = …``, ``net.b[l] = …``, ``net.f[l] = …``)
    checks everything first: a call that raises leaves the network exactly as it was.
    If values overflow to inf or NaN during a pass or a step, ``NonFiniteError`` (a
    ``ValueError`` and ``FloatingPointError``) names the quantity and layer where they first
    appeared; numpy's overflow warnings are silenced where that check replaces them.
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
        self._dtype = np.dtype(dtype)
        if self._dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self._dtype}")
        if init not in self.INITS:
            raise ValueError(f"unknown init {init!r}; known: {', '.join(self.INITS)}")
        self._sizes = tuple(int(n) for n in sizes)

        if isinstance(activations, (str, Activation)):
            activations = [activations] * self.L
        activations = list(activations)
        if len(activations) != self.L:
            raise ValueError(
                f"activations has {len(activations)} entries, expected one per weight layer ({self.L})")
        self._f = ByLayer(1, activations, check=lambda l, spec: get_activation(spec))
        self._loss: Loss = get_loss(loss, reduction)

        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        initial_W, initial_b = [], []
        for l in range(1, self.L + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            scale = np.sqrt(2 / (n_in + n_out)) if init == "xavier" else np.sqrt(2 / n_in)
            initial_W.append(rng.standard_normal((n_out, n_in)) * scale)
            initial_b.append(np.zeros((n_out, 1)))
        self._W = ByLayer(1, initial_W, check=lambda l, value: self._checked_parameter("W", l, value))
        self._b = ByLayer(1, initial_b, check=lambda l, value: self._checked_parameter("b", l, value))
        if weights is not None or biases is not None:
            self.set_parameters(weights=weights, biases=biases)
        self._workspaces = {}  # train_step's buffers, by batch size

    # -- structure (read-only: a network's shape does not change after construction) --------
    @property
    def sizes(self) -> list[int]:
        return list(self._sizes)

    @property
    def L(self) -> int:
        return len(self._sizes) - 1

    @property
    def dtype(self) -> np.dtype:
        return self._dtype

    @property
    def loss(self) -> Loss:
        return self._loss

    @property
    def W(self) -> ByLayer:
        """W[l] = W^l, shape (n_l, n_{l-1}); ``net.W[l] = value`` checks shape and type."""
        return self._W

    @property
    def b(self) -> ByLayer:
        """b[l] = b^l, shape (n_l, 1); ``net.b[l] = value`` checks shape and type."""
        return self._b

    @property
    def f(self) -> ByLayer:
        """f[l] = f^l, the activation of layer l."""
        return self._f

    # -- parameters --------------------------------------------------------------------------
    def _checked_parameter(self, kind: str, l: int, value) -> np.ndarray:
        """``value`` as a new array for W^l or b^l of this network's dtype, or a named error."""
        n_out, n_in = self.sizes[l], self.sizes[l - 1]
        name = f"{kind}^{l}"
        array = as_real_array(value, name, dtype=self.dtype)
        expected = (n_out, n_in) if kind == "W" else (n_out, 1)
        if kind == "b" and array.shape == (n_out,):
            array = array.reshape(n_out, 1)
        if array.shape != expected:
            raise ValueError(f"{name} has shape {array.shape}, expected {expected} "
                             f"(layer {l}: {n_in} inputs → {n_out} units)")
        require_finite(array, name)
        return array.copy()  # the network owns its parameters: later edits of `value` do not leak in

    def set_parameters(self, weights=None, biases=None) -> None:
        """Set exact weights and/or biases (lists of L arrays, W^1 first).

        Every array is checked before any is assigned: on an error nothing changes.
        """
        checked = []
        for kind, argument, values in (("W", "weights", weights), ("b", "biases", biases)):
            if values is None:
                continue
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
                raise TypeError(f"{argument} must be a list of {self.L} arrays (one per layer), "
                                f"got {type(values).__name__}")
            values = list(values)
            if len(values) != self.L:
                raise ValueError(f"{argument} has {len(values)} arrays, expected {self.L} (one per layer)")
            checked += [(kind, l, self._checked_parameter(kind, l, v)) for l, v in enumerate(values, 1)]
        for kind, l, array in checked:
            (self.W if kind == "W" else self.b)[l] = array

    def parameters(self) -> list[np.ndarray]:
        """[W^1, b^1, …, W^L, b^L]: the arrays themselves (updating them updates the network)."""
        return [p for l in range(1, self.L + 1) for p in (self.W[l], self.b[l])]

    def parameter_names(self) -> list[str]:
        """["W^1", "b^1", …, "W^L", "b^L"], the order of ``parameters()``."""
        return [f"{kind}^{l}" for l in range(1, self.L + 1) for kind in "Wb"]

    @property
    def n_parameters(self) -> int:
        return sum(p.size for p in self.parameters())

    def __repr__(self):
        acts = ", ".join(f.name for f in self.f)
        return f"Network(sizes={self.sizes}, activations=[{acts}], loss={self.loss!r})"

    def check_gradients(self, gradients) -> list[np.ndarray]:
        """The arrays [∇W^1, ∇b^1, …] of ``gradients``, checked against this network's parameters.

        ``gradients`` is a ``Gradients`` or a sequence of 2L arrays in the order of
        ``parameters()``. Each must have exactly its parameter's shape (no broadcasting: the
        gradients of another network are refused), be real and finite; they come back in this
        network's dtype. Any optimizer updating the network starts here.
        """
        if isinstance(gradients, Gradients):
            if gradients.W.first != 1 or len(gradients.W) != self.L:
                raise ValueError(f"gradients have {len(gradients.W)} layers, this network has "
                                 f"{self.L} (sizes {self.sizes}): gradients of another network?")
            arrays = gradients.as_list()
        elif isinstance(gradients, Sequence) and not isinstance(gradients, (str, bytes)):
            arrays = list(gradients)
            if len(arrays) != 2 * self.L:
                raise ValueError(f"gradients has {len(arrays)} arrays, expected {2 * self.L} "
                                 f"([∇W^1, ∇b^1, …, ∇W^{self.L}, ∇b^{self.L}])")
        else:
            raise TypeError(f"gradients must be a Gradients (from backward) or a list of arrays, "
                            f"got {type(gradients).__name__}")
        checked = []
        for name, parameter, g in zip(self.parameter_names(), self.parameters(), arrays):
            g = as_real_array(g, f"gradient ∇{name}", dtype=self.dtype)
            if g.shape != parameter.shape:
                raise ValueError(f"gradient ∇{name} has shape {g.shape}, expected {parameter.shape} "
                                 f"(the shape of {name} in a network of sizes {self.sizes})")
            require_finite(g, f"gradient ∇{name}")
            checked.append(g)
        return checked

    # -- checks ------------------------------------------------------------------------------
    def _input(self, x) -> np.ndarray:
        x = as_float_matrix(x, "input x", dtype=self.dtype)
        if x.shape[0] != self.sizes[0]:
            raise ValueError(f"input x has {x.shape[0]} rows, expected n_0 = {self.sizes[0]} "
                             f"(one row per input unit, one column per example; got shape {x.shape})")
        if x.shape[1] == 0:
            raise ValueError(f"input x has no columns (shape {x.shape}): a batch needs at least one example")
        return x

    def _target(self, t, batch: int) -> np.ndarray:
        t = as_float_matrix(t, "target t", dtype=self.dtype)
        expected = (self.sizes[-1], batch)
        if t.shape != expected:
            raise ValueError(f"target t has shape {t.shape}, expected output shape {expected}")
        return t

    def _fingerprint(self) -> int:
        """A checksum of the parameters and activations: it changes when any of them does."""
        crc = zlib.crc32(repr([id(f) for f in self.f]).encode())
        for p in self.parameters():
            crc = zlib.crc32(np.ascontiguousarray(p).view(np.uint8), crc)
        return crc

    def _given_forward(self, forward, x) -> ForwardPass:
        """``forward`` if it is this network's forward pass of ``x`` with its current parameters."""
        if not isinstance(forward, ForwardPass):
            raise TypeError(f"forward must be a ForwardPass (from net.forward(x)), got {type(forward).__name__}")
        if forward.parameters_fingerprint != self._fingerprint():
            raise ValueError("forward was computed by another network or before this network's "
                             "parameters changed; pass forward=net.forward(x) for the current ones")
        if not np.array_equal(forward.a[0], x):
            raise ValueError(f"forward is the forward pass of another input (forward.a[0] has shape "
                             f"{forward.a[0].shape} and differs from x, shape {x.shape})")
        return forward

    @staticmethod
    def _require_finite(stage: str, by_layer: dict[str, ByLayer], backwards=False, **others) -> None:
        """Name the first layer, in the order computed, where a quantity became inf or NaN."""
        layers = sorted({l for values in by_layer.values() for l, _ in values.items()}, reverse=backwards)
        for l in layers:
            for symbol, values in by_layer.items():
                if values.first <= l <= values.last:
                    require_finite(values[l], f"{stage}: {symbol}^{l} overflowed; it", NonFiniteError)
        for symbol, value in others.items():
            if value is None:  # not computed (∇x with input_gradient=False)
                continue
            if np.ndim(value) == 0 and not np.isfinite(value):
                raise NonFiniteError(f"{stage}: {symbol} overflowed to {value}")
            require_finite(np.asarray(value), f"{stage}: {symbol} overflowed; it", NonFiniteError)

    # -- the two passes ----------------------------------------------------------------------
    def forward(self, x) -> ForwardPass:
        """z^l = W^l a^{l-1} + b^l and a^l = f^l(z^l) for l = 1..L, keeping every one.

        The result remembers a checksum of the parameters, so that ``backward(x, t, forward=...)``
        can refuse it once they have changed.
        """
        fwd = self._forward_pass(x)
        fwd.parameters_fingerprint = self._fingerprint()
        return fwd

    @np.errstate(over="ignore", invalid="ignore")  # overflow is reported by layer, below
    def _forward_pass(self, x) -> ForwardPass:
        """The forward pass itself (``cost`` and ``backward`` need no checksum: nothing can change
        the parameters between their own forward and backward passes)."""
        W, b, f, L = self.W, self.b, self.f, self.L
        z, a = ByLayer.empty(1, L), ByLayer.empty(0, L)
        a[0] = self._input(x)
        for l in range(1, L + 1):
            z[l] = W[l] @ a[l - 1] + b[l]
            a[l] = f[l].value(z[l])
        self._require_finite("forward pass", {"z": z, "a": a})
        return ForwardPass(z=z, a=a)

    def predict(self, x) -> np.ndarray:
        return self._forward_pass(x).output

    @np.errstate(over="ignore", invalid="ignore")
    def cost(self, x, t) -> float:
        fwd = self._forward_pass(x)
        t = self._target(t, fwd.output.shape[1])
        cost = float(self.loss.value_at_output(self.f[self.L], fwd.z[self.L], fwd.output, t))
        self._require_finite("cost", {}, C=cost)
        return cost

    @np.errstate(over="ignore", invalid="ignore")  # overflow is reported by layer, below
    def backward(self, x, t, forward: ForwardPass | None = None, *, input_gradient: bool = True) -> Gradients:
        """Every δ^l, ∇W^l, ∇b^l and ∇x for inputs ``x`` and targets ``t``.

        ``forward``, if given, must be ``net.forward(x)`` for this ``x`` and the
        current parameters (it saves recomputing it); anything else is refused.
        ``input_gradient=False`` skips ∇x (``Gradients.x`` is then ``None``):
        training never needs it.
        """
        if forward is None:
            fwd = self._forward_pass(x)
        else:  # refused unless it is the pass of this x with these parameters
            fwd = self._given_forward(forward, self._input(x))
        W, f, z, a, L = self.W, self.f, fwd.z, fwd.a, self.L
        t = self._target(t, a[L].shape[1])

        delta = ByLayer.empty(1, L)
        delta[L] = self.loss.output_error(f[L], z[L], a[L], t)        # δ^L = ∇_a C ⊙ f'(z^L)
        for l in range(L - 1, 0, -1):
            delta[l] = f[l].backward(z[l], W[l + 1].T @ delta[l + 1])  # δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)
        grad_W = ByLayer(1, [delta[l] @ a[l - 1].T for l in range(1, L + 1)])                 # ∇W^l = δ^l (a^{l-1})ᵀ
        grad_b = ByLayer(1, [delta[l].sum(axis=1, keepdims=True) for l in range(1, L + 1)])  # ∇b^l = δ^l
        grad_x = W[1].T @ delta[1] if input_gradient else None        # ∂C/∂a^0 = (W^1)ᵀ δ^1

        cost = float(self.loss.value_at_output(f[L], z[L], a[L], t))
        self._require_finite("backward pass", {"δ": delta, "∇W": grad_W, "∇b": grad_b},
                             backwards=True, **{"∇x": grad_x, "C": cost})
        return Gradients(delta=delta, W=grad_W, b=grad_b, x=grad_x, cost=cost)

    def gradient_step(self, gradients: Gradients, learning_rate: float) -> None:
        """Plain gradient descent, in place: W^l ← W^l − α ∇W^l, b^l ← b^l − α ∇b^l.

        This is ``nnmath.optimizers.SGD``: the gradients (see ``check_gradients``) and the learning
        rate are checked, and every new value computed, before any parameter is written: a step
        that fails changes nothing.
        """
        gradients = self.check_gradients(gradients)
        alpha = as_positive_number(learning_rate, "learning_rate")
        try:
            with np.errstate(over="ignore", invalid="ignore"):  # a non-finite result is refused by SGD
                SGD(alpha).step(self.parameters(), gradients)
        except NonFiniteError as refused:  # nothing was written; name the parameter the way the book does
            name = self.parameter_names()[refused.parameter]
            raise NonFiniteError(f"{name} after a step with learning_rate={learning_rate!r} overflowed; "
                                 f"no parameter was changed (try a smaller learning rate)") from None

    @np.errstate(over="ignore", invalid="ignore")  # a non-finite value sends the step to the plain passes
    def train_step(self, x, t, learning_rate: float) -> float:
        """One step of gradient descent on the batch ``(x, t)``; returns the cost C before the step.

        The same step, to the last bit, as ``net.gradient_step(net.backward(x, t,
        input_gradient=False), learning_rate)`` (tests/test_network_fast_path.py), computed without
        a fresh array for any layer: the passes write into buffers kept for this batch size, the
        inputs are checked once, and W^l ← W^l − α ∇W^l is done in place. Nothing is written before
        the new values are known to be finite; if any quantity overflows, the step is redone by
        ``backward`` and ``gradient_step``, which name it and leave the network unchanged.
        """
        x, t = self._batch(x, t)
        alpha = (learning_rate if type(learning_rate) is float and 0 < learning_rate < math.inf
                 else as_positive_number(learning_rate, "learning_rate"))
        work = self._workspaces.get(x.shape[1]) or self._new_workspace(x.shape[1])
        try:
            cost = work.step(self, x, t, alpha)  # writes nothing unless it returns a cost
        except ValueError:  # e.g. a cross-entropy of outputs that are not probabilities
            cost = None
        if cost is None:  # something overflowed, or might, or was refused: the plain passes say what, or do the step
            gradients = self.backward(x, t, input_gradient=False)
            self.gradient_step(gradients, learning_rate)
            cost = gradients.cost
        return cost

    def _batch(self, x, t) -> tuple[np.ndarray, np.ndarray]:
        """``x`` and ``t`` checked as ``backward`` checks them, at once when they are already right."""
        n_0, n_L, dtype = self._sizes[0], self._sizes[-1], self._dtype
        if not (type(x) is np.ndarray and x.dtype == dtype and x.ndim == 2 and x.shape[0] == n_0
                and x.shape[1] > 0 and math.isfinite(np.add.reduce(x, axis=None))):
            x = self._input(x)
        if not (type(t) is np.ndarray and t.dtype == dtype and t.shape == (n_L, x.shape[1])
                and math.isfinite(np.add.reduce(t, axis=None))):
            t = self._target(t, x.shape[1])
        self.loss.check_target(t)
        return x, t

    def _new_workspace(self, batch: int) -> "_Workspace":
        if len(self._workspaces) >= 4:  # e.g. a full batch and a last, smaller one: keep a few sizes
            self._workspaces.pop(next(iter(self._workspaces)))
        self._workspaces[batch] = _Workspace(self.sizes, batch, self.dtype)
        return self._workspaces[batch]


# Activations whose value is finite wherever z is: for them, checking z checks a too.
_FINITE_WHERE_Z_IS = {Sigmoid, Tanh, ReLU, Identity, Softmax}


class _Workspace:
    """The buffers of ``Network.train_step`` for one batch size, reused from step to step.

    ``step`` is forward, backward and update written into them, the same operations as
    ``Network.forward``, ``Network.backward`` and ``SGD`` in the same order (so the same bits).
    """

    def __init__(self, sizes, batch: int, dtype):
        L = len(sizes) - 1
        empty = lambda *shape: np.empty(shape, dtype=dtype)
        self.z = [None] + [empty(sizes[l], batch) for l in range(1, L + 1)]
        self.a = [None] + [empty(sizes[l], batch) for l in range(1, L + 1)]
        self.delta = [None] + [empty(sizes[l], batch) for l in range(1, L + 1)]
        self.back = [None] + [empty(sizes[l], batch) for l in range(1, L)]      # (W^{l+1})ᵀ δ^{l+1}
        # every ∇W^l and ∇b^l is a view into one array, so that α ∇ and ‖∇‖ are one call each
        shapes = [shape for l in range(1, L + 1) for shape in ((sizes[l], sizes[l - 1]), (sizes[l], 1))]
        self.gradients = empty(sum(m * n for m, n in shapes))
        ends = np.cumsum([0] + [m * n for m, n in shapes])
        views = [self.gradients[start:end].reshape(shape) for start, end, shape in zip(ends, ends[1:], shapes)]
        self.grad_W, self.grad_b = [None] + views[0::2], [None] + views[1::2]
        self.largest = float(np.finfo(dtype).max)

    def step(self, net: Network, x, t, alpha: float) -> float | None:
        """The step in place, returning C; or None, having changed nothing, if anything is not finite.

        Runs under ``np.errstate(over="ignore", invalid="ignore")`` (``train_step`` sets it). Each
        array is measured or scaled right after it was computed, while it is still in the cache.
        """
        W, b, f, L = net.W._items, net.b._items, net.f._items, net.L  # W[l - 1] is W^l
        z, delta, grad_W, grad_b, total = self.z, self.delta, self.grad_W, self.grad_b, np.add.reduce
        a = [x] + self.a[1:]  # a^0 = x, not copied
        sums = 0.0     # inf or NaN anywhere makes it non-finite (a sum too large to represent: a false alarm)
        squares = 0.0  # Σ ‖W^l‖² + ‖b^l‖², to bound the update below
        for l in range(1, L + 1):
            np.add(np.matmul(W[l - 1], a[l - 1], out=z[l]), b[l - 1], out=z[l])    # z^l = W^l a^{l-1} + b^l
            f[l - 1].value_into(z[l], out=a[l])                                       # a^l = f^l(z^l)
            sums += total(z[l], axis=None)
            if type(f[l - 1]) not in _FINITE_WHERE_Z_IS:
                sums += total(a[l], axis=None)
            squares += float(np.vdot(W[l - 1], W[l - 1])) + float(np.vdot(b[l - 1], b[l - 1]))
        if not math.isfinite(sums):
            return None
        cost = float(net.loss._checked_value_at_output(f[L - 1], z[L], a[L], t))
        if not math.isfinite(cost):
            return None
        net.loss._checked_output_error_into(f[L - 1], z[L], a[L], t, out=delta[L])    # δ^L
        for l in range(L, 0, -1):
            np.matmul(delta[l], a[l - 1].T, out=grad_W[l])                            # ∇W^l = δ^l (a^{l-1})ᵀ
            total(delta[l], axis=1, keepdims=True, out=grad_b[l])                     # ∇b^l = δ^l
            if l > 1:
                back = np.matmul(W[l - 1].T, delta[l], out=self.back[l - 1])          # (W^l)ᵀ δ^l
                f[l - 2].backward_into(z[l - 1], a[l - 1], back, out=delta[l - 1])    # ⊙ f'(z^{l-1})
        step = np.multiply(self.gradients, alpha, out=self.gradients)                 # α ∇W^l, α ∇b^l
        # |p_i| ≤ ‖p‖ and |α g_i| ≤ ‖α g‖: while ‖p‖ + ‖α g‖ is far below the largest float, no
        # p − α g can overflow, so the parameters can be written in place, with no copy kept to undo it.
        if not math.sqrt(squares) + math.sqrt(float(np.vdot(step, step))) < self.largest / 2:
            return None  # (also when a norm is inf or NaN)
        for l in range(1, L + 1):
            W[l - 1] -= grad_W[l]                                                     # W^l ← W^l − α ∇W^l
            b[l - 1] -= grad_b[l]                                                     # b^l ← b^l − α ∇b^l
        return cost
