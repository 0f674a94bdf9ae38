# question: q3
# cell: validation_accuracy = 
# expect: wrong
# message: on the validation set a network
validation_accuracy = {rate: accuracy(train(rate, x_train, t_train), x_train, train_labels) for rate in rates}
best_rate = max(validation_accuracy, key=validation_accuracy.get)
test_accuracy = accuracy(train(best_rate, x_train, t_train), x_test, test_labels)
