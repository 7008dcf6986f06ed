build-dev/hyphen.o: src/hyphen.c src/cb_hyphen.h include/cb_util.h
src/cb_hyphen.h:
include/cb_util.h:
