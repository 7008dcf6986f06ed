# contribook - conference contribution records to PDF booklets.
# `make demo` and `make check` install what is missing (Debian 12, as root),
# build, and render the samples or run the whole test suite.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
CC ?= cc

PKGS = fontconfig freetype2 harfbuzz harfbuzz-subset jansson \
       libcmark libxml-2.0 libutf8proc fribidi yaml-0.1 icu-i18n icu-uc \
       libqrencode libpng libdeflate
WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Werror
CFLAGS ?= -O2 -g
# -MMD -MP: each object depends on the headers it includes, no more
# -pthread: the PDF writer's thread (--jobs)
ALL_CFLAGS = -std=c11 -D_XOPEN_SOURCE=700 -pthread $(WARN) $(CFLAGS) -MMD -MP \
             -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
             -DCB_DATADIR='"$(PREFIX)/share/contribook"'
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lhyphen -lm -pthread

SRCS = $(wildcard src/*.c)
LIB_OBJS = $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRCS)))
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(patsubst tests/unit/%.c,$(BUILD)/%,$(UNIT_SRCS))
# each fuzz target linked with tests/fuzz/replay.c: `make check` replays
# the committed corpora with the suite's own compiler and sanitizers
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz_*.c)
REPLAY_BINS = $(patsubst tests/fuzz/fuzz_%.c,$(BUILD)/replay_%,$(FUZZ_SRCS))
BIN = $(BUILD)/contribook

.PHONY: all deps build-deps demo check test asan tsan valgrind lint fuzz bench \
        install uninstall clean

all: $(BIN)

deps:
	@sh scripts/install-deps.sh

# A missing -dev package stops the build here, by name.
build-deps:
	@sh scripts/check-build.sh

$(BUILD)/%.o: src/%.c | $(BUILD) build-deps
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BIN): $(LIB_OBJS) $(BUILD)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/test_%: tests/unit/test_%.c $(LIB_OBJS) | build-deps
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

$(BUILD)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB_OBJS) | build-deps
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB_OBJS) $(LIBS)

$(BUILD):
	mkdir -p $(BUILD)

-include $(wildcard $(BUILD)/*.d)

demo: deps
	$(MAKE) all
	sh scripts/demo.sh $(BIN) out

# The whole suite; the last line is "N passed, N failed".
check: deps
	$(MAKE) test

# The same suite without looking for packages to install.
test: all $(UNIT_BINS) $(REPLAY_BINS)
	sh tests/run.sh $(BUILD)

asan: deps
	$(MAKE) BUILD=build-asan CC=gcc \
	    CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" all unit-bins
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	    sh tests/run.sh build-asan

# ThreadSanitizer on the cases that run the PDF writer on its own thread
# (every file the same whatever --jobs; a report fails the case)
tsan: deps
	$(MAKE) BUILD=build-tsan CFLAGS="-O1 -g -fsanitize=thread" \
	    LDFLAGS="-fsanitize=thread" all
	CB_BIN=build-tsan/contribook sh tests/cli.sh tests/cli/jobs.test

valgrind: deps
	$(MAKE) all unit-bins
	CB_VALGRIND=1 sh tests/run.sh $(BUILD)

unit-bins: $(UNIT_BINS) $(REPLAY_BINS)

# also run by the suite (tests/lint.sh)
lint:
	sh tests/lint.sh

# libFuzzer targets (clang), each run for FUZZ_SECONDS on its corpus
# (scripts/fuzz.sh); FUZZ_TARGETS picks some. build-fuzz/runs.txt keeps
# what has run. `make check` replays the committed corpora.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= ingest markup layout pipeline math
fuzz: build-deps
	@for t in $(FUZZ_TARGETS); do \
	    sh scripts/fuzz.sh $$t $(FUZZ_SECONDS) "$(PREFIX)/share/contribook" \
	        "$(shell pkg-config --cflags $(PKGS))" "$(LIBS)" || exit 1; \
	done

# PEERS=1 also runs the xelatex, WeasyPrint and Typst peers (installed
# then, scripts/peers/install.sh) on the 1,000-contribution input
bench: deps
	$(MAKE) all
	PEERS=$(PEERS) sh scripts/bench.sh $(BIN)

# The program finds its layouts and fonts in share/contribook beside its
# bin/, whatever the prefix.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/contribook/layouts \
	    $(DESTDIR)$(PREFIX)/share/contribook/fonts
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/contribook
	install -m 644 doc/contribook.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 layouts/*.yaml $(DESTDIR)$(PREFIX)/share/contribook/layouts/
	install -m 644 fonts/*.ttf fonts/fonts.conf fonts/OFL.txt fonts/SOURCES \
	    $(DESTDIR)$(PREFIX)/share/contribook/fonts/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/contribook \
	    $(DESTDIR)$(PREFIX)/share/man/man1/contribook.1
	rm -rf $(DESTDIR)$(PREFIX)/share/contribook

clean:
	rm -rf build build-asan build-fuzz out
