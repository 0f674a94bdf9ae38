# question: q1
# cell: def prepare(
# expect: wrong
# message: not written yet
def prepare(images, labels):
    raise NotImplementedError("not written yet")


x_, t_ = prepare(load_digits().data, load_digits().target)   # and the cell itself fails
