build-dev/test_text: tests/unit/test_text.c src/cb_bidi.h \
 include/cb_font.h include/cb_diag.h include/cb_util.h include/cb_dlist.h \
 include/cb_image.h src/cb_hyphen.h src/cb_parbreak.h include/cb_text.h \
 include/cb_font.h tests/unit/check.h
src/cb_bidi.h:
include/cb_font.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_dlist.h:
include/cb_image.h:
src/cb_hyphen.h:
src/cb_parbreak.h:
include/cb_text.h:
include/cb_font.h:
tests/unit/check.h:
