build-dev/order.o: src/order.c include/cb_order.h include/cb_model.h \
 include/cb_util.h include/cb_unicode.h
include/cb_order.h:
include/cb_model.h:
include/cb_util.h:
include/cb_unicode.h:
