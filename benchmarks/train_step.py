"""The cost of one training step of ``nnmath``, side by side with its bound and with PyTorch.

    python benchmarks/train_step.py                 # writes its table into benchmarks/README.md
    python benchmarks/train_step.py --quick         # fewer repeats, prints only

One step is forward, backward and a plain SGD update on one batch. Measured in one run,
interleaved (every repeat times each contender once, in a shuffled order), median over repeats:

- ``train_step``: ``net.train_step(x, t, α)``, the step on reused buffers;
- ``backward + gradient_step``: ``net.gradient_step(net.backward(x, t), α)``, the step as the
  chapters first write it (fresh arrays, ∇x, every check);
- ``products``: the matrix products the step needs and nothing else, into preallocated arrays:
  W^l a^{l-1} for every layer, (W^{l+1})ᵀ δ^{l+1} for l = L−1..1 and δ^l (a^{l-1})ᵀ for every
  layer (∇x = (W^1)ᵀ δ^1 is not needed to train): the lower bound for this algorithm;
- ``torch``: PyTorch CPU (if installed; otherwise skipped) doing the same step with the same
  thread count: ``nn.Sequential`` of ``nn.Linear`` and the same activations, the same loss,
  ``loss.backward()`` and ``torch.optim.SGD.step()``.

For three networks (tiny 2-2-2-1 sigmoid with half squared error, batch 1; medium 64-32-10 and
large 784-256-256-10, ReLU with a softmax and cross-entropy output, batches 64 and 128), in float32
and float64, with 1 and 2 BLAS threads (``threadpoolctl``; ``torch.set_num_threads``).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nnmath import Network  # noqa: E402

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
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- train_step: begin -->", "<!-- train_step: end -->"


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


def nnmath_steps(name, dtype):
    sizes, activations, loss, x, t, _ = problem(name, dtype)
    fast = Network(sizes, activations, loss, dtype=dtype, seed=1, init="he")
    plain = Network(sizes, activations, loss, dtype=dtype, seed=1, init="he")
    return (lambda: fast.train_step(x, t, LEARNING_RATE),
            lambda: plain.gradient_step(plain.backward(x, t), LEARNING_RATE))


def products_step(name, dtype):
    """Only the step's matrix products, written into arrays allocated once."""
    sizes, _, _, x, _, _ = problem(name, dtype)
    rng, m, L = np.random.default_rng(2), x.shape[1], len(sizes) - 1
    W = [None] + [rng.standard_normal((sizes[l], sizes[l - 1])).astype(dtype) for l in range(1, L + 1)]
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
            layers.append({"sigmoid": torch.nn.Sigmoid, "relu": torch.nn.ReLU}[activations[l - 1]]())
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
    """Wall-clock and CPU seconds per step over ``block`` steps."""
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(block):
        step()
    return (time.perf_counter() - start) / block, (time.process_time() - start_cpu) / block


def measure(name, dtype, threads, repeats, target_block_s):
    contenders = dict(zip(("train_step", "backward + gradient_step"), nnmath_steps(name, dtype)))
    contenders["products"] = products_step(name, dtype)
    if torch is not None:
        contenders["torch"] = torch_step(name, dtype)
    with threadpool_limits(limits=threads):
        if torch is not None:
            torch.set_num_threads(threads)
        blocks = {}
        for key, step in contenders.items():  # warm up; choose a block of steps lasting ~target_block_s
            for _ in range(3):
                step()
            once = seconds_per_step(step, 5)[0]
            blocks[key] = max(1, int(target_block_s / once))
        times = {key: [] for key in contenders}
        order = list(contenders)
        for _ in range(repeats):
            random.shuffle(order)
            for key in order:
                times[key].append(seconds_per_step(contenders[key], blocks[key]))
    wall = {key: statistics.median(w for w, _ in values) for key, values in times.items()}
    cpu = {key: statistics.median(c for _, c in values) for key, values in times.items()}
    return wall, cpu


def machine() -> str:
    blas = ", ".join(sorted({f"{i['internal_api']} {i.get('version') or ''}".strip()
                             for i in threadpool_info() if i["user_api"] == "blas"}))
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    parts = [f"{cpu}, {os.cpu_count()} cores (shared with other jobs)", f"Python {platform.python_version()}",
             f"numpy {np.__version__} ({blas})"]
    parts.append(f"PyTorch {torch.__version__}" if torch is not None else "PyTorch not installed")
    return "; ".join(parts)


def table(results) -> str:
    """Ratios of medians (``results``: (network, dtype, threads) -> {contender: seconds per step})."""
    has_torch = torch is not None
    head = ["network", "dtype", "threads", "train_step (µs)", "train_step / products"]
    if has_torch:
        head += ["train_step / torch", "backward + gradient_step / torch", "products / torch", "torch (µs)"]
    else:
        head += ["backward + gradient_step / products"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (name, dtype, threads), r in results.items():
        row = [name, np.dtype(dtype).name, str(threads), f"{r['train_step'] * 1e6:.0f}",
               f"{r['train_step'] / r['products']:.2f}"]
        if has_torch:
            row += [f"{r['train_step'] / r['torch']:.2f}", f"{r['backward + gradient_step'] / r['torch']:.2f}",
                    f"{r['products'] / r['torch']:.2f}", f"{r['torch'] * 1e6:.0f}"]
        else:
            row += [f"{r['backward + gradient_step'] / r['products']:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


TARGETS = [  # (network, threads, contender compared, bound): train_step / contender ≤ bound (issue 12)
    ("large", 1, "products", 1.15), ("large", 1, "torch", 0.85), ("large", 2, "torch", 0.9),
    ("medium", 1, "torch", 0.35), ("medium", 2, "torch", 0.35), ("tiny", 1, "torch", 0.3), ("tiny", 2, "torch", 0.3),
]


def targets_table(results, cpu_results) -> str:
    """Each target of issue 12 against this run: met, or missed by how much."""
    lines = ["| target | dtype | wall clock | CPU time (1 thread) |", "|---|---|---|---|"]
    verdict = lambda ratio, bound: (f"{ratio:.2f}: met" if ratio <= bound
                                    else f"{ratio:.2f}: missed by {ratio / bound - 1:.0%}")
    for name, threads, other, bound in TARGETS:
        if other == "torch" and torch is None:
            continue
        for dtype in (np.float32, np.float64):
            key = (name, dtype, threads)
            if key not in results:
                continue
            cells = [verdict(r[key]["train_step"] / r[key][other], bound) if key in r else "–"
                     for r in (results, cpu_results)]
            lines.append(f"| {name}, {threads} thread{'s' * (threads > 1)}: train_step ≤ {bound}× {other} "
                         f"| {np.dtype(dtype).name} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats; print, do not write the README")
    parser.add_argument("--repeats", type=int, default=None, help="timed blocks per contender (default 41)")
    parser.add_argument("--networks", nargs="*", default=list(NETWORKS), choices=list(NETWORKS))
    args = parser.parse_args(argv)
    repeats = args.repeats or (7 if args.quick else 41)
    block_s = 0.01 if args.quick else 0.03
    results, cpu_results = {}, {}
    for threads in (1, 2):
        for name in args.networks:
            for dtype in (np.float32, np.float64):
                wall, cpu = measure(name, dtype, threads, repeats, block_s)
                results[name, dtype, threads] = wall
                if threads == 1:  # with one thread, CPU time leaves out the time other jobs had the core
                    cpu_results[name, dtype, threads] = cpu
                print(name, np.dtype(dtype).name, threads, {k: f"{v * 1e6:.1f} µs" for k, v in wall.items()},
                      flush=True)
    when = datetime.date.today().isoformat()
    command = "python benchmarks/train_step.py" + (f" --repeats {args.repeats}" if args.repeats else "")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    text = (f"Measured {when} with `{command}`, median of {repeats} interleaved repeats; "
            f"machine: {machine()}; load average at the end {load}.\n\n"
            f"Wall-clock time:\n\n{table(results)}\n\n"
            f"CPU time of the process, 1 thread (not counting the time other jobs held the core):\n\n"
            f"{table(cpu_results)}\n\n"
            f"The targets of issue 12 in this run:\n\n{targets_table(results, cpu_results)}\n")
    print(text)
    if not args.quick:
        readme = README.read_text()
        section = f"{BEGIN}\n{text}{END}"
        if BEGIN in readme:
            readme = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, readme, flags=re.S)
        else:
            readme += f"\n## The training step (benchmarks/train_step.py)\n\n{section}\n"
        README.write_text(readme)


if __name__ == "__main__":
    main()
