# question: q1
# cell: def dh(
# expect: wrong
# message: the inner derivative is missing
def dh(x):
    """f'(g(x)) without the inner derivative g'(x) = 6x."""
    return 1 - np.tanh(3 * x**2 + 1) ** 2
