# pccs: one GNU Makefile, libraries through pkg-config.
#
#   make            build ./pccs
#   make check      build and run every test (unit, cases, integration)
#   make demo       install missing packages, build, load data/nhs, show
#   make SANITIZE=address,undefined check
#   make WERROR=1   treat warnings as errors (CI)
#   make web        the dashboard's front-end packages (npm ci in web/)

CC ?= cc
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local

PKGS := sqlite3 libsodium libzip expat jansson xlsxwriter libmicrohttpd
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
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
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

.PHONY: web all pccs check test unit integration demo clean install lint \
	checkstyle format fuzz bench asan

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

FUZZ_CC ?= clang
fuzz:
	@mkdir -p build/fuzz
	for t in csv xlsx; do \
		$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
			$(PKG_CFLAGS) -std=c17 -D_POSIX_C_SOURCE=200809L \
			-o build/fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) \
			$(PKG_LIBS) -lm || exit 1; \
	done

bench: pccs
	bench/load

lint: $(BUILD)/gen/schema.inc
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability \
		--std=c11 -Isrc -I$(BUILD)/gen --suppress=missingIncludeSystem src
	clang-tidy --quiet $(LIB_SRC) src/main.c -- $(WARN) -Isrc \
		-I$(BUILD)/gen $(PKG_CFLAGS)

checkstyle:
	clang-format --dry-run -Werror src/*/*.c src/*/*.h src/main.c
	scripts/checkstyle

format:
	clang-format -i src/*/*.c src/*/*.h src/main.c

clean:
	rm -rf build pccs tests/out

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d
