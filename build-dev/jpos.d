build-dev/jpos.o: src/jpos.c include/cb_jpos.h include/cb_util.h
include/cb_jpos.h:
include/cb_util.h:
