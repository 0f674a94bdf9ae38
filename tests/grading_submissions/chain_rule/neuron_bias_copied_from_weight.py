# question: q2
# cell: def neuron_gradient(
# expect: wrong
# message: ∂C/∂b: it is ∂C/∂w: its last factor is ∂z/∂b = 1, not ∂z/∂w = x
# public: fails
def neuron_gradient(w, b, x, y):
    """∂C/∂b copied from ∂C/∂w, the factor x and all."""
    z = w * x + b
    a = sigmoid(z)
    dC_dz = (a - y) * a * (1 - a)
    return dC_dz * x, dC_dz * x
