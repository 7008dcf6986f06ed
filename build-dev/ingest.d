build-dev/ingest.o: src/ingest.c src/cb_ingest_tree.h include/cb_ingest.h \
 include/cb_diag.h include/cb_util.h include/cb_model.h \
 src/cb_ingest_split.h include/cb_link.h include/cb_unicode.h
src/cb_ingest_tree.h:
include/cb_ingest.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_model.h:
src/cb_ingest_split.h:
include/cb_link.h:
include/cb_unicode.h:
