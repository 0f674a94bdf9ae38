# question: q3
# cell: dC_dw = 
# expect: wrong
# message: not defined: dC_da, da_dz, dz_dw
# public: fails
# every failure: names it
z = w * x + b
a = (1 / (1 + sp.exp(-Z))).subs(Z, z)
C = sp.Rational(1, 2) * (a - y) ** 2
# right, but the local derivatives under names of one's own: the tests read dC_da, da_dz, dz_dw
dCdA = sp.diff(sp.Rational(1, 2) * (A - y) ** 2, A).subs(A, a)
dAdZ = sp.diff(1 / (1 + sp.exp(-Z)), Z).subs(Z, z)
dZdw = sp.diff(w * x + b, w)
dC_dw = dCdA * dAdZ * dZdw
agrees = sp.simplify(dC_dw - sp.diff(C, w)) == 0
