build-dev/ingest_split.o: src/ingest_split.c src/cb_ingest_split.h \
 include/cb_util.h
src/cb_ingest_split.h:
include/cb_util.h:
