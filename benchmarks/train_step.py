"""The cost of one training step through nnmath's public path, beside its bound and PyTorch.

    python benchmarks/train_step.py             # prints the table (writes nothing tracked)
    python benchmarks/train_step.py --quick     # fewer repeats

One step is forward, backward and a plain SGD update on one batch. Measured in one run,
interleaved (every repeat times each contender once, in a shuffled order), median over repeats,
with ONE BLAS thread (threadpoolctl when installed, else the thread variables set below before
numpy is imported):

- ``nnmath``: ``net.gradient_step(net.backward(x, t, input_gradient=False), α)``, the path a
  reader's own loop takes (every check included);
- ``train_step``: the same step through ``nnmath.training.train_step`` with ``SGD`` (the step
  ``fit`` takes): the same backward, then the optimizer's generic, allocating update;
- ``products``: only the matrix products the step needs, into preallocated arrays: W^l a^{l-1}
  for every layer, (W^{l+1})ᵀ δ^{l+1} for l = L−1..1 and δ^l (a^{l-1})ᵀ for every layer (∇x is
  not needed to train): the lower bound of this algorithm;
- ``torch``: PyTorch on the CPU (when installed; otherwise skipped) doing the same step with one
  thread: ``nn.Sequential`` of ``nn.Linear`` and the same activations and loss,
  ``loss.backward()`` and ``torch.optim.SGD.step()``.

Networks: tiny 2-2-2-1 (sigmoid, half squared error, batch 1), medium 64-32-10 and large
784-256-256-10 (ReLU, softmax with cross-entropy, batches 64 and 128); float32 and float64.
Targets (issue 17, large network): nnmath ≤ 1.15× products and ≤ 0.85× torch.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before numpy loads its BLAS; threadpoolctl also pins it

import argparse  # noqa: E402
import contextlib  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nnmath import Network  # noqa: E402
from nnmath.optimizers import SGD  # noqa: E402
from nnmath.training import train_step  # noqa: E402

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # the environment variables above already ask for one thread
    threadpool_limits = None
try:
    import torch
except ImportError:  # the comparison is optional: nnmath never depends on PyTorch
    torch = None

NETWORKS = {  # name: sizes, hidden activation, output activation, loss, batch
    "tiny": ([2, 2, 2, 1], "sigmoid", "sigmoid", "half_squared_error", 1),
    "medium": ([64, 32, 10], "relu", "softmax", "cross_entropy", 64),
    "large": ([784, 256, 256, 10], "relu", "softmax", "cross_entropy", 128),
}
LEARNING_RATE = 1e-3  # small, so that thousands of steps on one batch stay finite
TARGETS = {"products": 1.15, "torch": 0.85}  # nnmath / contender on the large network


def problem(name, dtype, seed=0):
    sizes, hidden, output, loss, batch = NETWORKS[name]
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((sizes[0], batch)).astype(dtype)
    if loss == "cross_entropy":
        labels = rng.integers(0, sizes[-1], batch)
        t = np.eye(sizes[-1], dtype=dtype)[:, labels]
    else:
        labels = None
        t = rng.random((sizes[-1], batch)).astype(dtype)
    activations = [hidden] * (len(sizes) - 2) + [output]
    return sizes, activations, loss, x, t, labels


def nnmath_step(name, dtype):
    """The public path: backward without ∇x, then gradient_step."""
    sizes, activations, loss, x, t, _ = problem(name, dtype)
    net = Network(sizes, activations, loss, dtype=dtype, seed=1, init="he")

    def step():
        net.gradient_step(net.backward(x, t, input_gradient=False), LEARNING_RATE)

    return step


def train_step_step(name, dtype):
    """The same step through ``nnmath.training.train_step`` with ``SGD`` (what ``fit`` runs)."""
    sizes, activations, loss, x, t, _ = problem(name, dtype)
    net = Network(sizes, activations, loss, dtype=dtype, seed=1, init="he")
    optimizer, state = SGD(LEARNING_RATE), [None]

    def step():
        state[0] = train_step(net, x, t, optimizer, state[0])[1]

    return step


def products_step(name, dtype):
    """Only the step's matrix products, written into arrays allocated once."""
    sizes, _, _, x, _, _ = problem(name, dtype)
    rng, m, L = np.random.default_rng(2), x.shape[1], len(sizes) - 1
    W = [None] + [
        rng.standard_normal((sizes[l], sizes[l - 1])).astype(dtype) for l in range(1, L + 1)
    ]
    a = [x] + [np.empty((sizes[l], m), dtype) for l in range(1, L + 1)]
    delta = [None] + [rng.standard_normal((sizes[l], m)).astype(dtype) for l in range(1, L + 1)]
    back = [None] + [np.empty((sizes[l], m), dtype) for l in range(1, L + 1)]
    grad_W = [None] + [np.empty_like(W[l]) for l in range(1, L + 1)]

    def step():
        for l in range(1, L + 1):
            np.matmul(W[l], a[l - 1], out=a[l])
        for l in range(L - 1, 0, -1):
            np.matmul(W[l + 1].T, delta[l + 1], out=back[l])
        for l in range(1, L + 1):
            np.matmul(delta[l], a[l - 1].T, out=grad_W[l])

    return step


def torch_step(name, dtype):
    sizes, activations, loss, x, t, labels = problem(name, dtype)
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers = []
    for l in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[l - 1], sizes[l], dtype=tdtype))
        if activations[l - 1] != "softmax":  # the softmax is inside cross_entropy
            layers.append(
                {"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[activations[l - 1]]()
            )
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    xb = torch.from_numpy(np.ascontiguousarray(x.T))  # PyTorch's examples are rows
    if loss == "cross_entropy":
        target = torch.from_numpy(labels)
        cost = lambda out: torch.nn.functional.cross_entropy(out, target)
    else:
        target = torch.from_numpy(np.ascontiguousarray(t.T))
        cost = lambda out: 0.5 * ((out - target) ** 2).sum()

    def step():
        optimizer.zero_grad()
        cost(model(xb)).backward()
        optimizer.step()

    return step


def seconds_per_step(step, block):
    """Wall-clock and CPU seconds per step over ``block`` steps (CPU time leaves out the time
    other jobs held the core: on a shared machine it is the steadier of the two)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(block):
        step()
    return (time.perf_counter() - start) / block, (time.process_time() - start_cpu) / block


def measure(name, dtype, repeats, target_block_s):
    """Median seconds per step of every contender, one BLAS thread."""
    contenders = {
        "nnmath": nnmath_step(name, dtype),
        "train_step": train_step_step(name, dtype),
        "products": products_step(name, dtype),
    }
    if torch is not None:
        contenders["torch"] = torch_step(name, dtype)
    limits = threadpool_limits(limits=1) if threadpool_limits else contextlib.nullcontext()
    with limits:
        if torch is not None:
            torch.set_num_threads(1)
        blocks = {}
        for key, step in contenders.items():  # warm up; a block of steps lasts ~target_block_s
            for _ in range(3):
                step()
            blocks[key] = max(1, int(target_block_s / seconds_per_step(step, 5)[0]))
        times = {key: [] for key in contenders}
        order = list(contenders)
        for _ in range(repeats):
            random.shuffle(order)
            for key in order:
                times[key].append(seconds_per_step(contenders[key], blocks[key]))
    wall = {key: statistics.median(w for w, _ in values) for key, values in times.items()}
    cpu = {key: statistics.median(c for _, c in values) for key, values in times.items()}
    return wall, cpu


def table(results) -> str:
    head = ["network", "dtype", "nnmath (µs)", "products (µs)", "nnmath / products"]
    head += ["train_step (µs)", "train_step / products"]
    if torch is not None:
        head += ["torch (µs)", "nnmath / torch"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (name, dtype), r in results.items():
        row = [
            name,
            np.dtype(dtype).name,
            f"{r['nnmath'] * 1e6:.0f}",
            f"{r['products'] * 1e6:.0f}",
            f"{r['nnmath'] / r['products']:.2f}",
            f"{r['train_step'] * 1e6:.0f}",
            f"{r['train_step'] / r['products']:.2f}",
        ]
        if torch is not None:
            row += [f"{r['torch'] * 1e6:.0f}", f"{r['nnmath'] / r['torch']:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def targets(results) -> str:
    lines = []
    for dtype in (np.float32, np.float64):
        r = results.get(("large", dtype))
        for other, bound in TARGETS.items():
            if r is None or other not in r:
                continue
            ratio = r["nnmath"] / r[other]
            verdict = "met" if ratio <= bound else f"missed by {ratio / bound - 1:.0%}"
            lines.append(
                f"- large, {np.dtype(dtype).name}: nnmath / {other} = {ratio:.2f} "
                f"(target ≤ {bound}): {verdict}"
            )
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in open("/proc/cpuinfo")
            if line.startswith("model name")
        )
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    versions = f"numpy {np.__version__}" + (
        f", PyTorch {torch.__version__}" if torch else ", no PyTorch"
    )
    return f"{cpu}, {os.cpu_count()} cores, load average {load}; Python {platform.python_version()}, {versions}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats")
    parser.add_argument(
        "--repeats", type=int, default=None, help="timed blocks per contender (default 31)"
    )
    parser.add_argument("--networks", nargs="*", default=list(NETWORKS), choices=list(NETWORKS))
    args = parser.parse_args(argv)
    repeats = args.repeats or (7 if args.quick else 31)
    block_s = 0.01 if args.quick else 0.03
    results, cpu_results = {}, {}
    for name in args.networks:
        for dtype in (np.float32, np.float64):
            results[name, dtype], cpu_results[name, dtype] = measure(name, dtype, repeats, block_s)
            print(
                name,
                np.dtype(dtype).name,
                {k: f"{v * 1e6:.1f} µs" for k, v in results[name, dtype].items()},
                file=sys.stderr,
                flush=True,
            )
    print(f"One BLAS thread, median of {repeats} interleaved repeats; {machine()}.\n")
    print(f"Wall-clock time:\n\n{table(results)}\n\n{targets(results)}\n")
    print(f"CPU time of the process:\n\n{table(cpu_results)}\n\n{targets(cpu_results)}")


if __name__ == "__main__":
    main()
