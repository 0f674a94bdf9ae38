# question: q1
# cell: def prepare(
# expect: full
def prepare(images, labels):
    """Column by column, float32, with a print."""
    n = len(labels)
    x = np.empty((64, n), dtype=np.float32)
    t = np.zeros((10, n))
    for k in range(n):
        x[:, k] = images[k] / 16
        t[labels[k], k] = 1
    print("prepared", x.shape, t.shape)
    return x, t
