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

import functools
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._validate import (
    NonFiniteError,
    as_count,
    as_float_matrix,
    as_positive_number,
    as_real_array,
    non_finite_gradient,
    overflowing_step,
    require_finite,
)
from .activations import Activation, get_activation
from .losses import Loss, get_loss

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


def _handed_out(forward):
    """``forward``, stamping its result with a checksum of the parameters (see Network.forward)."""

    @functools.wraps(forward)
    def stamped(self, x) -> ForwardPass:
        fwd = forward(self, x)
        fwd.parameters_fingerprint = self._fingerprint()
        return fwd

    return stamped


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

    def __init__(
        self,
        sizes,
        activations="sigmoid",
        loss="half_squared_error",
        *,
        weights=None,
        biases=None,
        init="xavier",
        seed=None,
        dtype=np.float64,
        reduction=None,
    ):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"sizes needs at least two layer sizes (input and output), got {sizes}"
            )
        for i, n in enumerate(sizes):
            as_count(n, f"sizes[{i}]")  # TypeError for 1.5 or True, ValueError for 0
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
                f"activations has {len(activations)} entries, expected one per weight layer ({self.L})"
            )
        self._f = ByLayer(1, activations, check=lambda l, spec: get_activation(spec))
        self._loss: Loss = get_loss(loss, reduction)

        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        initial_W, initial_b = [], []
        for l in range(1, self.L + 1):
            n_in, n_out = self.sizes[l - 1], self.sizes[l]
            scale = np.sqrt(2 / (n_in + n_out)) if init == "xavier" else np.sqrt(2 / n_in)
            initial_W.append(rng.standard_normal((n_out, n_in)) * scale)
            initial_b.append(np.zeros((n_out, 1)))
        self._W = ByLayer(
            1, initial_W, check=lambda l, value: self._checked_parameter("W", l, value)
        )
        self._b = ByLayer(
            1, initial_b, check=lambda l, value: self._checked_parameter("b", l, value)
        )
        if weights is not None or biases is not None:
            self.set_parameters(weights=weights, biases=biases)
        self._steps = None  # gradient_step's α ∇W^l, α ∇b^l, reused from step to step
        self._largest = float(np.finfo(self._dtype).max)

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
            raise ValueError(
                f"{name} has shape {array.shape}, expected {expected} "
                f"(layer {l}: {n_in} inputs → {n_out} units)"
            )
        require_finite(array, name)
        return (
            array.copy()
        )  # the network owns its parameters: later edits of `value` do not leak in

    def set_parameters(self, weights=None, biases=None) -> None:
        """Set exact weights and/or biases (lists of L arrays, W^1 first).

        Every array is checked before any is assigned: on an error nothing changes.
        """
        checked = []
        for kind, argument, values in (("W", "weights", weights), ("b", "biases", biases)):
            if values is None:
                continue
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
                raise TypeError(
                    f"{argument} must be a list of {self.L} arrays (one per layer), "
                    f"got {type(values).__name__}"
                )
            values = list(values)
            if len(values) != self.L:
                raise ValueError(
                    f"{argument} has {len(values)} arrays, expected {self.L} (one per layer)"
                )
            checked += [
                (kind, l, self._checked_parameter(kind, l, v)) for l, v in enumerate(values, 1)
            ]
        for kind, l, array in checked:
            (self.W if kind == "W" else self.b)[l] = array

    def parameters(self) -> list[np.ndarray]:
        """[W^1, b^1, …, W^L, b^L]: the arrays themselves (updating them updates the network)."""
        return [p for l in range(1, self.L + 1) for p in (self.W[l], self.b[l])]

    def parameter_names(self) -> list[str]:
        """["W^1", "b^1", …, "W^L", "b^L"], the order of ``parameters()``."""
        return list(_parameter_names(self.L))

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
        checked = self._gradient_arrays(gradients)
        if not _all_finite(checked):  # one pass each; the search for what to name only if it fails
            for name, g in zip(self.parameter_names(), checked):
                require_finite(g, f"gradient ∇{name}")
        return checked

    def _gradient_arrays(self, gradients) -> list[np.ndarray]:
        """The arrays of ``gradients``, their number, type and shapes checked (not their values)."""
        if isinstance(gradients, Gradients):
            if gradients.W.first != 1 or len(gradients.W) != self.L:
                raise ValueError(
                    f"gradients have {len(gradients.W)} layers, this network has "
                    f"{self.L} (sizes {self.sizes}): gradients of another network?"
                )
            arrays = gradients.as_list()
        elif isinstance(gradients, Sequence) and not isinstance(gradients, (str, bytes)):
            arrays = list(gradients)
            if len(arrays) != 2 * self.L:
                raise ValueError(
                    f"gradients has {len(arrays)} arrays, expected {2 * self.L} "
                    f"([∇W^1, ∇b^1, …, ∇W^{self.L}, ∇b^{self.L}])"
                )
        else:
            raise TypeError(
                f"gradients must be a Gradients (from backward) or a list of arrays, "
                f"got {type(gradients).__name__}"
            )
        checked = []
        names = self.parameter_names()
        for k, (parameter, g) in enumerate(zip(self.parameters(), arrays)):
            if type(g) is np.ndarray and g.dtype == self._dtype and g.shape == parameter.shape:
                checked.append(g)  # already right: no name needed
                continue
            name = names[k]
            g = as_real_array(g, f"gradient ∇{name}", dtype=self.dtype)
            if g.shape != parameter.shape:
                raise ValueError(
                    f"gradient ∇{name} has shape {g.shape}, expected {parameter.shape} "
                    f"(the shape of {name} in a network of sizes {self.sizes})"
                )
            checked.append(g)
        return checked

    # -- checks ------------------------------------------------------------------------------
    def _input(self, x) -> np.ndarray:
        if not (
            type(x) is np.ndarray
            and x.dtype == self._dtype
            and x.ndim == 2
            and x.shape[0] == self._sizes[0]
            and x.shape[1] > 0
            and _all_finite([x])
        ):
            x = as_float_matrix(x, "input x", dtype=self.dtype)  # converts, or names what is wrong
            if x.shape[0] != self.sizes[0]:
                raise ValueError(
                    f"input x has {x.shape[0]} rows, expected n_0 = {self.sizes[0]} "
                    f"(one row per input unit, one column per example; got shape {x.shape})"
                )
            if x.shape[1] == 0:
                raise ValueError(
                    f"input x has no columns (shape {x.shape}): a batch needs at least one example"
                )
        return x

    def _target(self, t, batch: int) -> np.ndarray:
        expected = (self._sizes[-1], batch)
        if not (
            type(t) is np.ndarray
            and t.dtype == self._dtype
            and t.shape == expected
            and _all_finite([t])
        ):
            t = as_float_matrix(t, "target t", dtype=self.dtype)  # converts, or names what is wrong
            if t.shape != expected:
                raise ValueError(f"target t has shape {t.shape}, expected output shape {expected}")
        return t

    def _fingerprint(self) -> int:
        """A checksum of the parameters and activations: it changes when any of them does."""
        crc = zlib.crc32(repr([id(f) for f in self.f]).encode())
        for p in self.parameters():
            crc = zlib.crc32(np.ascontiguousarray(p).view(np.uint8), crc)  # type: ignore[arg-type]  # a buffer
        return crc

    def _given_forward(self, forward, x) -> ForwardPass:
        """``forward`` if it is this network's forward pass of ``x`` with its current parameters."""
        if not isinstance(forward, ForwardPass):
            raise TypeError(
                f"forward must be a ForwardPass (from net.forward(x)), got {type(forward).__name__}"
            )
        if forward.parameters_fingerprint != self._fingerprint():
            raise ValueError(
                "forward was computed by another network or before this network's "
                "parameters changed; pass forward=net.forward(x) for the current ones"
            )
        if not np.array_equal(forward.a[0], x):
            raise ValueError(
                f"forward is the forward pass of another input (forward.a[0] has shape "
                f"{forward.a[0].shape} and differs from x, shape {x.shape})"
            )
        return forward

    @staticmethod
    def _require_finite(
        stage: str, by_layer: dict[str, ByLayer], backwards=False, **others
    ) -> None:
        """Name the first layer, in the order computed, where a quantity became inf or NaN.

        The test itself is one sum of squares per array (``_all_finite``); only when that is not
        finite are the arrays searched entry by entry for the name and place to report.
        """
        arrays = [v for values in by_layer.values() for v in values]
        arrays += [np.asarray(v) for v in others.values() if v is not None]
        if _all_finite(arrays):
            return
        layers = sorted(
            {l for values in by_layer.values() for l, _ in values.items()}, reverse=backwards
        )
        for l in layers:
            for symbol, values in by_layer.items():
                if values.first <= l <= values.last:
                    require_finite(
                        values[l], f"{stage}: {symbol}^{l} overflowed; it", NonFiniteError
                    )
        for symbol, value in others.items():
            if value is None:  # not computed (∇x with input_gradient=False)
                continue
            if np.ndim(value) == 0 and not np.isfinite(value):
                raise NonFiniteError(f"{stage}: {symbol} overflowed to {value}")
            require_finite(np.asarray(value), f"{stage}: {symbol} overflowed; it", NonFiniteError)

    # -- the two passes ----------------------------------------------------------------------
    @np.errstate(over="ignore", invalid="ignore")  # named below
    def forward(self, x) -> ForwardPass:
        """z^l = W^l a^{l-1} + b^l and a^l = f^l(z^l), l = 1..L.

        Keeps every z^l and a^l. The result also remembers a
        checksum of the parameters, so that backward(x, t,
        forward=...) can refuse it once they have changed.
        """
        W, b, f, L = self.W, self.b, self.f, self.L
        z, a = ByLayer.empty(1, L), ByLayer.empty(0, L)
        a[0] = self._input(x)
        for l in range(1, L + 1):
            z[l] = W[l] @ a[l - 1] + b[l]
            a[l] = f[l].value(z[l])
        self._require_finite("forward pass", {"z": z, "a": a})
        return ForwardPass(z=z, a=a)

    # The network's own passes (backward, cost, predict) use the forward pass as written above: no
    # checksum, since nothing can change the parameters between their forward and backward passes.
    # The public ``forward`` hands its pass to a caller, so it stamps it (``_handed_out``).
    _forward_pass = forward
    forward = _handed_out(forward)

    def predict(self, x) -> np.ndarray:
        return self._forward_pass(x).output

    @np.errstate(over="ignore", invalid="ignore")
    def cost(self, x, t) -> float:
        fwd = self._forward_pass(x)
        t = self._target(t, fwd.output.shape[1])
        cost = float(self.loss.value_at_output(self.f[self.L], fwd.z[self.L], fwd.output, t))
        self._require_finite("cost", {}, C=cost)
        return cost

    @np.errstate(over="ignore", invalid="ignore")  # named below
    def backward(self, x, t, forward=None, *, input_gradient=True):
        """Every δ^l, ∇W^l, ∇b^l and ∇x for inputs x and targets t.

        ``forward``, if given, must be ``net.forward(x)`` for this x
        and the current parameters (it saves recomputing it).
        ``input_gradient=False`` skips ∇x (``Gradients.x`` is then
        None): training never needs it.
        """
        if forward is None:
            fwd = self._forward_pass(x)
        else:  # refused unless it is the pass of this x, these W, b
            fwd = self._given_forward(forward, self._input(x))
        W, f, z, a, L = self.W, self.f, fwd.z, fwd.a, self.L
        t = self._target(t, a[L].shape[1])
        layers = range(1, L + 1)

        delta = ByLayer.empty(1, L)
        # δ^L = ∇_a C ⊙ f'(z^L)
        delta[L] = self.loss.output_error(f[L], z[L], a[L], t)
        for l in range(L - 1, 0, -1):
            # δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)
            delta[l] = f[l].backward(z[l], W[l + 1].T @ delta[l + 1])
        # ∇W^l = δ^l (a^{l-1})ᵀ
        grad_W = ByLayer(1, [delta[l] @ a[l - 1].T for l in layers])
        # ∇b^l = δ^l, summed over the examples of the batch
        grad_b = ByLayer(1, [_row_sums(delta[l]) for l in layers])
        # ∂C/∂a^0 = (W^1)ᵀ δ^1
        grad_x = W[1].T @ delta[1] if input_gradient else None
        cost = self.loss.value_at_output(f[L], z[L], a[L], t)

        self._require_finite(
            "backward pass",
            {"δ": delta, "∇W": grad_W, "∇b": grad_b},
            backwards=True,
            **{"∇x": grad_x, "C": float(cost)},
        )
        return Gradients(delta, grad_W, grad_b, grad_x, float(cost))

    @np.errstate(over="ignore", invalid="ignore")  # a step that overflows is refused by name
    def gradient_step(
        self, gradients: Gradients, learning_rate: float, *, at_step: int | None = None
    ) -> None:
        """Plain gradient descent, in place: W^l ← W^l − α ∇W^l, b^l ← b^l − α ∇b^l.

        The step of ``nnmath.optimizers.SGD`` (``nnmath.training`` takes SGD with a constant
        rate through here). The gradients (see ``check_gradients``) and the learning
        rate are checked, and every new value known to be finite, before any parameter is
        written: a step that fails changes nothing. ``at_step``, the optimizer's step count t,
        is named in a refusal (as the optimizers name it).
        """
        arrays = self._gradient_arrays(gradients)
        alpha = as_positive_number(learning_rate, "learning_rate")
        parameters = self.parameters()
        if self._steps is None:
            self._steps = [np.empty_like(w) for w in parameters]
        steps = [np.multiply(g, alpha, out=s) for g, s in zip(arrays, self._steps)]  # α ∇w
        # |w_i| ≤ ‖w‖ and |α g_i| ≤ ‖α g‖: while ‖w‖ + ‖α g‖ is far below the largest float, no
        # w − α g can overflow, so the parameters are written in place with no copy to undo it.
        # Otherwise (an inf or NaN anywhere included) the new values are computed and searched.
        if not _norm(parameters) + _norm(steps) < self._largest / 2:
            self._refuse_non_finite_step(parameters, arrays, alpha, learning_rate, at_step)
        for w, step in zip(parameters, steps):
            w -= step

    def _refuse_non_finite_step(
        self, parameters, gradients, alpha, learning_rate, at_step=None
    ) -> None:
        """Name a non-finite gradient, or the first W^l, b^l that the step would make non-finite
        (in the words of the optimizers' refusals: ``_validate.non_finite_gradient`` and
        ``overflowing_step``)."""
        names = self.parameter_names()
        for k, (name, g) in enumerate(zip(names, gradients)):
            if not np.isfinite(g).all():
                raise non_finite_gradient(
                    f"∇{name}", g, "no parameter was changed", parameter=k, at_step=at_step
                )
        for k, (w, g) in enumerate(zip(parameters, gradients)):
            new = w - alpha * g
            if not np.isfinite(new).all():
                raise overflowing_step(
                    f"{names[k]} (parameter {k})",
                    new,
                    k,
                    at_step=at_step,
                    learning_rate=learning_rate,
                )


def _all_finite(arrays) -> bool:
    """Whether every entry of every array is finite, at the cost of one pass over each.

    The test is the sum of squares (a BLAS dot product): inf or NaN anywhere makes it
    non-finite. So does a sum too large to represent: a false alarm, which callers clear by
    searching the arrays entry by entry, as they do to name what is not finite.
    """
    total = 0.0
    for array in arrays:
        total += float(np.vdot(array, array))
    return math.isfinite(total)


@functools.cache
def _parameter_names(L: int) -> tuple[str, ...]:
    return tuple(f"{kind}^{l}" for l in range(1, L + 1) for kind in "Wb")


def _norm(arrays) -> float:
    """‖(a_1, a_2, …)‖, the Euclidean norm of all the entries (inf or NaN if any is, or overflows)."""
    return math.sqrt(sum(float(np.vdot(array, array)) for array in arrays))


def _row_sums(delta: np.ndarray) -> np.ndarray:
    """Σ over the columns (examples) of δ^l, as a column (n_l, 1): δ^l times a column of ones
    (a BLAS product, several times faster than numpy's row sums)."""
    return delta @ np.ones((delta.shape[1], 1), delta.dtype)
