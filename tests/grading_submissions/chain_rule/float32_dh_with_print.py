# question: q1
# cell: def dh(
# expect: full
def dh(x):
    """In float32, with a leftover print; sech² written as 1/cosh²."""
    x = np.asarray(x, dtype=np.float32)
    print("x =", x)
    return 6 * x / np.cosh(3 * x**2 + 1) ** 2
