// placeholder: the data sets of chapter 10
