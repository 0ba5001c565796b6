# Makefile: build, test, run and install ntr.
#
#   make            build bin/ntr-run, bin/ntr-plot, bin/ntr-probe
#   make run        install what is missing, build, run configs/quickstart.yaml
#   make check      install what is missing, build, run every test (also under ASan/UBSan)
#   make bench      performance report in bench/ (never part of check)
#   make install PREFIX=/usr/local     make clean
#
# Every source file is found by wildcard: adding a problem, norm or method is
# one new file (plus its registry line), never a Makefile edit.

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := gsl openblas lapacke yaml-0.1 jansson muparser libxxhash
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
OPT     ?= -O2 -g -march=x86-64-v2
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# GSL's own pkg-config line links gslcblas; ntr takes cblas from OpenBLAS.
PKG_LIBS   := -lgsl $(shell pkg-config --libs openblas lapacke yaml-0.1 jansson muparser libxxhash 2>/dev/null) -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DEFS    := -DNTR_VERSION='"$(VERSION)"' -DNTR_GIT_COMMIT='"$(GIT_COMMIT)"'

BUILD   ?= build
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(DEFS) $(PKG_CFLAGS) $(EXTRA_CFLAGS)

MAINS   := $(wildcard src/cli/*.c)
LIBSRC  := $(filter-out $(MAINS),$(wildcard src/*.c src/*/*.c problems/*.c))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)
TESTSUP := $(filter-out $(TESTSRC),$(wildcard tests/*.c))
TESTSUPOBJ := $(TESTSUP:%.c=$(BUILD)/%.o)
PROGS   := $(patsubst src/cli/ntr_%.c,bin/ntr-%,$(MAINS))

.PHONY: all deps run check check-unit check-asan bench install clean lint fuzz
all: deps-ok $(PROGS)

# Install missing dependencies (scripts/install-deps) when a library or tool is absent.
deps-ok:
	@pkg-config --exists $(PKGS) check 2>/dev/null && command -v gnuplot >/dev/null \
	  || scripts/install-deps
deps: ; @scripts/install-deps
.PHONY: deps-ok

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -MF $(@:.o=.d) -MT $@ -c $< -o $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

# Built under a temporary name so that concurrent makes never see half an archive.
$(BUILD)/libntr.a: $(LIBOBJ)
	@echo "  AR  $@"
	@rm -f $@.tmp.$$$$ && ar rcs $@.tmp.$$$$ $^ && mv $@.tmp.$$$$ $@

bin/ntr-%: $(BUILD)/src/cli/ntr_%.o $(BUILD)/libntr.a
	@mkdir -p bin
	$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LDFLAGS)

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TESTSUPOBJ) $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) $(EXTRA_LDFLAGS)

run: all
	bin/ntr-run configs/quickstart.yaml -o results/quickstart --force-new
	@echo
	@echo "results: results/quickstart/  (summary.csv, cells/*/trajectory.csv, report.md)"
	@echo "figure:  results/quickstart/plots/convergence.png"

# Unit and end-to-end tests against the normal build.
check-unit: all $(TESTBIN)
	@NTR_BIN=$(CURDIR)/bin tests/run-tests $(TESTBIN)

# The same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
check-asan: deps-ok
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  BINDIR=build-asan/bin asan-tests

asan-tests: $(TESTBIN) $(patsubst bin/%,$(BUILD)/bin/%,$(PROGS))
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  NTR_BIN=$(CURDIR)/$(BUILD)/bin tests/run-tests $(TESTBIN)

$(BUILD)/bin/ntr-%: $(BUILD)/src/cli/ntr_%.o $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LDFLAGS)

check: check-unit check-asan

bench: all
	bench/run-bench

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	@if ls man/*.1 >/dev/null 2>&1; then install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi

clean:
	rm -rf build build-asan bin

.SECONDARY:
-include $(LIBOBJ:.o=.d) $(MAINS:%.c=$(BUILD)/%.d) $(TESTSRC:%.c=$(BUILD)/%.d)

# ---- bench: the programs of `make bench` (bench/*.c; never part of check) ----
BENCHSRC := $(wildcard bench/*.c)
BENCHBIN := $(BENCHSRC:bench/%.c=$(BUILD)/bench/%)
bench: $(BENCHBIN)
bench-progs: $(BENCHBIN)
.PHONY: bench-progs

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(EXTRA_CFLAGS) -o $@ $^ $(PKG_LIBS) $(EXTRA_LDFLAGS)

-include $(BENCHSRC:%.c=$(BUILD)/%.d)
