build-dev/layout.o: src/layout.c include/cb_layout.h include/cb_diag.h \
 include/cb_util.h include/cb_order.h include/cb_model.h \
 include/cb_text.h include/cb_dlist.h include/cb_image.h \
 include/cb_font.h include/cb_markup.h
include/cb_layout.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_order.h:
include/cb_model.h:
include/cb_text.h:
include/cb_dlist.h:
include/cb_image.h:
include/cb_font.h:
include/cb_markup.h:
