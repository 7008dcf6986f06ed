build-dev/test_layout: tests/unit/test_layout.c include/cb_compose.h \
 include/cb_diag.h include/cb_util.h include/cb_dlist.h \
 include/cb_image.h include/cb_font.h include/cb_layout.h \
 include/cb_order.h include/cb_model.h include/cb_text.h \
 include/cb_ingest.h include/cb_layout.h tests/unit/check.h
include/cb_compose.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_font.h:
include/cb_layout.h:
include/cb_order.h:
include/cb_model.h:
include/cb_text.h:
include/cb_ingest.h:
include/cb_layout.h:
tests/unit/check.h:
