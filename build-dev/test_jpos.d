build-dev/test_jpos: tests/unit/test_jpos.c include/cb_jpos.h \
 include/cb_util.h tests/unit/check.h
include/cb_jpos.h:
include/cb_util.h:
tests/unit/check.h:
