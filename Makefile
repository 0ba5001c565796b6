# Makefile: build, test, run and install ntr.
#
#   make            build bin/ntr-run, bin/ntr-plot, bin/ntr-probe
#   make run        install what is missing, build, run configs/quickstart.yaml
#   make check      install what is missing, build, run every test (also under ASan/UBSan)
#   make bench      performance report in bench/ (never part of check)
#   make valgrind   the end-to-end commands under valgrind (check runs it when installed)
#   make lint       cppcheck and clang-tidy on src/ and problems/
#   make fuzz FUZZ_SECONDS=N   fuzz the config loader with libFuzzer (clang)
#   make install PREFIX=/usr/local [DESTDIR=...]   make uninstall   make clean
#                   (programs, man pages, include/ntr/ntr.h, libntr.a, libntr.so.N, ntr.pc)
#
# Every source file is found by wildcard: adding a problem, norm or method is
# one new file (plus its registry line), never a Makefile edit.

CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := gsl openblas lapacke yaml-0.1 jansson muparser libxxhash
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
OPT     ?= -O2 -g -march=x86-64-v2
# The pkg-config flags are looked up when a recipe first needs them, not when
# the Makefile is read: on a fresh machine the packages are installed by the
# deps-ok step (scripts/install-deps) after make has read this file, and flags
# read before that would be empty (the link would then pull cblas from
# libgslcblas through libgsl and fail).  Each variable below expands once,
# on first use, into a simple variable holding pkg-config's answer; every
# compile and link waits for deps-ok (an order-only prerequisite), so the
# first use comes after the install.
lazy = $(eval $(1) := $$(shell $(2)))$($(1))
PKG_CFLAGS  = $(call lazy,PKG_CFLAGS,pkg-config --cflags $(PKGS) 2>/dev/null)
# GSL's own pkg-config line links gslcblas; ntr takes cblas from OpenBLAS.
PKG_LIBS    = -lgsl $(call lazy,BLAS_LIBS,pkg-config --libs openblas lapacke yaml-0.1 jansson muparser libxxhash 2>/dev/null) -lm
CHECK_LIBS  = $(call lazy,CHECK_LIBS,pkg-config --libs check 2>/dev/null)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_COMMIT := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DEFS    := -DNTR_VERSION='"$(VERSION)"' -DNTR_GIT_COMMIT='"$(GIT_COMMIT)"'

BUILD   ?= build
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(DEFS) $(PKG_CFLAGS) $(EXTRA_CFLAGS)

# Sources are found at any depth under src/ and problems/; includes are
# rooted there (#include "output/files.h", "problems/problem.h", "ntr/ntr.h").
SRCTREE  = $(sort $(shell find src problems -name '*.c'))
INCDIRS := -Isrc -I. -Iinclude
MAINS   := $(wildcard src/cli/*.c)
# A program's own pieces (src/cli/NAME/*.c: ntr-run's argument parsing in
# src/cli/run/) are linked into bin/ntr-NAME only, not into the library.
CLISUP  := $(sort $(wildcard src/cli/*/*.c))
cli_sup = $(patsubst %.c,$(BUILD)/%.o,$(filter src/cli/$(1)/%,$(CLISUP)))
LIBSRC  := $(filter-out $(MAINS) $(CLISUP),$(SRCTREE))
LIBOBJ  := $(LIBSRC:%.c=$(BUILD)/%.o)
TESTSRC := $(wildcard tests/test_*.c)
TESTBIN := $(TESTSRC:tests/%.c=$(BUILD)/tests/%)
TESTSUP := $(filter-out $(TESTSRC),$(wildcard tests/*.c))
TESTSUPOBJ := $(TESTSUP:%.c=$(BUILD)/%.o)
PROGS   := $(patsubst src/cli/ntr_%.c,bin/ntr-%,$(MAINS))

.PHONY: all deps run run-fresh check check-unit check-asan bench install clean lint fuzz
all: deps-ok $(PROGS)

# Install missing dependencies (scripts/install-deps) when a library or tool is absent.
deps-ok:
	@pkg-config --exists $(PKGS) check 2>/dev/null && command -v gnuplot >/dev/null \
	  && command -v valgrind >/dev/null && command -v parallel >/dev/null \
	  || scripts/install-deps
deps: ; @scripts/install-deps
.PHONY: deps-ok

$(BUILD)/%.o: %.c | deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS_ALL) -MMD -MP -MF $(@:.o=.d) -MT $@ -c $< -o $@.tmp.$$$$ && mv $@.tmp.$$$$ $@

# Built under a temporary name so that concurrent makes never see half an archive.
$(BUILD)/libntr.a: $(LIBOBJ)
	@echo "  AR  $@"
	@rm -f $@.tmp.$$$$ && ar rcs $@.tmp.$$$$ $^ && mv $@.tmp.$$$$ $@

# Link under a temporary name too: a test running bin/ntr-run while another
# make relinks it must never exec half a file.
link = @echo "  LD  $@" && $(CC) $(OPT) $(EXTRA_CFLAGS) $(LDFLAGS_EXPORT) -o $@.tmp.$$$$ $^ $(1) $(EXTRA_LDFLAGS) \
	&& mv $@.tmp.$$$$ $@

.SECONDEXPANSION:
bin/ntr-%: $(BUILD)/src/cli/ntr_%.o $$(call cli_sup,$$*) $(BUILD)/libntr.a
	@mkdir -p bin
	$(call link,$(PKG_LIBS))

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(TESTSUPOBJ) $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(call link,$(PKG_LIBS) $(CHECK_LIBS))

# A second `make run` resumes the same folder: nothing reruns, the summary,
# figures and report are rebuilt.  `make run-fresh` starts anew.
run: all
	bin/ntr-run configs/quickstart.yaml -o results/quickstart

run-fresh: all
	rm -rf results/quickstart
	$(MAKE) --no-print-directory run

# Every test program, built but not run.
test-progs: $(TESTBIN)
.PHONY: test-progs

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

$(BUILD)/bin/ntr-%: $(BUILD)/src/cli/ntr_%.o $$(call cli_sup,$$*) $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(call link,$(PKG_LIBS))

check: check-unit check-asan check-valgrind check-fresh check-mains

# Every main turns GSL's abort() handler off (tests/check-mains).
check-mains:
	@tests/check-mains
.PHONY: check-mains

# The first make on a machine without the packages (simulated: see the script).
check-fresh:
	@tests/fresh-machine
.PHONY: check-fresh

bench: all
	bench/run-bench

clean:
	rm -rf build build-asan build-fuzz bin

.SECONDARY:
-include $(LIBOBJ:.o=.d) $(MAINS:%.c=$(BUILD)/%.d) $(CLISUP:%.c=$(BUILD)/%.d) \
  $(TESTSRC:%.c=$(BUILD)/%.d)

# ---- bench: the programs of `make bench` (bench/*.c; never part of check) ----
BENCHSRC := $(wildcard bench/*.c)
BENCHBIN := $(BENCHSRC:bench/%.c=$(BUILD)/bench/%)
# The report also runs the allocation test (section 6).
bench: $(BENCHBIN) $(BUILD)/tests/test_alloc
bench-progs: $(BENCHBIN)
.PHONY: bench-progs

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(call link,$(PKG_LIBS))

-include $(BENCHSRC:%.c=$(BUILD)/%.d)

# ---- valgrind and lint: reliability checks ---------------------------------
# `make valgrind`: tests/valgrind-e2e runs the end-to-end commands under
# valgrind (zero errors, zero definitely lost blocks); `make check` runs it
# too when valgrind is installed.
valgrind: all
	@NTR_BIN=$(CURDIR)/bin tests/valgrind-e2e
check-valgrind: all
	@if command -v valgrind >/dev/null; then NTR_BIN=$(CURDIR)/bin tests/valgrind-e2e; \
	else echo "valgrind is not installed: the valgrind checks are skipped"; fi
.PHONY: valgrind check-valgrind

# `make lint`: cppcheck, then clang-tidy (checks chosen in .clang-tidy) on
# each file, in parallel; every warning is an error, suppressions are inline
# with their reason.  A file passed is remembered (build/lint/FILE.tidy)
# until it, a header it includes or .clang-tidy changes.
LINTSRC  = $(SRCTREE)
LINTJOBS ?= $(shell nproc 2>/dev/null || echo 2)
TIDYFLAGS = $(CSTD) $(INCDIRS) $(PKG_CFLAGS) -DNTR_VERSION='"0"' -DNTR_GIT_COMMIT='"0"'
lint: deps-ok
	@command -v cppcheck >/dev/null && command -v clang-tidy >/dev/null || scripts/install-deps
	cppcheck -q --std=c11 --enable=warning,performance,portability --inline-suppr \
	  --error-exitcode=1 -j $(LINTJOBS) $(INCDIRS) -DNTR_VERSION='"0"' -DNTR_GIT_COMMIT='"0"' src problems
	@echo "clang-tidy on $(words $(LINTSRC)) files"
	@$(MAKE) --no-print-directory -j $(LINTJOBS) lint-tidy

lint-tidy: $(LINTSRC:%.c=$(BUILD)/lint/%.tidy)
$(BUILD)/lint/%.tidy: %.c $(BUILD)/%.o .clang-tidy
	@mkdir -p $(dir $@)
	@clang-tidy --quiet $< -- $(TIDYFLAGS) 2>/dev/null
	@touch $@
.PHONY: lint-tidy

# ---- fuzz: libFuzzer target for the config loader (tests/fuzz/) -----------
# `make fuzz FUZZ_SECONDS=N` builds the library with clang and
# -fsanitize=fuzzer-no-link,address,undefined in build-fuzz/, links
# tests/fuzz/fuzz_config.c with libFuzzer and fuzzes for N seconds; the
# corpus (build-fuzz/corpus) starts from configs/, tests/bad/ and
# tests/fuzz/regressions/, and tests/fuzz/config.dict holds the config's
# words.  A crash leaves its input as build-fuzz/crash-* (or leak-*,
# timeout-*): it goes to tests/fuzz/regressions/ (replayed by
# test_fuzz_regressions in `make check`) together with its fix.  clang's
# extra warnings are not errors here (the gcc build is the warnings gate).
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz:
	@command -v clang >/dev/null || scripts/install-deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
	  WARN="-Wall -Wextra" EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	  build-fuzz/fuzz_config
	@mkdir -p build-fuzz/corpus
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  build-fuzz/fuzz_config -max_total_time=$(FUZZ_SECONDS) -timeout=120 \
	  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build-fuzz/ \
	  -dict=tests/fuzz/config.dict \
	  build-fuzz/corpus configs tests/bad tests/fuzz/regressions

$(BUILD)/fuzz_config: $(BUILD)/tests/fuzz/fuzz_config.o $(BUILD)/tests/fuzz/pipeline.o \
		$(BUILD)/libntr.a
	$(CC) $(OPT) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(PKG_LIBS)

# The replay of the fuzzer's regressions links the fuzz pipeline.
$(BUILD)/tests/test_fuzz_regressions: $(BUILD)/tests/test_fuzz_regressions.o \
		$(BUILD)/tests/fuzz/pipeline.o $(TESTSUPOBJ) $(BUILD)/libntr.a
	@mkdir -p $(dir $@)
	$(call link,$(PKG_LIBS) $(CHECK_LIBS))
-include $(BUILD)/tests/fuzz/pipeline.d $(BUILD)/tests/fuzz/fuzz_config.d
.PHONY: fuzz

# ---- the public interface: libntr.so, ntr.pc, install, problem plug-ins ----
# include/ntr/ntr.h is the one public header (the problem interface, the
# key/value view, errors, norm names, running a cell from C).  Every object
# is compiled position-independent with hidden visibility, so that the same
# objects make the static archive and the shared library libntr.so.N
# (N = NTR_API_VERSION), which exports exactly the functions the header marks
# NTR_API.  The programs link the archive and export those same functions
# (-rdynamic: only NTR_API names are visible), so that a problem plug-in
# that ntr-run or ntr-probe loads calls the program's own copy.
API_VERSION := $(shell awk '/^.define NTR_API_VERSION / { print $$3 }' include/ntr/ntr.h)
SONAME      := libntr.so.$(API_VERSION)
CFLAGS_ALL  += $(INCDIRS) -fPIC -fvisibility=hidden
LDFLAGS_EXPORT := -rdynamic
BINDIR      = $(PREFIX)/bin
LIBDIR      = $(PREFIX)/lib
INCLUDEDIR  = $(PREFIX)/include
MAN1DIR     = $(PREFIX)/share/man/man1

all: $(BUILD)/$(SONAME)

# Objects built with other flags (before -fPIC, another OPT) are rebuilt:
# every object depends on a file holding the flags, rewritten when they change.
OBJ_FLAGS := $(CSTD) $(WARN) $(OPT) $(EXTRA_CFLAGS) $(INCDIRS) -fPIC -fvisibility=hidden
$(BUILD)/compile-flags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(OBJ_FLAGS)' | cmp -s - $@ || echo '$(OBJ_FLAGS)' > $@
$(LIBOBJ) $(MAINS:%.c=$(BUILD)/%.o) $(CLISUP:%.c=$(BUILD)/%.o) $(TESTSRC:%.c=$(BUILD)/%.o) \
  $(TESTSUPOBJ) $(BENCHSRC:%.c=$(BUILD)/%.o): $(BUILD)/compile-flags

# Linked with --no-undefined, so that the library names every library it needs.
$(BUILD)/$(SONAME): $(LIBOBJ) | deps-ok
	@echo "  SO  $@"
	@$(CC) $(OPT) $(EXTRA_CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined \
	  -o $@.tmp.$$$$ $(LIBOBJ) $(PKG_LIBS) && mv $@.tmp.$$$$ $@

# ntr.pc for a prefix (see ntr.pc.in): GSL's flags come with the header's
# gsl_rng.  Libs carries an rpath, so that a plug-in or program built
# against a prefix outside the loader's path finds libntr.so.N there.
$(BUILD)/ntr.pc: ntr.pc.in VERSION include/ntr/ntr.h FORCE | deps-ok
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	  -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	  -e 's|@GSL_CFLAGS@|$(shell pkg-config --cflags gsl 2>/dev/null)|g' $< > $@.tmp.$$$$ \
	  && mv $@.tmp.$$$$ $@
FORCE:

# DESTDIR stages the files (packaging); PREFIX is where they will live.
install: all $(BUILD)/ntr.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(INCLUDEDIR)/ntr \
	  $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(PROGS) $(DESTDIR)$(BINDIR)/
	install -m 644 man/*.1 $(DESTDIR)$(MAN1DIR)/
	install -m 644 include/ntr/ntr.h $(DESTDIR)$(INCLUDEDIR)/ntr/
	install -m 644 $(BUILD)/libntr.a $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/$(SONAME) $(DESTDIR)$(LIBDIR)/
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libntr.so
	install -m 644 $(BUILD)/ntr.pc $(DESTDIR)$(LIBDIR)/pkgconfig/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(PROGS))) \
	  $(addprefix $(DESTDIR)$(MAN1DIR)/,$(notdir $(wildcard man/*.1))) \
	  $(DESTDIR)$(INCLUDEDIR)/ntr/ntr.h $(DESTDIR)$(LIBDIR)/libntr.a \
	  $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libntr.so \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/ntr.pc
	-rmdir $(DESTDIR)$(INCLUDEDIR)/ntr 2>/dev/null
.PHONY: install uninstall FORCE

# Plug-ins for the tests (tests/plugins/*.c): built against the source
# tree's header, linked without libntr (they call the loading program's
# copy, as every plug-in does).
TESTPLUGSRC := $(wildcard tests/plugins/*.c)
TESTPLUGINS := $(TESTPLUGSRC:tests/plugins/%.c=$(BUILD)/tests/plugins/%.so)
$(BUILD)/tests/plugins/%.so: tests/plugins/%.c include/ntr/ntr.h | deps-ok
	@mkdir -p $(dir $@)
	@echo "  SO  $@"
	@$(CC) $(CSTD) $(WARN) $(OPT) -Iinclude $(PKG_CFLAGS) $(EXTRA_CFLAGS) -fPIC -shared \
	  -o $@.tmp.$$$$ $< -lm && mv $@.tmp.$$$$ $@
$(BUILD)/tests/test_plugin: $(TESTPLUGINS)
valgrind check-valgrind: $(TESTPLUGINS)
valgrind check-valgrind: export NTR_PLUGIN = $(CURDIR)/$(BUILD)/tests/plugins/testplug.so

# `make check-install`: install into a scratch prefix, build examples/plugin
# there with pkg-config only, run it through ntr-run and ntr-probe, uninstall.
check-install: all
	@tests/install-check
check: check-install
.PHONY: check-install
