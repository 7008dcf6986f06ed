build-dev/test_dlist: tests/unit/test_dlist.c include/cb_dlist.h \
 include/cb_image.h include/cb_util.h tests/unit/check.h
include/cb_dlist.h:
include/cb_image.h:
include/cb_util.h:
tests/unit/check.h:
