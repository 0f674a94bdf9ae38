# question: q3
# cell: validation_accuracy = 
# expect: wrong
# message: highest validation accuracy
validation_accuracy = {rate: accuracy(train(rate, x_train, t_train), x_val, val_labels) for rate in rates}
best_rate = min(validation_accuracy, key=validation_accuracy.get)
test_accuracy = accuracy(train(best_rate, x_train, t_train), x_test, test_labels)
