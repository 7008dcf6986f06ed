build-dev/link.o: src/link.c include/cb_link.h include/cb_util.h
include/cb_link.h:
include/cb_util.h:
