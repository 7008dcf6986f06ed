build-dev/dlist.o: src/dlist.c include/cb_dlist.h include/cb_image.h \
 include/cb_util.h include/cb_unicode.h
include/cb_dlist.h:
include/cb_image.h:
include/cb_util.h:
include/cb_unicode.h:
