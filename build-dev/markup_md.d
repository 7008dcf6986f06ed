build-dev/markup_md.o: src/markup_md.c src/cb_markup_builder.h \
 include/cb_markup.h include/cb_util.h
src/cb_markup_builder.h:
include/cb_markup.h:
include/cb_util.h:
