build-dev/diag.o: src/diag.c include/cb_diag.h include/cb_util.h \
 include/cb_util.h
include/cb_diag.h:
include/cb_util.h:
include/cb_util.h:
