# procsim - build, set-up and tests.
#
#   make          build build/procsim and build/procsim-viz
#   make run      set up what is missing, build, open the window on the tour
#   make test     set up what is missing, build, run every test (also under ASan+UBSan)
#   make asan     the ASan+UBSan build only
#   make fuzz     for FUZZ_SECONDS (default 60): the libFuzzer parser harness and,
#                 beside it, random valid scenarios run and checked (fuzz-runtime)
#   make bench    the benchmarks of the README
#
# Set-up: `make deps` (run by `run` and `test`) checks for the Debian packages
# below and installs the missing ones with apt-get when it runs as root (or
# through sudo when that needs no password); otherwise it prints the command.

CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
CFLAGS  += $(CSTD) $(WARN) $(OPT)
# where the Python translator lives (sim/pyfront runs it; PROCSIM_PY overrides)
CFLAGS  += -DPROCSIM_PY_DIR='"$(CURDIR)/py"'
# The interpreter that runs it: the real one behind `python3`, resolved once
# here (a pyenv `python3` is a shell script costing ~50 ms a run), and the one
# that compiles py/ ahead, so the .pyc files match it. sim/pyfront falls back
# to the python3 on PATH if the file is gone; PROCSIM_PYTHON overrides at run
# time; `make PYTHON3=/usr/bin/python3` picks another.
PYTHON3 := $(shell python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
ifeq ($(PYTHON3),)
PYTHON3 := python3
endif
CFLAGS  += -DPROCSIM_PYTHON='"$(PYTHON3)"'
B       := build

# The Debian packages the project needs, and the pkg-config names or files
# that show each is installed.
DEB_PKGS := libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev libfontconfig-dev \
            fonts-dejavu-core libcmocka-dev pkg-config xvfb ffmpeg
SDL_PC   := sdl2 SDL2_ttf SDL2_image fontconfig

# sim/ is the core library, one folder a layer: value (Python-like values),
# lang (the scenario language), kernel (tasks, the tick loop, processes,
# signals, threads), sched (the policies), objects (what tasks share: files
# and fd tables, pipes, queues, pools), net (sockets and the loopback
# network), mux (select, poll, epoll), coro (coroutines: greenlets),
# record (traces, whole runs, expectations). sim/cli is the procsim command
# on top of it.
SIM_DIRS  := value lang kernel sched objects net mux coro record pyfront
CORE_SRCS := $(foreach d,$(SIM_DIRS),$(wildcard sim/$(d)/*.c))
SIM_INC   := $(foreach d,$(SIM_DIRS),-Isim/$(d)) -Isim/cli
CLI_SRCS  := $(wildcard sim/cli/*.c)
VIZ_SRCS  := $(wildcard viz/*.c)
VIZ_MAIN  := $(wildcard viz/main.c)
VIZ_LIB_SRCS := $(filter-out $(VIZ_MAIN),$(VIZ_SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
VIZ_TEST_SRCS := $(wildcard tests/viz/test_*.c)
# The runtime campaign (fuzz-runtime); fuzz_parse.c is libFuzzer's, built by fuzz/run.sh.
FUZZ_SRCS := $(filter-out fuzz/fuzz_parse.c,$(wildcard fuzz/*.c))

# Objects for one build flavour: $(call objs,DIR,SRCS)
objs = $(patsubst %.c,$(1)/obj/%.o,$(2))

SDL_CFLAGS = $(shell pkg-config --cflags $(SDL_PC) 2>/dev/null)
SDL_LIBS   = $(shell pkg-config --libs $(SDL_PC) 2>/dev/null)

.PHONY: FORCE all run test asan fuzz bench deps clean check-scenarios help
.DEFAULT_GOAL := all

all: $(B)/procsim $(if $(VIZ_MAIN),$(B)/procsim-viz) $(B)/py-compiled

# The Python translator's modules compiled ahead (py/**/__pycache__), so a
# .py loads without python3 compiling the translator each time (it runs
# with -B, which reads .pyc files but never writes them).
PY_SRCS := $(shell find py -name '*.py' 2>/dev/null)
$(B)/py-compiled: $(PY_SRCS)
	@mkdir -p $(B)
	@$(PYTHON3) -m compileall -q py && touch $@

# pyfront_run.c has the interpreter's path compiled in: rebuild it when the
# path changes (the file is rewritten only then).
$(B)/python-path: FORCE
	@mkdir -p $(B)
	@echo '$(PYTHON3)' | cmp -s - $@ || echo '$(PYTHON3)' >$@
$(B)/obj/sim/pyfront/pyfront_run.o $(B)/asan/obj/sim/pyfront/pyfront_run.o: $(B)/python-path
FORCE:

help:
	@sed -n '2,12p' Makefile

# ---------------------------------------------------------------- set-up
deps:
	@sh tools/deps.sh $(DEB_PKGS)

# ---------------------------------------------------------------- builds
# $(1) = output dir, $(2) = extra CFLAGS, $(3) = extra LDFLAGS
define FLAVOUR
$(1)/obj/%.o: %.c $$(wildcard sim/*/*.h viz/*.h tests/*.h tests/*/*.h fuzz/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) $(SIM_INC) -Iviz -Itests $$(if $$(filter viz/% tests/viz/%,$$<),$$(SDL_CFLAGS)) -c $$< -o $$@

$(1)/libprocsim.a: $$(call objs,$(1),$$(CORE_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^

$(1)/procsim: $$(call objs,$(1),$$(CLI_SRCS)) $(1)/libprocsim.a
	$$(CC) $(2) $$^ -o $$@ $(3)

$(1)/fuzz-runtime: $$(call objs,$(1),$$(FUZZ_SRCS)) $(1)/libprocsim.a
	$$(CC) $(2) $$^ -o $$@ $(3)

$(1)/libviz.a: $$(call objs,$(1),$$(VIZ_LIB_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^

$(1)/procsim-viz: $$(call objs,$(1),$$(VIZ_MAIN)) $(1)/libviz.a $(1)/libprocsim.a
	$$(CC) $(2) $$^ -o $$@ $$(SDL_LIBS) -lm $(3)

$(1)/tests/%: $(1)/obj/tests/unit/%.o $(1)/libprocsim.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$^ -o $$@ -lcmocka -lm $(3)

$(1)/vtests/%: $(1)/obj/tests/viz/%.o $(1)/libviz.a $(1)/libprocsim.a
	@mkdir -p $$(dir $$@)
	$$(CC) $(2) $$^ -o $$@ $$(SDL_LIBS) -lcmocka -lm $(3)

$(1)/unit-tests: $$(patsubst tests/unit/%.c,$(1)/tests/%,$$(UNIT_SRCS)) \
                 $$(patsubst tests/viz/%.c,$(1)/vtests/%,$$(VIZ_TEST_SRCS))
	@touch $$@
endef

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
$(eval $(call FLAVOUR,$(B),,-lm))
# The ASan build also collects values every tick (PROCSIM_GC_STRESS), so a
# value that no root marks is freed at once and ASan sees its next use.
$(eval $(call FLAVOUR,$(B)/asan,$(SAN) -DPROCSIM_GC_STRESS,$(SAN) -lm))

asan: $(B)/asan/procsim $(if $(VIZ_MAIN),$(B)/asan/procsim-viz) $(B)/asan/unit-tests \
      $(B)/asan/fuzz-runtime

# ---------------------------------------------------------------- tests
test: deps
	@$(MAKE) --no-print-directory all $(B)/unit-tests $(B)/fuzz-runtime asan
	@sh tests/python/translate/run.sh
	@sh tests/run.sh $(B) $(B)/asan

check-scenarios: $(B)/procsim
	$(B)/procsim check scenarios/*.scn

# ---------------------------------------------------------------- run
TOUR ?= scenarios/tour.scn
run: deps
	@$(MAKE) --no-print-directory all
	@sh tools/run-viz.sh $(B)/procsim-viz $(TOUR)

# ---------------------------------------------------------------- fuzz, bench
FUZZ_SECONDS ?= 60
fuzz:
	@$(MAKE) --no-print-directory $(B)/asan/procsim $(B)/asan/fuzz-runtime
	@sh fuzz/run.sh $(FUZZ_SECONDS)

bench: deps
	@sh tools/deps.sh hyperfine
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh $(B)

clean:
	rm -rf $(B)
