# question: q1
# cell: def dh(
# expect: wrong
# message: dh is not defined: run the cell that defines it
# public: fails
# every test: fails
def dh(x)
    """The colon forgotten: the cell stops with a SyntaxError and defines no dh (otter then hands
    the tests None), which the feedback must say, not blame a TypeError on math.tanh."""
    u = 3 * x**2 + 1
    return (1 - np.tanh(u) ** 2) * 6 * x
