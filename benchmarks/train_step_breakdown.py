"""Where one training step's time goes beyond the matrix products, operation by operation.

    python benchmarks/train_step_breakdown.py            # large network, float32 and float64

Each operation of ``net.gradient_step(net.backward(x, t, input_gradient=False), α)`` on the large
network (784-256-256-10, batch 128) is timed alone, with one BLAS thread, CPU time, median of 15
interleaved repeats; the full step and the bare products (benchmarks/train_step.py) beside them.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads its BLAS

import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_step as ts  # noqa: E402

from nnmath._network_checks import _all_finite, _norm  # noqa: E402
from nnmath.network import _row_sums  # noqa: E402


def operations(dtype):
    sizes, activations, loss, x, t, _ = ts.problem("large", dtype)
    net = ts.Network(sizes, activations, loss, dtype=dtype, seed=1, init="he")
    W, b, f = net.W, net.b, net.f
    fwd = net._forward_pass(x)
    g = net.backward(x, t, input_gradient=False)
    z, a, d = fwd.z, fwd.a, g.delta
    return {
        "full step (public path)": lambda: net.gradient_step(
            net.backward(x, t, input_gradient=False), 1e-9
        ),
        "products (the bound)": ts.products_step("large", dtype),
        "W^l a^{l-1} + b^l": lambda: [W[l] @ a[l - 1] + b[l] for l in (1, 2, 3)],
        "(W^{l+1})ᵀ δ^{l+1}": lambda: [W[l + 1].T @ d[l + 1] for l in (2, 1)],
        "δ^l (a^{l-1})ᵀ": lambda: [d[l] @ a[l - 1].T for l in (1, 2, 3)],
        "ReLU values": lambda: [f[l].value(z[l]) for l in (1, 2)],
        "softmax value": lambda: f[3].value(z[3]),
        "ReLU backward products": lambda: [f[l].backward(z[l], d[l]) for l in (2, 1)],
        "δ^L (the loss's _output_error, target checked once)": lambda: net.loss._output_error(
            f[3], z[3], a[3], t
        ),
        "cost (the loss's _value_at_output)": lambda: net.loss._value_at_output(
            f[3], z[3], a[3], t
        ),
        "∇b^l (row sums)": lambda: [_row_sums(d[l]) for l in (1, 2, 3)],
        "input and target checks (‖x‖², the loss's target test)": lambda: (
            net._input(x),
            net._target(t, x.shape[1]),
        ),
        "finiteness, forward (‖z^l‖², ‖a^l‖²)": lambda: net._finite_forward_pass(z, a, 1.0),
        "finiteness, backward (‖δ^l‖²; ∇W, ∇b bounded)": lambda: net._require_finite_gradients(
            g, fwd
        ),
        "  what summing ∇W, ∇b too would add": lambda: _all_finite(list(g.W) + list(g.b)),
        "gradient_step": lambda: net.gradient_step(g, 1e-9),
        "  of which ‖w‖ + ‖α∇w‖ (2 dot products)": lambda: (
            _norm(net.parameters()) + _norm(g.as_list())
        ),
        "  of which w −= α∇w (2 elementwise passes)": lambda: [
            np.subtract(p, np.multiply(q, 0.0), out=p)
            for p, q in zip(net.parameters(), g.as_list())
        ],
    }


def main():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    for dtype in (np.float32, np.float64):
        ops = operations(dtype)
        times = {key: [] for key in ops}
        limits = threadpool_limits(limits=1) if threadpool_limits else None
        for _ in range(15):
            for key, op in ops.items():
                start = time.process_time()
                for _ in range(20):
                    op()
                times[key].append((time.process_time() - start) / 20)
        if limits is not None:
            limits.restore_original_limits()
        print(f"\n{np.dtype(dtype).name}: CPU µs per call, median of 15\n")
        for key, values in times.items():
            print(f"| {key} | {statistics.median(values) * 1e6:.0f} |")


if __name__ == "__main__":
    main()
