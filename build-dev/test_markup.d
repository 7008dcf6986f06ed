build-dev/test_markup: tests/unit/test_markup.c include/cb_markup.h \
 include/cb_util.h include/cb_util.h tests/unit/check.h
include/cb_markup.h:
include/cb_util.h:
include/cb_util.h:
tests/unit/check.h:
