# question: q2
# cell: def neuron_gradient(
# expect: full
def neuron_gradient(w, b, x, y):
    """σ'(z) written as e^{−z}/(1 + e^{−z})², and float32."""
    z = np.float32(w) * np.float32(x) + np.float32(b)
    a = 1 / (1 + np.exp(-z))
    dC_dz = (a - y) * np.exp(-z) / (1 + np.exp(-z)) ** 2
    print(dC_dz)
    return dC_dz * x, dC_dz
