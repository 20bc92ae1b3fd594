# tipdesk — plain Makefile.  `make run` and `make test` do all setup.

CC      ?= cc
BUILD   ?= build
BIN     ?= tipdesk
CONFIG  ?= config.ini

DEB_PKGS = build-essential pkg-config libncurses-dev libsqlite3-dev sqlite3 \
           libiniparser-dev libcmocka-dev libcsv-dev libsodium-dev tmux \
           libxml2-utils locales libglpk-dev time
PKG_LIBS = ncursesw sqlite3 libsodium

OPT      ?= -O2 -g
WARN      = -Wall -Wextra -Wshadow -Wpedantic
CFLAGS   += -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
            -MMD -MP -iquote include -I/usr/include/iniparser \
            $(shell pkg-config --cflags $(PKG_LIBS) 2>/dev/null)
LDLIBS   += $(shell pkg-config --libs $(PKG_LIBS) 2>/dev/null) -liniparser -lcsv -lglpk -lm -lpthread
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

SRC      := $(wildcard src/*.c)
LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/%.o,$(filter-out src/main.c,$(SRC))) $(BUILD)/embedded.o
EMBED    := $(sort $(wildcard db/*.sql) $(wildcard db/ref/*.csv))
TESTS    := $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))

BENCH_CASES ?= 100000

.PHONY: all run test sanitize bench install clean deps check-deps
all: $(BIN)

$(BIN): $(BUILD)/main.o $(BUILD)/libtipdesk.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libtipdesk.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

# Schema migrations and reference data are compiled into the binary.
$(BUILD)/embedded.c: db/embed.sh $(EMBED) | $(BUILD)
	sh db/embed.sh $(EMBED) > $@.tmp && mv $@.tmp $@

# The embedded files are longer than ISO C's 4095-byte minimum; GCC takes them.
$(BUILD)/embedded.o: $(BUILD)/embedded.c
	$(CC) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libtipdesk.a | $(BUILD)/tests
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libtipdesk.a $(LDLIBS) $(TEST_LIBS)

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

deps:
	@sh tests/deps.sh $(DEB_PKGS)

run: deps
	$(MAKE) $(BIN)
	./$(BIN) -c $(CONFIG) init
	./$(BIN) -c $(CONFIG)

test: deps
	$(MAKE) $(BIN) $(TESTS)
	sh tests/run.sh $(BUILD) ./$(BIN)

sanitize: deps
	$(MAKE) BUILD=build-san BIN=build-san/tipdesk \
	    OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	    LDFLAGS="-fsanitize=address,undefined" build-san/tipdesk $(TESTS:$(BUILD)/%=build-san/%)
	rm -rf build-san/logs && mkdir -p build-san/logs
	SANITIZE_LOGS=$(CURDIR)/build-san/logs \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:log_path=$(CURDIR)/build-san/logs/asan \
	UBSAN_OPTIONS=print_stacktrace=1:log_path=$(CURDIR)/build-san/logs/ubsan \
	    sh tests/run.sh build-san ./build-san/tipdesk

bench: deps
	$(MAKE) $(BIN)
	BENCH_CASES=$(BENCH_CASES) sh tests/bench.sh ./$(BIN)

# libFuzzer targets of every parser (tests/fuzz), FUZZ_SECONDS each; needs clang.
FUZZ_BUILD   ?= build-fuzzer
FUZZ_SECONDS ?= 30
FUZZ_PKGS     = clang libclang-rt-14-dev
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
.PHONY: fuzz
fuzz: deps
	@sh tests/deps.sh $(FUZZ_PKGS)
	$(MAKE) $(BIN)
	$(MAKE) CC=clang BUILD=$(FUZZ_BUILD) \
	    OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" \
	    $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/%)
	sh tests/fuzz/run.sh $(FUZZ_BUILD) ./$(BIN) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(BUILD)/libtipdesk.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libtipdesk.a $(LDLIBS)

PREFIX ?= /usr/local
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/tipdesk/forms
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/tipdesk
	install -m 644 forms/*.ini $(DESTDIR)$(PREFIX)/share/tipdesk/forms/

clean:
	rm -rf build build-san $(FUZZ_BUILD) $(BIN)

-include $(wildcard $(BUILD)/*.d $(BUILD)/tests/*.d)
