build-dev/csv.o: src/csv.c src/cb_csv.h include/cb_util.h
src/cb_csv.h:
include/cb_util.h:
