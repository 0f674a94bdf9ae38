# question: q3
# cell: validation_accuracy = 
# expect: full
validation_accuracy = {}
for rate in rates:
    validation_accuracy[rate] = accuracy(train(rate, x_train, t_train), x_val, val_labels)
    print(rate, validation_accuracy[rate])
best_rate = sorted(rates, key=lambda r: -validation_accuracy[r])[0]
test_accuracy = accuracy(train(best_rate, x_train, t_train), x_test, test_labels)
