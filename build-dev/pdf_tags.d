build-dev/pdf_tags.o: src/pdf_tags.c src/pdf_tags.h include/cb_dlist.h \
 include/cb_image.h include/cb_util.h include/cb_util.h \
 include/cb_unicode.h
src/pdf_tags.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_util.h:
include/cb_util.h:
include/cb_unicode.h:
