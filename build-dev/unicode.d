build-dev/unicode.o: src/unicode.c include/cb_unicode.h include/cb_util.h
include/cb_unicode.h:
include/cb_util.h:
