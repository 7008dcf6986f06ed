build-dev/test_ingest: tests/unit/test_ingest.c include/cb_diag.h \
 include/cb_util.h include/cb_ingest.h include/cb_diag.h \
 include/cb_model.h tests/unit/check.h
include/cb_diag.h:
include/cb_util.h:
include/cb_ingest.h:
include/cb_diag.h:
include/cb_model.h:
tests/unit/check.h:
