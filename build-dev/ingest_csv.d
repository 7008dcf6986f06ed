build-dev/ingest_csv.o: src/ingest_csv.c src/cb_ingest_tree.h \
 include/cb_ingest.h include/cb_diag.h include/cb_util.h \
 include/cb_model.h src/cb_csv.h include/cb_util.h
src/cb_ingest_tree.h:
include/cb_ingest.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_model.h:
src/cb_csv.h:
include/cb_util.h:
