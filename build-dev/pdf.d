build-dev/pdf.o: src/pdf.c include/cb_pdf.h include/cb_diag.h \
 include/cb_util.h include/cb_dlist.h include/cb_image.h \
 include/cb_font.h include/cb_output.h src/pdf_tags.h include/cb_dlist.h \
 include/cb_util.h include/cb_unicode.h
include/cb_pdf.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_font.h:
include/cb_output.h:
src/pdf_tags.h:
include/cb_dlist.h:
include/cb_util.h:
include/cb_unicode.h:
