build-dev/ingest_merge.o: src/ingest_merge.c include/cb_ingest.h \
 include/cb_diag.h include/cb_util.h include/cb_model.h
include/cb_ingest.h:
include/cb_diag.h:
include/cb_util.h:
include/cb_model.h:
