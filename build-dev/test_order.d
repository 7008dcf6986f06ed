build-dev/test_order: tests/unit/test_order.c include/cb_order.h \
 include/cb_model.h include/cb_util.h tests/unit/check.h
include/cb_order.h:
include/cb_model.h:
include/cb_util.h:
tests/unit/check.h:
