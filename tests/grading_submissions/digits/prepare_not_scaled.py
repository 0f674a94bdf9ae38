# question: q1
# cell: def prepare(
# expect: wrong
# message: divided by 16
def prepare(images, labels):
    x = np.asarray(images, dtype=float).T          # the pixels left at 0..16
    return x, np.eye(10)[:, labels]
