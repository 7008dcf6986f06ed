build-dev/parbreak.o: src/parbreak.c src/cb_parbreak.h include/cb_util.h
src/cb_parbreak.h:
include/cb_util.h:
