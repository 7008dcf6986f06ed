build-dev/main.o: src/main.c include/cb_compose.h include/cb_diag.h \
 include/cb_util.h include/cb_dlist.h include/cb_image.h \
 include/cb_font.h include/cb_layout.h include/cb_order.h \
 include/cb_model.h include/cb_text.h include/cb_diag.h include/cb_diff.h \
 include/cb_dlist.h include/cb_font.h include/cb_ingest.h \
 include/cb_jpos.h include/cb_layout.h include/cb_output.h \
 include/cb_pdf.h include/cb_output.h
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
include/cb_diag.h:
include/cb_diff.h:
include/cb_dlist.h:
include/cb_font.h:
include/cb_ingest.h:
include/cb_jpos.h:
include/cb_layout.h:
include/cb_output.h:
include/cb_pdf.h:
include/cb_output.h:
