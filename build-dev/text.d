build-dev/text.o: src/text.c include/cb_text.h include/cb_dlist.h \
 include/cb_image.h include/cb_util.h include/cb_font.h include/cb_diag.h \
 src/cb_bidi.h src/cb_hyphen.h src/cb_parbreak.h include/cb_unicode.h
include/cb_text.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_util.h:
include/cb_font.h:
include/cb_diag.h:
src/cb_bidi.h:
src/cb_hyphen.h:
src/cb_parbreak.h:
include/cb_unicode.h:
