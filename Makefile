# pccs: one GNU Makefile, libraries through pkg-config.
#
#   make            build ./pccs
#   make check      build and run every test (unit, cases, integration)
#   make check-pg   the integration tests with their stores on PostgreSQL
#                   (a scratch cluster: scripts/check-pg; TESTS="t0120-arrs.sh"
#                   runs only those)
#   make demo       install missing packages, build, load data/nhs, show
#   make SANITIZE=address,undefined check
#   make WERROR=1   treat warnings as errors (CI)
#   make lint       cppcheck and clang-tidy; make checkstyle: clang-format
#   make fuzz       libFuzzer targets; make fuzz-run FUZZ_SECONDS=60 runs them
#   make coverage   line coverage per directory of src/ after make check
#   make web        the dashboard's front-end packages (npm ci in web/)

CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local

PKGS := sqlite3 libsodium libzip expat jansson xlsxwriter libmicrohttpd libpq
# Compiled against but not linked: src/store/pq_load.c and src/web/mhd_load.c
# open them with dlopen when a PostgreSQL store or the server needs them,
# so every other command starts without their dozen dependent libraries.
DLOPEN_PKGS := libmicrohttpd libpq
# Likewise the xlsx reader's and writer's (src/formats/zip_load.c,
# expat_load.c, src/report/xlsxwriter_load.c): libzip brings libcrypto.
DLOPEN_PKGS += libzip expat xlsxwriter
TEST_PKGS := cmocka

WARN := -std=c17 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic \
	-Wformat=2 -Wformat-security -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wold-style-definition -Wpointer-arith \
	-Wwrite-strings -Wvla -Wundef -fno-common
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT ?= -O2 -g
ifneq ($(SANITIZE),)
OPT := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -O1 -g
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(filter-out $(DLOPEN_PKGS),$(PKGS)) \
	2>/dev/null) -ldl
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)

CFLAGS_ALL = $(WARN) $(OPT) -Isrc -I$(BUILD)/gen -MMD -MP $(PKG_CFLAGS) \
	$(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm -pthread $(LDLIBS)

# Objects go in a build directory per flavour so a sanitizer build never
# mixes with a plain one.
BUILD ?= build/$(if $(SANITIZE),san-$(subst $(comma),-,$(SANITIZE)),default)
comma := ,

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB := $(BUILD)/libpccs.a
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: web all pccs check check-pg test unit integration demo clean install lint \
	checkstyle format fuzz fuzz-targets fuzz-run bench asan coverage

all: pccs

# Always refreshed, so ./pccs is the build just asked for (plain or
# SANITIZE), whichever was made last.
pccs: $(BUILD)/pccs
	@cmp -s $< $@ || cp $< $@

$(BUILD)/pccs: $(BUILD)/src/main.o $(LIB)
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL) $(LDFLAGS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	@$(AR) rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The schema is kept as SQL and compiled in as one C string.
$(BUILD)/gen/schema.inc: src/store/schema.sql
	@mkdir -p $(dir $@)
	sed -e '/^--/d' -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' \
		-e 's/$$/\\n"/' $< >$@

$(BUILD)/src/store/sqlite.o: $(BUILD)/gen/schema.inc

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS_ALL) $(TEST_CFLAGS) -o $@ $< $(LIB) $(TEST_LIBS) \
		$(LDLIBS_ALL) $(LDFLAGS)

test check: pccs $(UNIT_BIN)
	@scripts/run-tests $(BUILD) $(UNIT_BIN)

check-pg: pccs
	@scripts/check-pg $(BUILD) $(TESTS)

unit: $(UNIT_BIN)
	@scripts/run-tests --unit-only $(BUILD) $(UNIT_BIN)

integration: pccs
	@scripts/run-tests --integration-only $(BUILD)

asan:
	$(MAKE) SANITIZE=address,undefined check

demo:
	@scripts/deps
	@$(MAKE) --no-print-directory pccs
	@scripts/demo

install: pccs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 pccs $(DESTDIR)$(PREFIX)/bin/pccs
	install -m 644 docs/pccs.1 $(DESTDIR)$(PREFIX)/share/man/man1/pccs.1
	for d in rates rules weights maps; do \
		install -d $(DESTDIR)$(PREFIX)/share/pccs/$$d && \
		install -m 644 data/$$d/* $(DESTDIR)$(PREFIX)/share/pccs/$$d/; \
	done
	for d in web web/vendor web/assets/images; do \
		install -d $(DESTDIR)$(PREFIX)/share/pccs/$$d; \
	done
	install -m 644 web/*.html web/*.css web/app.js \
		$(DESTDIR)$(PREFIX)/share/pccs/web/
	install -m 644 web/vendor/* $(DESTDIR)$(PREFIX)/share/pccs/web/vendor/
	install -m 644 web/assets/images/* \
		$(DESTDIR)$(PREFIX)/share/pccs/web/assets/images/

web:
	cd web && npm ci --no-audit --no-fund && node build.mjs

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang in their own
# build directory: the library with -fsanitize=fuzzer-no-link and the
# sanitizers, each target linked with the fuzzer's main. `make fuzz-run`
# then runs each for FUZZ_SECONDS from its seed corpus (CI: 60).
FUZZ_CC ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_OPT := -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SECONDS ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

fuzz:
	@$(MAKE) --no-print-directory CC=$(FUZZ_CC) BUILD=$(FUZZ_BUILD) \
		SANITIZE= OPT='$(FUZZ_OPT)' fuzz-targets

fuzz-targets: $(FUZZ_NAMES:%=$(BUILD)/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	@echo "  FUZZ    $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(LIB) $(LDLIBS_ALL) \
		$(LDFLAGS)

# Each target from its seed corpus in tests/fuzz/corpus/NAME; what it finds
# new goes to build/fuzz/corpus-NAME, a crash to build/fuzz/crash-NAME-*.
fuzz-run: fuzz
	@for t in $(FUZZ_NAMES); do \
		n=$${t#fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus-$$n; \
		echo "  FUZZ    $$t for $(FUZZ_SECONDS) s"; \
		$(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=20000 \
			-print_final_stats=1 \
			-artifact_prefix=$(FUZZ_BUILD)/crash-$$n- \
			$(FUZZ_BUILD)/corpus-$$n tests/fuzz/corpus/$$n \
			>$(FUZZ_BUILD)/$$t.log 2>&1 || \
			{ tail -60 $(FUZZ_BUILD)/$$t.log; exit 1; }; \
		grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units)' \
			$(FUZZ_BUILD)/$$t.log | sed 's/^/  /'; \
	done

# Line coverage: a --coverage build in its own directory, the counters
# zeroed, every test run (make check), then scripts/coverage prints the
# coverage per directory of src/. ./pccs is that build afterwards, as
# after a SANITIZE build: `make` makes the plain one again.
COV_BUILD := build/coverage

coverage:
	@$(MAKE) --no-print-directory BUILD=$(COV_BUILD) SANITIZE= \
		OPT='-O0 -g --coverage' pccs $(UNIT_SRC:tests/unit/%.c=$(COV_BUILD)/tests/%)
	@find $(COV_BUILD) -name '*.gcda' -exec rm -f {} +
	@rc=0; $(MAKE) --no-print-directory BUILD=$(COV_BUILD) SANITIZE= \
		OPT='-O0 -g --coverage' check || rc=$$?; \
		scripts/coverage $(COV_BUILD); exit $$rc

bench: pccs
	bench/load

# Static analysis; any finding fails. cppcheck over src/ as a whole, then
# clang-tidy (checks in .clang-tidy) once per file, in parallel under -j,
# each file again only when it, a header or .clang-tidy changed.
LINT_DIR := build/lint
LINT_STAMPS := $(patsubst %.c,$(LINT_DIR)/%.tidy,$(LIB_SRC) src/main.c)

lint: $(LINT_DIR)/cppcheck.stamp $(LINT_STAMPS)

$(LINT_DIR)/cppcheck.stamp: $(LIB_SRC) src/main.c $(wildcard src/*/*.h) \
		$(BUILD)/gen/schema.inc
	@mkdir -p $(dir $@)
	@echo "  CPPCHECK src"
	@cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--inline-suppr --std=c11 -D_POSIX_C_SOURCE=200809L -Isrc \
		-I$(BUILD)/gen --suppress=missingIncludeSystem src
	@touch $@

$(LINT_DIR)/%.tidy: %.c $(wildcard src/*/*.h) .clang-tidy \
		$(BUILD)/gen/schema.inc
	@mkdir -p $(dir $@)
	@echo "  TIDY    $<"
	@clang-tidy --quiet --warnings-as-errors='*' $< -- $(WARN) -Isrc \
		-I$(BUILD)/gen $(PKG_CFLAGS) >$@.err 2>&1 || \
		{ grep -v 'warnings\? generated\.$$' $@.err; exit 1; }
	@rm -f $@.err
	@touch $@

# clang-format's verdict (.clang-format) on every file of src/, then the
# rules it cannot check (scripts/checkstyle). One process each: seconds.
checkstyle:
	@clang-format --dry-run -Werror src/*/*.c src/*/*.h src/main.c
	@scripts/checkstyle
	@echo "  STYLE   src: clang-format and scripts/checkstyle agree"

format:
	clang-format -i src/*/*.c src/*/*.h src/main.c

clean:
	rm -rf build pccs tests/out

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d
