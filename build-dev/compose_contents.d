build-dev/compose_contents.o: src/compose_contents.c src/cb_composer.h \
 include/cb_compose.h include/cb_diag.h include/cb_util.h \
 include/cb_dlist.h include/cb_image.h include/cb_font.h \
 include/cb_layout.h include/cb_order.h include/cb_model.h \
 include/cb_text.h include/cb_layout.h include/cb_markup.h \
 include/cb_math.h include/cb_text.h include/cb_unicode.h \
 include/cb_diff.h
src/cb_composer.h:
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
include/cb_layout.h:
include/cb_markup.h:
include/cb_math.h:
include/cb_text.h:
include/cb_unicode.h:
include/cb_diff.h:
