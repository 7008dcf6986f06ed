build-dev/output.o: src/output.c include/cb_output.h include/cb_util.h
include/cb_output.h:
include/cb_util.h:
