# question: q1
# cell: def dh(
# expect: wrong
# message: math's functions (math.tanh, math.exp, …) take one number only
# public: fails
# every failure: names it
import math


def dh(x):
    """The chain rule done right, with math.tanh: right on a number, a TypeError on an array."""
    return (1 - math.tanh(3 * x**2 + 1) ** 2) * 6 * x
