# question: q3
# cell: dC_dw = 
# expect: wrong
# message: da_dz, dC_dw still hold the stand-in A or Z
# public: fails
z = w * x + b
a = 1 / (1 + sp.exp(-z))
C = (a - y) ** 2 / 2
dC_da = sp.diff((A - y) ** 2 / 2, A).subs(A, a)
da_dz = sp.diff(1 / (1 + sp.exp(-Z)), Z)              # σ'(Z), the node's value never substituted
dz_dw = sp.diff(z, w)
dC_dw = dC_da * da_dz * dz_dw
agrees = sp.simplify(dC_dw - sp.diff(C, w)) == 0
