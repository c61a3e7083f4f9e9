# SPDX-License-Identifier: GPL-2.0-only
# lttng-xen top-level build.  `make` builds the programs into build/,
# `make demo` shows the main job, `make check` runs every test.  Each
# target installs the Debian packages it needs (mk/deps.sh, idempotent).

BUILD   ?= build
CC      ?= gcc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -std=gnu11
XML_CFLAGS := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
XML_LIBS   := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)

# Debian packages, by purpose.
DEPS_BUILD := gcc make pkg-config libxml2-dev libxml2-utils libxen-dev
DEPS_DEMO  := $(DEPS_BUILD) babeltrace2 python3 python3-bt2
# What mk/domu-image.sh needs (bench-xen's domU; its dry-run test in check).
DEPS_DOMU  := busybox-static cpio
DEPS_CHECK := $(DEPS_DEMO) clang libclang-rt-14-dev gnuplot-nox $(DEPS_DOMU)
DEPS_BENCH := $(DEPS_DEMO) liblttng-ust-dev lttng-tools valgrind
DEPS_BENCH_XEN := $(DEPS_DEMO) gnuplot-nox libpopt0 qemu-system-x86 \
		  $(DEPS_DOMU) kmod gzip libc6-dev

FACILITIES := $(sort $(wildcard facilities/*.xml))
GENEVENT   := $(BUILD)/bin/genevent
GEN        := $(BUILD)/gen

GENEVENT_SRCS := genevent/main.c genevent/parse.c genevent/check.c \
		 genevent/util.c genevent/output.c genevent/gen-xen.c \
		 genevent/gen-ctf.c genevent/gen-doc.c
GENEVENT_LIB  := $(filter-out genevent/main.c,$(GENEVENT_SRCS))
GENEVENT_HDRS := genevent/model.h genevent/output.h

# User-space tracer core: the ring buffer and the probe/remap/control code
# compiled into Xen, here with the user-space platform layer.
CORE_CFLAGS := -Iinclude -Iringbuffer -Iringbuffer/user -Itransport -I$(GEN)/xen
CORE_SRCS   := ringbuffer/frontend.c $(wildcard tracer/*.c) \
	       $(GEN)/xen/events.c $(GEN)/xen/xentrace-map.c
CORE_HDRS   := $(wildcard include/lttng-xen/*.h ringbuffer/*.h ringbuffer/user/*.h)

# The Xen transport (transport/transport-xen.c) is built when libxen-dev
# is there; without it the file is empty and "xen" says it is not built.
# Recursive (=): evaluated by the link recipes, after `deps` has run.
XEN_PKGS      := xencontrol xenforeignmemory xenevtchn xenstore
XEN_TRANSPORT = $(if $(shell pkg-config --exists $(XEN_PKGS) && echo y),\
	-DLX_HAVE_XEN $(shell pkg-config --cflags --libs $(XEN_PKGS)))

SIM_SRCS       := $(wildcard sim/*.c)
TRANSPORT_SRCS := $(wildcard transport/*.c)
LTTD_SRCS      := $(wildcard lttd-xen/*.c)
LTTCTL_SRCS    := $(wildcard lttctl-xen/*.c)
IMPORT_SRCS    := $(wildcard xentrace-import/*.c)
# lttng-xen-import writes its trace with lttd-xen's own code.
IMPORT_LTTD    := lttd-xen/metadata.c lttd-xen/stream.c lttd-xen/log.c
PROGRAMS := $(GENEVENT) \
	$(if $(SIM_SRCS),$(BUILD)/bin/lttng-xen-sim) \
	$(if $(LTTD_SRCS),$(BUILD)/bin/lttd-xen) \
	$(if $(LTTCTL_SRCS),$(BUILD)/bin/lttctl-xen) \
	$(BUILD)/bin/lttng-xen-compare \
	$(BUILD)/bin/lttng-xen-analyze \
	$(if $(IMPORT_SRCS),$(BUILD)/bin/lttng-xen-import)

.PHONY: all deps deps-demo deps-check deps-bench deps-bench-xen gen docs check e2e demo demo-sim bench bench-xen fuzz xen clean
all: $(PROGRAMS)

deps:
	@mk/deps.sh $(DEPS_BUILD)
deps-demo:
	@mk/deps.sh $(DEPS_DEMO)
deps-check:
	@mk/deps.sh $(DEPS_CHECK)
deps-bench:
	@mk/deps.sh $(DEPS_BENCH)
deps-bench-xen:
	@mk/deps.sh $(DEPS_BENCH_XEN)

$(BUILD)/genevent/schema.c: facilities/facility.rng mk/embed.sh
	@mkdir -p $(@D)
	mk/embed.sh ge_schema $< > $@.tmp && mv $@.tmp $@

$(GENEVENT): $(GENEVENT_SRCS) $(GENEVENT_HDRS) $(BUILD)/genevent/schema.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(XML_CFLAGS) -Igenevent -o $@ \
		$(GENEVENT_SRCS) $(BUILD)/genevent/schema.c $(XML_LIBS)

# The libFuzzer target: parser, checks and back ends under ASan+UBSan.
$(BUILD)/bin/genevent-fuzz: $(GENEVENT_LIB) genevent/fuzz.c $(GENEVENT_HDRS) $(BUILD)/genevent/schema.c | deps-check
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(XML_CFLAGS) -Igenevent \
		-o $@ $(GENEVENT_LIB) genevent/fuzz.c \
		$(BUILD)/genevent/schema.c $(XML_LIBS)
fuzz: $(BUILD)/bin/genevent-fuzz

# The metadata a trace writer puts in front of its packets: the stream
# header and genevent's events, carried inside lttd-xen.
$(BUILD)/gen/embed-metadata.c: ctf/stream-header.tsdl.in $(GEN)/.stamp mk/embed.sh
	( mk/embed.sh lx_stream_header ctf/stream-header.tsdl.in; \
	  mk/embed.sh lx_events_tsdl $(GEN)/ctf/events.tsdl ) > $@.tmp && mv $@.tmp $@

$(BUILD)/bin/lttng-xen-sim: $(SIM_SRCS) $(CORE_SRCS) $(CORE_HDRS) $(wildcard sim/*.h) $(GEN)/.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Isim -pthread -o $@ \
		$(SIM_SRCS) $(CORE_SRCS)

$(BUILD)/bin/lttd-xen: $(LTTD_SRCS) $(TRANSPORT_SRCS) $(CORE_HDRS) $(wildcard lttd-xen/*.h transport/*.h) $(BUILD)/gen/embed-metadata.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ilttd-xen -o $@ \
		$(LTTD_SRCS) $(TRANSPORT_SRCS) $(BUILD)/gen/embed-metadata.c \
		$(XEN_TRANSPORT)

$(BUILD)/bin/lttctl-xen: $(LTTCTL_SRCS) $(TRANSPORT_SRCS) $(CORE_HDRS) $(wildcard lttctl-xen/*.h transport/*.h) $(GEN)/.stamp
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ilttctl-xen -o $@ \
		$(LTTCTL_SRCS) $(TRANSPORT_SRCS) $(GEN)/xen/events.c \
		$(XEN_TRANSPORT)

# The lttng-xen / xentrace report (compare/): a Python script that finds
# genevent's output next to it, in $(BUILD)/gen.
$(BUILD)/bin/lttng-xen-compare: compare/lttng-xen-compare $(GEN)/.stamp
	@mkdir -p $(@D)
	install -m 755 $< $@

# The analyses (analyze/): a Python script and its modules, installed in
# $(BUILD)/lib/lttng-xen-analyze, where the script looks first.
ANALYZE_PY := $(wildcard analyze/lxa_*.py)
$(BUILD)/bin/lttng-xen-analyze: analyze/lttng-xen-analyze $(ANALYZE_PY)
	@mkdir -p $(@D) $(BUILD)/lib/lttng-xen-analyze
	install -m 644 $(ANALYZE_PY) $(BUILD)/lib/lttng-xen-analyze/
	install -m 755 $< $@

# xentrace files -> CTF: the tracer's remap and ring buffer as the
# producer, lttd-xen's stream and metadata code as the writer.
$(BUILD)/bin/lttng-xen-import: $(IMPORT_SRCS) $(CORE_SRCS) $(CORE_HDRS) $(IMPORT_LTTD) $(wildcard xentrace-import/*.h lttd-xen/*.h) $(BUILD)/gen/embed-metadata.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(CORE_CFLAGS) -Ixentrace-import -Ilttd-xen -o $@ \
		$(IMPORT_SRCS) ringbuffer/frontend.c tracer/probe.c \
		tracer/xentrace-remap.c $(GEN)/xen/events.c \
		$(GEN)/xen/xentrace-map.c $(IMPORT_LTTD) \
		$(BUILD)/gen/embed-metadata.c

# Everything generated from the facilities.
$(GEN)/.stamp: $(GENEVENT) $(FACILITIES)
	@rm -rf $(GEN)/xen $(GEN)/ctf $(GEN)/docs
	$(GENEVENT) -o $(GEN) $(FACILITIES)
	@touch $@
$(GEN)/xen/events.c $(GEN)/xen/xentrace-map.c $(GEN)/ctf/events.tsdl: $(GEN)/.stamp
gen: $(GEN)/.stamp

# The committed event reference.
docs: $(GEN)/.stamp
	cp $(GEN)/docs/events.md docs/events.md

# The hypervisor with lttng-xen (xen-patches/ on Debian's pinned Xen
# source, fetched with apt): build/xen/, or with LTTNG=n the same tree
# with xentrace as it was: build/xen-nolttng/.  mk/xen.sh says more.
LTTNG ?= y
xen: $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) LTTNG=$(LTTNG) mk/xen.sh build

check: deps-check all $(GEN)/.stamp $(BUILD)/bin/genevent-fuzz
	@tests/run

# The traced Xen end to end under QEMU, and xentrace on the same workload:
# build/e2e/compare.md (tests/xen/test-e2e.sh; `make check` runs it too).
e2e: deps-demo all $(GEN)/.stamp
	@tests/run tests/xen/test-e2e.sh

# Benchmarks, next to LTTng-UST (bench/README.md); not part of check.
bench: deps-bench all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) bench/run

# The overhead benchmark of the original work, under QEMU: five
# configurations (stock Debian Xen ... xentrace to disk) x the dom0
# workloads of bench/xen/bench-xen.toml, 5 repeats; FULL=1: the full set.
# build/bench-xen/{results.md,results.csv,*.png} (bench/xen/README.md).
bench-xen: deps-bench-xen all $(GEN)/.stamp
	@TOP=$(CURDIR) BUILD=$(abspath $(BUILD)) \
		BENCH_XEN_SET=$(if $(filter-out 0,$(FULL)),full,default) bench/xen/run

# The main job: the patched Xen booted under QEMU, a dom0 workload traced
# with lttctl-xen, and a summary of the trace (mk/demo-xen.sh).
demo: deps-demo all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/demo-xen.sh

# The same session against lttng-xen-sim, the user-space stand-in for the
# hypervisor: no Xen, kernel or QEMU needed (mk/demo.sh).
demo-sim: deps-demo all $(GEN)/.stamp
	@BUILD=$(abspath $(BUILD)) mk/demo.sh

clean:
	rm -rf $(BUILD)
