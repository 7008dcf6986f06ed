build-dev/test_pdf: tests/unit/test_pdf.c include/cb_pdf.h \
 include/cb_diag.h include/cb_util.h include/cb_dlist.h \
 include/cb_image.h include/cb_font.h include/cb_output.h \
 include/cb_text.h tests/unit/check.h
include/cb_pdf.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_font.h:
include/cb_output.h:
include/cb_text.h:
tests/unit/check.h:
