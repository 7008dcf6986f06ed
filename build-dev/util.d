build-dev/util.o: src/util.c include/cb_util.h
include/cb_util.h:
