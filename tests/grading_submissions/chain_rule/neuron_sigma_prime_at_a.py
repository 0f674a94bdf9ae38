# question: q2
# cell: def neuron_gradient(
# expect: wrong
# message: σ' is taken at a = σ(z) instead of at z
def neuron_gradient(w, b, x, y):
    """σ' taken at a instead of z."""
    a = sigmoid(w * x + b)
    dC_dz = (a - y) * sigmoid(a) * (1 - sigmoid(a))
    return dC_dz * x, dC_dz
