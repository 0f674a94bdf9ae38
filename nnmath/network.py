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
from collections.abc import Iterable

import numpy as np

from ._network_checks import NetworkChecks, _all_finite, _norm, _parameter_names, _squared_norm
from ._validate import NonFiniteError, as_count, as_positive_number
from .activations import Activation, get_activation
from .by_layer import ByLayer, ForwardPass, Gradients
from .losses import Loss, get_loss

__all__ = ["ByLayer", "ForwardPass", "Gradients", "Network", "NonFiniteError"]


def _handed_out(forward):
    """``forward``, stamping its result with a checksum of the parameters (see Network.forward)."""

    @functools.wraps(forward)
    def stamped(self, x) -> ForwardPass:
        fwd = forward(self, x)
        fwd.parameters_fingerprint = self._fingerprint()
        fwd.a_squared_norms = None  # a caller may change a^l: backward measures it afresh
        return fwd

    return stamped


class Network(NetworkChecks):
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
    appeared; numpy's overflow warnings are silenced where that check replaces them. The
    checks themselves (``check_gradients`` and the private ``_input``, ``_target``, ...) are
    inherited from ``NetworkChecks`` (``nnmath._network_checks``); ``ByLayer``,
    ``ForwardPass`` and ``Gradients`` live in ``nnmath.by_layer`` (all importable from here).
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
        a[0], x_squared_norm = self._input_and_squared_norm(x)
        for l in range(1, L + 1):
            z[l] = W[l] @ a[l - 1] + b[l]
            a[l] = f[l].value(z[l])
        return self._finite_forward_pass(z, a, x_squared_norm)

    def _finite_forward_pass(self, z, a, x_squared_norm: float) -> ForwardPass:
        """The pass of z, a, refused if anything overflowed (naming where it first did).

        The test is one sum of squares per array, ‖z^l‖² and ‖a^l‖² (‖x‖² from the input's
        own test); the pass keeps ‖a^l‖², with which backward bounds ∇W^l.
        """
        a_squared_norms = [x_squared_norm] + [_squared_norm(a[l]) for l in range(1, a.last + 1)]
        if not math.isfinite(sum(a_squared_norms) + sum(_squared_norm(z_l) for z_l in z)):
            self._require_finite("forward pass", {"z": z, "a": a})  # names it (or a false alarm)
        return ForwardPass(z=z, a=a, a_squared_norms=a_squared_norms)

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
        cost = float(self.loss._value_at_output(self.f[self.L], fwd.z[self.L], fwd.output, t))
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
        delta[L] = self.loss._output_error(f[L], z[L], a[L], t)
        for l in range(L - 1, 0, -1):
            # δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ f'(z^l)
            delta[l] = f[l].backward(z[l], W[l + 1].T @ delta[l + 1])
        # ∇W^l = δ^l (a^{l-1})ᵀ
        grad_W = ByLayer(1, [delta[l] @ a[l - 1].T for l in layers])
        # ∇b^l = δ^l, summed over the examples of the batch
        grad_b = ByLayer(1, [_row_sums(delta[l]) for l in layers])
        # ∂C/∂a^0 = (W^1)ᵀ δ^1
        grad_x = W[1].T @ delta[1] if input_gradient else None
        cost = float(self.loss._value_at_output(f[L], z[L], a[L], t))

        gradients = Gradients(delta, grad_W, grad_b, grad_x, cost)
        self._require_finite_gradients(gradients, fwd)
        return gradients

    def _require_finite_gradients(self, gradients: Gradients, fwd: ForwardPass) -> None:
        """Refuse a backward pass in which anything overflowed, naming where it first did.

        The test needs no pass over ∇W^l or ∇b^l: Cauchy–Schwarz bounds every entry of
        ∇W^l = δ^l (a^{l-1})ᵀ, and every partial sum the product adds up, by ‖δ^l‖ ‖a^{l-1}‖,
        and every entry of ∇b^l (a sum over m examples) by √m ‖δ^l‖. Where that bound is below
        half the largest float nothing can have overflowed; only a layer where it is not (none,
        in practice) is summed. ‖a^l‖² comes from the forward pass's own test when the network
        made the pass, and is measured here when a caller handed it back.
        """
        delta, grad_W, grad_b, grad_x = gradients.delta, gradients.W, gradients.b, gradients.x
        a_squared_norms = fwd.a_squared_norms or [_squared_norm(a_l) for a_l in fwd.a]
        m = delta[delta.first].shape[1]
        delta_squared_norms = [_squared_norm(d) for d in delta]
        unbounded = [
            array
            for l, d2 in enumerate(delta_squared_norms, start=1)
            if not math.sqrt(d2) * math.sqrt(max(a_squared_norms[l - 1], m)) < self._largest / 2
            for array in (grad_W[l], grad_b[l])
        ]
        if grad_x is not None:
            unbounded.append(grad_x)
        if not (
            math.isfinite(gradients.cost)
            and math.isfinite(sum(delta_squared_norms))
            and _all_finite(unbounded)
        ):
            self._require_finite(  # names the first quantity that overflowed (or a false alarm)
                "backward pass",
                {"δ": delta, "∇W": grad_W, "∇b": grad_b},
                backwards=True,
                **{"∇x": grad_x, "C": gradients.cost},
            )

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


def _row_sums(delta: np.ndarray) -> np.ndarray:
    """Σ over the columns (examples) of δ^l, as a column (n_l, 1): δ^l times a column of ones
    (a BLAS product, several times faster than numpy's row sums)."""
    return delta @ np.ones((delta.shape[1], 1), delta.dtype)
