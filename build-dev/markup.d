build-dev/markup.o: src/markup.c src/cb_markup_builder.h \
 include/cb_markup.h include/cb_util.h include/cb_link.h
src/cb_markup_builder.h:
include/cb_markup.h:
include/cb_util.h:
include/cb_link.h:
