# question: q3
# cell: dC_dw = 
# expect: full
z = w * x + b
a = 1 / (1 + sp.exp(-z))
C = sp.Rational(1, 2) * (a - y) ** 2
dz_dw = sp.diff(z, w)
da_dz = (sp.exp(-Z) / (1 + sp.exp(-Z)) ** 2).subs(Z, z)
dC_da = sp.diff(sp.Rational(1, 2) * (A - y) ** 2, A).subs(A, a)
dC_dw = dC_da * da_dz * dz_dw
agrees = bool(sp.simplify(dC_dw - sp.diff(C, w)) == 0)
print(dC_dw, agrees)
