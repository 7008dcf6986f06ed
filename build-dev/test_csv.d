build-dev/test_csv: tests/unit/test_csv.c src/cb_csv.h include/cb_util.h \
 tests/unit/check.h
src/cb_csv.h:
include/cb_util.h:
tests/unit/check.h:
