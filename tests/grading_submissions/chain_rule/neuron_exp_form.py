# question: q2
# cell: def neuron_gradient(
# expect: full
def neuron_gradient(w, b, x, y):
    """σ'(z) written as e^{−z}/(1 + e^{−z})², all in float32, with a print."""
    w, b, x, y = (np.asarray(v, dtype=np.float32) for v in (w, b, x, y))
    z = w * x + b
    a = 1 / (1 + np.exp(-z))
    dC_dz = (a - y) * np.exp(-z) / (1 + np.exp(-z)) ** 2
    print(dC_dz)
    return dC_dz * x, dC_dz
