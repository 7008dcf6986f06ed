build-dev/diff.o: src/diff.c include/cb_diff.h include/cb_model.h \
 include/cb_util.h include/cb_util.h
include/cb_diff.h:
include/cb_model.h:
include/cb_util.h:
include/cb_util.h:
