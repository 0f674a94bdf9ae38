# question: q3
# cell: dC_dw = 
# expect: full
z = w * x + b
a = (1 / (1 + sp.exp(-Z))).subs(Z, z)
C = sp.Rational(1, 2) * (a - y) ** 2
dC_da = sp.diff(sp.Rational(1, 2) * (A - y) ** 2, A).subs(A, a)
da_dz = a * (1 - a)                                    # σ'(z) = σ(z)(1 − σ(z)), from the node a
dz_dw = sp.diff(w * x + b, w)
dC_dw = sp.Mul(dC_da, da_dz, dz_dw)
agrees = bool(sp.simplify(dC_dw - sp.diff(C, w)) == 0)
