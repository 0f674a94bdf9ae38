"""The book's fixed example networks, so chapters and tests use the very same numbers."""

from __future__ import annotations

import numpy as np

from .network import Network

__all__ = ["worked_example", "WORKED_WEIGHT_NAMES"]

# w1…w10 named as in the worked-example source, row by row through W^1, W^2, W^3:
# w1, w2 enter hidden unit 1 of layer 1 (from x1, x2); w3, w4 enter its unit 2; and so on.
WORKED_WEIGHT_NAMES = [
    [["w1", "w2"], ["w3", "w4"]],
    [["w5", "w6"], ["w7", "w8"]],
    [["w9", "w10"]],
]


def worked_example():
    """The 2-2-2-1 sigmoid network of the worked-example chapter, its input and its target.

    Returns ``(network, x, t, learning_rate)``; the loss is ½(a − t)².
    """
    W1 = [[0.15, 0.25], [0.20, 0.30]]
    W2 = [[0.35, 0.40], [0.45, 0.50]]
    W3 = [[0.55, 0.60]]
    b1 = [0.10, 0.10]
    b2 = [0.20, 0.20]
    b3 = [0.30]
    net = Network(
        [2, 2, 2, 1], "sigmoid", "half_squared_error", weights=[W1, W2, W3], biases=[b1, b2, b3]
    )
    x = np.array([[0.50], [0.80]])
    t = np.array([[0.05]])
    return net, x, t, 0.5
