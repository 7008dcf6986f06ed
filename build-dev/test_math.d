build-dev/test_math: tests/unit/test_math.c include/cb_math.h \
 include/cb_diag.h include/cb_util.h include/cb_font.h include/cb_dlist.h \
 include/cb_image.h include/cb_text.h tests/unit/check.h
include/cb_math.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_font.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_text.h:
tests/unit/check.h:
